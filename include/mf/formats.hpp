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
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

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

    /// Makes room for `n` more triplets, so that append() need not check.
    void reserve_more(std::size_t n) {
        if (m_capacity - m_size < n) {
            reallocate(std::max(m_capacity * 2, m_size + n));
        }
    }

    /// push() into room that reserve_more() made.
    void append(index_type user, index_type item, rating_type value) noexcept {
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

/// The threads read_ratings uses unless told: one per core, at most 8.
inline std::size_t default_read_threads() noexcept {
    return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
}

/// How read_ratings reads: chunk size, threads, and the least bytes worth a
/// thread of their own, so that tests can cut lines and ranges at every place.
struct ReadSettings {
    std::size_t chunk_size = default_chunk_size;
    std::size_t threads = 1;
    std::size_t min_bytes_per_thread = std::size_t{1} << 18;
};

/// The ReadSettings of the public read_ratings: `threads`, or when 0 the default.
inline ReadSettings read_settings(std::size_t threads) noexcept {
    ReadSettings settings;
    settings.threads = threads == 0 ? default_read_threads() : threads;
    return settings;
}

/// Reads a canonical_integer id at `p`: its value, `p` moved past it; false
/// (and `p` anywhere) for anything else, left to the full parser. The text
/// must end in a byte that is not a digit.
inline bool scan_id(const char*& p, std::uint64_t& value) noexcept {
    const char* const start = p;
    std::uint64_t v = static_cast<unsigned char>(*p - '0');
    if (v > 9) {
        return false;
    }
    for (++p; static_cast<unsigned char>(*p - '0') <= 9; ++p) {
        v = v * 10 + static_cast<unsigned char>(*p - '0');
    }
    // Nineteen digits always fit; a twentieth is left to the full parser.
    const std::ptrdiff_t digits = p - start;
    if (digits > 19 || (*start == '0' && digits > 1)) {
        return false;
    }
    value = v;
    return true;
}

/// Reads a decimal `-?digits(.digits)?` of at most 15 digits at `p` into
/// `value`, `p` moved past it; false for anything else, left to from_chars. The
/// mantissa and the power of ten are exact doubles, so their quotient is the
/// correctly rounded value, the double that from_chars returns. The text must
/// end in a byte that is not a digit.
inline bool scan_decimal(const char*& p, double& value) noexcept {
    static constexpr double powers[] = {1e0, 1e1, 1e2, 1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const bool negative = *p == '-';
    p += negative;
    const char* const start = p;
    std::uint64_t mantissa = 0;
    for (; static_cast<unsigned char>(*p - '0') <= 9; ++p) {
        mantissa = mantissa * 10 + static_cast<unsigned char>(*p - '0');
    }
    if (p == start || p - start > 15) {
        return false;
    }
    std::ptrdiff_t fraction = 0;
    if (*p == '.') {
        const char* const point = ++p;
        for (; static_cast<unsigned char>(*p - '0') <= 9; ++p) {
            mantissa = mantissa * 10 + static_cast<unsigned char>(*p - '0');
        }
        fraction = p - point;
        if (fraction == 0 || p - start - 1 > 15) {
            return false;
        }
    }
    const double magnitude = static_cast<double>(mantissa) / powers[fraction];
    value = negative ? -magnitude : magnitude;
    return true;
}

inline bool is_space_or_tab(char c) noexcept {
    return c == ' ' || c == '\t';
}

/// After the last field: trailing blanks, then the line's ending. Moves `p`
/// to the start of the next line; false when the line goes on.
inline bool scan_line_end(const char*& p, const char* end) noexcept {
    while (is_space_or_tab(*p)) {
        ++p;
    }
    if (*p == '\r' && p + 1 != end && p[1] == '\n') {
        ++p;
    }
    if (*p != '\n') {
        return false;
    }
    ++p;
    return true;
}

/// The fast reading of one LIBMF line at `p`, `row col value` with integer
/// ids and a short decimal value; false for any other line.
inline bool scan_libmf_line(const char*& p, const char* end, std::uint64_t& user,
                            std::uint64_t& item, double& value) noexcept {
    while (is_space_or_tab(*p)) {
        ++p;
    }
    if (!scan_id(p, user) || !is_space_or_tab(*p)) {
        return false;
    }
    while (is_space_or_tab(*p)) {
        ++p;
    }
    if (!scan_id(p, item) || !is_space_or_tab(*p)) {
        return false;
    }
    while (is_space_or_tab(*p)) {
        ++p;
    }
    return scan_decimal(p, value) && scan_line_end(p, end);
}

/// The fast reading of one MovieLens line at `p`, integer ids, a short decimal
/// rating within the scale and a timestamp of digits; false for any other line.
inline bool scan_movielens_line(const char*& p, const char* end, std::uint64_t& user,
                                std::uint64_t& item, double& value) noexcept {
    if (!scan_id(p, user) || *p++ != '\t' || !scan_id(p, item) || *p++ != '\t'
        || !scan_decimal(p, value) || *p++ != '\t') {
        return false;
    }
    if (!(value >= movielens::scale.min && value <= movielens::scale.max)) {
        return false;
    }
    const char* const digits = p;
    while (static_cast<unsigned char>(*p - '0') <= 9) {
        ++p;
    }
    // Eighteen digits always fit the int64_t that the full parser reads.
    return p != digits && p - digits <= 18 && scan_line_end(p, end);
}

/// The lines of one range of a chunk, as a thread reads them: the lines that
/// the fast reading takes as keys and values, and the others as text, for the
/// full parser to read in order with the id maps.
struct ParsedRange {
    struct Line {
        std::size_t position;  // how many fast lines come before it in the range
        std::size_t number;    // its number within the range, from 0
        std::string_view text;
    };

    std::vector<std::uint64_t> users;
    std::vector<std::uint64_t> items;
    std::vector<rating_type> values;
    std::vector<Line> others;
    std::size_t lines = 0;

    void clear() noexcept {
        users.clear();
        items.clear();
        values.clear();
        others.clear();
        lines = 0;
    }
};

/// Reads the whole lines in `range` (which starts at a line) into `out`.
template <class ScanLine>
void parse_range(std::string_view range, ScanLine scan_line, ParsedRange& out) {
    const char* p = range.data();
    const char* const end = p + range.size();
    const bool has_cr = std::memchr(p, '\r', range.size()) != nullptr;
    // The fast reading stops at a line's ending, so it may run over any line
    // that has one; the last line of a file may not.
    const char* safe_end = end;
    while (safe_end != p && safe_end[-1] != '\n' && safe_end[-1] != '\r') {
        --safe_end;
    }
    std::uint64_t user = 0;
    std::uint64_t item = 0;
    double value = 0.0;
    while (p != end) {
        const char* q = p;
        if (p < safe_end && scan_line(q, end, user, item, value)) {
            out.users.push_back(user);
            out.items.push_back(item);
            out.values.push_back(static_cast<rating_type>(value));
            p = q;
        } else {
            const char* const eol = line_end(p, end, has_cr);
            out.others.push_back(ParsedRange::Line{out.values.size(), out.lines,
                                                   std::string_view(p, std::size_t(eol - p))});
            p = after_ending(eol, end);
        }
        ++out.lines;
    }
}

/// Cuts `block` (whole lines) into up to `parts` ranges of whole lines, about
/// equal in bytes and at least `min_bytes` each.
inline std::vector<std::string_view> cut_ranges(std::string_view block, std::size_t parts,
                                                std::size_t min_bytes) {
    parts = std::clamp<std::size_t>(block.size() / std::max<std::size_t>(min_bytes, 1), 1, parts);
    std::vector<std::string_view> ranges;
    std::size_t start = 0;
    for (std::size_t r = 1; r <= parts && start < block.size(); ++r) {
        std::size_t stop = block.size();
        if (r < parts) {
            // A '\n' always ends a line, alone or after a '\r'.
            const std::size_t target = std::max(start, block.size() * r / parts);
            const std::size_t newline = block.find('\n', target);
            stop = newline == std::string_view::npos ? block.size() : newline + 1;
        }
        ranges.push_back(block.substr(start, stop - start));
        start = stop;
    }
    return ranges;
}

/// Maps the keys of a range through the id maps into `out`, and has the full
/// parser read its other lines in their places. `first_line` is the file's
/// number of the range's first line. The last key and index of each map are
/// kept in `last`, since a file often holds each user's ratings together.
template <class ParseLine>
void map_range(const ParsedRange& range, ParseLine parse_line, const std::string& name,
               std::size_t first_line, IdMap& users, IdMap& items,
               std::pair<std::uint64_t, index_type>& last_user, TripletArrays& out) {
    out.reserve_more(range.values.size() + range.others.size());
    std::size_t j = 0;
    const auto map_until = [&](std::size_t stop) {
        for (; j < stop; ++j) {
            if (range.users[j] != last_user.first || last_user.second == IndexTable::none) {
                last_user = {range.users[j], insert_canonical(users, range.users[j])};
            }
            out.append(last_user.second, insert_canonical(items, range.items[j]), range.values[j]);
        }
    };
    for (const ParsedRange::Line& line : range.others) {
        map_until(line.position);
        parse_line(line.text, name, first_line + line.number, users, items, out);
    }
    map_until(range.values.size());
}

/// read_ratings with its ReadSettings. `format` automatic becomes the format found.
inline Ratings read_ratings(const std::filesystem::path& file, IdMap& users, IdMap& items,
                            Format& format, const ReadSettings& settings) {
    const std::string name = file.string();
    if (format == Format::automatic) {
        // The first line is all it takes: a small buffer, which a long line grows.
        format = detect_format(file, std::min<std::size_t>(settings.chunk_size, 1 << 16));
    }
    // A first pass counts the lines, so the arrays are allocated once at their
    // final size: growing them by doubling would need up to three times the
    // memory of the triplets. A pipe cannot be read twice; it grows them instead.
    std::error_code ec;
    const bool regular = std::filesystem::is_regular_file(file, ec);
    // Counting needs no more than a buffer that stays in the cache.
    TripletArrays triplets(regular ? count_lines(file, std::min<std::size_t>(settings.chunk_size,
                                                                             1 << 16))
                                   : std::size_t{1} << 16);

    // Each chunk is cut into ranges of whole lines that threads read at once;
    // the id maps then take the ranges in order, so indices follow the file
    // whatever the number of threads, and the first bad line is the one named.
    const std::size_t threads = std::max<std::size_t>(settings.threads, 1);
    std::vector<ParsedRange> parsed(threads);
    std::pair<std::uint64_t, index_type> last_user{0, IndexTable::none};
    std::size_t line_number = 1;
    const auto read_all = [&](auto scan_line, auto parse_line) {
        LineBlocks blocks(file, settings.chunk_size);
        std::string_view block;
        while (blocks.next(block)) {
            const std::vector<std::string_view> ranges =
                cut_ranges(block, threads, settings.min_bytes_per_thread);
            // Room for lines of 12 bytes or more, made here rather than in the
            // workers: memory that threads allocate tends to stay with the process.
            for (std::size_t r = 0; r < ranges.size(); ++r) {
                const std::size_t expected = ranges[r].size() / 12 + 1;
                parsed[r].clear();
                parsed[r].users.reserve(expected);
                parsed[r].items.reserve(expected);
                parsed[r].values.reserve(expected);
            }
            std::vector<std::thread> workers;
            std::vector<std::exception_ptr> failures(ranges.size());
            for (std::size_t r = 1; r < ranges.size(); ++r) {
                workers.emplace_back([&, r] {
                    try {
                        parse_range(ranges[r], scan_line, parsed[r]);
                    } catch (...) {
                        failures[r] = std::current_exception();
                    }
                });
            }
            try {
                parse_range(ranges[0], scan_line, parsed[0]);
            } catch (...) {
                failures[0] = std::current_exception();
            }
            for (std::thread& worker : workers) {
                worker.join();
            }
            for (std::size_t r = 0; r < ranges.size(); ++r) {
                if (failures[r]) {
                    std::rethrow_exception(failures[r]);
                }
                map_range(parsed[r], parse_line, name, line_number, users, items, last_user,
                          triplets);
                line_number += parsed[r].lines;
            }
        }
    };
    // Lambdas, not function pointers, so that the scans are inlined into the loop.
    if (format == Format::movielens) {
        read_all([](auto&&... a) { return scan_movielens_line(a...); }, parse_movielens_line);
    } else {
        read_all([](auto&&... a) { return scan_libmf_line(a...); }, parse_libmf_line);
    }
    if (triplets.size() == 0) {
        throw parse_error(name, "the file holds no ratings");
    }
    return triplets.finish(users.size(), items.size());
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
/// `threads` parse each chunk at once (0: one per core, at most 8; small files
/// use one); the result is the same for any number, indices included.
///
/// `format` has no default here: with one, a call with three arguments would
/// also match mf::movielens::read_ratings, found through the IdMap arguments.
///
/// Throws mf::io_error when the file cannot be read, and mf::parse_error
/// (FILE:LINE: what) for a line that does not fit the format, and for a file
/// with no ratings at all.
inline Ratings read_ratings(const std::filesystem::path& file, IdMap& users, IdMap& items,
                            Format format, std::size_t threads = 0) {
    return detail::read_ratings(file, users, items, format, detail::read_settings(threads));
}

/// Reads a ratings file into a Dataset with id maps of its own, with `threads`
/// as above. A MovieLens file gets the MovieLens rating scale, a LIBMF file
/// none. Throws as the overload above.
inline Dataset read_ratings(const std::filesystem::path& file, Format format = Format::automatic,
                            std::size_t threads = 0) {
    Dataset data;
    data.ratings =
        detail::read_ratings(file, data.users, data.items, format, detail::read_settings(threads));
    if (format == Format::movielens) {
        data.scale = movielens::scale;
    }
    return data;
}

}  // namespace mf

#endif  // MF_FORMATS_HPP
