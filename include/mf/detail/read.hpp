// The machinery of mf::read_ratings: the layout of a file, fields and their
// errors, the fast scanners, parallel parsing of chunks, and duplicates.
// Included by mf/formats.hpp, after the options it reads.
#ifndef MF_DETAIL_READ_HPP
#define MF_DETAIL_READ_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "mf/detail/kernels.hpp"
#include "mf/detail/text.hpp"
#include "mf/detail/xtensor.hpp"
#include "mf/errors.hpp"
#include "mf/ratings.hpp"

namespace mf::detail {

// ---------------------------------------------------------------------------
// Layouts

/// Everything that decides how the lines of one file read.
struct Layout {
    Format format = Format::movielens;
    Separator separator = Separator::tab;
    Columns columns;
    bool quoting = false;
    std::size_t header_line = 0;  // the file's line number of the header; 0 for none
    // Fields a line must have: exactly `fields`, or at least when `extra_fields`.
    std::size_t fields = 4;
    bool extra_fields = false;
    std::optional<RatingScale> scale;
    const char* scale_name = "the scale";  // for messages: "outside the MovieLens scale [1, 5]"
    const char* value_name = "rating";     // LIBMF says value
    std::string detection;
};

inline std::string_view separator_text(Separator separator) noexcept {
    switch (separator) {
        case Separator::comma:
            return ",";
        case Separator::semicolon:
            return ";";
        case Separator::double_colon:
            return "::";
        case Separator::blanks:
            return " ";
        case Separator::tab:
            break;
    }
    return "\t";
}

/// "4 tab-separated fields (user, item, rating, timestamp)" and the like, for
/// the message of a line with too few or too many fields.
inline std::string expected_fields(const Layout& layout) {
    std::string count = (layout.extra_fields ? "at least " : "") + std::to_string(layout.fields);
    switch (layout.format) {
        case Format::movielens:
            return count + " tab-separated fields (user, item, rating, timestamp)";
        case Format::movielens_dat:
            return count + " fields separated by '::' (user, item, rating, timestamp)";
        case Format::movielens_csv:
            return count + " comma-separated fields (userId, movieId, rating, timestamp)";
        case Format::libmf:
            return count + " fields separated by blanks (row, column, value)";
        default:
            break;
    }
    const Columns& c = layout.columns;
    std::string what =
        count + " fields separated by "
        + (layout.separator == Separator::blanks ? std::string("blanks")
                                                 : quote(separator_text(layout.separator)))
        + " (user in field " + std::to_string(c.user + 1) + ", item in field "
        + std::to_string(c.item + 1) + ", rating in field " + std::to_string(c.rating + 1);
    if (c.timestamp) {
        what += ", timestamp in field " + std::to_string(*c.timestamp + 1);
    }
    return what + ")";
}

/// The fixed part of a named format's layout.
inline Layout named_layout(Format format) {
    Layout layout;
    layout.format = format;
    layout.columns = Columns{0, 1, 2, 3};
    switch (format) {
        case Format::movielens:
            layout.scale = movielens::scale;
            layout.scale_name = "the MovieLens scale";
            break;
        case Format::movielens_dat:
            layout.separator = Separator::double_colon;
            layout.scale = movielens::half_star_scale;
            layout.scale_name = "the MovieLens scale";
            break;
        case Format::movielens_csv:
            layout.separator = Separator::comma;
            layout.quoting = true;
            layout.scale = movielens::half_star_scale;
            layout.scale_name = "the MovieLens scale";
            break;
        case Format::libmf:
            layout.separator = Separator::blanks;
            layout.columns.timestamp.reset();
            layout.fields = 3;
            layout.value_name = "value";
            break;
        default:
            break;
    }
    return layout;
}

// ---------------------------------------------------------------------------
// Fields

/// The fields of one line: views into the line, or into `unquoted` for a
/// quoted field that held "", with the column each starts at.
struct Fields {
    static constexpr std::size_t max = 32;
    std::array<std::string_view, max> text;
    std::array<std::size_t, max> column{};  // from 1, in bytes
    std::size_t count = 0;
    std::array<std::string, max> unquoted;
};

/// Splits `line` (no ending, trailing blanks removed) into `out` by the
/// layout's separator. Fields past Fields::max are counted, not kept. Returns
/// an empty string, or what is wrong with the quoting, with `out.count` fields
/// read so far and `bad_column` where the fault is.
inline std::string split_fields(std::string_view line, const Layout& layout, Fields& out,
                                std::size_t& bad_column) {
    out.count = 0;
    const auto keep = [&](std::string_view field, std::size_t start) {
        if (out.count < Fields::max) {
            out.text[out.count] = field;
            out.column[out.count] = start + 1;
        }
        ++out.count;
    };
    if (layout.separator == Separator::blanks) {
        std::size_t start = 0;
        while (start < line.size() && is_blank(line[start])) {
            ++start;
        }
        while (start < line.size()) {
            std::size_t end = start;
            while (end < line.size() && !is_blank(line[end])) {
                ++end;
            }
            keep(line.substr(start, end - start), start);
            start = end;
            while (start < line.size() && is_blank(line[start])) {
                ++start;
            }
        }
        return {};
    }
    const std::string_view separator = separator_text(layout.separator);
    std::size_t start = 0;
    while (true) {
        if (layout.quoting && start < line.size() && line[start] == '"') {
            // RFC 4180: "" inside the quotes is one quote; the field ends at the
            // lone quote, which the separator or the end of the line must follow.
            std::string* unquoted = out.count < Fields::max ? &out.unquoted[out.count] : nullptr;
            if (unquoted != nullptr) {
                unquoted->clear();
            }
            std::size_t j = start + 1;
            bool escaped = false;
            while (true) {
                const std::size_t closing = line.find('"', j);
                if (closing == std::string_view::npos) {
                    bad_column = start + 1;
                    return "the quoted field is not closed on this line";
                }
                if (closing + 1 < line.size() && line[closing + 1] == '"') {
                    if (unquoted != nullptr) {
                        unquoted->append(line.substr(j, closing + 1 - j));
                    }
                    escaped = true;
                    j = closing + 2;
                    continue;
                }
                if (unquoted != nullptr) {
                    unquoted->append(line.substr(j, closing - j));
                }
                j = closing + 1;
                break;
            }
            if (j < line.size() && line.compare(j, separator.size(), separator) != 0) {
                bad_column = j + 1;
                return "expected the separator or the end of the line after the closing quote, "
                       "found "
                       + quote(line.substr(j, 1));
            }
            const std::string_view inner = line.substr(start + 1, j - start - 2);
            keep(escaped && unquoted != nullptr ? std::string_view(*unquoted) : inner, start + 1);
            if (j >= line.size()) {
                return {};
            }
            start = j + separator.size();
            continue;
        }
        const std::size_t end = line.find(separator, start);
        if (end == std::string_view::npos) {
            keep(line.substr(start), start);
            return {};
        }
        keep(line.substr(start, end - start), start);
        start = end + separator.size();
    }
}

/// A field's text with the blanks around it removed (quoted fields keep theirs).
inline std::string_view field_text(std::string_view field) noexcept {
    return trim(field);
}

// ---------------------------------------------------------------------------
// Detection

/// Whether the line's rating field (by the layout) is a number: a header's is not.
inline bool rating_is_number(std::string_view line, const Layout& layout) {
    Fields fields;
    std::size_t column = 0;
    if (!split_fields(trim_end(line), layout, fields, column).empty()
        || fields.count <= layout.columns.rating || layout.columns.rating >= Fields::max) {
        return true;  // not a header's fault: the line's own error will say
    }
    double value = 0.0;
    return parse_number(field_text(fields.text[layout.columns.rating]), value);
}

/// The file's name without a trailing ".gz", in lower case.
inline std::string base_name(const std::filesystem::path& file) {
    std::string name = file.filename().string();
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0) {
        name.resize(name.size() - 3);
    }
    std::transform(name.begin(), name.end(), name.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return name;
}

inline bool ends_with(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size()
           && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Picks the layout of a line: see mf::detect_format.
inline std::optional<Layout> layout_of_line(std::string_view line, std::size_t number,
                                            const std::string& name) {
    const std::string where = " on line " + std::to_string(number);
    line = trim(line);
    Fields fields;
    std::size_t column = 0;
    const auto count = [&](const Layout& layout) {
        return split_fields(line, layout, fields, column).empty() ? fields.count : 0;
    };
    Layout dat = named_layout(Format::movielens_dat);
    if (line.find("::") != std::string_view::npos && count(dat) == 4) {
        dat.detection = "4 fields separated by '::'" + where;
        return dat;
    }
    // Four fields, none empty: two tabs in a row are blanks between LIBMF's three.
    Layout tab = named_layout(Format::movielens);
    if (count(tab) == 4
        && std::none_of(fields.text.begin(), fields.text.begin() + 4,
                        [](std::string_view field) { return field.empty(); })) {
        tab.detection = "4 tab-separated fields" + where;
        return tab;
    }
    for (const Separator separator : {Separator::comma, Separator::semicolon}) {
        if (line.find(separator_text(separator)) == std::string_view::npos) {
            continue;
        }
        Layout csv = named_layout(Format::movielens_csv);
        if (separator == Separator::comma && count(csv) == 4) {
            if (line == "userId,movieId,rating,timestamp") {
                csv.header_line = number;
                csv.detection = "the header 'userId,movieId,rating,timestamp'" + where;
                return csv;
            }
            if (ends_with(name, "ratings.csv")) {
                csv.detection = "the name ratings.csv and 4 comma-separated fields" + where;
                return csv;
            }
        }
        Layout delimited;
        delimited.format = Format::delimited;
        delimited.separator = separator;
        delimited.quoting = true;
        delimited.columns = Columns{0, 1, 2, std::nullopt};
        delimited.fields = 3;
        delimited.extra_fields = true;
        const std::size_t n = count(delimited);
        if (n >= 3) {
            delimited.detection = std::to_string(n) + " fields separated by '"
                                  + std::string(separator_text(separator)) + "'" + where;
            return delimited;
        }
    }
    Layout libmf = named_layout(Format::libmf);
    if (count(libmf) == 3) {
        libmf.detection = "3 fields separated by blanks" + where;
        return libmf;
    }
    return std::nullopt;
}

/// Up to two non-blank lines from the start of a file: enough to tell a header
/// from the data after it.
struct FirstLines {
    std::array<std::string, 2> text;
    std::array<std::size_t, 2> number{};
    std::size_t count = 0;
};

/// The first two non-blank lines of the file that `blocks` reads, read ahead
/// so that the blocks still start at the beginning.
inline FirstLines first_lines(LineBlocks& blocks) {
    FirstLines first;
    for (auto& [number, text] : blocks.peek(first.text.size())) {
        first.number[first.count] = number;
        first.text[first.count] = std::move(text);
        ++first.count;
    }
    return first;
}

/// The layout to read `file` with: the options', or the one its name and
/// first lines suggest. Throws as mf::detect_format.
inline Layout detect_layout(const std::filesystem::path& file, const FirstLines& first,
                            const ReadOptions& options) {
    validate(options);
    const std::string name = file.string();
    Layout layout;
    if (options.format == Format::delimited) {
        layout.format = Format::delimited;
        layout.separator = options.separator;
        layout.columns = options.columns;
        layout.quoting = options.quoting && options.separator != Separator::blanks;
        std::size_t last =
            std::max({options.columns.user, options.columns.item, options.columns.rating});
        if (options.columns.timestamp) {
            last = std::max(last, *options.columns.timestamp);
        }
        layout.fields = last + 1;
        layout.extra_fields = true;
    } else if (options.format != Format::automatic) {
        layout = named_layout(options.format);
    }

    if (first.count == 0) {
        throw parse_error(name, "the file holds no ratings");
    }
    if (options.format == Format::automatic) {
        const std::optional<Layout> found =
            layout_of_line(first.text[0], first.number[0], base_name(file));
        if (!found) {
            throw parse_error(name, first.number[0],
                              "the line fits no known format (MovieLens u.data, ratings.dat or "
                              "ratings.csv; LIBMF; fields separated by ',' or ';'): found "
                                  + quote(trim(first.text[0])));
        }
        layout = *found;
    }

    // A header: ratings.csv's, or a delimited file's first line whose rating is no number.
    const bool may_have_header =
        layout.format == Format::movielens_csv || layout.format == Format::delimited;
    if (may_have_header && layout.header_line == 0) {
        const Header header =
            layout.format == Format::delimited && options.format != Format::automatic
                ? options.header
                : Header::automatic;
        if (header == Header::present
            || (header == Header::automatic && !rating_is_number(first.text[0], layout))) {
            layout.header_line = first.number[0];
            if (options.format == Format::automatic && header == Header::automatic) {
                layout.detection += "; its rating is no number, so it is a header";
            }
        }
    }
    // An automatic delimited layout takes a 4th field of integers as timestamps.
    if (options.format == Format::automatic && layout.format == Format::delimited) {
        const std::size_t data = layout.header_line != 0 ? 1 : 0;
        if (data < first.count) {
            Fields fields;
            std::size_t column = 0;
            std::int64_t timestamp = 0;
            if (split_fields(trim_end(first.text[data]), layout, fields, column).empty()
                && fields.count >= 4 && parse_integer(field_text(fields.text[3]), timestamp)) {
                layout.columns.timestamp = 3;
                layout.fields = 4;
            }
        }
    }
    if (options.scale) {
        layout.scale = options.scale;
        layout.scale_name = "the scale";
    }
    return layout;
}

// ---------------------------------------------------------------------------
// Triplets

/// Timestamps as 32 bits while every one fits, as Unix times before 2106 do,
/// and as 64 bits from the first that does not.
class Timestamps {
  public:
    void reserve(std::size_t n) { m_narrow.reserve(n); }

    void push(std::int64_t t) {
        if (!m_wide.empty() || t < 0
            || t > std::int64_t{std::numeric_limits<std::uint32_t>::max()}) {
            widen();
            m_wide.push_back(t);
        } else {
            m_narrow.push_back(static_cast<std::uint32_t>(t));
        }
    }

    std::int64_t operator[](std::size_t j) const noexcept {
        return m_wide.empty() ? std::int64_t{m_narrow[j]} : m_wide[j];
    }

    std::size_t size() const noexcept { return m_wide.empty() ? m_narrow.size() : m_wide.size(); }

    /// Frees the memory (`= {}` would keep it: that assigns an empty list).
    void clear() noexcept {
        m_narrow = std::vector<std::uint32_t>();
        m_wide = std::vector<std::int64_t>();
    }

  private:
    void widen() {
        if (m_wide.empty() && !m_narrow.empty()) {
            m_wide.assign(m_narrow.begin(), m_narrow.end());
            m_narrow = std::vector<std::uint32_t>();
        }
    }

    std::vector<std::uint32_t> m_narrow;
    std::vector<std::int64_t> m_wide;
};

/// The ratings of a file as they are read: three arrays allocated once when the
/// number of lines is known, growing by doubling otherwise.
class TripletArrays {
  public:
    explicit TripletArrays(std::size_t capacity) { reallocate(std::max<std::size_t>(capacity, 1)); }

    void push(index_type user, index_type item, rating_type value) {
        if (m_size == m_capacity) {
            reallocate(m_capacity * 2);
        }
        append(user, item, value);
    }

    /// Makes room for `n` more, for append.
    void reserve_more(std::size_t n) {
        if (m_capacity - m_size < n) {
            reallocate(std::max(m_capacity * 2, m_size + n));
        }
    }

    /// push without the check for room; reserve_more first.
    void append(index_type user, index_type item, rating_type value) noexcept {
        m_user_data[m_size] = user;
        m_item_data[m_size] = item;
        m_value_data[m_size] = value;
        ++m_size;
    }

    std::size_t size() const noexcept { return m_size; }
    index_type* users() noexcept { return m_user_data; }
    index_type* items() noexcept { return m_item_data; }
    rating_type* values() noexcept { return m_value_data; }

    /// Keeps the first `n` ratings.
    void truncate(std::size_t n) noexcept { m_size = std::min(m_size, n); }

    /// The ratings, in arrays of their exact size.
    Ratings finish(std::size_t n_users, std::size_t n_items) {
        if (m_size < m_capacity) {
            // A copy at the exact size: for a pipe, or when lines were blank or dropped.
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

// ---------------------------------------------------------------------------
// Reading one line in full

/// What reading a file collects beside the triplets: timestamps when
/// duplicates are ordered by them, the lines that gave no rating (so that a
/// rating's line can be found again), and the report.
struct ReadState {
    std::string name;
    Layout layout;
    BadLines bad_lines = BadLines::error;
    bool keep_timestamps = false;
    IdMap* users = nullptr;
    IdMap* items = nullptr;
    TripletArrays* triplets = nullptr;
    Timestamps timestamps;
    std::vector<std::size_t> other_lines;  // numbers of lines without a rating, ascending
    // Under Duplicates::error, the earliest repeat found: its first and its second position.
    std::optional<std::pair<std::size_t, std::size_t>> first_repeat;
    ReadReport* report = nullptr;

    /// The file's line number of the rating at `position`.
    std::size_t line_of(std::size_t position) const noexcept {
        std::size_t line = position + 1;
        for (const std::size_t other : other_lines) {
            if (other > line) {
                break;
            }
            ++line;
        }
        return line;
    }

    void skip(std::size_t number, const parse_error& error) {
        other_lines.push_back(number);
        ++report->skipped_lines;
        if (report->first_skipped.size() < ReadReport::kept_skipped) {
            // The reason without its "FILE:LINE: " prefix.
            std::string reason = error.what();
            const std::string prefix = name + ":" + std::to_string(number) + ":";
            if (reason.compare(0, prefix.size(), prefix) == 0) {
                reason.erase(0, prefix.size());
                if (!reason.empty() && reason[0] == ' ') {
                    reason.erase(0, 1);
                } else if (const std::size_t colon = reason.find(": ");
                           colon != std::string::npos) {
                    reason.erase(0, colon + 2);  // the column
                }
            }
            report->first_skipped.push_back(SkippedLine{number, reason});
        }
    }
};

/// Reads one line by the layout: false for a blank line or the header, true
/// with the rating added. Throws mf::parse_error for a line that does not fit,
/// before anything is added.
inline bool parse_line(std::string_view line, std::size_t number, ReadState& state) {
    const Layout& layout = state.layout;
    line = trim_end(line);
    if (trim(line).empty() || number == layout.header_line) {
        return false;
    }
    const auto fail = [&](std::size_t column, const std::string& what) {
        if (column == 0) {
            throw parse_error(state.name, number, what);
        }
        throw parse_error(state.name, number, column, what);
    };
    Fields fields;
    std::size_t bad_column = 0;
    if (const std::string fault = split_fields(line, layout, fields, bad_column); !fault.empty()) {
        fail(bad_column, fault);
    }
    if (fields.count < layout.fields || (!layout.extra_fields && fields.count > layout.fields)) {
        fail(0, "expected " + expected_fields(layout) + ", found " + std::to_string(fields.count));
    }
    const Columns& c = layout.columns;
    const auto field = [&](std::size_t j) { return field_text(fields.text[j]); };
    const auto column = [&](std::size_t j) { return fields.column[j]; };
    if (field(c.user).empty()) {
        fail(column(c.user), "empty user id");
    }
    if (field(c.item).empty()) {
        fail(column(c.item), "empty item id");
    }
    double rating = 0.0;
    if (!parse_number(field(c.rating), rating) || !std::isfinite(rating)) {
        fail(column(c.rating), std::string(layout.value_name) + " " + quote(field(c.rating))
                                   + " is not a finite number");
    }
    if (layout.scale && !(rating >= layout.scale->min && rating <= layout.scale->max)) {
        std::ostringstream what;
        what << layout.value_name << ' ' << rating << " is outside " << layout.scale_name << " ["
             << layout.scale->min << ", " << layout.scale->max << "]";
        fail(column(c.rating), what.str());
    }
    if (std::abs(rating) > std::numeric_limits<rating_type>::max()) {
        fail(column(c.rating), std::string(layout.value_name) + " " + quote(field(c.rating))
                                   + " is beyond the range of a float");
    }
    std::int64_t timestamp = 0;
    if (c.timestamp && !parse_integer(field(*c.timestamp), timestamp)) {
        fail(column(*c.timestamp),
             "timestamp " + quote(field(*c.timestamp)) + " is not an integer");
    }
    state.triplets->push(state.users->insert(field(c.user)), state.items->insert(field(c.item)),
                         static_cast<rating_type>(rating));
    if (state.keep_timestamps) {
        state.timestamps.push(timestamp);
    }
    return true;
}

/// parse_line under the bad-line policy: a line skipped or without a rating is noted.
inline void read_line(std::string_view line, std::size_t number, ReadState& state) {
    bool rated = false;
    if (state.bad_lines == BadLines::skip) {
        try {
            rated = parse_line(line, number, state);
        } catch (const parse_error& error) {
            state.skip(number, error);
            return;
        }
    } else {
        rated = parse_line(line, number, state);
    }
    if (!rated) {
        state.other_lines.push_back(number);
    }
}

// ---------------------------------------------------------------------------
// Fast scanners: the common lines of plain numbers, without splitting or
// from_chars. A line they do not take goes to parse_line, which reads it in
// full or says what is wrong with it.

/// A plain decimal integer id of at most 19 digits, written canonically
/// (no sign, no leading zero), so that its value stands for its text.
MF_DETAIL_INLINE bool scan_id(const char*& p, std::uint64_t& value) noexcept {
    const char* const start = p;
    std::uint64_t v = static_cast<unsigned char>(*p - '0');
    if (v > 9) {
        return false;
    }
    for (++p; static_cast<unsigned char>(*p - '0') <= 9; ++p) {
        v = v * 10 + static_cast<unsigned char>(*p - '0');
    }
    const std::ptrdiff_t digits = p - start;
    if (digits > 19 || (*start == '0' && digits > 1)) {
        return false;
    }
    value = v;
    return true;
}

/// A decimal number `[-]digits[.digits]` of at most 15 significant digits: the
/// mantissa is exact in a double and the quotient by a power of ten is the
/// correctly rounded value, the same that from_chars gives.
MF_DETAIL_INLINE bool scan_decimal(const char*& p, double& value) noexcept {
    static constexpr double powers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
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

/// A timestamp of at most 18 digits, so that it fits 64 bits.
MF_DETAIL_INLINE bool scan_timestamp(const char*& p, std::int64_t& value) noexcept {
    const char* const start = p;
    std::int64_t v = 0;
    for (; static_cast<unsigned char>(*p - '0') <= 9; ++p) {
        if (p - start == 18) {
            return false;  // before the 19th digit, which could overflow
        }
        v = v * 10 + static_cast<unsigned char>(*p - '0');
    }
    value = v;
    return p != start;
}

MF_DETAIL_INLINE bool is_space_or_tab(char c) noexcept {
    return c == ' ' || c == '\t';
}

/// Blanks, then the end of a line: '\n' or "\r\n", stepped over. A bare '\r'
/// is left to parse_line, as is the end of a file without a last newline.
MF_DETAIL_INLINE bool scan_line_end(const char*& p, const char* end) noexcept {
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

/// One scanned line.
struct Scanned {
    std::uint64_t user = 0;
    std::uint64_t item = 0;
    double value = 0.0;
    std::int64_t timestamp = 0;
};

/// `row col value` separated by blanks, as LIBMF writes.
MF_DETAIL_INLINE bool scan_blank_line(const char*& p, const char* end, Scanned& s) noexcept {
    while (is_space_or_tab(*p)) {
        ++p;
    }
    if (!scan_id(p, s.user) || !is_space_or_tab(*p)) {
        return false;
    }
    while (is_space_or_tab(*p)) {
        ++p;
    }
    if (!scan_id(p, s.item) || !is_space_or_tab(*p)) {
        return false;
    }
    while (is_space_or_tab(*p)) {
        ++p;
    }
    return scan_decimal(p, s.value) && scan_line_end(p, end);
}

template <char Separator, bool Double>
MF_DETAIL_INLINE bool scan_separator(const char*& p) noexcept {
    if (*p != Separator) {
        return false;
    }
    ++p;
    if constexpr (Double) {
        if (*p != Separator) {
            return false;
        }
        ++p;
    }
    return true;
}

/// `user S item S rating [S timestamp]` with the separator S (`::` when Double).
template <char Separator, bool Double, bool HasTimestamp>
MF_DETAIL_INLINE bool scan_separated_line(const char*& p, const char* end, Scanned& s) noexcept {
    if (!scan_id(p, s.user) || !scan_separator<Separator, Double>(p) || !scan_id(p, s.item)
        || !scan_separator<Separator, Double>(p) || !scan_decimal(p, s.value)) {
        return false;
    }
    if constexpr (HasTimestamp) {
        if (!scan_separator<Separator, Double>(p) || !scan_timestamp(p, s.timestamp)) {
            return false;
        }
    }
    return scan_line_end(p, end);
}

/// Room for a known most of values, written in place by the scanning loop:
/// cheaper there than push_back, and pages never written are never touched.
template <class T>
class ScanArray {
  public:
    /// Empties the array and makes room for `capacity` values.
    void reset(std::size_t capacity) {
        if (capacity > m_capacity) {
            m_data.reset(new T[capacity]);  // left uninitialised: the scanner writes first
            m_capacity = capacity;
        }
        m_size = 0;
    }

    T* data() noexcept { return m_data.get(); }
    std::size_t capacity() const noexcept { return m_capacity; }
    std::size_t size() const noexcept { return m_size; }
    void set_size(std::size_t size) noexcept { m_size = size; }
    const T& operator[](std::size_t j) const noexcept { return m_data[j]; }

  private:
    std::unique_ptr<T[]> m_data;
    std::size_t m_capacity = 0;
    std::size_t m_size = 0;
};

/// The numbers of the lines a scanner took from one range of a chunk, and the
/// lines it left for parse_line, with their places among the others.
struct ParsedRange {
    struct Line {
        std::size_t position;  // how many scanned lines come before it in the range
        std::size_t number;    // its number within the range, from 0
        std::string_view text;
    };

    ScanArray<std::uint64_t> users;
    ScanArray<std::uint64_t> items;
    ScanArray<rating_type> values;
    ScanArray<std::int64_t> timestamps;
    std::vector<Line> others;
    std::size_t lines = 0;

    /// Empties the range and makes room for `scanned` scanned lines.
    void reset(std::size_t scanned, bool keep_timestamps) {
        users.reset(scanned);
        items.reset(scanned);
        values.reset(scanned);
        timestamps.reset(keep_timestamps ? scanned : 0);
        others.clear();
        lines = 0;
    }
};

/// The most lines a scanner can take from `bytes` bytes: each holds two ids,
/// a value, two separators and an ending, a byte each at least.
constexpr std::size_t most_scanned_lines(std::size_t bytes) noexcept {
    return bytes / 6 + 1;
}

/// Runs `scan_line` over the lines of `range`. A scanned line is taken when
/// its value lies within the layout's scale; the others go to `others`, for
/// parse_line to read or to name the fault of. `out` has room for
/// most_scanned_lines(range.size()) scanned lines.
template <class ScanLine>
void parse_range(std::string_view range, ScanLine scan_line, const Layout& layout,
                 bool keep_timestamps, ParsedRange& out) {
    const char* p = range.data();
    const char* const end = p + range.size();
    const bool has_cr = std::memchr(p, '\r', range.size()) != nullptr;
    // The scanners read one byte past a number, so they stop before a last
    // line without an ending; parse_line reads that one.
    const char* safe_end = end;
    while (safe_end != p && safe_end[-1] != '\n' && safe_end[-1] != '\r') {
        --safe_end;
    }
    const double low = layout.scale ? layout.scale->min : -std::numeric_limits<double>::infinity();
    const double high = layout.scale ? layout.scale->max : std::numeric_limits<double>::infinity();
    // Local pointers and count: stores through the arrays cannot then be taken
    // to change them, so they stay in registers.
    std::uint64_t* const users = out.users.data();
    std::uint64_t* const items = out.items.data();
    rating_type* const values = out.values.data();
    std::int64_t* const timestamps = out.timestamps.data();
    const std::size_t room = keep_timestamps
                                 ? std::min(out.values.capacity(), out.timestamps.capacity())
                                 : out.values.capacity();
    std::size_t n = 0;
    std::size_t lines = 0;
    Scanned s;
    while (p != end) {
        const char* q = p;
        // A line beyond the room (none, by most_scanned_lines) would go to parse_line.
        if (p < safe_end && n < room && scan_line(q, end, s) && s.value >= low && s.value <= high) {
            users[n] = s.user;
            items[n] = s.item;
            values[n] = static_cast<rating_type>(s.value);
            if (keep_timestamps) {
                timestamps[n] = s.timestamp;
            }
            ++n;
            p = q;
        } else {
            const char* const eol = line_end(p, end, has_cr);
            out.others.push_back(
                ParsedRange::Line{n, lines, std::string_view(p, std::size_t(eol - p))});
            p = after_ending(eol, end);
        }
        ++lines;
    }
    out.users.set_size(n);
    out.items.set_size(n);
    out.values.set_size(n);
    out.timestamps.set_size(keep_timestamps ? n : 0);
    out.lines = lines;
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

/// Maps the ids of a range through the id maps into the triplets, and has
/// read_line read its other lines in their places. `first_line` is the file's
/// number of the range's first line. The last user's id and index are kept in
/// `last_user`, since a file often holds each user's ratings together.
inline void map_range(const ParsedRange& range, std::size_t first_line, ReadState& state,
                      std::pair<std::uint64_t, index_type>& last_user) {
    TripletArrays& out = *state.triplets;
    out.reserve_more(range.values.size() + range.others.size());
    std::size_t j = 0;
    const auto map_until = [&](std::size_t stop) {
        for (; j < stop; ++j) {
            if (range.users[j] != last_user.first || last_user.second == IndexTable::none) {
                last_user = {range.users[j], insert_canonical(*state.users, range.users[j])};
            }
            out.append(last_user.second, insert_canonical(*state.items, range.items[j]),
                       range.values[j]);
            if (state.keep_timestamps) {
                state.timestamps.push(range.timestamps[j]);
            }
        }
    };
    for (const ParsedRange::Line& line : range.others) {
        map_until(line.position);
        read_line(line.text, first_line + line.number, state);
    }
    map_until(range.values.size());
}

inline std::size_t default_read_threads() noexcept {
    return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
}

/// How a file is read, for tests that cut small files into many chunks.
struct ReadSettings {
    std::size_t chunk_size = default_chunk_size;
    std::size_t min_bytes_per_thread = std::size_t{1} << 18;
};

/// Reads every line of the file into `state`, `threads` scanning each chunk at
/// once; the id maps then take the ranges in order, so indices follow the file
/// whatever the number of threads, and the first bad line is the one named.
template <class ScanLine>
void read_lines(LineBlocks& blocks, ScanLine scan_line, std::size_t threads,
                const ReadSettings& settings, ReadState& state) {
    std::vector<ParsedRange> parsed(threads);
    std::pair<std::uint64_t, index_type> last_user{0, IndexTable::none};
    std::size_t line_number = 1;
    std::string_view block;
    while (blocks.next(block)) {
        const std::vector<std::string_view> ranges =
            cut_ranges(block, threads, settings.min_bytes_per_thread);
        // Room made here rather than in the workers: memory that threads
        // allocate tends to stay with the process.
        for (std::size_t r = 0; r < ranges.size(); ++r) {
            parsed[r].reset(most_scanned_lines(ranges[r].size()), state.keep_timestamps);
        }
        std::vector<std::thread> workers;
        std::vector<std::exception_ptr> failures(ranges.size());
        const auto parse = [&](std::size_t r) {
            try {
                parse_range(ranges[r], scan_line, state.layout, state.keep_timestamps, parsed[r]);
            } catch (...) {
                failures[r] = std::current_exception();
            }
        };
        for (std::size_t r = 1; r < ranges.size(); ++r) {
            workers.emplace_back(parse, r);
        }
        parse(0);
        for (std::thread& worker : workers) {
            worker.join();
        }
        for (std::size_t r = 0; r < ranges.size(); ++r) {
            if (failures[r]) {
                std::rethrow_exception(failures[r]);
            }
            map_range(parsed[r], line_number, state, last_user);
            line_number += parsed[r].lines;
        }
    }
    state.report->lines = line_number - 1;
}

/// Reads with the fastest scanner the layout allows; a layout without one has
/// every line read by parse_line.
inline void read_all_lines(LineBlocks& blocks, std::size_t threads, const ReadSettings& settings,
                           ReadState& state) {
    const Layout& layout = state.layout;
    const Columns& c = layout.columns;
    const bool plain_columns =
        c.user == 0 && c.item == 1 && c.rating == 2 && (!c.timestamp || *c.timestamp == 3);
    const bool exact = !layout.extra_fields || layout.fields == (c.timestamp ? 4u : 3u);
    const auto read = [&](auto scan) { read_lines(blocks, scan, threads, settings, state); };
    // Lambdas rather than function pointers, so that each scan is inlined into its loop.
    if (!plain_columns || !exact) {
        read([](const char*&, const char*, Scanned&) { return false; });
    } else if (layout.separator == Separator::blanks) {
        if (c.timestamp) {
            read([](const char*&, const char*, Scanned&) { return false; });
        } else {
            read([](auto&&... a) { return scan_blank_line(a...); });
        }
    } else if (layout.separator == Separator::double_colon) {
        if (c.timestamp) {
            read([](auto&&... a) { return scan_separated_line<':', true, true>(a...); });
        } else {
            read([](auto&&... a) { return scan_separated_line<':', true, false>(a...); });
        }
    } else if (layout.separator == Separator::comma) {
        if (c.timestamp) {
            read([](auto&&... a) { return scan_separated_line<',', false, true>(a...); });
        } else {
            read([](auto&&... a) { return scan_separated_line<',', false, false>(a...); });
        }
    } else if (layout.separator == Separator::semicolon) {
        if (c.timestamp) {
            read([](auto&&... a) { return scan_separated_line<';', false, true>(a...); });
        } else {
            read([](auto&&... a) { return scan_separated_line<';', false, false>(a...); });
        }
    } else if (c.timestamp) {
        read([](auto&&... a) { return scan_separated_line<'\t', false, true>(a...); });
    } else {
        read([](auto&&... a) { return scan_separated_line<'\t', false, false>(a...); });
    }
}

// ---------------------------------------------------------------------------
// Duplicates

/// Resolves the duplicates among one user's ratings, at `positions`, by the
/// policy: marks the ratings to drop in `drop` and returns how many.
inline std::size_t resolve_user(ReadState& state, Duplicates policy,
                                std::vector<std::size_t>& positions, std::vector<bool>& drop) {
    TripletArrays& t = *state.triplets;
    const index_type* const items = t.items();
    rating_type* const values = t.values();
    // By item, and by place in the file among one item's.
    std::sort(positions.begin(), positions.end(), [&](std::size_t a, std::size_t b) {
        return items[a] != items[b] ? items[a] < items[b] : a < b;
    });
    std::size_t dropped = 0;
    for (std::size_t a = 0; a < positions.size();) {
        std::size_t b = a + 1;
        while (b < positions.size() && items[positions[b]] == items[positions[a]]) {
            ++b;
        }
        if (b - a > 1) {
            if (policy == Duplicates::error) {
                // The error names the earliest repeat in the file, found over all users.
                if (!state.first_repeat || positions[a + 1] < state.first_repeat->second) {
                    state.first_repeat = {positions[a], positions[a + 1]};
                }
                a = b;
                continue;
            }
            std::size_t keep = positions[b - 1];
            if (policy == Duplicates::mean) {
                double sum = 0.0;
                for (std::size_t k = a; k < b; ++k) {
                    sum += values[positions[k]];
                }
                values[keep] = static_cast<rating_type>(sum / static_cast<double>(b - a));
            } else if (state.keep_timestamps) {
                // The latest timestamp; among equal ones, the last in the file.
                for (std::size_t k = a; k < b; ++k) {
                    if (state.timestamps[positions[k]] >= state.timestamps[keep]) {
                        keep = positions[k];
                    }
                }
            }
            for (std::size_t k = a; k < b; ++k) {
                if (positions[k] != keep) {
                    drop[positions[k]] = true;
                    ++dropped;
                }
            }
        }
        a = b;
    }
    return dropped;
}

/// Finds the ratings of one user for one item and resolves them by the policy,
/// keeping the order of the rest. Returns how many ratings were dropped.
///
/// Memory: a stamp per item, a bit per rating, and one user's positions at a
/// time when each user's ratings are together in the file; when they are not,
/// an offset per user and the positions of batches of users with at most an
/// eighth of the ratings (half a byte a rating at 32 bits).
inline std::size_t resolve_duplicates(ReadState& state, Duplicates policy) {
    TripletArrays& t = *state.triplets;
    const std::size_t n = t.size();
    const index_type* const users = t.users();
    const index_type* const items = t.items();
    const std::size_t n_users = state.users->size();
    const std::size_t n_items = state.items->size();
    if (n < 2) {
        return 0;
    }

    // stamp[i] == u + 1 once item i was met among user u's ratings, so a user
    // without duplicates, the common case, costs one look per rating.
    std::vector<index_type> stamp(n_items, 0);
    std::vector<bool> drop(n, false);
    std::size_t dropped = 0;
    std::vector<std::size_t> positions;
    const auto look_at = [&](index_type u) {
        bool twice = false;
        for (const std::size_t p : positions) {
            twice |= stamp[items[p]] == u + 1;
            stamp[items[p]] = u + 1;
        }
        if (twice) {
            dropped += resolve_user(state, policy, positions, drop);
        }
    };

    // Files often hold each user's ratings together: then the runs are the groups.
    bool together = true;
    {
        std::vector<bool> seen(n_users, false);
        for (std::size_t j = 0; j < n && together; ++j) {
            if (j == 0 || users[j] != users[j - 1]) {
                together = !seen[users[j]];
                seen[users[j]] = true;
            }
        }
    }
    if (together) {
        // One look per rating in place; positions only for a user with a repeat.
        for (std::size_t j = 0; j < n;) {
            const index_type u = users[j];
            bool twice = false;
            std::size_t end = j;
            for (; end < n && users[end] == u; ++end) {
                twice |= stamp[items[end]] == u + 1;
                stamp[items[end]] = u + 1;
            }
            if (twice) {
                positions.resize(end - j);
                std::iota(positions.begin(), positions.end(), j);
                dropped += resolve_user(state, policy, positions, drop);
            }
            j = end;
        }
    } else {
        // Each user's positions, grouped by a counting sort, in batches of
        // users with at most an eighth of the ratings (a heavier user alone).
        std::vector<std::size_t> offsets(n_users + 1, 0);
        for (std::size_t j = 0; j < n; ++j) {
            ++offsets[users[j] + 1];
        }
        for (std::size_t u = 0; u < n_users; ++u) {
            offsets[u + 1] += offsets[u];
        }
        const std::size_t limit = std::max<std::size_t>(n / 8, 1 << 16);
        const bool wide = n > std::numeric_limits<std::uint32_t>::max();
        std::vector<std::uint32_t> narrow_positions;
        std::vector<std::size_t> wide_positions;
        std::vector<std::size_t> cursor;
        for (std::size_t first = 0; first < n_users;) {
            std::size_t last = first + 1;
            while (last < n_users && offsets[last + 1] - offsets[first] <= limit) {
                ++last;
            }
            const std::size_t base = offsets[first];
            cursor.assign(offsets.begin() + static_cast<std::ptrdiff_t>(first),
                          offsets.begin() + static_cast<std::ptrdiff_t>(last));
            (wide ? wide_positions.resize(offsets[last] - base)
                  : narrow_positions.resize(offsets[last] - base));
            for (std::size_t j = 0; j < n; ++j) {
                const std::size_t u = users[j];
                if (u >= first && u < last) {
                    const std::size_t at = cursor[u - first]++ - base;
                    if (wide) {
                        wide_positions[at] = j;
                    } else {
                        narrow_positions[at] = static_cast<std::uint32_t>(j);
                    }
                }
            }
            for (std::size_t u = first; u < last; ++u) {
                positions.clear();
                for (std::size_t k = offsets[u] - base; k < offsets[u + 1] - base; ++k) {
                    positions.push_back(wide ? wide_positions[k] : narrow_positions[k]);
                }
                look_at(static_cast<index_type>(u));
            }
            first = last;
        }
    }
    if (state.first_repeat) {
        const auto [first, second] = *state.first_repeat;
        throw parse_error(state.name, state.line_of(second),
                          "user " + quote(state.users->raw(users[second])) + " rates item "
                              + quote(state.items->raw(items[second])) + " again (first on line "
                              + std::to_string(state.line_of(first))
                              + "), and duplicates are errors");
    }
    if (dropped == 0) {
        return 0;
    }
    index_type* const u_out = t.users();
    index_type* const i_out = t.items();
    rating_type* const v_out = t.values();
    std::size_t kept = 0;
    for (std::size_t j = 0; j < n; ++j) {
        if (!drop[j]) {
            u_out[kept] = u_out[j];
            i_out[kept] = i_out[j];
            v_out[kept] = v_out[j];
            ++kept;
        }
    }
    t.truncate(kept);
    return dropped;
}

// ---------------------------------------------------------------------------
// The whole file

inline Ratings read_ratings(const std::filesystem::path& file, IdMap& users, IdMap& items,
                            const ReadOptions& options, ReadReport* report,
                            const ReadSettings& settings = {}) {
    ReadReport own;
    ReadReport& out = report != nullptr ? *report : own;
    out = ReadReport{};

    ReadState state;
    state.name = file.string();
    // One opening of the file serves both the detection, which reads ahead,
    // and the reading: a pipe cannot be opened twice.
    LineBlocks blocks(file, settings.chunk_size);
    state.layout = detect_layout(file, first_lines(blocks), options);
    state.bad_lines = options.bad_lines;
    state.keep_timestamps =
        options.duplicates == Duplicates::keep_latest && state.layout.columns.timestamp.has_value();
    state.users = &users;
    state.items = &items;
    state.report = &out;
    out.format = state.layout.format;
    out.detection = options.format == Format::automatic ? state.layout.detection : std::string();
    out.separator = state.layout.separator;
    out.columns = state.layout.columns;
    out.quoting = state.layout.quoting;
    out.header = state.layout.header_line != 0;
    out.scale = state.layout.scale;

    // A first pass counts the lines, so the arrays are allocated once at their
    // final size: growing them by doubling would need up to three times the
    // memory of the triplets. A pipe cannot be read twice; it grows them instead.
    std::error_code ec;
    const bool regular = std::filesystem::is_regular_file(file, ec);
    // Counting needs no more than a buffer that stays in the cache.
    const std::size_t lines =
        regular ? count_lines(file, std::min<std::size_t>(settings.chunk_size, 1 << 16))
                : std::size_t{1} << 16;
    TripletArrays triplets(lines);
    state.triplets = &triplets;
    if (state.keep_timestamps) {
        state.timestamps.reserve(lines);
    }

    const std::size_t threads = options.threads == 0 ? default_read_threads() : options.threads;
    read_all_lines(blocks, threads, settings, state);

    if (triplets.size() == 0) {
        if (!out.first_skipped.empty()) {
            const SkippedLine& first = out.first_skipped.front();
            throw parse_error(state.name, "no line could be read as "
                                              + std::string(to_string(state.layout.format))
                                              + " ratings; line " + std::to_string(first.line)
                                              + ": " + first.reason);
        }
        throw parse_error(state.name, "the file holds no ratings");
    }
    out.duplicates = resolve_duplicates(state, options.duplicates);
    state.timestamps.clear();
    out.ratings = triplets.size();
    return triplets.finish(users.size(), items.size());
}

}  // namespace mf::detail

#endif  // MF_DETAIL_READ_HPP
