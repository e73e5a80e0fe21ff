#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace {

// One rating, r = 4, of user 0 for item 0.
mf::Ratings one_rating() {
    return mf::Ratings(mf::Ratings::index_array{0}, mf::Ratings::index_array{0},
                       mf::Ratings::value_array{4.0f}, 1, 1);
}

// The regularised squared loss of one rating,
//     L = ½ e² + ½ λ (|p|² + |q|²) + ½ λ_b (b_u² + b_i²),
//     e = r − (μ + b_u + b_i + p · q),
// over the parameter vector θ = (p, q, b_u, b_i).
double loss(const std::vector<double>& theta, std::size_t k, double r, double mu, double lambda,
            double lambda_b) {
    double dot = 0.0;
    double norms = 0.0;
    for (std::size_t f = 0; f < k; ++f) {
        dot += theta[f] * theta[k + f];
        norms += theta[f] * theta[f] + theta[k + f] * theta[k + f];
    }
    const double bu = theta[2 * k];
    const double bi = theta[2 * k + 1];
    const double e = r - (mu + bu + bi + dot);
    return 0.5 * e * e + 0.5 * lambda * norms + 0.5 * lambda_b * (bu * bu + bi * bi);
}

std::vector<double> parameters(const mf::MatrixFactorization<double>& model) {
    std::vector<double> theta;
    for (const double x : model.user_factors())
        theta.push_back(x);
    for (const double x : model.item_factors())
        theta.push_back(x);
    theta.push_back(model.user_biases()(0));
    theta.push_back(model.item_biases()(0));
    return theta;
}

mf::Dataset low_rank_data(std::uint64_t seed) {
    mf::SyntheticOptions o;
    o.users = 80;
    o.items = 60;
    o.ratings = 2880;  // 60 % of the matrix
    o.min_per_user = 20;
    o.rank = 2;
    o.noise = 0.0;
    o.step = 0.0;
    o.scale.reset();
    o.seed = seed;
    return mf::synthetic_ratings(o);
}

}  // namespace

TEST_CASE("SgdTrainer.one step follows the gradient of the regularised loss") {
    mf::SgdOptions options;
    options.factors = 4;
    options.learning_rate = 1e-3;
    options.learning_rate_decay = 0.0;
    options.reg_factors = 0.1;
    options.reg_biases = 0.05;
    options.init_std = 0.5;

    // Same seed, so the model after 0 epochs is the one the step starts from.
    mf::MatrixFactorization<double> before;
    options.epochs = 0;
    mf::SgdTrainer(options).fit(before, one_rating());
    mf::MatrixFactorization<double> after;
    options.epochs = 1;
    mf::SgdTrainer(options).fit(after, one_rating());

    const std::vector<double> theta0 = parameters(before);
    const std::vector<double> theta1 = parameters(after);
    const double mu = before.global_mean();
    REQUIRE(mu == 4.0);
    const double h = 1e-6;
    for (std::size_t j = 0; j < theta0.size(); ++j) {
        std::vector<double> plus = theta0;
        std::vector<double> minus = theta0;
        plus[j] += h;
        minus[j] -= h;
        const double numeric =
            (loss(plus, 4, 4.0, mu, 0.1, 0.05) - loss(minus, 4, 4.0, mu, 0.1, 0.05)) / (2 * h);
        const double step = (theta0[j] - theta1[j]) / options.learning_rate;
        INFO("parameter " << j);
        CHECK(step == doctest::Approx(numeric).epsilon(1e-6));
    }
}

TEST_CASE("SgdTrainer.the notebook preset takes the notebook's step") {
    // The notebook: e = p·q − r, p ← p − 0.001·2e·q, q ← q − 0.001·2e·p (old p).
    mf::SgdOptions options = mf::SgdOptions::notebook();
    options.epochs = 0;
    mf::MatrixFactorization<double> before;
    mf::SgdTrainer(options).fit(before, one_rating());
    options.epochs = 1;
    mf::MatrixFactorization<double> after;
    mf::SgdTrainer(options).fit(after, one_rating());

    const auto& p = before.user_factors();
    const auto& q = before.item_factors();
    double e = -4.0;
    for (std::size_t f = 0; f < 5; ++f) {
        CHECK(p(0, f) >= 0.0);
        CHECK(p(0, f) < 1.0);
        e += p(0, f) * q(0, f);
    }
    for (std::size_t f = 0; f < 5; ++f) {
        CHECK(after.user_factors()(0, f)
              == doctest::Approx(p(0, f) - 0.001 * 2 * e * q(0, f)).epsilon(1e-12));
        CHECK(after.item_factors()(0, f)
              == doctest::Approx(q(0, f) - 0.001 * 2 * e * p(0, f)).epsilon(1e-12));
    }
    CHECK(after.user_biases()(0) == 0.0);
}

TEST_CASE_TEMPLATE("SgdTrainer.recovers a low-rank matrix", Scalar, float, double) {
    const mf::Dataset data = low_rank_data(7);
    const mf::TrainTest split = mf::random_holdout(data.ratings, 0.2, 3);
    mf::SgdOptions options;
    options.factors = 2;
    options.epochs = 400;
    options.schedule = mf::Schedule::decay;  // plain SGD at a constant rate
    options.learning_rate = 0.02;
    options.learning_rate_decay = 0.0;
    options.reg_factors = 0.0;
    options.reg_biases = 0.0;

    mf::MatrixFactorization<Scalar> model;
    mf::SgdTrainer(options).fit(model, split.train);

    // Predicting the mean would score the standard deviation of the ratings.
    const double mean = split.test.mean();
    double variance = 0.0;
    for (const float r : split.test.values())
        variance += (r - mean) * (r - mean);
    const double spread = std::sqrt(variance / double(split.test.size()));
    const double test_rmse = mf::evaluate(model, split.test).rmse;
    INFO("test RMSE " << test_rmse << ", rating spread " << spread);
    CHECK(test_rmse < 0.05 * spread);
}

TEST_CASE("SgdTrainer.the same seed gives the same model, bit for bit") {
    const mf::Dataset data = low_rank_data(1);
    mf::SgdOptions options;
    options.factors = 8;
    options.epochs = 5;
    mf::MatrixFactorization<float> a;
    mf::MatrixFactorization<float> b;
    mf::MatrixFactorization<float> c;
    mf::SgdTrainer(options).fit(a, data.ratings);
    mf::SgdTrainer(options).fit(b, data.ratings);
    options.seed += 1;
    mf::SgdTrainer(options).fit(c, data.ratings);
    CHECK(a.user_factors() == b.user_factors());
    CHECK(a.item_factors() == b.item_factors());
    CHECK(a.user_biases() == b.user_biases());
    CHECK(a.item_factors() != c.item_factors());
}

TEST_CASE("SgdTrainer.reports each epoch and stops when the callback says so") {
    const mf::Dataset data = low_rank_data(2);
    const mf::TrainTest split = mf::random_holdout(data.ratings, 0.2, 5);
    mf::SgdOptions options;
    options.factors = 4;
    options.epochs = 6;
    options.schedule = mf::Schedule::decay;
    options.learning_rate_decay = 0.5;
    const mf::SgdTrainer trainer(options);
    mf::MatrixFactorization<double> model;

    SUBCASE("a void callback sees every epoch") {
        std::vector<std::size_t> seen;
        const auto history =
            trainer.fit(model, split.train, split.test,
                        [&](const mf::EpochStats& stats) { seen.push_back(stats.epoch); });
        CHECK(seen == std::vector<std::size_t>{1, 2, 3, 4, 5, 6});
        REQUIRE(history.size() == 6);
        CHECK(history[0].learning_rate == options.learning_rate);
        CHECK(history[1].learning_rate == doctest::Approx(options.learning_rate * 0.5));
        CHECK(history.back().validation_mse
              == doctest::Approx(mf::evaluate(model, split.test).mse));
        CHECK(history.back().train_mse == doctest::Approx(mf::evaluate(model, split.train).mse));
        CHECK(history.back().seconds >= 0.0);
    }
    SUBCASE("returning false stops training") {
        const auto history = trainer.fit(
            model, split.train, [](const mf::EpochStats& stats) { return stats.epoch < 3; });
        CHECK(history.size() == 3);
        CHECK(std::isnan(history[0].validation_mse));
    }
}

TEST_CASE("SgdTrainer.users and items without training ratings are unknown") {
    // User 1 and item 2 exist in the matrix but have no training ratings.
    const mf::Ratings train(mf::Ratings::index_array{0, 0, 2}, mf::Ratings::index_array{0, 1, 1},
                            mf::Ratings::value_array{4, 2, 5}, 3, 3);
    mf::MatrixFactorization<float> model;
    mf::SgdTrainer().fit(model, train);
    CHECK(model.n_users() == 3);
    CHECK(model.is_known_user(0));
    CHECK_FALSE(model.is_known_user(1));
    CHECK_FALSE(model.is_known_item(2));
    CHECK(model.global_mean() == doctest::Approx(11.0 / 3));
    CHECK(model.predict(1, 2) == doctest::Approx(11.0 / 3));

    // Inside the model but never trained: cold, as an index beyond it would be.
    const mf::Ratings test(mf::Ratings::index_array{1, 0}, mf::Ratings::index_array{0, 2},
                           mf::Ratings::value_array{3, 3}, 3, 3);
    const mf::ErrorMetrics m = mf::evaluate(model, test);
    CHECK(m.cold_users == 1);
    CHECK(m.cold_items == 1);
    CHECK(m.cold_ratings == 2);
}

TEST_CASE("SgdTrainer.a validation set may be wider than the training set") {
    // 2 users x 2 items to train on; the validation set has 6 users x 8 items,
    // and user 5 and item 7 are cold: the model predicts them by its fallback.
    const mf::Ratings train(mf::Ratings::index_array{0, 0, 1, 1},
                            mf::Ratings::index_array{0, 1, 0, 1},
                            mf::Ratings::value_array{5, 3, 4, 2}, 2, 2);
    const mf::Ratings validation(mf::Ratings::index_array{0, 5, 1, 5},
                                 mf::Ratings::index_array{1, 0, 7, 7},
                                 mf::Ratings::value_array{3, 4, 2, 5}, 6, 8);
    mf::SgdOptions options;
    options.factors = 2;
    options.epochs = 3;
    const mf::SgdTrainer trainer(options);
    mf::MatrixFactorization<double> model;

    SUBCASE("the training set copied") {
        const auto history = trainer.fit(model, train, validation);
        REQUIRE(history.size() == 3);
        CHECK(std::isfinite(history.back().validation_mse));
        CHECK(history.back().validation_mse
              == doctest::Approx(mf::evaluate(model, validation).mse));
    }
    SUBCASE("the training set moved") {
        const auto history = trainer.fit(model, mf::Ratings(train), validation);
        REQUIRE(history.size() == 3);
        CHECK(std::isfinite(history.back().validation_mse));
        CHECK(history.back().validation_mse
              == doctest::Approx(mf::evaluate(model, validation).mse));
    }
    CHECK(model.n_users() == 2);
    CHECK(model.n_items() == 2);
    CHECK(model.predict(5, 7) == doctest::Approx(3.5));  // μ, the mean training rating
    CHECK(model.predict(5, 0) == doctest::Approx(3.5 + model.item_biases()(0)));
    const mf::ErrorMetrics m = mf::evaluate(model, validation);
    CHECK(m.cold_users == 1);
    CHECK(m.cold_items == 1);
    CHECK(m.cold_ratings == 3);
}

TEST_CASE("SgdTrainer.rejects options out of range, naming them") {
    const auto message = [](mf::SgdOptions options) -> std::string {
        try {
            mf::SgdTrainer trainer(options);
        } catch (const mf::invalid_argument& e) {
            return e.what();
        }
        return "no error";
    };
    mf::SgdOptions o;
    o.factors = 0;
    CHECK(message(o) == "SgdOptions::factors must be at least 1; got 0");
    o = {};
    o.learning_rate = -1;
    CHECK(message(o) == "SgdOptions::learning_rate must be a finite number greater than 0; got -1");
    o = {};
    o.learning_rate = std::nan("");
    CHECK(message(o)
          == "SgdOptions::learning_rate must be a finite number greater than 0; got nan");
    o = {};
    o.learning_rate_decay = 1;
    CHECK(message(o) == "SgdOptions::learning_rate_decay must be a finite number in [0, 1); got 1");
    o = {};
    o.reg_factors = -0.5;
    CHECK(message(o) == "SgdOptions::reg_factors must be a finite number at least 0; got -0.5");
    o = {};
    o.reg_biases = INFINITY;
    CHECK(message(o) == "SgdOptions::reg_biases must be a finite number at least 0; got inf");
    o = {};
    o.init_std = -1;
    CHECK(message(o) == "SgdOptions::init_std must be a finite number at least 0; got -1");
    o = {};
    o.threads = 0;
    CHECK(message(o) == "SgdOptions::threads must lie in [1, 1024]; got 0");
    o = {};
    o.blocks = 5000;
    CHECK(message(o) == "SgdOptions::blocks must lie in [0, 1024]; got 5000");
}

TEST_CASE("SgdTrainer.rejects a step that regularisation would turn into divergence") {
    mf::SgdOptions o;
    o.learning_rate = 0.5;
    o.reg_factors = 2;
    CHECK_THROWS_WITH_AS(mf::SgdTrainer{o},
                         "SgdOptions: learning_rate x reg_factors must be below 1; got 0.5 x 2",
                         mf::invalid_argument);
    o.reg_factors = 0;
    o.reg_biases = 4;
    CHECK_THROWS_WITH_AS(mf::SgdTrainer{o},
                         "SgdOptions: learning_rate x reg_biases must be below 1; got 0.5 x 4",
                         mf::invalid_argument);
}

TEST_CASE("SgdTrainer.a model too large to allocate is an error naming the factors") {
    mf::SgdOptions o;
    o.factors = std::size_t{1} << 62;
    mf::MatrixFactorization<float> model;
    std::string message;
    try {
        mf::SgdTrainer(o).fit(model, one_rating());
    } catch (const mf::error& e) {
        message = e.what();
    }
    CHECK(message.rfind("SgdTrainer::fit: the factors of 1 users and 1 items at "
                        "SgdOptions::factors = 4611686018427387904 take ",
                        0)
          == 0);
}

TEST_CASE("SgdTrainer.rejects an empty training set") {
    mf::MatrixFactorization<float> model;
    CHECK_THROWS_WITH_AS(mf::SgdTrainer().fit(model, mf::Ratings()),
                         "SgdTrainer::fit: the training set is empty", mf::invalid_argument);
}

TEST_CASE("SgdTrainer.stops a diverging run with the epoch and what to try") {
    const mf::Dataset data = low_rank_data(3);
    mf::SgdOptions options = mf::SgdOptions::notebook();
    options.learning_rate = 10;
    mf::MatrixFactorization<float> model;
    std::string message;
    try {
        mf::SgdTrainer(options).fit(model, data.ratings);
    } catch (const mf::training_error& e) {
        message = e.what();
    }
    INFO(message);
    CHECK(message.rfind("SgdTrainer::fit: the training error became ", 0) == 0);
    CHECK(
        message.find(
            " in epoch 1; try a learning_rate below 10, more regularisation or a smaller init_std")
        != std::string::npos);
}

namespace {

template <class Scalar>
bool same_model(const mf::MatrixFactorization<Scalar>& a,
                const mf::MatrixFactorization<Scalar>& b) {
    return a.user_factors() == b.user_factors() && a.item_factors() == b.item_factors()
           && a.user_biases() == b.user_biases() && a.item_biases() == b.item_biases();
}

mf::Dataset skewed_data() {
    mf::SyntheticOptions o;
    o.users = 300;
    o.items = 200;
    o.ratings = 9000;
    o.seed = 11;
    return mf::synthetic_ratings(o);
}

}  // namespace

TEST_CASE_TEMPLATE("SgdTrainer.threads change the speed, never the model", Scalar, float, double) {
    const mf::Dataset data = skewed_data();
    mf::SgdOptions options;
    options.factors = 12;
    options.epochs = 4;
    options.blocks = 5;
    mf::MatrixFactorization<Scalar> one;
    mf::SgdTrainer(options).fit(one, data.ratings);
    for (const std::size_t threads : {2u, 3u, 5u, 8u}) {
        INFO("threads = " << threads);
        options.threads = threads;
        mf::MatrixFactorization<Scalar> many;
        mf::SgdTrainer(options).fit(many, data.ratings);
        CHECK(same_model(one, many));
    }
}

TEST_CASE("SgdTrainer.by default 1 to 4 threads train the same model") {
    const mf::Dataset data = skewed_data();
    mf::SgdOptions options;
    options.factors = 8;
    options.epochs = 3;
    mf::MatrixFactorization<float> serial;
    mf::SgdTrainer(options).fit(serial, data.ratings);
    for (const std::size_t threads : {2u, 4u}) {
        INFO("threads = " << threads);
        options.threads = threads;
        mf::MatrixFactorization<float> model;
        mf::SgdTrainer(options).fit(model, data.ratings);
        CHECK(same_model(model, serial));
    }
}

TEST_CASE("SgdTrainer.a finer grid repeats bit for bit and learns as well") {
    const mf::Dataset data = skewed_data();
    const mf::TrainTest split = mf::random_holdout(data.ratings, 0.1, 3);
    mf::SgdOptions options;
    options.factors = 8;
    options.epochs = 10;
    mf::MatrixFactorization<float> serial;
    const auto serial_history = mf::SgdTrainer(options).fit(serial, split.train, split.test);

    options.threads = 8;  // the default grid is then 16 x 16 blocks, not 8 x 8
    mf::MatrixFactorization<float> a;
    mf::MatrixFactorization<float> b;
    const auto history = mf::SgdTrainer(options).fit(a, split.train, split.test);
    mf::SgdTrainer(options).fit(b, split.train, split.test);
    CHECK(same_model(a, b));
    CHECK_FALSE(same_model(a, serial));
    CHECK(history.back().validation_mse
          == doctest::Approx(serial_history.back().validation_mse).epsilon(0.02));
}

TEST_CASE("SgdTrainer.more threads and blocks than the data can use") {
    // Three ratings, so most blocks of a 9 x 9 grid are empty.
    const mf::Ratings train(mf::Ratings::index_array{0, 1, 1}, mf::Ratings::index_array{0, 0, 1},
                            mf::Ratings::value_array{4, 2, 5}, 2, 2);
    mf::SgdOptions options;
    options.factors = 3;
    options.epochs = 3;
    mf::MatrixFactorization<float> serial;
    options.blocks = 9;
    mf::SgdTrainer(options).fit(serial, train);
    for (const std::size_t threads : {4u, 64u}) {
        options.threads = threads;
        mf::MatrixFactorization<float> model;
        const auto history = mf::SgdTrainer(options).fit(model, train);
        CHECK(history.size() == 3);
        CHECK(same_model(model, serial));
    }
    options.blocks = 0;  // the default grid for 64 threads, 128 x 128
    mf::MatrixFactorization<float> model;
    CHECK(mf::SgdTrainer(options).fit(model, train).size() == 3);
}

TEST_CASE("SgdTrainer.the AdaGrad schedule learns and keeps η") {
    const mf::Dataset data = low_rank_data(4);
    mf::SgdOptions options;
    options.factors = 4;
    options.epochs = 30;
    options.schedule = mf::Schedule::adagrad;
    options.learning_rate = 0.1;
    options.learning_rate_decay = 0.5;  // not used by AdaGrad
    options.reg_factors = 0.0;
    options.reg_biases = 0.0;
    mf::MatrixFactorization<double> model;
    const auto history = mf::SgdTrainer(options).fit(model, data.ratings);
    CHECK(history.back().learning_rate == 0.1);
    CHECK(history.back().train_mse < 0.05 * history.front().train_mse);
    mf::MatrixFactorization<double> again;
    mf::SgdTrainer(options).fit(again, data.ratings);
    CHECK(same_model(model, again));
}

TEST_CASE("SgdTrainer.the AdaGrad step divides by the row's gradient history") {
    // One rating, k = 1, no biases. Each step uses the sum G from before it:
    //     g = e q − λ p (and e p − λ q for q),  p ← p + η g / sqrt(G),  G ← G + g²,
    // with G = 1 at the start.
    mf::SgdOptions options = mf::SgdOptions::notebook();
    options.factors = 1;
    options.schedule = mf::Schedule::adagrad;
    options.learning_rate = 0.5;
    options.reg_factors = 0.1;
    // The factors' starting values, from a run of no epochs with the same seed.
    options.epochs = 0;
    mf::MatrixFactorization<double> start;
    mf::SgdTrainer(options).fit(start, one_rating());
    double p = start.user_factors()(0, 0);
    double q = start.item_factors()(0, 0);
    double sum_p = 1.0;
    double sum_q = 1.0;
    for (int step = 0; step < 2; ++step) {
        const double e = 4.0 - p * q;
        const double gp = e * q - 0.1 * p;
        const double gq = e * p - 0.1 * q;
        p += 0.5 * gp / std::sqrt(sum_p);
        q += 0.5 * gq / std::sqrt(sum_q);
        sum_p += gp * gp;
        sum_q += gq * gq;
    }
    options.epochs = 2;
    mf::MatrixFactorization<double> model;
    mf::SgdTrainer(options).fit(model, one_rating());
    CHECK(model.user_factors()(0, 0) == doctest::Approx(p).epsilon(1e-12));
    CHECK(model.item_factors()(0, 0) == doctest::Approx(q).epsilon(1e-12));
}

TEST_CASE("SgdTrainer.without train evaluation the epoch's loss still shows progress") {
    const mf::Dataset data = low_rank_data(5);
    mf::SgdOptions options;
    options.factors = 4;
    options.epochs = 10;
    options.evaluate_train = false;
    mf::MatrixFactorization<float> model;
    const auto history = mf::SgdTrainer(options).fit(model, data.ratings);
    CHECK(std::isnan(history.back().train_mse));
    CHECK(std::isfinite(history.back().train_loss));
    CHECK(history.back().train_loss < 0.5 * history.front().train_loss);
    // Each epoch's loss is taken while the model changes; it lies between the
    // MSE before the epoch and after it, so it must be near the latter.
    const mf::Dataset again = low_rank_data(5);
    options.evaluate_train = true;
    mf::MatrixFactorization<float> evaluated;
    const auto with_mse = mf::SgdTrainer(options).fit(evaluated, again.ratings);
    CHECK(with_mse.back().train_loss == history.back().train_loss);
    CHECK(with_mse.back().train_loss == doctest::Approx(with_mse.back().train_mse).epsilon(0.5));
}

TEST_CASE("SgdTrainer.a moved training set trains the same model without a copy") {
    const mf::Dataset data = skewed_data();
    mf::SgdOptions options;
    options.factors = 6;
    options.epochs = 3;
    options.threads = 2;
    mf::MatrixFactorization<float> copied;
    const auto history = mf::SgdTrainer(options).fit(copied, data.ratings);

    mf::Ratings train = data.ratings;
    mf::MatrixFactorization<float> moved;
    const auto moved_history = mf::SgdTrainer(options).fit(moved, std::move(train));
    CHECK(same_model(copied, moved));
    CHECK(moved_history.back().train_mse == history.back().train_mse);
    CHECK(train.empty());
    CHECK(train.n_users() == data.ratings.n_users());
}
