// The data sets the benchmarks share: a synthetic set shaped like MovieLens
// 100k, and the real one when MF_DATA_DIR names its folder. Each is built or
// read once per process, outside every timed region.
#ifndef MF_BENCHMARKS_BENCH_DATA_HPP
#define MF_BENCHMARKS_BENCH_DATA_HPP

#include <benchmark/benchmark.h>

#include <mf/mf.hpp>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace bench {

/// mf::synthetic_ratings with its defaults: 943 users, 1682 items, 100,000 ratings.
inline const mf::Dataset& synthetic_100k() {
    static const mf::Dataset data = mf::synthetic_ratings(mf::SyntheticOptions{});
    return data;
}

/// $MF_DATA_DIR/u.data, or nothing when the variable is unset or empty.
inline std::optional<std::filesystem::path> movielens_u_data() {
    const char* dir = std::getenv("MF_DATA_DIR");
    if (dir == nullptr || *dir == '\0') {
        return std::nullopt;
    }
    return std::filesystem::path(dir) / "u.data";
}

/// MovieLens 100k, or nullptr after marking the benchmark as skipped with the
/// reason. An exception must not escape a benchmark: it would end the whole
/// run, and the synthetic figures with it.
inline const mf::Dataset* movielens_100k(benchmark::State& state) {
    struct Loaded {
        std::optional<mf::Dataset> data;
        std::string error;
    };
    static const Loaded loaded = [] {
        Loaded result;
        const std::optional<std::filesystem::path> file = movielens_u_data();
        if (!file) {
            result.error = "MF_DATA_DIR not set";
            return result;
        }
        try {
            result.data = mf::movielens::read_ratings(*file);
        } catch (const mf::error& e) {
            result.error = e.what();
        }
        return result;
    }();
    if (!loaded.data) {
        state.SkipWithError(loaded.error.c_str());
        return nullptr;
    }
    return &*loaded.data;
}

}  // namespace bench

#endif  // MF_BENCHMARKS_BENCH_DATA_HPP
