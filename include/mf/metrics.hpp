// Error metrics of rating prediction: MSE, RMSE and MAE.
#ifndef MF_METRICS_HPP
#define MF_METRICS_HPP

#include <cmath>
#include <cstddef>
#include <iterator>
#include <string>

#include "mf/errors.hpp"
#include "mf/model.hpp"
#include "mf/ratings.hpp"

namespace mf {

namespace detail {

template <class Predicted, class Actual, class Loss>
double mean_loss(const char* name, const Predicted& predicted, const Actual& actual, Loss loss) {
    const std::size_t n = std::size(predicted);
    if (n != std::size(actual)) {
        throw invalid_argument(std::string(name) + ": " + std::to_string(n) + " predictions but "
                               + std::to_string(std::size(actual)) + " actual ratings");
    }
    if (n == 0) {
        throw invalid_argument(std::string(name) + ": no ratings to compare");
    }
    double sum = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
        sum += loss(static_cast<double>(predicted[j]) - static_cast<double>(actual[j]));
    }
    return sum / static_cast<double>(n);
}

}  // namespace detail

/// Mean squared error, (1/n) Σ (predicted_j − actual_j)², accumulated in double.
/// Takes any two sized, indexable sequences (xtensor arrays, std::vector, ...).
/// Throws mf::invalid_argument when their lengths differ or both are empty.
template <class Predicted, class Actual>
double mse(const Predicted& predicted, const Actual& actual) {
    return detail::mean_loss("mse", predicted, actual, [](double e) { return e * e; });
}

/// Root mean squared error, √mse.
template <class Predicted, class Actual>
double rmse(const Predicted& predicted, const Actual& actual) {
    return std::sqrt(mse(predicted, actual));
}

/// Mean absolute error, (1/n) Σ |predicted_j − actual_j|.
template <class Predicted, class Actual>
double mae(const Predicted& predicted, const Actual& actual) {
    return detail::mean_loss("mae", predicted, actual, [](double e) { return std::abs(e); });
}

/// The three error metrics of a model on one rating set.
struct ErrorMetrics {
    double mse = 0.0;
    double rmse = 0.0;
    double mae = 0.0;
    std::size_t count = 0;  ///< ratings compared
};

/// MSE, RMSE and MAE of the model's predictions on `ratings`.
/// Throws mf::invalid_argument when `ratings` is empty.
template <class Scalar>
ErrorMetrics evaluate(const MatrixFactorization<Scalar>& model, const Ratings& ratings) {
    const auto predicted = model.predict(ratings);
    ErrorMetrics metrics;
    metrics.mse = mse(predicted, ratings.values());
    metrics.rmse = std::sqrt(metrics.mse);
    metrics.mae = mae(predicted, ratings.values());
    metrics.count = ratings.size();
    return metrics;
}

}  // namespace mf

#endif  // MF_METRICS_HPP
