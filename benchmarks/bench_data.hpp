// The data sets the benchmarks share: a synthetic set shaped like MovieLens
// 100k, a synthetic set of ten million ratings split for training, and
// MovieLens 100k itself when MF_DATA_DIR names its folder. Each is built or
// read once per process, on first use, outside every timed region.
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

/// 10,000,000 synthetic ratings of 200,000 users and 20,000 items, split at
/// random into 9,000,000 training ratings and 1,000,000 held out. Generating
/// them takes a few seconds; only the split is kept.
inline const mf::TrainTest& synthetic_10m() {
    static const mf::TrainTest split = [] {
        mf::SyntheticOptions options;
        options.users = 200000;
        options.items = 20000;
        options.ratings = 10000000;
        const mf::Dataset data = mf::synthetic_ratings(options);
        return mf::random_holdout(data.ratings, 0.1, 7);
    }();
    return split;
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
