// Train/test splits of a rating set.
#ifndef MF_SPLIT_HPP
#define MF_SPLIT_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <sstream>
#include <vector>

#include "mf/detail/random.hpp"
#include "mf/errors.hpp"
#include "mf/ratings.hpp"

namespace mf {

/// A training set and a test set with the same dimensions.
struct TrainTest {
    Ratings train;
    Ratings test;
};

namespace detail {

inline void check_fraction(const char* function, double fraction) {
    if (!(fraction >= 0.0 && fraction <= 1.0)) {
        std::ostringstream message;
        message << function << ": test_fraction must be in [0, 1]; got " << fraction;
        throw invalid_argument(message.str());
    }
}

/// round(fraction · n), halves rounded away from zero.
inline std::size_t holdout_count(double fraction, std::size_t n) {
    return static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n)));
}

/// Splits by a mask, keeping the original order within each side.
inline TrainTest split_by_mask(const Ratings& ratings, const std::vector<bool>& in_test) {
    std::vector<std::size_t> train;
    std::vector<std::size_t> test;
    for (std::size_t j = 0; j < ratings.size(); ++j) {
        (in_test[j] ? test : train).push_back(j);
    }
    return {ratings.select(train), ratings.select(test)};
}

}  // namespace detail

/// Holds out round(test_fraction · n_u) of each user's n_u ratings, chosen at
/// random, so that every user with enough ratings is in both sets. Each user's
/// ratings are shuffled in turn, in order of user index, with one generator
/// seeded by `seed`: the same seed gives the same split. Both sets keep the
/// order of `ratings`. Throws mf::invalid_argument unless 0 <= test_fraction <= 1.
inline TrainTest per_user_holdout(const Ratings& ratings, double test_fraction,
                                  std::uint64_t seed) {
    detail::check_fraction("per_user_holdout", test_fraction);

    // Positions grouped by user, in file order within a user (a counting sort).
    std::vector<std::size_t> offsets(ratings.n_users() + 1, 0);
    for (std::size_t j = 0; j < ratings.size(); ++j) {
        ++offsets[std::size_t{ratings.user(j)} + 1];
    }
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    std::vector<std::size_t> by_user(ratings.size());
    std::vector<std::size_t> next(offsets.begin(), offsets.end() - 1);
    for (std::size_t j = 0; j < ratings.size(); ++j) {
        by_user[next[ratings.user(j)]++] = j;
    }

    detail::Rng rng(seed);
    std::vector<bool> in_test(ratings.size(), false);
    for (std::size_t u = 0; u < ratings.n_users(); ++u) {
        const auto first = by_user.begin() + static_cast<std::ptrdiff_t>(offsets[u]);
        const auto last = by_user.begin() + static_cast<std::ptrdiff_t>(offsets[u + 1]);
        rng.shuffle(first, last);
        const std::size_t held = detail::holdout_count(test_fraction, offsets[u + 1] - offsets[u]);
        for (auto it = first; it != first + static_cast<std::ptrdiff_t>(held); ++it) {
            in_test[*it] = true;
        }
    }
    return detail::split_by_mask(ratings, in_test);
}

/// Holds out round(test_fraction · n) ratings chosen uniformly at random from
/// the whole set. The same seed gives the same split; both sets keep the order
/// of `ratings`. Throws mf::invalid_argument unless 0 <= test_fraction <= 1.
inline TrainTest random_holdout(const Ratings& ratings, double test_fraction, std::uint64_t seed) {
    detail::check_fraction("random_holdout", test_fraction);
    std::vector<std::size_t> positions(ratings.size());
    std::iota(positions.begin(), positions.end(), std::size_t{0});
    detail::Rng rng(seed);
    rng.shuffle(positions.begin(), positions.end());
    std::vector<bool> in_test(ratings.size(), false);
    const std::size_t held = detail::holdout_count(test_fraction, ratings.size());
    for (std::size_t j = 0; j < held; ++j) {
        in_test[positions[j]] = true;
    }
    return detail::split_by_mask(ratings, in_test);
}

}  // namespace mf

#endif  // MF_SPLIT_HPP
