// Reading MovieLens 100k's u.data with mf::movielens::read_ratings: parsing,
// validation and the id maps, from a file already in the page cache.
#include <benchmark/benchmark.h>

#include <mf/mf.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>

#include "bench_data.hpp"

namespace {

void BM_ReadUData_MovieLens100k(benchmark::State& state) {
    // Going through the shared loader reports a missing or unreadable file as a
    // skip, and its read leaves the file in the page cache, so the disk is not timed.
    if (bench::movielens_100k(state) == nullptr) {
        return;
    }
    const std::filesystem::path file = *bench::movielens_u_data();
    std::int64_t ratings = 0;
    for (auto _ : state) {
        const mf::Dataset data = mf::movielens::read_ratings(file);
        benchmark::DoNotOptimize(data.ratings.values().data());
        ratings = static_cast<std::int64_t>(data.ratings.size());
    }
    state.SetBytesProcessed(state.iterations()
                            * static_cast<std::int64_t>(std::filesystem::file_size(file)));
    state.SetItemsProcessed(state.iterations() * ratings);
}
BENCHMARK(BM_ReadUData_MovieLens100k)->Unit(benchmark::kMillisecond);

}  // namespace
