// The peak memory of reading a ratings.csv-like file against what the result
// holds (triplets and id maps), from the process's resident set size.
//
//   mf_read_memory FILE              reads FILE and prints the figures
//   mf_read_memory --lines N [MAX]   writes an N-line ratings.csv-like file with
//                                    duplicates to a temporary folder, reads it, and
//                                    fails when the peak exceeds MAX times what it holds
//
// Linux only (/proc/self/statm, getrusage). The file is written a line at a
// time, so that writing it leaves no mark on the peak.
#include <mf/mf.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

#include "temp_dir.hpp"

namespace {

double resident_mib() {
    std::ifstream statm("/proc/self/statm");
    long size = 0;
    long resident = 0;
    statm >> size >> resident;
    return static_cast<double>(resident) * 4096.0 / (1 << 20);
}

double peak_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

/// Users in order with 1 to 300 ratings each, items skewed towards the first,
/// half stars, timestamps: like MovieLens's ratings.csv, duplicates included.
void write_csv(const std::filesystem::path& file, long lines) {
    std::FILE* out = std::fopen(file.c_str(), "w");
    if (out == nullptr) {
        throw std::runtime_error("cannot write " + file.string());
    }
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::fputs("userId,movieId,rating,timestamp\n", out);
    for (long n = 0, user = 1; n < lines; ++user) {
        const long count = 1 + static_cast<long>(rng() % 300);
        for (long k = 0; k < count && n < lines; ++k, ++n) {
            const long item = 1 + static_cast<long>(unit(rng) * unit(rng) * 60000);
            const double rating = static_cast<double>(1 + rng() % 10) / 2;
            std::fprintf(out, "%ld,%ld,%.1f,%ld\n", user, item, rating,
                         1100000000L + static_cast<long>(rng() % 500000000));
        }
    }
    if (std::fclose(out) != 0) {
        throw std::runtime_error("cannot write " + file.string());
    }
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::filesystem::path file;
        double max_ratio = 0.0;
        std::optional<TempDir> dir;
        if (argc >= 3 && std::string(argv[1]) == "--lines") {
            dir.emplace();
            file = dir->path() / "ratings.csv";
            write_csv(file, std::stol(argv[2]));
            max_ratio = argc >= 4 ? std::stod(argv[3]) : 0.0;
        } else if (argc == 2) {
            file = argv[1];
        } else {
            std::cerr << "usage: mf_read_memory FILE | --lines N [MAX_RATIO]\n";
            return 2;
        }
        const double before = resident_mib();
        const auto start = std::chrono::steady_clock::now();
        mf::ReadReport report;
        const mf::Dataset data = mf::read_ratings(file, mf::ReadOptions{}, &report);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double held = resident_mib() - before;
        const double peak = peak_mib() - before;
        const double triplets = static_cast<double>(data.ratings.size()) * 12.0 / (1 << 20);
        const double ratio = peak / held;
        std::cout << file.filename().string() << ": " << mf::to_string(report.format) << ", "
                  << report.lines << " lines, " << data.ratings.size() << " ratings ("
                  << report.duplicates << " duplicates), " << data.users.size() << " users, "
                  << data.items.size() << " items, read in " << seconds << " s\n"
                  << "triplets " << triplets << " MiB; held after reading (triplets and id maps) "
                  << held << " MiB; peak while reading " << peak << " MiB: " << ratio
                  << " times what is held\n";
        if (max_ratio > 0.0 && ratio > max_ratio) {
            std::cerr << "FAILED: the peak is " << ratio << " times what is held, above "
                      << max_ratio << '\n';
            return 1;
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "mf_read_memory: " << e.what() << '\n';
        return 1;
    }
}
