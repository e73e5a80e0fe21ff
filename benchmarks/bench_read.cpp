// Reading ratings files with mf::read_ratings: the chunked reads, the parsing
// and the id maps, from files already in the page cache. A synthetic set of one
// million ratings is written once per run, in both formats, to a scratch
// folder, and gzip-compressed too when mf has zlib; MovieLens 100k's u.data is
// read too when MF_DATA_DIR names it.
#include <benchmark/benchmark.h>

#include <mf/mf.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
#include <zlib.h>
#endif

#include "bench_data.hpp"
#include "write_ratings.hpp"

namespace {

namespace fs = std::filesystem;

/// Writes `from` gzip-compressed to `to`, as `gzip -6` would; nothing without zlib.
void gzip(const fs::path& from, const fs::path& to) {
#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
    std::ifstream in(from, std::ios::binary);
    const gzFile out = gzopen(to.c_str(), "wb6");
    if (out == nullptr) {
        throw std::runtime_error("cannot write " + to.string());
    }
    std::vector<char> buffer(std::size_t{1} << 20);
    bool written = true;
    while (written && in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto n = static_cast<unsigned>(in.gcount());
        written = n == 0 || gzwrite(out, buffer.data(), n) == static_cast<int>(n);
    }
    if (gzclose(out) != Z_OK || !written) {
        throw std::runtime_error("cannot write " + to.string());
    }
#else
    static_cast<void>(from);
    static_cast<void>(to);
#endif
}

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
        gzip(libmf(), gzipped(libmf()));
        gzip(movielens(), gzipped(movielens()));
    }
    ScratchFiles(const ScratchFiles&) = delete;
    ScratchFiles& operator=(const ScratchFiles&) = delete;
    ~ScratchFiles() {
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }

    fs::path libmf() const { return m_dir / "ratings_1M.libmf"; }
    fs::path movielens() const { return m_dir / "ratings_1M.data"; }

    /// The gzip copy of `file`, beside it.
    static fs::path gzipped(const fs::path& file) { return file.string() + ".gz"; }

  private:
    fs::path m_dir;
};

const ScratchFiles& scratch() {
    static const ScratchFiles files;
    return files;
}

/// Reads `file` over and over; bytes/s count `text_bytes`, the size of its
/// text (of the plain file, for a gzip one), so that plain and gzip compare.
void read_file(benchmark::State& state, const fs::path& file, mf::Format format,
               std::uintmax_t text_bytes) {
    // One read before timing puts the file in the page cache, so the disk is not timed.
    std::int64_t ratings = static_cast<std::int64_t>(mf::read_ratings(file, format).ratings.size());
    for (auto _ : state) {
        const mf::Dataset data = mf::read_ratings(file, format);
        benchmark::DoNotOptimize(data.ratings.values().data());
        ratings = static_cast<std::int64_t>(data.ratings.size());
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text_bytes));
    state.SetItemsProcessed(state.iterations() * ratings);
}

void BM_ReadRatings_LibMF_1M(benchmark::State& state) {
    read_file(state, scratch().libmf(), mf::Format::libmf, fs::file_size(scratch().libmf()));
}
BENCHMARK(BM_ReadRatings_LibMF_1M)->Unit(benchmark::kMillisecond);

void BM_ReadRatings_MovieLensFormat_1M(benchmark::State& state) {
    read_file(state, scratch().movielens(), mf::Format::movielens,
              fs::file_size(scratch().movielens()));
}
BENCHMARK(BM_ReadRatings_MovieLensFormat_1M)->Unit(benchmark::kMillisecond);

void BM_ReadRatings_Detected_LibMF_1M(benchmark::State& state) {
    read_file(state, scratch().libmf(), mf::Format::automatic, fs::file_size(scratch().libmf()));
}
BENCHMARK(BM_ReadRatings_Detected_LibMF_1M)->Unit(benchmark::kMillisecond);

/// The same files gzip-compressed: inflating, then all the work of the plain read.
void read_gzipped(benchmark::State& state, const fs::path& plain, mf::Format format) {
#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
    read_file(state, ScratchFiles::gzipped(plain), format, fs::file_size(plain));
#else
    static_cast<void>(plain);
    static_cast<void>(format);
    state.SkipWithError("mf was built without zlib (MF_WITH_ZLIB)");
#endif
}

void BM_ReadRatings_LibMF_Gzip_1M(benchmark::State& state) {
    read_gzipped(state, scratch().libmf(), mf::Format::libmf);
}
BENCHMARK(BM_ReadRatings_LibMF_Gzip_1M)->Unit(benchmark::kMillisecond);

void BM_ReadRatings_MovieLensFormat_Gzip_1M(benchmark::State& state) {
    read_gzipped(state, scratch().movielens(), mf::Format::movielens);
}
BENCHMARK(BM_ReadRatings_MovieLensFormat_Gzip_1M)->Unit(benchmark::kMillisecond);

void BM_ReadUData_MovieLens100k(benchmark::State& state) {
    // Going through the shared loader reports a missing or unreadable file as a skip.
    if (bench::movielens_100k(state) == nullptr) {
        return;
    }
    read_file(state, *bench::movielens_u_data(), mf::Format::movielens,
              fs::file_size(*bench::movielens_u_data()));
}
BENCHMARK(BM_ReadUData_MovieLens100k)->Unit(benchmark::kMillisecond);

}  // namespace
