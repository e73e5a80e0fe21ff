// Ratings files in the text forms other tools use: MovieLens's tab-separated
// u.data and LIBMF's `row column value`, read in large chunks at the speed of
// the parsing rather than of the file's size in memory.
#ifndef MF_FORMATS_HPP
#define MF_FORMATS_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "mf/detail/text.hpp"
#include "mf/detail/xtensor.hpp"
#include "mf/errors.hpp"
#include "mf/ratings.hpp"

namespace mf {

/// The text forms of a ratings file that read_ratings understands: one rating a line.
enum class Format {
    automatic,  ///< decided by the first non-blank line; see detect_format
    movielens,  ///< `user<TAB>item<TAB>rating<TAB>timestamp`, like u.data; ratings in [1, 5]
    libmf,      ///< `row col value`, separated by spaces or tabs, like LIBMF's text files
};

/// "automatic", "movielens" or "libmf".
inline const char* to_string(Format format) noexcept {
    switch (format) {
        case Format::movielens:
            return "movielens";
        case Format::libmf:
            return "libmf";
        case Format::automatic:
            break;
    }
    return "automatic";
}

namespace movielens {

/// MovieLens ratings are whole stars from 1 to 5.
inline constexpr RatingScale scale{1.0, 5.0};

}  // namespace movielens

namespace detail {

/// Splits `line` at runs of spaces and tabs into at most `max_fields` views;
/// returns how many fields the line has in all. `line` has no leading or
/// trailing blanks.
inline std::size_t split_blanks(std::string_view line, std::string_view* fields,
                                std::size_t max_fields) noexcept {
    std::size_t count = 0;
    std::size_t start = 0;
    while (start < line.size()) {
        std::size_t end = start;
        while (end < line.size() && line[end] != ' ' && line[end] != '\t') {
            ++end;
        }
        if (count < max_fields) {
            fields[count] = line.substr(start, end - start);
        }
        ++count;
        start = end;
        while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) {
            ++start;
        }
    }
    return count;
}

/// The format a non-blank line is written in, or nothing when it fits neither:
/// 4 tab-separated fields are MovieLens, else 3 fields separated by blanks LIBMF.
inline std::optional<Format> format_of_line(std::string_view line) {
    std::array<std::string_view, 4> fields;
    if (split(trim_end(line), '\t', fields.data(), fields.size()) == 4) {
        return Format::movielens;
    }
    if (split_blanks(trim(line), fields.data(), fields.size()) == 3) {
        return Format::libmf;
    }
    return std::nullopt;
}

/// The first non-blank line of `lines`; false when there is none.
inline bool first_line(FileLines& lines, std::string_view& line) {
    while (lines.next(line)) {
        if (!trim(line).empty()) {
            return true;
        }
    }
    return false;
}

/// The format of `line`, line `number` of the file `name`. Throws
/// mf::parse_error when it fits neither format.
inline Format detect_format(std::string_view line, const std::string& name, std::size_t number) {
    if (const std::optional<Format> found = format_of_line(line)) {
        return *found;
    }
    throw parse_error(name, number,
                      "expected 4 tab-separated fields (MovieLens) or 3 fields separated by "
                      "blanks (LIBMF), found "
                          + quote(trim(line)));
}

/// Triplets written into arrays allocated once at the expected size; only a
/// wrong guess (a file that grew, or one that could not be counted) copies them.
class TripletArrays {
  public:
    explicit TripletArrays(std::size_t capacity) { reallocate(std::max<std::size_t>(capacity, 1)); }

    void push(index_type user, index_type item, rating_type value) {
        if (m_size == m_capacity) {
            reallocate(m_capacity * 2);
        }
        m_user_data[m_size] = user;
        m_item_data[m_size] = item;
        m_value_data[m_size] = value;
        ++m_size;
    }

    std::size_t size() const noexcept { return m_size; }

    /// The ratings, their dimensions the maps' sizes.
    Ratings finish(std::size_t n_users, std::size_t n_items) {
        if (m_size < m_capacity) {
            // Blank lines were skipped: keep only the rows that were filled.
            reallocate(m_size);
        }
        return Ratings(std::move(m_users), std::move(m_items), std::move(m_values), n_users,
                       n_items);
    }

  private:
    void reallocate(std::size_t capacity) {
        m_users = resized(m_users, capacity);
        m_items = resized(m_items, capacity);
        m_values = resized(m_values, capacity);
        m_user_data = m_users.data();
        m_item_data = m_items.data();
        m_value_data = m_values.data();
        m_capacity = capacity;
    }

    template <class Array>
    Array resized(const Array& array, std::size_t capacity) const {
        Array result = xt::empty<typename Array::value_type>({capacity});
        std::copy_n(array.data(), std::min(m_size, capacity), result.data());
        return result;
    }

    Ratings::index_array m_users = xt::empty<index_type>({std::size_t{0}});
    Ratings::index_array m_items = xt::empty<index_type>({std::size_t{0}});
    Ratings::value_array m_values = xt::empty<rating_type>({std::size_t{0}});
    index_type* m_user_data = nullptr;
    index_type* m_item_data = nullptr;
    rating_type* m_value_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

/// Parses one line of a MovieLens file into `out`; false for a blank line.
/// Throws mf::parse_error for a malformed one.
inline bool parse_movielens_line(std::string_view line, const std::string& name,
                                 std::size_t number, IdMap& users, IdMap& items,
                                 TripletArrays& out) {
    // Trailing blanks are dropped, leading ones are not: a leading tab is an empty field.
    line = trim_end(line);
    if (line.empty()) {
        return false;
    }
    const auto fail = [&](const std::string& what) { throw parse_error(name, number, what); };
    std::array<std::string_view, 4> fields;
    const std::size_t count = split(line, '\t', fields.data(), fields.size());
    if (count != fields.size()) {
        fail("expected 4 tab-separated fields (user, item, rating, timestamp), found "
             + std::to_string(count));
    }
    if (fields[0].empty() || fields[1].empty()) {
        fail(std::string("empty ") + (fields[0].empty() ? "user" : "item") + " id");
    }
    double rating = 0.0;
    if (!parse_number(fields[2], rating) || !std::isfinite(rating)) {
        fail("rating " + quote(fields[2]) + " is not a finite number");
    }
    if (rating < movielens::scale.min || rating > movielens::scale.max) {
        std::ostringstream what;
        what << "rating " << rating << " is outside the MovieLens scale [1, 5]";
        fail(what.str());
    }
    std::int64_t timestamp = 0;
    if (!parse_integer(fields[3], timestamp)) {
        fail("timestamp " + quote(fields[3]) + " is not an integer");
    }
    out.push(users.insert(fields[0]), items.insert(fields[1]), static_cast<rating_type>(rating));
    return true;
}

/// Parses one line of a LIBMF file into `out`; false for a blank line.
/// Throws mf::parse_error for a malformed one.
inline bool parse_libmf_line(std::string_view line, const std::string& name, std::size_t number,
                             IdMap& users, IdMap& items, TripletArrays& out) {
    line = trim(line);
    if (line.empty()) {
        return false;
    }
    const auto fail = [&](const std::string& what) { throw parse_error(name, number, what); };
    std::array<std::string_view, 3> fields;
    const std::size_t count = split_blanks(line, fields.data(), fields.size());
    if (count != fields.size()) {
        fail("expected 3 fields separated by blanks (row, column, value), found "
             + std::to_string(count));
    }
    double value = 0.0;
    if (!parse_number(fields[2], value) || !std::isfinite(value)) {
        fail("value " + quote(fields[2]) + " is not a finite number");
    }
    if (std::abs(value) > std::numeric_limits<rating_type>::max()) {
        fail("value " + quote(fields[2]) + " is beyond the range of a float");
    }
    out.push(users.insert(fields[0]), items.insert(fields[1]), static_cast<rating_type>(value));
    return true;
}

/// read_ratings with the size of the chunks read at a time, so that tests can
/// cut lines at every place. `format` automatic becomes the format found.
inline Ratings read_ratings(const std::filesystem::path& file, IdMap& users, IdMap& items,
                            Format& format, std::size_t chunk_size) {
    const std::string name = file.string();
    // A first pass counts the lines, so the arrays are allocated once at their
    // final size: growing them by doubling would need up to three times the
    // memory of the triplets. A pipe cannot be read twice; it grows them instead.
    std::error_code ec;
    const bool regular = std::filesystem::is_regular_file(file, ec);
    TripletArrays triplets(regular ? count_lines(file, chunk_size) : std::size_t{1} << 16);

    FileLines lines(file, chunk_size);
    std::string_view line;
    if (!first_line(lines, line)) {
        throw parse_error(name, "the file holds no ratings");
    }
    if (format == Format::automatic) {
        format = detect_format(line, name, lines.number());
    }
    // One loop per format, so the test of the format is not made on every line.
    const auto read_all = [&](auto parse_line) {
        do {
            parse_line(line, name, lines.number(), users, items, triplets);
        } while (lines.next(line));
    };
    if (format == Format::movielens) {
        read_all(parse_movielens_line);
    } else {
        read_all(parse_libmf_line);
    }
    return triplets.finish(users.size(), items.size());
}

/// detect_format with the size of the chunks read at a time.
inline Format detect_format(const std::filesystem::path& file, std::size_t chunk_size) {
    const std::string name = file.string();
    FileLines lines(file, chunk_size);
    std::string_view line;
    if (!first_line(lines, line)) {
        throw parse_error(name, "the file holds no ratings");
    }
    return detect_format(line, name, lines.number());
}

}  // namespace detail

/// The format of a ratings file, judged by its first non-blank line: four
/// tab-separated fields are Format::movielens; three fields separated by
/// spaces or tabs are Format::libmf.
///
/// Throws mf::io_error when the file cannot be read, and mf::parse_error when
/// the line fits neither format or the file holds no line that is not blank.
inline Format detect_format(const std::filesystem::path& file) {
    return detail::detect_format(file, detail::default_chunk_size);
}

/// Reads a ratings file, one rating a line, in the given format or the one
/// detect_format finds. Ids of users and items (MovieLens's user and item, LIBMF's
/// row and column) are opaque text mapped through `users` and `items`, which
/// grow by the ids they have not seen, so a test file can share the index space
/// of its training file; the result's dimensions are the maps' sizes after reading.
///
/// Format::movielens: `user<TAB>item<TAB>rating<TAB>timestamp`, the rating a
/// number in [1, 5], the timestamp an integer. Format::libmf: `row col value`
/// separated by spaces or tabs, the value any finite number that fits a float.
/// Lines may end in LF, CRLF or CR; a UTF-8 byte-order mark, blank lines and
/// trailing blanks are ignored. The file is read a few MiB at a time, so memory
/// stays near the size of the ratings it holds.
///
/// `format` has no default here: with one, a call with three arguments would
/// also match mf::movielens::read_ratings, found through the IdMap arguments.
///
/// Throws mf::io_error when the file cannot be read, and mf::parse_error
/// (FILE:LINE: what) for a line that does not fit the format, and for a file
/// with no ratings at all.
inline Ratings read_ratings(const std::filesystem::path& file, IdMap& users, IdMap& items,
                            Format format) {
    return detail::read_ratings(file, users, items, format, detail::default_chunk_size);
}

/// Reads a ratings file into a Dataset with id maps of its own. A MovieLens
/// file gets the MovieLens rating scale, a LIBMF file none. Throws as the
/// overload above.
inline Dataset read_ratings(const std::filesystem::path& file, Format format = Format::automatic) {
    Dataset data;
    data.ratings =
        detail::read_ratings(file, data.users, data.items, format, detail::default_chunk_size);
    if (format == Format::movielens) {
        data.scale = movielens::scale;
    }
    return data;
}

}  // namespace mf

#endif  // MF_FORMATS_HPP
