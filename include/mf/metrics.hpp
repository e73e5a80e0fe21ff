// Error metrics of rating prediction: MSE, RMSE and MAE.
#ifndef MF_METRICS_HPP
#define MF_METRICS_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <string>
#include <vector>

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

/// The three error metrics of a model on one rating set, and how many of its
/// ratings the model could only guess.
///
/// A user or item is *cold* when the model does not know it: its index is
/// beyond the model (>= n_users() or >= n_items(), as for an id first seen in a
/// test file), or it had no training ratings. A cold rating, one with a cold
/// user or item, is predicted by the model's fallback (μ plus the known side's
/// bias), so the errors stay finite; the counts say how much of them that is.
struct ErrorMetrics {
    double mse = 0.0;
    double rmse = 0.0;
    double mae = 0.0;
    std::size_t count = 0;         ///< ratings compared
    std::size_t cold_users = 0;    ///< distinct cold users among the ratings
    std::size_t cold_items = 0;    ///< distinct cold items among the ratings
    std::size_t cold_ratings = 0;  ///< ratings with a cold user, a cold item or both
};

/// As evaluate(model, ratings) below, from predictions already made:
/// `predicted[j]` is the model's prediction of rating j, as model.predict(ratings)
/// gives them. Throws mf::invalid_argument when `ratings` is empty or the
/// lengths differ.
template <class Scalar, class Predicted>
ErrorMetrics evaluate(const MatrixFactorization<Scalar>& model, const Ratings& ratings,
                      const Predicted& predicted) {
    ErrorMetrics metrics;
    metrics.mse = mse(predicted, ratings.values());
    metrics.rmse = std::sqrt(metrics.mse);
    metrics.mae = mae(predicted, ratings.values());
    metrics.count = ratings.size();

    // Cold ids are few next to the ratings, and their indices may be as large as
    // any id map's: a sorted list rather than a flag per index.
    std::vector<index_type> cold_users;
    std::vector<index_type> cold_items;
    for (std::size_t j = 0; j < ratings.size(); ++j) {
        const bool user_cold = !model.is_known_user(ratings.user(j));
        const bool item_cold = !model.is_known_item(ratings.item(j));
        if (user_cold) {
            cold_users.push_back(ratings.user(j));
        }
        if (item_cold) {
            cold_items.push_back(ratings.item(j));
        }
        metrics.cold_ratings += user_cold || item_cold;
    }
    const auto distinct = [](std::vector<index_type>& indices) {
        std::sort(indices.begin(), indices.end());
        return static_cast<std::size_t>(std::unique(indices.begin(), indices.end())
                                        - indices.begin());
    };
    metrics.cold_users = distinct(cold_users);
    metrics.cold_items = distinct(cold_items);
    return metrics;
}

/// MSE, RMSE and MAE of the model's predictions on `ratings`, with the counts of
/// cold users, items and ratings (see ErrorMetrics). `ratings` may be wider than
/// the model. Throws mf::invalid_argument when `ratings` is empty.
template <class Scalar>
ErrorMetrics evaluate(const MatrixFactorization<Scalar>& model, const Ratings& ratings) {
    return evaluate(model, ratings, model.predict(ratings));
}

}  // namespace mf

#endif  // MF_METRICS_HPP
