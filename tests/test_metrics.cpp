#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <cmath>
#include <vector>

TEST_CASE("metrics.match hand-computed values") {
    // Errors -1, 0, -2, 0.5: squares sum to 5.25, absolute values to 3.5.
    const std::vector<double> predicted{1, 2, 3, 4.5};
    const std::vector<float> actual{2, 2, 5, 4};
    CHECK(mf::mse(predicted, actual) == doctest::Approx(5.25 / 4));
    CHECK(mf::rmse(predicted, actual) == doctest::Approx(std::sqrt(5.25 / 4)));
    CHECK(mf::mae(predicted, actual) == doctest::Approx(3.5 / 4));
}

TEST_CASE("metrics.take xtensor arrays") {
    const xt::xtensor<float, 1> predicted{3.0f, 3.0f};
    const xt::xtensor<float, 1> actual{1.0f, 5.0f};
    CHECK(mf::mse(predicted, actual) == doctest::Approx(4.0));
    CHECK(mf::mae(predicted, actual) == doctest::Approx(2.0));
}

TEST_CASE("metrics.perfect predictions score zero") {
    const std::vector<double> v{1, 2, 3};
    CHECK(mf::mse(v, v) == 0.0);
    CHECK(mf::mae(v, v) == 0.0);
}

TEST_CASE("metrics.reject mismatched and empty input") {
    const std::vector<double> two{1, 2};
    const std::vector<double> three{1, 2, 3};
    const std::vector<double> none;
    CHECK_THROWS_WITH_AS(mf::mse(two, three), "mse: 2 predictions but 3 actual ratings",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::mae(none, none), "mae: no ratings to compare", mf::invalid_argument);
}

TEST_CASE_TEMPLATE("evaluate.scores a model on a rating set", Scalar, float, double) {
    using M = typename mf::MatrixFactorization<Scalar>::matrix_type;
    using V = typename mf::MatrixFactorization<Scalar>::vector_type;
    // Predicts 3 + 1 = 4 for item 0 and 3 + 0 = 3 for item 1.
    const mf::MatrixFactorization<Scalar> model(M{{1}}, M{{1}, {0}}, V{0}, V{0, 0}, Scalar(3));
    const mf::Ratings test(mf::Ratings::index_array{0, 0}, mf::Ratings::index_array{0, 1},
                           mf::Ratings::value_array{5, 1}, 1, 2);
    const mf::ErrorMetrics m = mf::evaluate(model, test);
    CHECK(m.count == 2);
    CHECK(m.mse == doctest::Approx(2.5));
    CHECK(m.rmse == doctest::Approx(std::sqrt(2.5)));
    CHECK(m.mae == doctest::Approx(1.5));
    CHECK(m.cold_users == 0);
    CHECK(m.cold_items == 0);
    CHECK(m.cold_ratings == 0);
}

TEST_CASE_TEMPLATE("evaluate.takes predictions already made", Scalar, float, double) {
    using M = typename mf::MatrixFactorization<Scalar>::matrix_type;
    using V = typename mf::MatrixFactorization<Scalar>::vector_type;
    const mf::MatrixFactorization<Scalar> model(M{{1}}, M{{1}, {0}}, V{0}, V{0, 0}, Scalar(3));
    const mf::Ratings test(mf::Ratings::index_array{0, 0, 1}, mf::Ratings::index_array{0, 1, 1},
                           mf::Ratings::value_array{5, 1, 2}, 2, 2);
    const mf::ErrorMetrics made = mf::evaluate(model, test, model.predict(test));
    const mf::ErrorMetrics fresh = mf::evaluate(model, test);
    CHECK(made.mse == fresh.mse);
    CHECK(made.mae == fresh.mae);
    CHECK(made.cold_users == 1);
    CHECK(made.cold_ratings == fresh.cold_ratings);
    CHECK_THROWS_WITH_AS(mf::evaluate(model, test, std::vector<Scalar>{4, 3}),
                         "mse: 2 predictions but 3 actual ratings", mf::invalid_argument);
}

TEST_CASE_TEMPLATE("evaluate.counts users and items beyond the model as cold", Scalar, float,
                   double) {
    using M = typename mf::MatrixFactorization<Scalar>::matrix_type;
    using V = typename mf::MatrixFactorization<Scalar>::vector_type;
    // 2 users x 2 items, μ = 3, b_u = (0.5, −0.5), b_i = (0.25, −0.25),
    // p = (1, 2), q = (1, 0.5).
    const mf::MatrixFactorization<Scalar> model(M{{1}, {2}}, M{{1}, {0.5}}, V{0.5, -0.5},
                                                V{0.25, -0.25}, Scalar(3));
    // A test set of 6 users x 8 items: user 5 and item 7 are beyond the model.
    const mf::Ratings test(mf::Ratings::index_array{0, 5, 0, 5, 1},
                           mf::Ratings::index_array{0, 0, 7, 7, 7},
                           mf::Ratings::value_array{5, 4, 3, 2, 2}, 6, 8);
    const auto predicted = model.predict(test);
    REQUIRE(predicted.size() == 5);
    CHECK(predicted(0) == Scalar(4.75));  // 3 + 0.5 + 0.25 + 1 x 1, both known
    CHECK(predicted(1) == Scalar(3.25));  // μ + b_i(0): user 5 is cold
    CHECK(predicted(2) == Scalar(3.5));   // μ + b_u(0): item 7 is cold
    CHECK(predicted(3) == Scalar(3));     // μ alone: both cold
    CHECK(predicted(4) == Scalar(2.5));   // μ + b_u(1)

    // Errors −0.25, −0.75, 0.5, 1, 0.5: squares sum to 2.125, absolute values to 3.
    const mf::ErrorMetrics m = mf::evaluate(model, test);
    CHECK(m.count == 5);
    CHECK(m.mse == doctest::Approx(2.125 / 5));
    CHECK(m.rmse == doctest::Approx(std::sqrt(2.125 / 5)));
    CHECK(m.mae == doctest::Approx(3.0 / 5));
    CHECK(m.cold_users == 1);    // user 5, in two ratings
    CHECK(m.cold_items == 1);    // item 7, in three ratings
    CHECK(m.cold_ratings == 4);  // all but (0, 0)
}

TEST_CASE("evaluate.a set of cold ratings only has finite errors") {
    using M = mf::MatrixFactorization<double>::matrix_type;
    using V = mf::MatrixFactorization<double>::vector_type;
    const mf::MatrixFactorization<double> model(M{{1}, {2}}, M{{1}, {0.5}}, V{0.5, -0.5},
                                                V{0.25, -0.25}, 3.0);
    // Users 2, 3 and 4, items 2 and 3: every prediction is μ = 3.
    const mf::Ratings test(mf::Ratings::index_array{2, 3, 4}, mf::Ratings::index_array{2, 3, 2},
                           mf::Ratings::value_array{1, 5, 3}, 5, 4);
    const mf::ErrorMetrics m = mf::evaluate(model, test);
    CHECK(m.mse == doctest::Approx(8.0 / 3));
    CHECK(m.mae == doctest::Approx(4.0 / 3));
    CHECK(m.cold_users == 3);
    CHECK(m.cold_items == 2);
    CHECK(m.cold_ratings == 3);
}
