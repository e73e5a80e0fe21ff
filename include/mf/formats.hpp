// Reading ratings files: MovieLens 100k, 1M/10M and 20M/25M/32M, LIBMF's text
// format and any delimited text, with a policy for duplicates and bad lines.
#ifndef MF_FORMATS_HPP
#define MF_FORMATS_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "mf/ratings.hpp"

namespace mf {

/// The layout of a ratings file. See docs/formats.md for an example of each.
enum class Format {
    automatic,      ///< picked from the file's name and first line; see detect_format
    movielens,      ///< MovieLens 100k u.data: `user<TAB>item<TAB>rating<TAB>timestamp`, [1, 5]
    movielens_dat,  ///< MovieLens 1M/10M ratings.dat: `user::item::rating::timestamp`, [0.5, 5]
    movielens_csv,  ///< MovieLens 20M and later ratings.csv: a header, then
                    ///< `userId,movieId,rating,timestamp`, [0.5, 5]
    libmf,          ///< LIBMF's text: `row col value` separated by spaces or tabs; no scale
    delimited,      ///< any separated text, as ReadOptions describes; no scale unless given
};

/// What separates the fields of a Format::delimited file.
enum class Separator {
    tab,
    comma,
    semicolon,
    double_colon,  ///< `::`, as in MovieLens's ratings.dat
    blanks,        ///< any run of spaces and tabs; blanks around the line are ignored
};

/// Whether a Format::delimited file starts with a header line.
enum class Header {
    automatic,  ///< the first non-blank line is a header when its rating field is no number
    present,
    absent,
};

/// What to do with two or more ratings of one user for one item in one file.
enum class Duplicates {
    keep_latest,  ///< keep the one with the latest timestamp; without timestamps, the last
    error,        ///< throw mf::parse_error naming both lines
    mean,         ///< keep their mean, in the place of the last of them
};

/// What to do with a line that cannot be read.
enum class BadLines {
    error,  ///< throw mf::parse_error for the first one
    skip,   ///< skip it, count it and keep the first few for the report
};

/// Which fields of a Format::delimited line hold what, counting from 0.
struct Columns {
    /// User, item and rating in fields 0, 1 and 2; no timestamp.
    Columns() = default;

    Columns(std::size_t user_field, std::size_t item_field, std::size_t rating_field,
            std::optional<std::size_t> timestamp_field = std::nullopt)
        : user(user_field), item(item_field), rating(rating_field), timestamp(timestamp_field) {}

    std::size_t user = 0;
    std::size_t item = 1;
    std::size_t rating = 2;
    std::optional<std::size_t> timestamp;  ///< an integer; orders duplicates
};

/// How to read a ratings file. The defaults read every MovieLens file and
/// LIBMF's format as they are, picking the format from the file.
struct ReadOptions {
    Format format = Format::automatic;

    /// Format::delimited only (the other formats fix them): the separator, the
    /// columns, the header, and RFC 4180 quoting (a field in double quotes may
    /// hold the separator, and "" stands for one quote; a quoted field must end
    /// on its own line).
    Separator separator = Separator::comma;
    Columns columns;
    Header header = Header::automatic;
    bool quoting = true;

    /// The ratings allowed; a rating outside is a bad line. Without one, the
    /// format's own (MovieLens's), or none (any finite number that fits a float).
    std::optional<RatingScale> scale;

    Duplicates duplicates = Duplicates::keep_latest;
    BadLines bad_lines = BadLines::error;

    /// Threads that parse at once (0: one per core, at most 8); the result is
    /// the same for any number, indices included.
    std::size_t threads = 0;
};

/// A line skipped under BadLines::skip.
struct SkippedLine {
    std::size_t line = 0;  ///< its number in the file, from 1
    std::string reason;    ///< what was wrong, as the error would have said
};

/// What read_ratings found and did.
struct ReadReport {
    Format format = Format::automatic;       ///< the format read, never automatic
    std::string detection;                   ///< why Format::automatic picked it; empty otherwise
    Separator separator = Separator::tab;    ///< the fields' separator
    Columns columns;                         ///< which fields held what
    bool quoting = false;                    ///< whether quoted fields were read as RFC 4180's
    bool header = false;                     ///< whether a header line was skipped
    std::optional<RatingScale> scale;        ///< the scale ratings were checked against
    std::size_t lines = 0;                   ///< lines in the file, blank ones included
    std::size_t ratings = 0;                 ///< ratings kept
    std::size_t duplicates = 0;              ///< ratings dropped or merged as duplicates
    std::size_t skipped_lines = 0;           ///< bad lines skipped (BadLines::skip)
    std::vector<SkippedLine> first_skipped;  ///< the first few of them, in file order

    /// How many skipped lines first_skipped keeps at most.
    static constexpr std::size_t kept_skipped = 5;
};

/// The name of a format: "auto", "movielens", "movielens-dat", "movielens-csv",
/// "libmf" or "delimited", as the `mf` tool spells them.
inline const char* to_string(Format format) noexcept {
    switch (format) {
        case Format::movielens:
            return "movielens";
        case Format::movielens_dat:
            return "movielens-dat";
        case Format::movielens_csv:
            return "movielens-csv";
        case Format::libmf:
            return "libmf";
        case Format::delimited:
            return "delimited";
        case Format::automatic:
            break;
    }
    return "auto";
}

/// The name of a separator: "tab", "comma", "semicolon", "double-colon" or "blanks".
inline const char* to_string(Separator separator) noexcept {
    switch (separator) {
        case Separator::comma:
            return "comma";
        case Separator::semicolon:
            return "semicolon";
        case Separator::double_colon:
            return "double-colon";
        case Separator::blanks:
            return "blanks";
        case Separator::tab:
            break;
    }
    return "tab";
}

namespace movielens {

/// The rating scale of MovieLens 100k: whole stars from 1 to 5.
inline constexpr RatingScale scale{1.0, 5.0};

/// The rating scale of MovieLens 1M and later: half stars from 0.5 to 5 (1M
/// itself has whole stars only).
inline constexpr RatingScale half_star_scale{0.5, 5.0};

}  // namespace movielens

inline void validate(const ReadOptions& options);

}  // namespace mf

#include "mf/detail/read.hpp"

namespace mf {

/// Checks the options read_ratings needs to make sense before any file is
/// opened: columns that are distinct and within the fields a line may hold
/// (Format::delimited), and a scale of finite bounds with min <= max. Throws
/// mf::invalid_argument naming the option, the value and the rule.
inline void validate(const ReadOptions& options) {
    if (options.format == Format::delimited) {
        const Columns& c = options.columns;
        std::size_t last = std::max({c.user, c.item, c.rating});
        if (c.timestamp) {
            last = std::max(last, *c.timestamp);
        }
        if (last >= detail::Fields::max) {
            throw invalid_argument("ReadOptions::columns: field " + std::to_string(last + 1)
                                   + " is beyond the " + std::to_string(detail::Fields::max)
                                   + " fields a line may hold");
        }
        if (c.user == c.item || c.user == c.rating || c.item == c.rating
            || (c.timestamp
                && (*c.timestamp == c.user || *c.timestamp == c.item
                    || *c.timestamp == c.rating))) {
            throw invalid_argument(
                "ReadOptions::columns: user, item, rating and timestamp need fields of their own");
        }
    }
    if (options.scale
        && !(std::isfinite(options.scale->min) && std::isfinite(options.scale->max)
             && options.scale->min <= options.scale->max)) {
        std::ostringstream what;
        what << "ReadOptions::scale must have finite bounds with min <= max; got ["
             << options.scale->min << ", " << options.scale->max << "]";
        throw invalid_argument(what.str());
    }
}

/// The format read_ratings would pick for `file` with Format::automatic, with
/// the reason in `detection` when given. The first non-blank line decides:
/// `a::b::c::d` is ratings.dat's; four tab-separated fields, none empty, are
/// MovieLens 100k's; the header `userId,movieId,rating,timestamp`, or four
/// comma-separated fields in a file named ratings.csv (a trailing .gz aside),
/// are ratings.csv's; three or more fields separated by commas or semicolons
/// are delimited text; three fields separated by blanks are LIBMF's.
///
/// Throws mf::io_error when the file cannot be read, and mf::parse_error when
/// the file has no line that is not blank or its first line fits no format.
inline Format detect_format(const std::filesystem::path& file, std::string* detection = nullptr) {
    detail::LineBlocks blocks(file, std::size_t{1} << 16);
    const detail::Layout layout =
        detail::detect_layout(file, detail::first_lines(blocks), ReadOptions{});
    if (detection != nullptr) {
        *detection = layout.detection;
    }
    return layout.format;
}

/// Reads a ratings file, one rating a line, into `users` and `items`, which map
/// raw ids (opaque text: "0042" and "42" differ, a 20-digit id is exact, "-5"
/// is the text "-5") to dense indices and grow by the ids they have not seen,
/// so a test file can share its training file's index space; the result's
/// dimensions are the maps' sizes after reading. `report`, when given, says
/// what was read and done.
///
/// Lines may end in LF, CRLF or CR; a UTF-8 byte-order mark, blank lines and
/// blanks at the ends of a line are ignored; the last line needs no ending. A
/// gzip-compressed file is read as its content when mf is built with zlib.
///
/// Throws mf::invalid_argument for options that validate() rejects;
/// mf::io_error when the file cannot be read; mf::parse_error
/// (`FILE:LINE[:COLUMN]: what`) for a bad line under BadLines::error, for a
/// duplicate under Duplicates::error, and for a file that yields no rating.
inline Ratings read_ratings(const std::filesystem::path& file, IdMap& users, IdMap& items,
                            const ReadOptions& options, ReadReport* report = nullptr) {
    return detail::read_ratings(file, users, items, options, report);
}

/// Reads a ratings file into a Dataset with id maps of its own and the scale
/// the ratings were checked against. Throws as the overload above.
inline Dataset read_ratings(const std::filesystem::path& file, const ReadOptions& options = {},
                            ReadReport* report = nullptr) {
    ReadReport own;
    ReadReport& found = report != nullptr ? *report : own;
    Dataset data;
    data.ratings = detail::read_ratings(file, data.users, data.items, options, &found);
    data.scale = found.scale;
    return data;
}

/// read_ratings with the given format and `threads`, the other options at their defaults.
inline Ratings read_ratings(const std::filesystem::path& file, IdMap& users, IdMap& items,
                            Format format, std::size_t threads = 0) {
    ReadOptions options;
    options.format = format;
    options.threads = threads;
    return read_ratings(file, users, items, options);
}

/// read_ratings into a Dataset with the given format and `threads`.
inline Dataset read_ratings(const std::filesystem::path& file, Format format,
                            std::size_t threads = 0) {
    ReadOptions options;
    options.format = format;
    options.threads = threads;
    return read_ratings(file, options);
}

}  // namespace mf

#endif  // MF_FORMATS_HPP
