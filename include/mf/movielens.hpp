// Readers for the MovieLens 100k files: u.data (and its u1..u5, ua, ub
// base/test splits) and u.item.
#ifndef MF_MOVIELENS_HPP
#define MF_MOVIELENS_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include "mf/detail/text.hpp"
#include "mf/errors.hpp"
#include "mf/formats.hpp"
#include "mf/ratings.hpp"
#include "mf/split.hpp"

namespace mf::movielens {

/// The predefined splits of MovieLens 100k: five folds that partition the data
/// (u1..u5), and two with exactly ten test ratings per user (ua, ub).
inline constexpr std::array<std::string_view, 7> fold_names{"u1", "u2", "u3", "u4",
                                                            "u5", "ua", "ub"};

/// Reads a ratings file in the format of u.data: one rating a line, four
/// tab-separated fields `user item rating timestamp`; mf::read_ratings with
/// Format::movielens. Ids go through `users` and `items`, which grow by the ids
/// they have not seen, so several files can share one index space; the result's
/// dimensions are the maps' sizes after reading. Blank lines and trailing blanks
/// are ignored; lines may end in LF, CRLF or CR.
///
/// Throws mf::io_error when the file cannot be read, and mf::parse_error
/// (FILE:LINE: what) for a line without four fields, an empty id, a rating
/// that is not a number or is outside [1, 5], a timestamp that is not an
/// integer, and for a file with no ratings at all.
inline Ratings read_ratings(const std::filesystem::path& file, IdMap& users, IdMap& items) {
    return mf::read_ratings(file, users, items, Format::movielens);
}

/// Reads a u.data-format file into a Dataset with id maps of its own and the
/// MovieLens rating scale. Throws as the overload above.
inline Dataset read_ratings(const std::filesystem::path& file) {
    return mf::read_ratings(file, Format::movielens);
}

/// Reads the titles of u.item (`id|title|release date|...`) as a map from raw
/// item id to title. The file is ISO-8859-1; titles come out as UTF-8 (a file
/// already in UTF-8 is kept as it is).
///
/// Throws mf::io_error when the file cannot be read, and mf::parse_error for a
/// line without a '|', an empty id, an id given twice, or a file without titles.
inline std::unordered_map<std::string, std::string> read_titles(const std::filesystem::path& file) {
    const std::string text = detail::read_file(file);
    const std::string name = file.string();
    std::unordered_map<std::string, std::string> titles;
    detail::Lines lines(text);
    std::string_view line;
    while (lines.next(line)) {
        if (detail::trim(line).empty()) {
            continue;
        }
        std::array<std::string_view, 2> fields;
        if (detail::split(line, '|', fields.data(), fields.size()) < 2) {
            throw parse_error(name, lines.number(),
                              "expected '|'-separated fields (id|title|...), found no '|'");
        }
        const std::string_view id = detail::trim(fields[0]);
        if (id.empty()) {
            throw parse_error(name, lines.number(), "empty item id");
        }
        if (!titles.emplace(std::string(id), detail::to_utf8(detail::trim(fields[1]))).second) {
            throw parse_error(name, lines.number(),
                              "item id " + detail::quote(id) + " appears twice");
        }
    }
    if (titles.empty()) {
        throw parse_error(name, "the file holds no titles");
    }
    return titles;
}

/// Reads a predefined split, `<dir>/<fold>.base` and `<dir>/<fold>.test`, through
/// the given id maps; both sets get the maps' final sizes as dimensions.
/// Throws mf::invalid_argument for a name outside fold_names, and as
/// read_ratings for the files.
inline TrainTest read_fold(const std::filesystem::path& dir, std::string_view fold, IdMap& users,
                           IdMap& items) {
    if (std::find(fold_names.begin(), fold_names.end(), fold) == fold_names.end()) {
        throw invalid_argument("movielens::read_fold: unknown fold " + detail::quote(fold)
                               + "; expected one of u1, u2, u3, u4, u5, ua, ub");
    }
    const std::string stem(fold);
    TrainTest split{read_ratings(dir / (stem + ".base"), users, items),
                    read_ratings(dir / (stem + ".test"), users, items)};
    split.train.set_dimensions(users.size(), items.size());
    split.test.set_dimensions(users.size(), items.size());
    return split;
}

}  // namespace mf::movielens

#endif  // MF_MOVIELENS_HPP
