// k-fold cross-validation: how a setup does over several splits, not one.
#ifndef MF_CROSS_VALIDATION_HPP
#define MF_CROSS_VALIDATION_HPP

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "mf/detail/random.hpp"
#include "mf/errors.hpp"
#include "mf/metrics.hpp"
#include "mf/model.hpp"
#include "mf/ratings.hpp"
#include "mf/sgd_trainer.hpp"
#include "mf/split.hpp"

namespace mf {

/// Cuts `ratings` into `folds` parts at random and returns, for each part, the
/// split that tests on it and trains on the others. The ratings are shuffled
/// by one generator seeded by `seed` and dealt in turn, so part sizes differ by
/// one at most and every rating is tested exactly once; the same seed gives the
/// same folds. Each set keeps the order of `ratings` and its dimensions.
/// Throws mf::invalid_argument unless 2 <= folds <= ratings.size().
inline std::vector<TrainTest> k_fold(const Ratings& ratings, std::size_t folds,
                                     std::uint64_t seed) {
    if (folds < 2 || folds > ratings.size()) {
        throw invalid_argument("k_fold: folds must be at least 2 and at most the "
                               + std::to_string(ratings.size()) + " ratings; got "
                               + std::to_string(folds));
    }
    std::vector<std::size_t> positions(ratings.size());
    std::iota(positions.begin(), positions.end(), std::size_t{0});
    detail::Rng rng(seed);
    rng.shuffle(positions.begin(), positions.end());
    std::vector<std::size_t> part(ratings.size());
    for (std::size_t j = 0; j < positions.size(); ++j) {
        part[positions[j]] = j % folds;
    }

    std::vector<TrainTest> splits;
    splits.reserve(folds);
    for (std::size_t f = 0; f < folds; ++f) {
        std::vector<bool> in_test(ratings.size());
        for (std::size_t j = 0; j < ratings.size(); ++j) {
            in_test[j] = part[j] == f;
        }
        splits.push_back(detail::split_by_mask(ratings, in_test));
    }
    return splits;
}

/// What one fold gave: its sizes, the test errors of the model trained on the
/// other folds (cold ratings counted, see ErrorMetrics) and the training time.
struct FoldResult {
    std::size_t fold = 0;  ///< from 0
    std::size_t train_ratings = 0;
    std::size_t test_ratings = 0;
    ErrorMetrics test;
    double train_seconds = 0.0;
};

/// The folds of a cross-validation and their aggregates.
///
/// The means and standard deviations are over the folds' own figures: mean_rmse
/// is (1/F) Σ_f RMSE_f, not the RMSE of all predictions pooled (that one is
/// pooled_rmse). std_rmse and std_mae are sample standard deviations, with
/// F − 1 in the denominator, since the folds sample the ways the data could
/// have been split.
struct CrossValidation {
    std::vector<FoldResult> folds;
    double mean_rmse = 0.0;
    double std_rmse = 0.0;
    double mean_mae = 0.0;
    double std_mae = 0.0;
    double pooled_rmse =
        0.0;  ///< sqrt(Σ_f n_f MSE_f / Σ_f n_f), every test rating weighing the same
};

namespace detail {

inline double mean_of(const std::vector<double>& x) {
    return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

/// The sample standard deviation (n − 1 in the denominator); 0 for one value.
inline double sample_std(const std::vector<double>& x) {
    if (x.size() < 2) {
        return 0.0;
    }
    const double mean = mean_of(x);
    double sum = 0.0;
    for (const double v : x) {
        sum += (v - mean) * (v - mean);
    }
    return std::sqrt(sum / static_cast<double>(x.size() - 1));
}

}  // namespace detail

namespace detail {

template <class Scalar, class OnFold>
CrossValidation cross_validate(const Ratings& ratings, const std::optional<RatingScale>& scale,
                               const SgdOptions& options, std::size_t folds,
                               std::uint64_t fold_seed, OnFold& on_fold) {
    SgdTrainer::validate(options);
    const std::vector<TrainTest> splits = k_fold(ratings, folds, fold_seed);
    CrossValidation result;
    std::vector<double> rmse;
    std::vector<double> mae;
    double squared_errors = 0.0;
    std::size_t tested = 0;
    for (std::size_t f = 0; f < splits.size(); ++f) {
        SgdOptions fold_options = options;
        fold_options.evaluate_train = false;  // only the test figures are reported
        MatrixFactorization<Scalar> model;
        if (scale) {
            model.set_rating_scale(*scale);
        }
        const auto start = std::chrono::steady_clock::now();
        SgdTrainer(fold_options).fit(model, splits[f].train);
        FoldResult fold;
        fold.fold = f;
        fold.train_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        fold.train_ratings = splits[f].train.size();
        fold.test_ratings = splits[f].test.size();
        fold.test = evaluate(model, splits[f].test);
        rmse.push_back(fold.test.rmse);
        mae.push_back(fold.test.mae);
        squared_errors += fold.test.mse * static_cast<double>(fold.test.count);
        tested += fold.test.count;
        if constexpr (!std::is_null_pointer_v<OnFold>) {
            on_fold(static_cast<const FoldResult&>(fold));
        }
        result.folds.push_back(fold);
    }
    result.mean_rmse = mean_of(rmse);
    result.std_rmse = sample_std(rmse);
    result.mean_mae = mean_of(mae);
    result.std_mae = sample_std(mae);
    result.pooled_rmse = std::sqrt(squared_errors / static_cast<double>(tested));
    return result;
}

}  // namespace detail

/// Trains a MatrixFactorization<Scalar> with `options` on each of the k_fold
/// splits of `ratings` (`folds` parts, cut by `fold_seed`; the training seed is
/// options.seed) and tests it on the held-out part. `on_fold`, when given, is
/// called with each FoldResult as it is ready, so a program can show progress.
/// Throws mf::invalid_argument for bad folds or options, and what
/// SgdTrainer::fit throws.
template <class Scalar = float, class OnFold = std::nullptr_t>
CrossValidation cross_validate(const Ratings& ratings, const SgdOptions& options, std::size_t folds,
                               std::uint64_t fold_seed, OnFold&& on_fold = nullptr) {
    return detail::cross_validate<Scalar>(ratings, std::nullopt, options, folds, fold_seed,
                                          on_fold);
}

/// As above, for the ratings of a data set, with predictions clamped to its
/// rating scale when it has one (as for MovieLens files).
template <class Scalar = float, class OnFold = std::nullptr_t>
CrossValidation cross_validate(const Dataset& data, const SgdOptions& options, std::size_t folds,
                               std::uint64_t fold_seed, OnFold&& on_fold = nullptr) {
    return detail::cross_validate<Scalar>(data.ratings, data.scale, options, folds, fold_seed,
                                          on_fold);
}

}  // namespace mf

#endif  // MF_CROSS_VALIDATION_HPP
