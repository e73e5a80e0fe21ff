#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace {

template <class Scalar>
using Model = mf::MatrixFactorization<Scalar>;

// A model with normal factors and biases; about a fifth of its users and items
// unknown, as if they had no training ratings.
template <class Scalar>
Model<Scalar> random_model(std::size_t users, std::size_t items, std::size_t k, unsigned seed,
                           bool biased) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::bernoulli_distribution known(0.8);
    auto p = xt::xtensor<Scalar, 2>::from_shape({users, k});
    auto q = xt::xtensor<Scalar, 2>::from_shape({items, k});
    auto bu = xt::xtensor<Scalar, 1>::from_shape({users});
    auto bi = xt::xtensor<Scalar, 1>::from_shape({items});
    for (auto& x : p) {
        x = static_cast<Scalar>(normal(rng));
    }
    for (auto& x : q) {
        x = static_cast<Scalar>(normal(rng));
    }
    for (auto& x : bu) {
        x = static_cast<Scalar>(0.5 * normal(rng));
    }
    for (auto& x : bi) {
        x = static_cast<Scalar>(0.5 * normal(rng));
    }
    Model<Scalar> model(p, q, bu, bi, Scalar(3.5), biased);
    xt::xtensor<bool, 1> known_users = xt::empty<bool>({users});
    xt::xtensor<bool, 1> known_items = xt::empty<bool>({items});
    for (auto& flag : known_users) {
        flag = known(rng);
    }
    for (auto& flag : known_items) {
        flag = known(rng);
    }
    model.set_known(known_users, known_items);
    return model;
}

// Each (user, item) pair rated with probability `density`, in user-major order.
mf::Ratings random_ratings(std::size_t users, std::size_t items, double density, unsigned seed) {
    std::mt19937 rng(seed);
    std::bernoulli_distribution rated(density);
    std::vector<mf::index_type> u;
    std::vector<mf::index_type> i;
    for (std::size_t a = 0; a < users; ++a) {
        for (std::size_t b = 0; b < items; ++b) {
            if (rated(rng)) {
                u.push_back(static_cast<mf::index_type>(a));
                i.push_back(static_cast<mf::index_type>(b));
            }
        }
    }
    const std::size_t n = u.size();
    mf::Ratings::index_array users_array = xt::adapt(u, {n});
    mf::Ratings::index_array items_array = xt::adapt(i, {n});
    mf::Ratings::value_array values = xt::ones<mf::rating_type>({n});
    return mf::Ratings(users_array, items_array, values, users, items);
}

// The ratings at the given positions, as a new set with the same dimensions.
mf::Ratings reorder(const mf::Ratings& ratings, std::vector<std::size_t> positions) {
    return ratings.select(positions);
}

bool rated(const mf::Ratings& train, std::size_t user, std::size_t item) {
    for (std::size_t j = 0; j < train.size(); ++j) {
        if (train.user(j) == user && train.item(j) == item) {
            return true;
        }
    }
    return false;
}

// Scores every candidate with predict (the model has no rating scale, so
// predict does not clamp) and sorts them all by the documented order.
template <class Scalar>
std::vector<mf::Recommendation> brute_force(const Model<Scalar>& model, const mf::Ratings& train,
                                            std::size_t user, std::size_t n, bool exclude_seen) {
    std::vector<mf::Recommendation> all;
    for (std::size_t i = 0; i < model.n_items(); ++i) {
        if (model.is_known_item(i) && !(exclude_seen && rated(train, user, i))) {
            all.push_back(
                {static_cast<mf::index_type>(i), static_cast<double>(model.predict(user, i))});
        }
    }
    std::sort(all.begin(), all.end(), [](const mf::Recommendation& a, const mf::Recommendation& b) {
        return a.score > b.score || (a.score == b.score && a.item < b.item);
    });
    all.resize(std::min(n, all.size()));
    return all;
}

std::vector<mf::index_type> items_of(const std::vector<mf::Recommendation>& list) {
    std::vector<mf::index_type> items;
    for (const mf::Recommendation& r : list) {
        items.push_back(r.item);
    }
    return items;
}

// Five users and six items, k = 1: every score is p_u q_i + b_i + μ, easy to
// order by hand.
Model<double> tie_model() {
    using M = Model<double>::matrix_type;
    using V = Model<double>::vector_type;
    // Items 1, 3 and 4 have the same factor and bias, item 5 the same score as them for user 0.
    return Model<double>(M{{1}, {2}}, M{{1}, {2}, {0}, {2}, {2}, {1}}, V{0, 0},
                         V{0, 0, 0.5, 0, 0, 1}, 3.0);
}

}  // namespace

TEST_CASE("SeenItems.lists each user's items once, sorted") {
    const mf::Ratings train(mf::Ratings::index_array{2, 0, 2, 2, 0},
                            mf::Ratings::index_array{5, 3, 1, 5, 0},
                            mf::Ratings::value_array{1, 2, 3, 4, 5}, 4, 6);
    const mf::SeenItems seen(train);
    CHECK(seen.n_users() == 4);
    CHECK(seen.size() == 4);
    CHECK(std::vector<mf::index_type>(seen.items(0).begin(), seen.items(0).end())
          == std::vector<mf::index_type>{0, 3});
    CHECK(seen.items(1).empty());
    REQUIRE(seen.items(2).size() == 2);
    CHECK(seen.items(2)[0] == 1);
    CHECK(seen.items(2)[1] == 5);
    CHECK(seen.contains(2, 5));
    CHECK_FALSE(seen.contains(2, 3));
    CHECK_FALSE(seen.contains(3, 0));
    SUBCASE("a user beyond the training set has seen nothing") {
        CHECK(seen.items(99).empty());
        CHECK_FALSE(seen.contains(99, 0));
    }
    SUBCASE("a default SeenItems holds nobody") {
        const mf::SeenItems none;
        CHECK(none.n_users() == 0);
        CHECK(none.items(0).empty());
    }
}

TEST_CASE_TEMPLATE("Recommender.lists what brute force lists on small random models", Scalar, float,
                   double) {
    for (unsigned seed = 1; seed <= 6; ++seed) {
        const bool biased = seed % 2 == 1;
        const std::size_t users = 9;
        const std::size_t items = 23;
        const auto model = random_model<Scalar>(users, items, seed % 3 == 0 ? 17 : 4, seed, biased);
        const mf::Ratings train = random_ratings(users, items, 0.3, seed + 100);
        const mf::Recommender recommender(model, train);
        for (std::size_t user = 0; user < users + 2; ++user) {
            for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{3},
                                        std::size_t{items}, std::size_t{items + 5}}) {
                for (const bool exclude : {true, false}) {
                    INFO("seed " << seed << ", user " << user << ", n " << n << ", exclude "
                                 << exclude);
                    const auto expected = brute_force(model, train, user, n, exclude);
                    const auto got = recommender.recommend(user, n, exclude);
                    CHECK(items_of(got) == items_of(expected));
                    CHECK(got == expected);
                }
            }
        }
    }
}

TEST_CASE_TEMPLATE("Recommender.never returns a training item, whatever their order", Scalar, float,
                   double) {
    const std::size_t users = 6;
    const std::size_t items = 15;
    const auto model = random_model<Scalar>(users, items, 3, 7, true);
    // Duplicates as well: user 0 rates item 2 twice.
    const mf::Ratings sorted = random_ratings(users, items, 0.4, 8);
    std::vector<std::size_t> positions(sorted.size());
    std::iota(positions.begin(), positions.end(), std::size_t{0});
    positions.push_back(0);

    std::vector<std::size_t> reversed(positions.rbegin(), positions.rend());
    std::vector<std::size_t> shuffled = positions;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(9));

    const mf::Recommender reference(model, reorder(sorted, positions));
    for (const auto& order : {positions, reversed, shuffled}) {
        const mf::Ratings train = reorder(sorted, order);
        const mf::Recommender recommender(model, train);
        for (std::size_t user = 0; user < users; ++user) {
            INFO("user " << user);
            const auto list = recommender.recommend(user, items);
            for (const mf::Recommendation& r : list) {
                CHECK_FALSE(rated(train, user, r.item));
            }
            CHECK(list == reference.recommend(user, items));
        }
    }
}

TEST_CASE_TEMPLATE("Recommender.gives a user who rated every item an empty list", Scalar, float,
                   double) {
    const auto model = random_model<Scalar>(3, 8, 2, 11, true);
    // User 1 rated every item, user 0 every item but 6.
    std::vector<mf::index_type> users(8, 1);
    std::vector<mf::index_type> items(8);
    std::iota(items.begin(), items.end(), mf::index_type{0});
    for (mf::index_type i = 0; i < 8; ++i) {
        if (i != 6) {
            users.push_back(0);
            items.push_back(i);
        }
    }
    const std::size_t n = users.size();
    const mf::Ratings train(xt::adapt(users, {n}), xt::adapt(items, {n}),
                            xt::ones<mf::rating_type>({n}), 3, 8);
    const mf::Recommender recommender(model, train);
    CHECK(recommender.recommend(1, 5).empty());
    SUBCASE("and n larger than the candidates returns what there is") {
        const auto list = recommender.recommend(0, 5);
        if (model.is_known_item(6)) {
            REQUIRE(list.size() == 1);
            CHECK(list[0].item == 6);
        } else {
            CHECK(list.empty());
        }
        const auto known = model.known_items();
        CHECK(recommender.recommend(2, 100).size()
              == static_cast<std::size_t>(std::count(known.begin(), known.end(), true)));
    }
}

TEST_CASE("Recommender.an n beyond the items takes no room for it") {
    using M = mf::MatrixFactorization<double>::matrix_type;
    using V = mf::MatrixFactorization<double>::vector_type;
    const mf::MatrixFactorization<double> model(M{{1, 0}, {0, 1}, {1, 1}},
                                                M{{1, 0}, {0, 1}, {1, 1}, {2, 1}, {0, 3}},
                                                V{0, 0, 0}, V{0, 0, 0, 0, 0}, 3.0);
    const mf::Ratings train({0}, {1}, {4.0f});
    const mf::Recommender recommender(model, train);
    const auto all = recommender.recommend(0, 5);
    CHECK(recommender.recommend(0, std::numeric_limits<std::size_t>::max()) == all);
    CHECK(recommender.similar_items(0, std::numeric_limits<std::size_t>::max()).size() == 4);
}

TEST_CASE("Recommender.breaks ties by the lower item index") {
    const auto model = tie_model();
    const mf::Ratings none(mf::Ratings::index_array{}, mf::Ratings::index_array{},
                           mf::Ratings::value_array{}, 2, 6);
    const mf::Recommender recommender(model, none);
    // User 0: 3 + (1, 2, 0.5, 2, 2, 2); user 1: 3 + (2, 4, 0.5, 4, 4, 3).
    CHECK(items_of(recommender.recommend(0, 6)) == std::vector<mf::index_type>{1, 3, 4, 5, 0, 2});
    CHECK(items_of(recommender.recommend(1, 6)) == std::vector<mf::index_type>{1, 3, 4, 5, 0, 2});
    // The heap keeps the lower indices among equal scores.
    CHECK(items_of(recommender.recommend(0, 2)) == std::vector<mf::index_type>{1, 3});
    CHECK(items_of(recommender.recommend(0, 4)) == std::vector<mf::index_type>{1, 3, 4, 5});
    CHECK(recommender.recommend(0, 1)[0].score == 5.0);
}

TEST_CASE("Recommender.ranks an unknown user by item bias") {
    auto model = tie_model();
    const mf::Ratings train(mf::Ratings::index_array{0}, mf::Ratings::index_array{5},
                            mf::Ratings::value_array{4}, 2, 6);
    SUBCASE("a user beyond the model") {
        const mf::Recommender recommender(model, train);
        const auto list = recommender.recommend(7, 3);
        CHECK(items_of(list) == std::vector<mf::index_type>{5, 2, 0});
        CHECK(list[0].score == 4.0);  // μ + b_5 = 3 + 1
        CHECK(list[1].score == 3.5);
    }
    SUBCASE("a user without training ratings, whose own items are still left out") {
        model.set_known({true, false}, {true, true, true, true, true, true});
        const mf::Ratings user_1_train(mf::Ratings::index_array{1}, mf::Ratings::index_array{5},
                                       mf::Ratings::value_array{4}, 2, 6);
        const mf::Recommender recommender(model, user_1_train);
        CHECK(items_of(recommender.recommend(1, 3)) == std::vector<mf::index_type>{2, 0, 1});
    }
    SUBCASE("an unbiased model ties every item at μ, in index order") {
        using M = Model<double>::matrix_type;
        using V = Model<double>::vector_type;
        const Model<double> unbiased(M{{1}}, M{{1}, {3}, {2}}, V{0}, V{5, 0, 0}, 3.0, false);
        const mf::Recommender recommender(unbiased, train);
        CHECK(recommender.recommend(0, 3)[0].item == 1);
        const auto list = recommender.recommend(4, 3);
        CHECK(items_of(list) == std::vector<mf::index_type>{0, 1, 2});
        CHECK(list[2].score == 3.0);
    }
}

TEST_CASE("Recommender.never recommends an item the model does not know") {
    auto model = tie_model();
    model.set_known({true, true}, {true, false, true, false, true, true});
    const mf::Ratings train(mf::Ratings::index_array{0}, mf::Ratings::index_array{5},
                            mf::Ratings::value_array{4}, 2, 6);
    const mf::Recommender recommender(model, train);
    CHECK(items_of(recommender.recommend(0, 6)) == std::vector<mf::index_type>{4, 0, 2});
    CHECK(items_of(recommender.recommend(3, 6)) == std::vector<mf::index_type>{5, 2, 0, 4});
}

TEST_CASE("Recommender.ranks by the unclamped prediction") {
    auto model = tie_model();
    model.set_rating_scale({1.0, 5.0});
    const mf::Ratings none(mf::Ratings::index_array{}, mf::Ratings::index_array{},
                           mf::Ratings::value_array{}, 2, 6);
    const mf::Recommender recommender(model, none);
    // Clamped to [1, 5], every item but item 2 would score 5 for user 1.
    const auto list = recommender.recommend(1, 6);
    CHECK(items_of(list) == std::vector<mf::index_type>{1, 3, 4, 5, 0, 2});
    CHECK(list[0].score == 7.0);
    CHECK(model.predict(1, 1) == 5.0);
}

TEST_CASE_TEMPLATE("Recommender.batched lists equal single calls for any number of threads", Scalar,
                   float, double) {
    const auto model = random_model<Scalar>(20, 40, 5, 21, true);
    const mf::Ratings train = random_ratings(20, 40, 0.25, 22);
    const mf::Recommender recommender(model, train);
    // Every user, one twice, and two beyond the model.
    std::vector<mf::index_type> users(20);
    std::iota(users.begin(), users.end(), mf::index_type{0});
    users.push_back(3);
    users.push_back(25);
    users.push_back(99);
    for (const std::size_t threads :
         {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{8}}) {
        for (const bool exclude : {true, false}) {
            INFO("threads " << threads << ", exclude " << exclude);
            const auto lists = recommender.recommend(users, 7, threads, exclude);
            REQUIRE(lists.size() == users.size());
            for (std::size_t j = 0; j < users.size(); ++j) {
                CHECK(lists[j] == recommender.recommend(users[j], 7, exclude));
            }
        }
    }
    CHECK(recommender.recommend(std::vector<mf::index_type>{}, 5, 4).empty());
    CHECK_THROWS_WITH_AS(recommender.recommend(users, 5, 0),
                         "Recommender::recommend: threads must lie in [1, 1024]; got 0",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(recommender.recommend(users, 5, 1025),
                         "Recommender::recommend: threads must lie in [1, 1024]; got 1025",
                         mf::invalid_argument);
}

TEST_CASE_TEMPLATE("Recommender.similar_items ranks by the cosine of item factors", Scalar, float,
                   double) {
    for (unsigned seed = 1; seed <= 4; ++seed) {
        const auto model = random_model<Scalar>(2, 30, seed == 4 ? 19 : 3, seed, true);
        const mf::Recommender recommender(model, mf::Ratings{});
        const auto& q = model.item_factors();
        for (std::size_t item = 0; item < model.n_items(); ++item) {
            if (!model.is_known_item(item)) {
                continue;
            }
            std::vector<mf::Recommendation> expected;
            for (std::size_t j = 0; j < model.n_items(); ++j) {
                if (j == item || !model.is_known_item(j)) {
                    continue;
                }
                double dot = 0;
                double a = 0;
                double b = 0;
                for (std::size_t f = 0; f < model.n_factors(); ++f) {
                    dot += double(q(item, f)) * double(q(j, f));
                    a += double(q(item, f)) * double(q(item, f));
                    b += double(q(j, f)) * double(q(j, f));
                }
                expected.push_back({static_cast<mf::index_type>(j), dot / std::sqrt(a * b)});
            }
            std::sort(expected.begin(), expected.end(), [](const auto& x, const auto& y) {
                return x.score > y.score || (x.score == y.score && x.item < y.item);
            });
            expected.resize(std::min<std::size_t>(expected.size(), 5));
            INFO("seed " << seed << ", item " << item);
            const auto got = recommender.similar_items(item, 5);
            REQUIRE(got.size() == expected.size());
            CHECK(items_of(got) == items_of(expected));
            for (std::size_t j = 0; j < got.size(); ++j) {
                CHECK(got[j].score == doctest::Approx(expected[j].score).epsilon(1e-5));
            }
        }
    }
}

TEST_CASE("Recommender.similar_items: equal vectors tie, a zero vector has cosine 0") {
    using M = Model<double>::matrix_type;
    using V = Model<double>::vector_type;
    // Items 1 and 3 point like item 0; item 2 is zero; item 4 is opposite.
    const Model<double> model(M{{1, 1}}, M{{1, 0}, {2, 0}, {0, 0}, {3, 0}, {-1, 0}}, V{0},
                              V{0, 0, 0, 0, 0}, 3.0);
    const mf::Recommender recommender(model, mf::Ratings{});
    const auto list = recommender.similar_items(0, 10);
    CHECK(items_of(list) == std::vector<mf::index_type>{1, 3, 2, 4});
    CHECK(list[0].score == 1.0);
    CHECK(list[2].score == 0.0);
    CHECK(list[3].score == -1.0);
    const auto from_zero = recommender.similar_items(2, 10);
    CHECK(items_of(from_zero) == std::vector<mf::index_type>{0, 1, 3, 4});
    for (const mf::Recommendation& r : from_zero) {
        CHECK(r.score == 0.0);
    }
    CHECK(recommender.similar_items(0, 0).empty());
    CHECK(items_of(recommender.similar_items(4, 1)) == std::vector<mf::index_type>{2});
}

TEST_CASE("Recommender.similar_items rejects an item beyond the model or unknown to it") {
    auto model = tie_model();
    model.set_known({true, true}, {true, true, false, true, true, true});
    const mf::Recommender recommender(model, mf::Ratings{});
    CHECK_THROWS_WITH_AS(recommender.similar_items(6, 3),
                         "Recommender::similar_items: item 6 is beyond the model's 6 items",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(
        recommender.similar_items(2, 3),
        "Recommender::similar_items: item 2 had no training ratings, so its factors mean nothing",
        mf::invalid_argument);
    // Nor is an unknown item ever among the similar ones.
    CHECK(items_of(recommender.similar_items(0, 10)) == std::vector<mf::index_type>{1, 3, 4, 5});
}

TEST_CASE("PopularityRecommender.orders by distinct raters, then lower index, without seen items") {
    // Item counts: 0 → 1, 1 → 3, 2 → 2, 3 → 0, 4 → 2 (user 0 rates it twice), 5 → 3.
    const mf::Ratings train(mf::Ratings::index_array{0, 1, 2, 0, 1, 0, 0, 2, 1, 3, 2, 3},
                            mf::Ratings::index_array{0, 1, 1, 4, 2, 4, 1, 2, 5, 5, 5, 4},
                            mf::Ratings::value_array{5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 5, 4}, 5, 6);
    const mf::PopularityRecommender popularity(train);
    CHECK(popularity.popularity(1) == 3);
    CHECK(popularity.popularity(4) == 2);
    CHECK(popularity.popularity(3) == 0);
    CHECK(popularity.popularity(17) == 0);
    // User 4 rated nothing: every item with a rating, item 3 never.
    const auto all = popularity.recommend(4, 10);
    CHECK(items_of(all) == std::vector<mf::index_type>{1, 5, 2, 4, 0});
    CHECK(all[0].score == 3.0);
    CHECK(all[4].score == 1.0);
    // User 0 rated 0, 1 and 4.
    CHECK(items_of(popularity.recommend(0, 10)) == std::vector<mf::index_type>{5, 2});
    CHECK(items_of(popularity.recommend(0, 1)) == std::vector<mf::index_type>{5});
    CHECK(items_of(popularity.recommend(0, 3, false)) == std::vector<mf::index_type>{1, 5, 2});
    CHECK(popularity.recommend(0, 0).empty());
    CHECK(items_of(popularity.recommend(99, 2)) == std::vector<mf::index_type>{1, 5});

    const std::vector<mf::index_type> users{0, 1, 2, 3, 4, 99};
    for (const std::size_t threads : {std::size_t{1}, std::size_t{3}}) {
        const auto lists = popularity.recommend(users, 4, threads);
        for (std::size_t j = 0; j < users.size(); ++j) {
            CHECK(lists[j] == popularity.recommend(users[j], 4));
        }
    }
    CHECK_THROWS_WITH_AS(popularity.recommend(users, 4, 0),
                         "PopularityRecommender::recommend: threads must lie in [1, 1024]; got 0",
                         mf::invalid_argument);
}
