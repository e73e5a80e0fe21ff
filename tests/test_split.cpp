#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <cmath>
#include <set>
#include <tuple>
#include <vector>

namespace {

using Triplet = std::tuple<mf::index_type, mf::index_type, float>;

std::multiset<Triplet> triplets(const mf::Ratings& r) {
    std::multiset<Triplet> out;
    for (std::size_t j = 0; j < r.size(); ++j) {
        out.emplace(r.user(j), r.item(j), r.value(j));
    }
    return out;
}

std::vector<std::size_t> per_user_counts(const mf::Ratings& r) {
    std::vector<std::size_t> counts(r.n_users(), 0);
    for (std::size_t j = 0; j < r.size(); ++j) {
        ++counts[r.user(j)];
    }
    return counts;
}

mf::Dataset data() {
    mf::SyntheticOptions o;
    o.users = 120;
    o.items = 200;
    o.ratings = 6000;
    o.min_per_user = 5;
    o.seed = 11;
    return mf::synthetic_ratings(o);
}

}  // namespace

TEST_CASE("per_user_holdout.holds out round(fraction * n) of each user's ratings") {
    const mf::Dataset d = data();
    const mf::TrainTest split = mf::per_user_holdout(d.ratings, 0.2, 42);
    const auto all = per_user_counts(d.ratings);
    const auto train = per_user_counts(split.train);
    const auto test = per_user_counts(split.test);
    for (std::size_t u = 0; u < all.size(); ++u) {
        INFO("user " << u << " with " << all[u] << " ratings");
        CHECK(test[u] == static_cast<std::size_t>(std::llround(0.2 * double(all[u]))));
        CHECK(train[u] + test[u] == all[u]);
        CHECK(train[u] > 0);
        CHECK(test[u] > 0);
    }
}

TEST_CASE("per_user_holdout.splits without overlap or loss, keeping the dimensions") {
    const mf::Dataset d = data();
    const mf::TrainTest split = mf::per_user_holdout(d.ratings, 0.2, 42);
    std::multiset<Triplet> joined = triplets(split.train);
    const std::multiset<Triplet> test = triplets(split.test);
    joined.insert(test.begin(), test.end());
    CHECK(joined == triplets(d.ratings));
    // synthetic_ratings never repeats a (user, item) pair, so none may be on both sides.
    std::set<std::pair<mf::index_type, mf::index_type>> train_pairs;
    for (std::size_t j = 0; j < split.train.size(); ++j) {
        train_pairs.emplace(split.train.user(j), split.train.item(j));
    }
    for (std::size_t j = 0; j < split.test.size(); ++j) {
        CHECK(train_pairs.count({split.test.user(j), split.test.item(j)}) == 0);
    }
    CHECK(split.train.n_users() == d.ratings.n_users());
    CHECK(split.test.n_items() == d.ratings.n_items());
}

TEST_CASE("per_user_holdout.the same seed gives the same split") {
    const mf::Dataset d = data();
    const mf::TrainTest a = mf::per_user_holdout(d.ratings, 0.2, 42);
    const mf::TrainTest b = mf::per_user_holdout(d.ratings, 0.2, 42);
    const mf::TrainTest c = mf::per_user_holdout(d.ratings, 0.2, 43);
    CHECK(a.test.users() == b.test.users());
    CHECK(a.test.items() == b.test.items());
    CHECK(a.test.values() == b.test.values());
    CHECK(a.test.items() != c.test.items());
}

TEST_CASE("per_user_holdout.fractions 0 and 1 put everything on one side") {
    const mf::Dataset d = data();
    CHECK(mf::per_user_holdout(d.ratings, 0.0, 1).test.size() == 0);
    CHECK(mf::per_user_holdout(d.ratings, 1.0, 1).train.size() == 0);
}

TEST_CASE("random_holdout.holds out round(fraction * n) ratings of the whole set") {
    const mf::Dataset d = data();
    const mf::TrainTest a = mf::random_holdout(d.ratings, 0.25, 9);
    const mf::TrainTest b = mf::random_holdout(d.ratings, 0.25, 9);
    CHECK(a.test.size() == 1500);
    CHECK(a.train.size() == 4500);
    std::multiset<Triplet> joined = triplets(a.train);
    const std::multiset<Triplet> test = triplets(a.test);
    joined.insert(test.begin(), test.end());
    CHECK(joined == triplets(d.ratings));
    CHECK(a.test.items() == b.test.items());
    CHECK(mf::random_holdout(d.ratings, 0.25, 10).test.items() != a.test.items());
}

TEST_CASE("splits.reject a fraction outside [0, 1]") {
    const mf::Dataset d = data();
    CHECK_THROWS_WITH_AS(mf::per_user_holdout(d.ratings, 1.5, 1),
                         "per_user_holdout: test_fraction must be in [0, 1]; got 1.5",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::random_holdout(d.ratings, -0.1, 1),
                         "random_holdout: test_fraction must be in [0, 1]; got -0.1",
                         mf::invalid_argument);
    CHECK_THROWS_AS(mf::random_holdout(d.ratings, std::nan(""), 1), mf::invalid_argument);
}
