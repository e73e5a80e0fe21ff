// Readers for the MovieLens 100k files: u.data (and its u1..u5, ua, ub
// base/test splits) and u.item.
#ifndef MF_MOVIELENS_HPP
#define MF_MOVIELENS_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "mf/detail/text.hpp"
#include "mf/detail/xtensor.hpp"
#include "mf/errors.hpp"
#include "mf/ratings.hpp"
#include "mf/split.hpp"

namespace mf::movielens {

/// MovieLens ratings are whole stars from 1 to 5.
inline constexpr RatingScale scale{1.0, 5.0};

/// The predefined splits of MovieLens 100k: five folds that partition the data
/// (u1..u5), and two with exactly ten test ratings per user (ua, ub).
inline constexpr std::array<std::string_view, 7> fold_names{"u1", "u2", "u3", "u4",
                                                            "u5", "ua", "ub"};

/// Reads a ratings file in the format of u.data: one rating a line, four
/// tab-separated fields `user item rating timestamp`. Ids go through `users`
/// and `items`, which grow by the ids they have not seen, so several files can
/// share one index space; the result's dimensions are the maps' sizes after
/// reading. Blank lines and trailing blanks are ignored; lines may end in LF, CRLF or CR.
///
/// Throws mf::io_error when the file cannot be read, and mf::parse_error
/// (FILE:LINE: what) for a line without four fields, an empty id, a rating
/// that is not a number or is outside [1, 5], a timestamp that is not an
/// integer, and for a file with no ratings at all.
inline Ratings read_ratings(const std::filesystem::path& file, IdMap& users, IdMap& items) {
    const std::string text = detail::read_file(file);
    const std::string name = file.string();
    const std::size_t capacity = detail::count_lines(text);
    Ratings::index_array user_index = xt::empty<index_type>({capacity});
    Ratings::index_array item_index = xt::empty<index_type>({capacity});
    Ratings::value_array values = xt::empty<rating_type>({capacity});

    detail::Lines lines(text);
    std::string_view line;
    std::size_t n = 0;
    while (lines.next(line)) {
        // Trailing blanks are dropped, leading ones are not: a leading tab is an empty field.
        line = detail::trim_end(line);
        if (line.empty()) {
            continue;
        }
        const auto fail = [&](const std::string& what) {
            throw parse_error(name, lines.number(), what);
        };
        std::array<std::string_view, 4> fields;
        const std::size_t count = detail::split(line, '\t', fields.data(), fields.size());
        if (count != fields.size()) {
            fail("expected 4 tab-separated fields (user, item, rating, timestamp), found "
                 + std::to_string(count));
        }
        if (fields[0].empty() || fields[1].empty()) {
            fail(std::string("empty ") + (fields[0].empty() ? "user" : "item") + " id");
        }
        double rating = 0.0;
        if (!detail::parse_number(fields[2], rating) || !std::isfinite(rating)) {
            fail("rating " + detail::quote(fields[2]) + " is not a finite number");
        }
        if (rating < scale.min || rating > scale.max) {
            std::ostringstream what;
            what << "rating " << rating << " is outside the MovieLens scale [1, 5]";
            fail(what.str());
        }
        std::int64_t timestamp = 0;
        if (!detail::parse_integer(fields[3], timestamp)) {
            fail("timestamp " + detail::quote(fields[3]) + " is not an integer");
        }
        user_index(n) = users.insert(fields[0]);
        item_index(n) = items.insert(fields[1]);
        values(n) = static_cast<rating_type>(rating);
        ++n;
    }
    if (n == 0) {
        throw parse_error(name, "the file holds no ratings");
    }
    if (n < capacity) {
        // Blank lines were skipped: keep only the rows that were filled.
        Ratings::index_array u = xt::view(user_index, xt::range(0, n));
        Ratings::index_array i = xt::view(item_index, xt::range(0, n));
        Ratings::value_array v = xt::view(values, xt::range(0, n));
        user_index = std::move(u);
        item_index = std::move(i);
        values = std::move(v);
    }
    return Ratings(std::move(user_index), std::move(item_index), std::move(values), users.size(),
                   items.size());
}

/// Reads a u.data-format file into a Dataset with id maps of its own and the
/// MovieLens rating scale. Throws as the overload above.
inline Dataset read_ratings(const std::filesystem::path& file) {
    Dataset data;
    data.ratings = read_ratings(file, data.users, data.items);
    data.scale = scale;
    return data;
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
