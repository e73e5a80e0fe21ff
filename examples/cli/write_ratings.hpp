// Writing ratings as text in the forms mf::read_ratings reads, fast: numbers
// go through std::to_chars into a large buffer, never through a stream. Part of
// the mf tool, not of the library; the benchmarks use it to make their files.
#ifndef MF_CLI_WRITE_RATINGS_HPP
#define MF_CLI_WRITE_RATINGS_HPP

#include <mf/mf.hpp>

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

namespace cli {

/// Writes `ratings` to `file`, one a line:
///   Format::libmf      `row col value`, row and col the dense 0-based indices,
///                      as LIBMF reads them;
///   Format::movielens  `user<TAB>item<TAB>rating<TAB>0`, with the raw ids of
///                      `users` and `items` and timestamp 0.
/// Values are written in the shortest form that reads back as the same float.
/// Returns the number of bytes written. Throws mf::io_error naming the file
/// when it cannot be written, and mf::invalid_argument for Format::automatic.
inline std::size_t write_ratings(const std::filesystem::path& file, const mf::Ratings& ratings,
                                 const mf::IdMap& users, const mf::IdMap& items,
                                 mf::Format format) {
    if (format == mf::Format::automatic) {
        throw mf::invalid_argument("write_ratings: name the format to write");
    }
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(file.c_str(), "wb"),
                                                              &std::fclose);
    const auto fail = [&] {
        throw mf::io_error("cannot write '" + file.string() + "': " + std::strerror(errno));
    };
    if (!out) {
        fail();
    }
    constexpr std::size_t capacity = std::size_t{1} << 20;
    // Room past `capacity` for one line: ids of up to `short_id` bytes (longer
    // ones go straight to the file), a float and the separators.
    constexpr std::size_t short_id = 64;
    constexpr std::size_t slack = 2 * short_id + 64;
    const std::unique_ptr<char[]> buffer(new char[capacity + slack]);
    char* p = buffer.get();
    std::size_t written = 0;
    const auto flush = [&] {
        const auto size = static_cast<std::size_t>(p - buffer.get());
        if (std::fwrite(buffer.get(), 1, size, out.get()) != size) {
            fail();
        }
        written += size;
        p = buffer.get();
    };
    char* const end = buffer.get() + capacity + slack;
    const auto put_number = [&](auto value) { p = std::to_chars(p, end, value).ptr; };
    const auto put_id = [&](const mf::IdMap& ids, std::size_t index) {
        const std::string& raw = ids.raw(index);
        if (raw.size() > short_id) {
            flush();
            if (std::fwrite(raw.data(), 1, raw.size(), out.get()) != raw.size()) {
                fail();
            }
            written += raw.size();
        } else {
            std::memcpy(p, raw.data(), raw.size());
            p += raw.size();
        }
    };

    const bool libmf = format == mf::Format::libmf;
    for (std::size_t j = 0; j < ratings.size(); ++j) {
        if (libmf) {
            put_number(ratings.user(j));
            *p++ = ' ';
            put_number(ratings.item(j));
            *p++ = ' ';
        } else {
            put_id(users, ratings.user(j));
            *p++ = '\t';
            put_id(items, ratings.item(j));
            *p++ = '\t';
        }
        put_number(ratings.value(j));
        if (!libmf) {
            *p++ = '\t';
            *p++ = '0';
        }
        *p++ = '\n';
        if (p >= buffer.get() + capacity) {
            flush();
        }
    }
    flush();
    if (std::fflush(out.get()) != 0) {
        fail();
    }
    return written;
}

}  // namespace cli

#endif  // MF_CLI_WRITE_RATINGS_HPP
