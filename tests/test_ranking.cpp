#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace {

using Model = mf::MatrixFactorization<double>;

// The worked example of docs/metrics.md, built as its program builds it.
struct WorkedExample {
    Model model{Model::matrix_type{{1.0}, {-1.0}},
                Model::matrix_type{{6.0}, {5.0}, {4.0}, {3.0}, {2.0}, {1.0}},
                Model::vector_type{0.0, 0.0},
                Model::vector_type{0, 0, 0, 0, 0, 0},
                4.0,
                false};
    mf::Ratings train{mf::Ratings::index_array{0, 1, 1}, mf::Ratings::index_array{1, 5, 2},
                      mf::Ratings::value_array{4, 3, 5}, 2, 6};
    mf::Ratings test{mf::Ratings::index_array{0, 0, 0, 1, 1, 1, 2, 3},
                     mf::Ratings::index_array{0, 3, 4, 2, 0, 1, 5, 2},
                     mf::Ratings::value_array{5, 4, 2, 5, 4, 3, 5, 3}, 4, 6};
};

mf::RankingOptions at(std::size_t k, double threshold = 4.0, std::size_t threads = 1) {
    mf::RankingOptions options;
    options.k = k;
    options.relevance_threshold = threshold;
    options.threads = threads;
    return options;
}

// Recommends fixed lists, so that the metrics can be checked on lists made by hand.
struct FixedRanker {
    std::vector<std::vector<mf::index_type>> lists;
    mf::SeenItems seen;

    const mf::SeenItems& seen_items() const { return seen; }

    std::vector<mf::Recommendation> recommend(std::size_t user, std::size_t n) const {
        std::vector<mf::Recommendation> list;
        if (user < lists.size()) {
            for (std::size_t j = 0; j < lists[user].size() && j < n; ++j) {
                list.push_back({lists[user][j], -static_cast<double>(j)});
            }
        }
        return list;
    }
};

mf::Ratings ratings(std::vector<mf::index_type> users, std::vector<mf::index_type> items,
                    std::vector<mf::rating_type> values, std::size_t n_users, std::size_t n_items) {
    const std::size_t n = values.size();
    return mf::Ratings(xt::adapt(users, {n}), xt::adapt(items, {n}), xt::adapt(values, {n}),
                       n_users, n_items);
}

// 1 / log2(i + 1), the discount of rank i.
double discount(double i) {
    return 1.0 / std::log2(i + 1.0);
}

}  // namespace

TEST_CASE("evaluate_ranking.reproduces the worked example of docs/metrics.md") {
    const WorkedExample example;
    const mf::Recommender recommender(example.model, example.train);
    const mf::RankingMetrics m = mf::evaluate_ranking(recommender, example.test, at(5));

    // The numbers as the document writes them, to its seven decimals.
    CHECK(m.precision == doctest::Approx(0.2).epsilon(1e-6));
    CHECK(m.recall == doctest::Approx(0.6666667).epsilon(1e-6));
    CHECK(m.ndcg == doctest::Approx(0.4501324).epsilon(1e-6));
    CHECK(m.map == doctest::Approx(0.3611111).epsilon(1e-6));
    CHECK(m.hit_rate == doctest::Approx(0.6666667).epsilon(1e-6));
    // And as the fractions it derives them from.
    CHECK(m.precision == doctest::Approx((2.0 / 5 + 1.0 / 5) / 3).epsilon(1e-12));
    CHECK(m.recall == doctest::Approx(2.0 / 3).epsilon(1e-12));
    CHECK(m.ndcg == doctest::Approx((1.5 / (1 + discount(2)) + discount(4)) / 3).epsilon(1e-12));
    CHECK(m.map == doctest::Approx(13.0 / 36).epsilon(1e-12));
    CHECK(m.hit_rate == doctest::Approx(2.0 / 3).epsilon(1e-12));
    CHECK(m.users == 3);
    CHECK(m.skipped_users == 1);
    CHECK(m.relevant == 4);
    CHECK(m.hits == 3);
    CHECK(m.relevant_seen == 1);
    CHECK(m.k == 5);
    CHECK(m.relevance_threshold == 4.0);

    SUBCASE("the lists the document shows") {
        const auto list = recommender.recommend(1, 5);
        REQUIRE(list.size() == 4);
        CHECK(list[0] == mf::Recommendation{4, -2.0});
        CHECK(list[3] == mf::Recommendation{0, -6.0});
        CHECK(recommender.recommend(0, 5).size() == 5);
        CHECK(recommender.recommend(0, 5)[1].item == 2);
        CHECK(recommender.recommend(2, 5).back().item == 4);
    }
    SUBCASE("each user's own values") {
        const auto alone = [&](std::vector<std::size_t> positions) {
            return mf::evaluate_ranking(recommender, example.test.select(positions), at(5));
        };
        const mf::RankingMetrics user0 = alone({0, 1, 2});
        CHECK(user0.precision == doctest::Approx(0.4));
        CHECK(user0.recall == doctest::Approx(1.0));
        CHECK(user0.ndcg == doctest::Approx(0.9197208).epsilon(1e-6));
        CHECK(user0.map == doctest::Approx(0.8333333).epsilon(1e-6));
        const mf::RankingMetrics user1 = alone({3, 4, 5});
        CHECK(user1.precision == doctest::Approx(0.2));
        CHECK(user1.recall == doctest::Approx(1.0));
        CHECK(user1.ndcg == doctest::Approx(0.4306766).epsilon(1e-6));
        CHECK(user1.map == doctest::Approx(0.25));
        CHECK(user1.relevant_seen == 1);
        const mf::RankingMetrics user2 = alone({6});
        CHECK(user2.hit_rate == 0.0);
        CHECK(user2.ndcg == 0.0);
    }
}

TEST_CASE("evaluate_ranking.measures the popularity baseline by the same code") {
    const WorkedExample example;
    // Items 1, 2 and 5 have one rating each: lists in that order, less the user's own.
    const mf::PopularityRecommender popularity(example.train);
    const mf::RankingMetrics m = mf::evaluate_ranking(popularity, example.test, at(5));
    // Only user 2 finds its item, 5, third in (1, 2, 5).
    CHECK(m.users == 3);
    CHECK(m.skipped_users == 1);
    CHECK(m.relevant_seen == 1);
    CHECK(m.hits == 1);
    CHECK(m.precision == doctest::Approx(1.0 / 15).epsilon(1e-12));
    CHECK(m.recall == doctest::Approx(1.0 / 3).epsilon(1e-12));
    CHECK(m.ndcg == doctest::Approx(0.5 / 3).epsilon(1e-12));
    CHECK(m.map == doctest::Approx(1.0 / 9).epsilon(1e-12));
    CHECK(m.hit_rate == doctest::Approx(1.0 / 3).epsilon(1e-12));
}

TEST_CASE("evaluate_ranking.matches hand-computed values on fixed lists") {
    FixedRanker ranker;
    ranker.lists = {{10, 11, 12, 13}, {20}, {1, 9, 2, 3, 4}};
    // User 0: 11, 13 and 14 relevant, 15 not (3.5 < 4).
    // User 1: a list of one, shorter than k.
    // User 2: five relevant items, more than k.
    const mf::Ratings test =
        ratings({0, 0, 0, 0, 1, 2, 2, 2, 2, 2}, {11, 13, 14, 15, 20, 1, 2, 3, 4, 5},
                {5, 4, 4.5f, 3.5f, 4, 4, 4, 4, 4, 4}, 3, 21);
    const mf::RankingMetrics m = mf::evaluate_ranking(ranker, test, at(4));

    // rel = (0, 1, 0, 1), (1), (1, 0, 1, 1).
    const double precision[] = {2.0 / 4, 1.0 / 4, 3.0 / 4};
    const double recall[] = {2.0 / 3, 1.0, 3.0 / 5};
    const double ndcg[] = {(discount(2) + discount(4)) / (discount(1) + discount(2) + discount(3)),
                           1.0,
                           (discount(1) + discount(3) + discount(4))
                               / (discount(1) + discount(2) + discount(3) + discount(4))};
    const double ap[] = {(1.0 / 2 + 2.0 / 4) / 3, 1.0, (1.0 / 1 + 2.0 / 3 + 3.0 / 4) / 4};
    const auto mean = [](const double(&x)[3]) { return (x[0] + x[1] + x[2]) / 3; };
    CHECK(m.precision == doctest::Approx(mean(precision)).epsilon(1e-12));
    CHECK(m.recall == doctest::Approx(mean(recall)).epsilon(1e-12));
    CHECK(m.ndcg == doctest::Approx(mean(ndcg)).epsilon(1e-12));
    CHECK(m.map == doctest::Approx(mean(ap)).epsilon(1e-12));
    CHECK(m.hit_rate == 1.0);
    CHECK(m.users == 3);
    CHECK(m.skipped_users == 0);
    CHECK(m.relevant == 9);
    CHECK(m.hits == 6);
    // Written out, for one of them: (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/2).
    CHECK(ndcg[0] == doctest::Approx(1.0616063 / 2.1309298).epsilon(1e-6));
}

TEST_CASE("evaluate_ranking.a ranker listing the relevant items first scores 1") {
    FixedRanker ranker;
    ranker.lists = {{3, 1}, {4, 5, 6, 0}};
    const mf::Ratings test =
        ratings({0, 0, 1, 1, 1, 1}, {1, 3, 4, 5, 6, 7}, {5, 4, 5, 5, 5, 5}, 2, 8);
    const mf::RankingMetrics m = mf::evaluate_ranking(ranker, test, at(3));
    CHECK(m.ndcg == doctest::Approx(1.0));
    CHECK(m.map == doctest::Approx(1.0));
    CHECK(m.hit_rate == 1.0);
    // User 0 has two relevant items for three places; user 1 four for three.
    CHECK(m.precision == doctest::Approx((2.0 / 3 + 1.0) / 2));
    CHECK(m.recall == doctest::Approx((1.0 + 3.0 / 4) / 2));
}

TEST_CASE("evaluate_ranking.follows the relevance threshold") {
    const WorkedExample example;
    const mf::Recommender recommender(example.model, example.train);
    // At 5: user 0 keeps item 0, user 1's only 5 is a training item, user 3 has none.
    const mf::RankingMetrics m = mf::evaluate_ranking(recommender, example.test, at(5, 5.0));
    CHECK(m.users == 2);
    CHECK(m.skipped_users == 2);
    CHECK(m.relevant_seen == 1);
    CHECK(m.precision == doctest::Approx(0.1));
    CHECK(m.recall == doctest::Approx(0.5));
    CHECK(m.ndcg == doctest::Approx(0.5));
    CHECK(m.map == doctest::Approx(0.5));
    CHECK(m.relevance_threshold == 5.0);
    // At 2, every test rating of users 0, 1 and 3 is relevant; the rating equal to the threshold
    // too.
    const mf::RankingMetrics low = mf::evaluate_ranking(recommender, example.test, at(5, 2.0));
    CHECK(low.users == 4);
    CHECK(low.skipped_users == 0);
    CHECK(low.relevant == 3 + 2 + 1 + 1);
}

TEST_CASE("evaluate_ranking.a rating equal to a threshold a float cannot hold is relevant") {
    // 3.7f is below the double 3.7: the threshold is compared as a rating is read.
    const WorkedExample example;
    const mf::Recommender recommender(example.model, example.train);
    const mf::Ratings test = ratings({0, 0}, {0, 4}, {3.7f, 3.6f}, 2, 6);
    const mf::RankingMetrics m = mf::evaluate_ranking(recommender, test, at(5, 3.7));
    CHECK(m.users == 1);
    CHECK(m.relevant == 1);
}

TEST_CASE("evaluate_ranking.a k beyond the items lists every candidate") {
    const WorkedExample example;
    const mf::Recommender recommender(example.model, example.train);
    const mf::RankingMetrics wide =
        mf::evaluate_ranking(recommender, example.test, at(std::size_t{1} << 40));
    const mf::RankingMetrics six = mf::evaluate_ranking(recommender, example.test, at(6));
    CHECK(wide.hits == six.hits);
    CHECK(wide.recall == six.recall);
}

TEST_CASE("evaluate_ranking.counts a relevant item the model never trained as a miss") {
    const WorkedExample example;
    const mf::Recommender recommender(example.model, example.train);
    // Item 7 is beyond the six items of the model: no list can hold it.
    const mf::Ratings test = ratings({0, 0}, {0, 7}, {5, 5}, 2, 8);
    const mf::RankingMetrics m = mf::evaluate_ranking(recommender, test, at(5));
    CHECK(m.users == 1);
    CHECK(m.relevant == 2);
    CHECK(m.hits == 1);
    CHECK(m.recall == doctest::Approx(0.5));
    CHECK(m.ndcg == doctest::Approx(1.0 / (1.0 + discount(2))));
}

TEST_CASE("evaluate_ranking.gives the same figures on any number of threads") {
    mf::SyntheticOptions shape;
    shape.users = 120;
    shape.items = 80;
    shape.ratings = 4000;
    shape.min_per_user = 5;
    const mf::Dataset data = mf::synthetic_ratings(shape);
    const mf::TrainTest split = mf::per_user_holdout(data.ratings, 0.2, 3);
    mf::SgdOptions options;
    options.factors = 6;
    options.epochs = 4;
    mf::MatrixFactorization<float> model;
    mf::SgdTrainer(options).fit(model, split.train);
    const mf::Recommender recommender(model, split.train);

    const mf::RankingMetrics one = mf::evaluate_ranking(recommender, split.test, at(10));
    CHECK(one.users > 50);
    CHECK(one.precision > 0.0);
    for (const std::size_t threads : {std::size_t{2}, std::size_t{3}, std::size_t{8}}) {
        INFO("threads " << threads);
        const mf::RankingMetrics many =
            mf::evaluate_ranking(recommender, split.test, at(10, 4.0, threads));
        CHECK(many.precision == one.precision);
        CHECK(many.recall == one.recall);
        CHECK(many.ndcg == one.ndcg);
        CHECK(many.map == one.map);
        CHECK(many.hit_rate == one.hit_rate);
        CHECK(many.hits == one.hits);
    }
    // Every metric of a mean of per-user values in [0, 1] lies in [0, 1].
    for (const double x : {one.precision, one.recall, one.ndcg, one.map, one.hit_rate}) {
        CHECK(x >= 0.0);
        CHECK(x <= 1.0);
    }
}

TEST_CASE("evaluate_ranking.rejects bad options and a test set with nothing to find") {
    const WorkedExample example;
    const mf::Recommender recommender(example.model, example.train);
    CHECK_THROWS_WITH_AS(mf::evaluate_ranking(recommender, example.test, at(0)),
                         "RankingOptions::k must be at least 1; got 0", mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::evaluate_ranking(recommender, example.test,
                                              at(5, std::numeric_limits<double>::quiet_NaN())),
                         "RankingOptions::relevance_threshold must be a finite number; got nan",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::evaluate_ranking(recommender, example.test, at(5, 4.0, 0)),
                         "RankingOptions::threads must lie in [1, 1024]; got 0",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::evaluate_ranking(recommender, example.test, at(5, 6.0)),
                         "evaluate_ranking: no user of the test set has a rating of at least 6 "
                         "outside their training items",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::evaluate_ranking(recommender, mf::Ratings{}),
                         "evaluate_ranking: no user of the test set has a rating of at least 4 "
                         "outside their training items",
                         mf::invalid_argument);
}
