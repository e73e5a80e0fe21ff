#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <utility>
#include <vector>

namespace {

mf::Dataset data() {
    mf::SyntheticOptions o;
    o.users = 80;
    o.items = 120;
    o.ratings = 3000;
    o.min_per_user = 5;
    o.seed = 5;
    return mf::synthetic_ratings(o);
}

mf::SgdOptions quick() {
    mf::SgdOptions o;
    o.factors = 4;
    o.epochs = 3;
    return o;
}

}  // namespace

TEST_CASE("k_fold.tests every rating exactly once, in parts that differ by one at most") {
    const mf::Ratings ratings = data().ratings;
    for (const std::size_t folds : {std::size_t{2}, std::size_t{3}, std::size_t{7}}) {
        INFO(folds << " folds");
        const auto splits = mf::k_fold(ratings, folds, 9);
        REQUIRE(splits.size() == folds);
        std::vector<std::size_t> tested(ratings.size(), 0);
        std::size_t smallest = ratings.size();
        std::size_t largest = 0;
        for (const mf::TrainTest& split : splits) {
            CHECK(split.train.size() + split.test.size() == ratings.size());
            CHECK(split.train.n_users() == ratings.n_users());
            CHECK(split.test.n_items() == ratings.n_items());
            smallest = std::min(smallest, split.test.size());
            largest = std::max(largest, split.test.size());
        }
        CHECK(largest - smallest <= 1);
        // Each test rating is found among the whole set's by its (user, item),
        // which synthetic ratings never repeat.
        std::map<std::pair<mf::index_type, mf::index_type>, std::size_t> where;
        for (std::size_t j = 0; j < ratings.size(); ++j) {
            where[{ratings.user(j), ratings.item(j)}] = j;
        }
        REQUIRE(where.size() == ratings.size());
        for (const mf::TrainTest& split : splits) {
            for (std::size_t j = 0; j < split.test.size(); ++j) {
                ++tested[where.at({split.test.user(j), split.test.item(j)})];
            }
        }
        CHECK(std::count(tested.begin(), tested.end(), std::size_t{1})
              == static_cast<std::ptrdiff_t>(ratings.size()));
    }
}

TEST_CASE("k_fold.the same seed gives the same folds, another seed others") {
    const mf::Ratings ratings = data().ratings;
    const auto a = mf::k_fold(ratings, 5, 1);
    const auto b = mf::k_fold(ratings, 5, 1);
    const auto c = mf::k_fold(ratings, 5, 2);
    CHECK(a[0].test.users() == b[0].test.users());
    CHECK(a[0].test.items() == b[0].test.items());
    CHECK_FALSE(a[0].test.items() == c[0].test.items());
}

TEST_CASE("k_fold.rejects fewer than two folds or more folds than ratings") {
    const mf::Ratings ratings({0, 1, 2}, {0, 1, 2}, {1, 2, 3});
    CHECK_THROWS_WITH_AS(mf::k_fold(ratings, 1, 0),
                         "k_fold: folds must be at least 2 and at most the 3 ratings; got 1",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::k_fold(ratings, 4, 0),
                         "k_fold: folds must be at least 2 and at most the 3 ratings; got 4",
                         mf::invalid_argument);
    CHECK(mf::k_fold(ratings, 3, 0).size() == 3);
}

TEST_CASE_TEMPLATE("cross_validate.aggregates the folds' own figures", Scalar, float, double) {
    const mf::Ratings ratings = data().ratings;
    std::size_t calls = 0;
    const mf::CrossValidation cv = mf::cross_validate<Scalar>(
        ratings, quick(), 4, 3, [&](const mf::FoldResult& fold) { CHECK(fold.fold == calls++); });
    CHECK(calls == 4);
    REQUIRE(cv.folds.size() == 4);

    double sum = 0.0;
    double weighted = 0.0;
    std::size_t tested = 0;
    for (const mf::FoldResult& fold : cv.folds) {
        CHECK(fold.train_ratings + fold.test_ratings == ratings.size());
        CHECK(fold.test.count == fold.test_ratings);
        CHECK(std::isfinite(fold.test.rmse));
        CHECK(fold.test.rmse == doctest::Approx(std::sqrt(fold.test.mse)));
        sum += fold.test.rmse;
        weighted += fold.test.mse * static_cast<double>(fold.test.count);
        tested += fold.test.count;
    }
    CHECK(tested == ratings.size());
    const double mean = sum / 4;
    double squares = 0.0;
    for (const mf::FoldResult& fold : cv.folds) {
        squares += (fold.test.rmse - mean) * (fold.test.rmse - mean);
    }
    CHECK(cv.mean_rmse == doctest::Approx(mean));
    CHECK(cv.std_rmse == doctest::Approx(std::sqrt(squares / 3)));
    CHECK(cv.std_rmse > 0.0);
    CHECK(cv.pooled_rmse == doctest::Approx(std::sqrt(weighted / static_cast<double>(tested))));
    // A model of the data beats the spread of the ratings.
    CHECK(cv.mean_rmse < 1.2);
}

TEST_CASE("cross_validate.the same seeds give the same figures, bit for bit") {
    const mf::Ratings ratings = data().ratings;
    const auto a = mf::cross_validate(ratings, quick(), 3, 8);
    const auto b = mf::cross_validate(ratings, quick(), 3, 8);
    for (std::size_t f = 0; f < 3; ++f) {
        CHECK(a.folds[f].test.rmse == b.folds[f].test.rmse);
        CHECK(a.folds[f].test.mae == b.folds[f].test.mae);
    }
    CHECK(a.mean_rmse == b.mean_rmse);
    const auto c = mf::cross_validate(ratings, quick(), 3, 9);
    CHECK(a.folds[0].test.rmse != c.folds[0].test.rmse);
}

TEST_CASE("cross_validate.checks the options before training") {
    const mf::Ratings ratings = data().ratings;
    mf::SgdOptions bad = quick();
    bad.factors = 0;
    CHECK_THROWS_WITH_AS(mf::cross_validate(ratings, bad, 3, 1),
                         "SgdOptions::factors must be at least 1; got 0", mf::invalid_argument);
    CHECK_THROWS_AS(mf::cross_validate(ratings, quick(), 1, 1), mf::invalid_argument);
}

TEST_CASE("cross_validate.a data set's rating scale clamps the predictions") {
    mf::Dataset data = ::data();
    data.scale = mf::RatingScale{2.9, 3.1};
    const auto clamped = mf::cross_validate(data, quick(), 3, 4);
    const auto free = mf::cross_validate(data.ratings, quick(), 3, 4);
    // Predictions within [2.9, 3.1] stay near the middle of the 1..5 ratings:
    // the error is that of a constant, larger than the free model's.
    CHECK(clamped.mean_rmse > free.mean_rmse);
    CHECK(clamped.folds.size() == 3);
}
