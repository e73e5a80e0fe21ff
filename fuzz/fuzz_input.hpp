// The layout of a fuzz input for the ratings readers: a few bytes of options,
// then the file. Shared by the fuzz targets, which decode it, and by the
// seed-corpus test, which encodes the options of each seed.
//
//   byte 0   duplicates (b % 3: keep_latest, error, mean), bad lines ((b / 3) % 2:
//            error, skip) and the file's name ((b / 6) % 4: see file_names)
//   byte 1   the chunk size of the cut reads: 64 + 16 * b bytes
//   Format::delimited only:
//   byte 2   separator (b % 5), header ((b / 5) % 3: automatic, present, absent),
//            quoting ((b / 15) % 2: on, off) and threads ((b / 30) % 5: 0..4)
//   byte 3   the columns: column_sets[b % column_sets.size()]
//   byte 4   the scale: none for b % 8 < 3, else scales[b % 8 - 3]
//
// A missing option byte reads as 0, so every input is valid.
#ifndef MF_FUZZ_FUZZ_INPUT_HPP
#define MF_FUZZ_FUZZ_INPUT_HPP

#include <mf/formats.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mf_fuzz {

/// What the option bytes of an input decode to.
struct InputOptions {
    mf::ReadOptions read;
    std::size_t chunk_size = 64;  // for the reads cut into small chunks
    std::string file_name = "ratings";
};

/// The names the file is written under: the automatic format looks at the name.
inline constexpr std::array<std::string_view, 4> file_names{"ratings", "ratings.csv", "ratings.dat",
                                                            "Ratings.CSV.gz"};

inline constexpr std::array<mf::Separator, 5> separators{
    mf::Separator::tab, mf::Separator::comma, mf::Separator::semicolon, mf::Separator::double_colon,
    mf::Separator::blanks};

/// Columns as {user, item, rating, timestamp}; a timestamp of -1 is none. The
/// last ones are invalid on purpose: fields shared, or beyond Fields::max.
inline constexpr std::array<std::array<int, 4>, 12> column_sets{{{0, 1, 2, -1},
                                                                 {0, 1, 2, 3},
                                                                 {1, 0, 2, -1},
                                                                 {2, 1, 0, 3},
                                                                 {0, 2, 1, -1},
                                                                 {3, 1, 2, 0},
                                                                 {0, 1, 3, 2},
                                                                 {0, 1, 2, 5},
                                                                 {1, 2, 3, 0},
                                                                 {31, 0, 1, -1},
                                                                 {0, 0, 1, -1},
                                                                 {0, 1, 32, -1}}};

inline constexpr std::array<mf::RatingScale, 5> scales{
    {{1.0, 5.0}, {0.5, 5.0}, {0.0, 10.0}, {-1.0, 1.0}, {0.1, 0.3}}};

/// How many option bytes come before the file for `format`.
inline std::size_t option_bytes(mf::Format format) noexcept {
    return format == mf::Format::delimited ? 5 : 2;
}

/// The options of an input for `format`; `data` and `size` then hold the file.
inline InputOptions decode(mf::Format format, const std::uint8_t*& data, std::size_t& size) {
    std::array<std::size_t, 5> b{};
    const std::size_t n = option_bytes(format);
    for (std::size_t j = 0; j < n && j < size; ++j) {
        b[j] = data[j];
    }
    const std::size_t used = n < size ? n : size;
    data += used;
    size -= used;

    InputOptions out;
    out.read.format = format;
    out.read.duplicates = static_cast<mf::Duplicates>(b[0] % 3);
    out.read.bad_lines = (b[0] / 3) % 2 == 0 ? mf::BadLines::error : mf::BadLines::skip;
    out.file_name = std::string(file_names[(b[0] / 6) % file_names.size()]);
    out.chunk_size = 64 + 16 * b[1];
    if (format == mf::Format::delimited) {
        out.read.separator = separators[b[2] % separators.size()];
        out.read.header = static_cast<mf::Header>((b[2] / 5) % 3);
        out.read.quoting = (b[2] / 15) % 2 == 0;
        out.read.threads = (b[2] / 30) % 5;
        const std::array<int, 4>& c = column_sets[b[3] % column_sets.size()];
        out.read.columns.user = static_cast<std::size_t>(c[0]);
        out.read.columns.item = static_cast<std::size_t>(c[1]);
        out.read.columns.rating = static_cast<std::size_t>(c[2]);
        if (c[3] >= 0) {
            out.read.columns.timestamp = static_cast<std::size_t>(c[3]);
        }
        if (b[4] % 8 >= 3) {
            out.read.scale = scales[b[4] % 8 - 3];
        }
    }
    return out;
}

/// The option bytes that decode to `options`, for a seed. The chunk size is
/// rounded down to the next one decode gives; unknown columns or scales
/// become the defaults.
inline std::string encode(const InputOptions& options) {
    const mf::ReadOptions& r = options.read;
    std::size_t name = 0;
    for (std::size_t j = 0; j < file_names.size(); ++j) {
        if (file_names[j] == options.file_name) {
            name = j;
        }
    }
    std::string out;
    out += static_cast<char>(static_cast<std::size_t>(r.duplicates)
                             + 3 * (r.bad_lines == mf::BadLines::skip ? 1 : 0) + 6 * name);
    const std::size_t chunk = options.chunk_size < 64 ? 0 : (options.chunk_size - 64) / 16;
    out += static_cast<char>(chunk > 255 ? 255 : chunk);
    if (r.format != mf::Format::delimited) {
        return out;
    }
    std::size_t separator = 0;
    for (std::size_t j = 0; j < separators.size(); ++j) {
        if (separators[j] == r.separator) {
            separator = j;
        }
    }
    out += static_cast<char>(separator + 5 * static_cast<std::size_t>(r.header)
                             + 15 * (r.quoting ? 0 : 1) + 30 * (r.threads % 5));
    std::size_t columns = 0;
    for (std::size_t j = 0; j < column_sets.size(); ++j) {
        const std::array<int, 4>& c = column_sets[j];
        const int timestamp = r.columns.timestamp ? static_cast<int>(*r.columns.timestamp) : -1;
        if (static_cast<std::size_t>(c[0]) == r.columns.user
            && static_cast<std::size_t>(c[1]) == r.columns.item
            && static_cast<std::size_t>(c[2]) == r.columns.rating && c[3] == timestamp) {
            columns = j;
        }
    }
    out += static_cast<char>(columns);
    std::size_t scale = 0;
    for (std::size_t j = 0; j < scales.size(); ++j) {
        if (r.scale && scales[j].min == r.scale->min && scales[j].max == r.scale->max) {
            scale = j + 3;
        }
    }
    out += static_cast<char>(scale);
    return out;
}

}  // namespace mf_fuzz

#endif  // MF_FUZZ_FUZZ_INPUT_HPP
