// Reading ratings files with mf::read_ratings: the chunked reads, the parsing
// and the id maps, from files already in the page cache. A synthetic set of one
// million ratings is written once per run, in both formats, to a scratch
// folder; MovieLens 100k's u.data is read too when MF_DATA_DIR names it.
#include <benchmark/benchmark.h>

#include <mf/mf.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

#include "bench_data.hpp"
#include "write_ratings.hpp"

namespace {

namespace fs = std::filesystem;

/// The synthetic set in both formats, under the system's temporary folder,
/// removed when the run ends.
class ScratchFiles {
  public:
    ScratchFiles()
        : m_dir(fs::temp_directory_path() / ("mf-bench-read-" + std::to_string(::getpid()))) {
        fs::create_directories(m_dir);
        mf::SyntheticOptions options;
        options.users = 20000;
        options.items = 5000;
        options.ratings = 1000000;
        const mf::Dataset data = mf::synthetic_ratings(options);
        cli::write_ratings(libmf(), data.ratings, data.users, data.items, mf::Format::libmf);
        cli::write_ratings(movielens(), data.ratings, data.users, data.items,
                           mf::Format::movielens);
    }
    ScratchFiles(const ScratchFiles&) = delete;
    ScratchFiles& operator=(const ScratchFiles&) = delete;
    ~ScratchFiles() {
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }

    fs::path libmf() const { return m_dir / "ratings_1M.libmf"; }
    fs::path movielens() const { return m_dir / "ratings_1M.data"; }

  private:
    fs::path m_dir;
};

const ScratchFiles& scratch() {
    static const ScratchFiles files;
    return files;
}

void read_file(benchmark::State& state, const fs::path& file, mf::Format format) {
    // One read before timing puts the file in the page cache, so the disk is not timed.
    std::int64_t ratings = static_cast<std::int64_t>(mf::read_ratings(file, format).ratings.size());
    for (auto _ : state) {
        const mf::Dataset data = mf::read_ratings(file, format);
        benchmark::DoNotOptimize(data.ratings.values().data());
        ratings = static_cast<std::int64_t>(data.ratings.size());
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(fs::file_size(file)));
    state.SetItemsProcessed(state.iterations() * ratings);
}

void BM_ReadRatings_LibMF_1M(benchmark::State& state) {
    read_file(state, scratch().libmf(), mf::Format::libmf);
}
BENCHMARK(BM_ReadRatings_LibMF_1M)->Unit(benchmark::kMillisecond);

void BM_ReadRatings_MovieLensFormat_1M(benchmark::State& state) {
    read_file(state, scratch().movielens(), mf::Format::movielens);
}
BENCHMARK(BM_ReadRatings_MovieLensFormat_1M)->Unit(benchmark::kMillisecond);

void BM_ReadRatings_Detected_LibMF_1M(benchmark::State& state) {
    read_file(state, scratch().libmf(), mf::Format::automatic);
}
BENCHMARK(BM_ReadRatings_Detected_LibMF_1M)->Unit(benchmark::kMillisecond);

void BM_ReadUData_MovieLens100k(benchmark::State& state) {
    // Going through the shared loader reports a missing or unreadable file as a skip.
    if (bench::movielens_100k(state) == nullptr) {
        return;
    }
    read_file(state, *bench::movielens_u_data(), mf::Format::movielens);
}
BENCHMARK(BM_ReadUData_MovieLens100k)->Unit(benchmark::kMillisecond);

}  // namespace
