#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <cmath>

namespace {

// Two users, three items, k = 2, with values small enough to check by hand.
template <class Scalar>
mf::MatrixFactorization<Scalar> small_model(bool biased = true) {
    using M = typename mf::MatrixFactorization<Scalar>::matrix_type;
    using V = typename mf::MatrixFactorization<Scalar>::vector_type;
    return mf::MatrixFactorization<Scalar>(M{{1, 2}, {0.5, -1}}, M{{1, 0}, {0, 1}, {2, 2}},
                                           V{0.25, -0.5}, V{0, 0.5, 1}, Scalar(3.5), biased);
}

}  // namespace

TEST_CASE_TEMPLATE("MatrixFactorization.predicts mu + b_u + b_i + p_u . q_i", Scalar, float,
                   double) {
    const auto model = small_model<Scalar>();
    CHECK(model.n_users() == 2);
    CHECK(model.n_items() == 3);
    CHECK(model.n_factors() == 2);
    // 3.5 + 0.25 + 0 + (1*1 + 2*0)
    CHECK(model.predict(0, 0) == doctest::Approx(4.75));
    // 3.5 - 0.5 + 1 + (0.5*2 - 1*2)
    CHECK(model.predict(1, 2) == doctest::Approx(3.0));
}

TEST_CASE_TEMPLATE("MatrixFactorization.unbiased predicts p_u . q_i alone", Scalar, float, double) {
    const auto model = small_model<Scalar>(false);
    CHECK_FALSE(model.biased());
    CHECK(model.predict(0, 2) == doctest::Approx(6.0));
    CHECK(model.predict(1, 1) == doctest::Approx(-1.0));
}

TEST_CASE_TEMPLATE(
    "MatrixFactorization.an unknown user or item falls back to the mean and "
    "the known bias",
    Scalar, float, double) {
    const auto model = small_model<Scalar>();
    CHECK_FALSE(model.is_known_user(2));
    CHECK_FALSE(model.is_known_item(7));
    SUBCASE("unknown item") {
        CHECK(model.predict(0, 7) == doctest::Approx(3.75));
    }
    SUBCASE("unknown user") {
        CHECK(model.predict(9, 2) == doctest::Approx(4.5));
    }
    SUBCASE("both unknown") {
        CHECK(model.predict(9, 7) == doctest::Approx(3.5));
    }
    SUBCASE("unbiased model: the mean alone") {
        CHECK(small_model<Scalar>(false).predict(0, 7) == doctest::Approx(3.5));
    }
}

TEST_CASE_TEMPLATE("MatrixFactorization.clamps to the rating scale once one is set", Scalar, float,
                   double) {
    auto model = small_model<Scalar>(false);
    CHECK(model.predict(0, 2) == doctest::Approx(6.0));
    model.set_rating_scale({1.0, 5.0});
    CHECK(model.predict(0, 2) == doctest::Approx(5.0));
    CHECK(model.predict(1, 1) == doctest::Approx(1.0));
    model.clear_rating_scale();
    CHECK(model.predict(1, 1) == doctest::Approx(-1.0));
    CHECK_THROWS_WITH_AS(model.set_rating_scale({5.0, 1.0}),
                         "MatrixFactorization::set_rating_scale: min and max must be finite with "
                         "min <= max; got 5 and 1",
                         mf::invalid_argument);
    CHECK_THROWS_AS(model.set_rating_scale({std::nan(""), 5.0}), mf::invalid_argument);
}

TEST_CASE_TEMPLATE("MatrixFactorization.batch prediction matches one at a time", Scalar, float,
                   double) {
    const auto model = small_model<Scalar>();
    const mf::Ratings pairs(mf::Ratings::index_array{0, 1, 1, 5},
                            mf::Ratings::index_array{2, 0, 1, 0},
                            mf::Ratings::value_array{1, 1, 1, 1}, 6, 3);
    const auto predicted = model.predict(pairs);
    REQUIRE(predicted.size() == 4);
    for (std::size_t j = 0; j < pairs.size(); ++j) {
        CHECK(predicted(j) == model.predict(pairs.user(j), pairs.item(j)));
    }
    CHECK_THROWS_WITH_AS(model.predict(mf::Ratings::index_array{0, 1}, mf::Ratings::index_array{0}),
                         "MatrixFactorization::predict: 2 users but 1 items", mf::invalid_argument);
}

TEST_CASE("MatrixFactorization.rejects parameters whose shapes disagree") {
    using M = mf::MatrixFactorization<double>::matrix_type;
    using V = mf::MatrixFactorization<double>::vector_type;
    CHECK_THROWS_WITH_AS(mf::MatrixFactorization<double>(M{{1, 2}}, M{{1, 2, 3}}, V{0}, V{0}, 0),
                         "MatrixFactorization: user factors have 2 columns but item factors have 3",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(
        mf::MatrixFactorization<double>(M{{1, 2}}, M{{1, 2}}, V{0, 1}, V{0}, 0),
        "MatrixFactorization: expected 1 user biases and 1 item biases, got 2 and 1",
        mf::invalid_argument);
}

TEST_CASE("MatrixFactorization.a default model knows nobody and predicts 0") {
    const mf::MatrixFactorization<float> model;
    CHECK(model.n_users() == 0);
    CHECK(model.predict(0, 0) == 0.0f);
}

TEST_CASE_TEMPLATE("MatrixFactorization.predicts p · q for every number of factors", Scalar, float,
                   double) {
    for (std::size_t k = 1; k <= 40; ++k) {
        INFO("k = " << k);
        typename mf::MatrixFactorization<Scalar>::matrix_type p =
            xt::empty<Scalar>({std::size_t{1}, k});
        typename mf::MatrixFactorization<Scalar>::matrix_type q =
            xt::empty<Scalar>({std::size_t{1}, k});
        double expected = 0.0;
        for (std::size_t f = 0; f < k; ++f) {
            p(0, f) = static_cast<Scalar>(0.25 * double(f % 7) - 0.5);
            q(0, f) = static_cast<Scalar>(1.0 - 0.125 * double(f % 5));
            expected += double(p(0, f)) * double(q(0, f));
        }
        const mf::MatrixFactorization<Scalar> model(p, q, xt::zeros<Scalar>({1}),
                                                    xt::zeros<Scalar>({1}), Scalar(0), false);
        CHECK(double(model.predict(0, 0)) == doctest::Approx(expected).epsilon(1e-6));
    }
}

TEST_CASE_TEMPLATE("MatrixFactorization.set_known marks who falls back", Scalar, float, double) {
    auto model = small_model<Scalar>();
    CHECK(model.known_users().size() == 2);
    CHECK(model.known_items().size() == 3);
    model.set_known({true, false}, {true, true, false});
    CHECK(model.is_known_user(0));
    CHECK_FALSE(model.is_known_user(1));
    CHECK_FALSE(model.is_known_item(2));
    // User 1 is unknown: μ + b_i for item 1 = 3.5 + 0.5; both unknown: μ.
    CHECK(model.predict(1, 1) == doctest::Approx(4.0));
    CHECK(model.predict(1, 2) == doctest::Approx(3.5));
    // Item 2 is unknown: μ + b_u for user 0 = 3.5 + 0.25.
    CHECK(model.predict(0, 2) == doctest::Approx(3.75));
    CHECK_THROWS_WITH_AS(model.set_known({true}, {true, true, true}),
                         "MatrixFactorization::set_known: expected 2 user flags and 3 item flags, "
                         "got 1 and 3",
                         mf::invalid_argument);
}
