#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <cmath>
#include <set>
#include <utility>
#include <vector>

namespace {

mf::SyntheticOptions shape(std::size_t users, std::size_t items, std::size_t ratings,
                           std::size_t min_per_user) {
    mf::SyntheticOptions o;
    o.users = users;
    o.items = items;
    o.ratings = ratings;
    o.min_per_user = min_per_user;
    return o;
}

std::size_t distinct_pairs(const mf::Ratings& ratings) {
    std::set<std::pair<mf::index_type, mf::index_type>> pairs;
    for (std::size_t j = 0; j < ratings.size(); ++j) {
        pairs.emplace(ratings.user(j), ratings.item(j));
    }
    return pairs.size();
}

}  // namespace

TEST_CASE("synthetic_ratings.is shaped like MovieLens 100k by default") {
    const mf::Dataset data = mf::synthetic_ratings(mf::SyntheticOptions{});
    CHECK(data.ratings.size() == 100000);
    CHECK(data.ratings.n_users() == 943);
    CHECK(data.ratings.n_items() == 1682);
    CHECK(data.users.size() == 943);
    CHECK(data.items.raw(0) == "1");

    std::vector<std::size_t> per_user(943, 0);
    for (std::size_t j = 0; j < data.ratings.size(); ++j) {
        ++per_user[data.ratings.user(j)];
        const float r = data.ratings.value(j);
        REQUIRE(r >= 1.0f);
        REQUIRE(r <= 5.0f);
        REQUIRE(r == static_cast<float>(static_cast<int>(r)));
    }
    CHECK(distinct_pairs(data.ratings) == data.ratings.size());
    for (const std::size_t n : per_user) {
        REQUIRE(n >= 20);
    }
    CHECK(data.ratings.mean() == doctest::Approx(3.5).epsilon(0.05));
}

TEST_CASE("synthetic_ratings.the same seed gives the same set") {
    mf::SyntheticOptions o = shape(50, 40, 600, 3);
    const mf::Dataset a = mf::synthetic_ratings(o);
    const mf::Dataset b = mf::synthetic_ratings(o);
    o.seed = 2;
    const mf::Dataset c = mf::synthetic_ratings(o);
    CHECK(a.ratings.items() == b.ratings.items());
    CHECK(a.ratings.values() == b.ratings.values());
    CHECK(a.ratings.items() != c.ratings.items());
}

TEST_CASE("synthetic_ratings.continuous ratings without a scale") {
    mf::SyntheticOptions o = shape(30, 30, 300, 1);
    o.step = 0.0;
    o.scale.reset();
    const mf::Dataset data = mf::synthetic_ratings(o);
    bool fractional = false;
    for (const float r : data.ratings.values()) {
        fractional = fractional || r != static_cast<float>(static_cast<int>(r));
    }
    CHECK(fractional);
    CHECK_FALSE(data.scale.has_value());
}

TEST_CASE("synthetic_ratings.a nearly full matrix still has distinct pairs") {
    mf::SyntheticOptions o = shape(10, 10, 95, 5);
    CHECK(distinct_pairs(mf::synthetic_ratings(o).ratings) == 95);
}

TEST_CASE("synthetic_ratings.rejects options it cannot meet") {
    mf::SyntheticOptions o = shape(10, 10, 101, 1);
    CHECK_THROWS_WITH_AS(mf::synthetic_ratings(o),
                         "synthetic_ratings: ratings must lie between users x min_per_user and "
                         "users x items; got 101",
                         mf::invalid_argument);
    o.ratings = 50;
    o.scale = mf::RatingScale{std::nan(""), 5.0};
    CHECK_THROWS_WITH_AS(mf::synthetic_ratings(o),
                         "synthetic_ratings: scale must be finite with min <= max",
                         mf::invalid_argument);
    o.scale.reset();
    o.rank = 0;
    CHECK_THROWS_WITH_AS(mf::synthetic_ratings(o),
                         "synthetic_ratings: users, items and rank must be at least 1",
                         mf::invalid_argument);
}
