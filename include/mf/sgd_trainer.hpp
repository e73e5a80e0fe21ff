// Stochastic gradient descent for MatrixFactorization.
#ifndef MF_SGD_TRAINER_HPP
#define MF_SGD_TRAINER_HPP

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "mf/detail/blocks.hpp"
#include "mf/detail/kernels.hpp"
#include "mf/detail/random.hpp"
#include "mf/detail/xtensor.hpp"
#include "mf/errors.hpp"
#include "mf/metrics.hpp"
#include "mf/model.hpp"
#include "mf/ratings.hpp"

namespace mf {

/// How the factor matrices start.
enum class Init {
    normal,   ///< normal(0, init_std)
    uniform,  ///< uniform in [0, 1)
};

/// How the learning rate changes during training.
enum class Schedule {
    /// η_t = η (1 − learning_rate_decay)^(t−1) in epoch t; a decay of 0 keeps η constant.
    decay,
    /// AdaGrad: each factor row x steps by η g / sqrt(G_x), where G_x is 1 plus
    /// the sum over its steps before of the mean squared gradient coordinate,
    /// |g|² / k (one sum per row, as LIBMF keeps); each bias likewise with g².
    adagrad,
};

/// Hyperparameters of SgdTrainer. The defaults are the library's recommended
/// setup for explicit ratings: biased MF, with a step size that starts large
/// and shrinks by a fifth each epoch, chosen on validation sets cut from
/// MovieLens 100k and by how fast it reaches a test RMSE on larger sets.
struct SgdOptions {
    std::size_t factors = 100;            ///< k, the number of latent factors (>= 1)
    std::size_t epochs = 20;              ///< passes over the training set
    Schedule schedule = Schedule::decay;  ///< how the step size changes; see Schedule
    double learning_rate = 0.1;           ///< η (the first epoch's, with Schedule::decay) (> 0)
    /// With Schedule::decay, η shrinks by this fraction each epoch, in [0, 1).
    double learning_rate_decay = 0.2;
    double reg_factors = 0.1;  ///< λ on P and Q (>= 0)
    double reg_biases = 0.01;  ///< λ on b_u and b_i (>= 0)
    bool biases = true;        ///< learn μ + b_u + b_i as well as P and Q
    Init init = Init::normal;  ///< how P and Q start; biases start at 0
    double init_std = 0.05;    ///< standard deviation for Init::normal (>= 0)
    std::uint64_t seed = 42;   ///< seeds the initial factors and the visiting order
    std::size_t threads = 1;   ///< threads that train at once (>= 1)
    /// The rating matrix is cut into blocks x blocks parts that threads train
    /// one at a time; 0 picks max(8, 2 x threads), at most 1024. The model depends on the
    /// seed and the blocks, never on the threads: by default 1 to 4 threads
    /// train the same model, bit for bit.
    std::size_t blocks = 0;
    /// Compute EpochStats::train_mse after each epoch (a third of an epoch's
    /// time); without it, train_mse is NaN and train_loss tells the progress.
    bool evaluate_train = true;

    /// The setup of the NumPy notebook that mf reproduces: 5 factors, no
    /// biases, no regularisation, uniform [0, 1) initialisation, 100 epochs.
    /// The notebook steps by 0.001 along the gradient of e², which is 2 e;
    /// that is η = 0.002 in this library's update rule.
    static SgdOptions notebook() {
        SgdOptions options;
        options.factors = 5;
        options.epochs = 100;
        options.schedule = Schedule::decay;
        options.learning_rate = 0.002;
        options.learning_rate_decay = 0.0;
        options.reg_factors = 0.0;
        options.reg_biases = 0.0;
        options.biases = false;
        options.init = Init::uniform;
        return options;
    }
};

/// What one epoch did.
struct EpochStats {
    std::size_t epoch = 0;       ///< 1 for the first epoch
    double learning_rate = 0.0;  ///< η used in this epoch
    double train_mse = 0.0;      ///< MSE on the training set after the epoch
    double train_loss = 0.0;     ///< mean e² of the SGD steps, each before its update
    double validation_mse = std::numeric_limits<double>::quiet_NaN();  ///< NaN without one
    double seconds = 0.0;  ///< wall time of the SGD pass, evaluation excluded
};

/// One EpochStats per epoch run.
using TrainingHistory = std::vector<EpochStats>;

/// Trains a MatrixFactorization by SGD over the individual ratings. For a rating
/// r of user u and item i, with error e = r − r̂(u, i), each step is
///     b_u ← b_u + η (e − λ_b b_u)        b_i ← b_i + η (e − λ_b b_i)
///     p_u ← p_u + η (e q_i − λ p_u)      q_i ← q_i + η (e p_u − λ q_i)
/// with μ fixed at the mean training rating. η_t = η (1 − decay)^(t−1) in epoch t.
///
/// Results depend only on the options (the seed among them) and the data: the
/// same inputs give bit-identical models on every run.
class SgdTrainer {
    // Callbacks take the EpochStats and return void or something testable as bool.
    template <class Callback>
    static constexpr bool is_epoch_callback =
        std::is_null_pointer_v<
            std::decay_t<Callback>> || std::is_invocable_v<Callback&, const EpochStats&>;

  public:
    /// The most threads, and the most blocks per side, that SgdOptions may ask for.
    static constexpr std::size_t max_threads = 1024;

    /// The recommended setup, SgdOptions{}.
    SgdTrainer() = default;

    /// Throws mf::invalid_argument naming the first option out of its range.
    explicit SgdTrainer(SgdOptions options) : m_options(options) { validate(m_options); }

    const SgdOptions& options() const noexcept { return m_options; }

    /// Checks every option; throws mf::invalid_argument naming the first bad one.
    static void validate(const SgdOptions& o) {
        if (o.factors < 1) {
            throw invalid_argument("SgdOptions::factors must be at least 1; got 0");
        }
        for (const auto& [value, name, low] : {std::tuple{o.threads, "threads", std::size_t{1}},
                                               std::tuple{o.blocks, "blocks", std::size_t{0}}}) {
            if (value < low || value > max_threads) {
                std::ostringstream message;
                message << "SgdOptions::" << name << " must lie in [" << low << ", " << max_threads
                        << "]; got " << value;
                throw invalid_argument(message.str());
            }
        }
        require(o.learning_rate, "learning_rate", o.learning_rate > 0, "greater than 0");
        require(o.learning_rate_decay, "learning_rate_decay",
                o.learning_rate_decay >= 0 && o.learning_rate_decay < 1, "in [0, 1)");
        require(o.reg_factors, "reg_factors", o.reg_factors >= 0, "at least 0");
        require(o.reg_biases, "reg_biases", o.reg_biases >= 0, "at least 0");
        require(o.init_std, "init_std", o.init_std >= 0, "at least 0");
        // Each step scales a parameter by (1 − η λ) before adding the gradient;
        // from η λ >= 1 on, that flips its sign and training cannot converge.
        for (const auto& [lambda, name] :
             {std::pair{o.reg_factors, "reg_factors"}, std::pair{o.reg_biases, "reg_biases"}}) {
            if (o.learning_rate * lambda >= 1) {
                std::ostringstream message;
                message << "SgdOptions: learning_rate x " << name << " must be below 1; got "
                        << o.learning_rate << " x " << lambda;
                throw invalid_argument(message.str());
            }
        }
    }

    /// Sizes `model` to the training set's users x items, initialises it from the
    /// seed and trains it. A rating scale set on the model is kept, and applies to
    /// the per-epoch MSEs as to every prediction. `on_epoch` (optional) is called with each epoch's
    /// EpochStats; when it returns false, training stops after that epoch.
    ///
    /// Throws mf::invalid_argument for an empty training set, and
    /// mf::training_error when the training loss stops being finite.
    template <class Scalar, class Callback = std::nullptr_t,
              class = std::enable_if_t<is_epoch_callback<Callback>>>
    TrainingHistory fit(MatrixFactorization<Scalar>& model, const Ratings& train,
                        Callback&& on_epoch = nullptr) const {
        return run(model, train, nullptr, std::forward<Callback>(on_epoch));
    }

    /// As above, and reports the MSE on `validation` after each epoch.
    template <class Scalar, class Callback = std::nullptr_t,
              class = std::enable_if_t<is_epoch_callback<Callback>>>
    TrainingHistory fit(MatrixFactorization<Scalar>& model, const Ratings& train,
                        const Ratings& validation, Callback&& on_epoch = nullptr) const {
        return run(model, train, &validation, std::forward<Callback>(on_epoch));
    }

    /// As the overloads above, but training reorders the ratings where they lie
    /// instead of in a copy, halving the memory that training needs: pass the
    /// training set with std::move when it is not needed afterwards. The model
    /// is the same, bit for bit. `train` is left empty.
    template <class Scalar, class Callback = std::nullptr_t,
              class = std::enable_if_t<is_epoch_callback<Callback>>>
    TrainingHistory fit(MatrixFactorization<Scalar>& model, Ratings&& train,
                        Callback&& on_epoch = nullptr) const {
        return run(model, std::move(train), nullptr, std::forward<Callback>(on_epoch));
    }

    template <class Scalar, class Callback = std::nullptr_t,
              class = std::enable_if_t<is_epoch_callback<Callback>>>
    TrainingHistory fit(MatrixFactorization<Scalar>& model, Ratings&& train,
                        const Ratings& validation, Callback&& on_epoch = nullptr) const {
        return run(model, std::move(train), &validation, std::forward<Callback>(on_epoch));
    }

  private:
    static void require(double value, const char* name, bool rule_holds, const char* rule) {
        if (!std::isfinite(value) || !rule_holds) {
            std::ostringstream message;
            message << "SgdOptions::" << name << " must be a finite number " << rule << "; got "
                    << value;
            throw invalid_argument(message.str());
        }
    }

    template <class Scalar>
    static void allocate(MatrixFactorization<Scalar>& model, const Ratings& train, std::size_t k) {
        model.m_user_factors = xt::empty<Scalar>({train.n_users(), k});
        model.m_item_factors = xt::empty<Scalar>({train.n_items(), k});
        model.m_user_biases = xt::zeros<Scalar>({train.n_users()});
        model.m_item_biases = xt::zeros<Scalar>({train.n_items()});
        model.m_user_known = xt::zeros<bool>({train.n_users()});
        model.m_item_known = xt::zeros<bool>({train.n_items()});
    }

    template <class Scalar>
    void initialise(MatrixFactorization<Scalar>& model, const Ratings& train) const {
        const std::size_t k = m_options.factors;
        const std::size_t rows = train.n_users() + train.n_items();
        const double gigabytes = double(rows) * double(k) * sizeof(Scalar) / 1e9;
        const auto too_large = [&] {
            std::ostringstream message;
            message << "SgdTrainer::fit: the factors of " << train.n_users() << " users and "
                    << train.n_items() << " items at SgdOptions::factors = " << k << " take "
                    << gigabytes << " GB, more than can be allocated";
            return error(message.str());
        };
        if (k > std::numeric_limits<std::size_t>::max() / sizeof(Scalar)
                    / std::max<std::size_t>(rows, 1)) {
            throw too_large();
        }
        try {
            allocate(model, train, k);
        } catch (const std::bad_alloc&) {
            throw too_large();
        }
        detail::Rng rng(m_options.seed);
        for (auto* factors : {&model.m_user_factors, &model.m_item_factors}) {
            for (Scalar& x : *factors) {
                x = static_cast<Scalar>(m_options.init == Init::normal
                                            ? m_options.init_std * rng.normal()
                                            : rng.uniform());
            }
        }
        for (std::size_t j = 0; j < train.size(); ++j) {
            model.m_user_known(train.user(j)) = true;
            model.m_item_known(train.item(j)) = true;
        }
        model.m_global_mean = static_cast<Scalar>(train.mean());
        model.m_biased = m_options.biases;
    }

    // Running sums of squared gradients for Schedule::adagrad: one per factor
    // row and one per bias.
    template <class Scalar>
    struct GradientSums {
        std::vector<Scalar> users, items, user_biases, item_biases;
    };

    std::size_t grid_size() const noexcept {
        if (m_options.blocks != 0) {
            return m_options.blocks;
        }
        // Within the limit an explicit grid is held to: a finer one only adds strata.
        return std::clamp<std::size_t>(2 * m_options.threads, 8, max_threads);
    }

    // The SGD steps over one block's ratings; returns the sum of their e².
    template <class Scalar>
    double train_block(MatrixFactorization<Scalar>& model, const detail::BlockGrid::Block& block,
                       Scalar eta, GradientSums<Scalar>* sums) const {
        const std::size_t k = model.n_factors();
        const auto lambda = static_cast<Scalar>(m_options.reg_factors);
        const auto lambda_b = static_cast<Scalar>(m_options.reg_biases);
        const bool biased = m_options.biases;
        const Scalar mu = model.m_global_mean;
        Scalar* const P = model.m_user_factors.data();
        Scalar* const Q = model.m_item_factors.data();
        Scalar* const bu = model.m_user_biases.data();
        Scalar* const bi = model.m_item_biases.data();

        // Rows a few steps ahead are fetched while this step computes.
        constexpr std::size_t lookahead = 16;
        const std::size_t row_bytes = k * sizeof(Scalar);
        double loss = 0.0;
        for (std::size_t j = 0; j < block.size; ++j) {
            if (j + lookahead < block.size) {
                detail::prefetch(P + std::size_t{block.users[j + lookahead]} * k, row_bytes);
                detail::prefetch(Q + std::size_t{block.items[j + lookahead]} * k, row_bytes);
            }
            const std::size_t u = block.users[j];
            const std::size_t i = block.items[j];
            Scalar* const p = P + u * k;
            Scalar* const q = Q + i * k;
            Scalar prediction = detail::dot(p, q, k);
            if (biased) {
                prediction += mu + bu[u] + bi[i];
            }
            const Scalar e = static_cast<Scalar>(block.values[j]) - prediction;
            loss += double(e) * double(e);
            if (sums == nullptr) {
                if (biased) {
                    bu[u] += eta * (e - lambda_b * bu[u]);
                    bi[i] += eta * (e - lambda_b * bi[i]);
                }
                detail::sgd_step(p, q, k, eta, e, lambda);
            } else {
                if (biased) {
                    detail::adagrad_bias_step(bu[u], sums->user_biases[u], eta, e, lambda_b);
                    detail::adagrad_bias_step(bi[i], sums->item_biases[i], eta, e, lambda_b);
                }
                detail::adagrad_step(p, q, sums->users[u], sums->items[i], k, eta, e, lambda);
            }
        }
        return loss;
    }

    // The MSE over the grid's ratings, block by block in a fixed order.
    template <class Scalar>
    static double mse_of(const MatrixFactorization<Scalar>& model, const detail::BlockGrid& grid) {
        double sum = 0.0;
        for (std::size_t row = 0; row < grid.grid(); ++row) {
            for (std::size_t column = 0; column < grid.grid(); ++column) {
                const detail::BlockGrid::Block block = grid.block(row, column);
                for (std::size_t j = 0; j < block.size; ++j) {
                    const double e = double(block.values[j])
                                     - double(model.predict(block.users[j], block.items[j]));
                    sum += e * e;
                }
            }
        }
        return sum / static_cast<double>(grid.size());
    }

    // The MSE of a model in the grid's names over ratings in their own names;
    // indices beyond the grid's are unknown to the model either way.
    template <class Scalar>
    static double mse_of(const MatrixFactorization<Scalar>& model, const Ratings& ratings,
                         const detail::BlockGrid& grid) {
        if (ratings.empty()) {
            return std::numeric_limits<double>::quiet_NaN();
        }
        const auto name = [](const std::vector<index_type>& names, std::size_t index) {
            return index < names.size() ? std::size_t{names[index]} : index;
        };
        double sum = 0.0;
        for (std::size_t j = 0; j < ratings.size(); ++j) {
            const double e = double(ratings.value(j))
                             - double(model.predict(name(grid.user_names(), ratings.user(j)),
                                                    name(grid.item_names(), ratings.item(j))));
            sum += e * e;
        }
        return sum / static_cast<double>(ratings.size());
    }

    // Holds a model's rows (factors, biases, known flags) in the order of a
    // BlockGrid's names while it lives.
    template <class Scalar>
    class Renamed {
      public:
        Renamed(MatrixFactorization<Scalar>& model, const detail::BlockGrid& grid)
            : m_model(model), m_grid(grid) {
            apply(false);
        }
        ~Renamed() { apply(true); }
        Renamed(const Renamed&) = delete;
        Renamed& operator=(const Renamed&) = delete;

      private:
        void apply(bool back) {
            const std::size_t k = m_model.n_factors();
            detail::permute_rows(m_model.m_user_factors.data(), k, m_grid.user_names(), back);
            detail::permute_rows(m_model.m_item_factors.data(), k, m_grid.item_names(), back);
            detail::permute_rows(m_model.m_user_biases.data(), 1, m_grid.user_names(), back);
            detail::permute_rows(m_model.m_item_biases.data(), 1, m_grid.item_names(), back);
            rename_flags(m_model.m_user_known, m_grid.user_names(), back);
            rename_flags(m_model.m_item_known, m_grid.item_names(), back);
        }

        static void rename_flags(typename MatrixFactorization<Scalar>::mask_type& flags,
                                 const std::vector<index_type>& names, bool back) {
            const typename MatrixFactorization<Scalar>::mask_type old = flags;
            for (std::size_t r = 0; r < names.size(); ++r) {
                if (back) {
                    flags(r) = old(names[r]);
                } else {
                    flags(names[r]) = old(r);
                }
            }
        }

        MatrixFactorization<Scalar>& m_model;
        const detail::BlockGrid& m_grid;
    };

    // `Train` is const Ratings& or Ratings: the triplets are copied or moved
    // into the block grid.
    template <class Scalar, class Train, class Callback>
    TrainingHistory run(MatrixFactorization<Scalar>& model, Train&& train,
                        const Ratings* validation, Callback&& on_epoch) const {
        if (train.empty()) {
            throw invalid_argument("SgdTrainer::fit: the training set is empty");
        }
        initialise(model, train);
        const std::size_t n_ratings = train.size();

        // A stream of its own, so the order does not depend on how the factors started.
        detail::Rng shuffler(m_options.seed ^ 0x5DEECE66DULL);
        const detail::BlockGrid blocks = [&] {
            if constexpr (std::is_const_v<std::remove_reference_t<Train>>) {
                return detail::BlockGrid(train.users(), train.items(), train.values(),
                                         train.n_users(), train.n_items(), grid_size(), shuffler);
            } else {
                auto [users, items, values] = std::move(train).release();
                return detail::BlockGrid(std::move(users), std::move(items), std::move(values),
                                         model.n_users(), model.n_items(), grid_size(), shuffler);
            }
        }();
        std::vector<double> block_loss(blocks.grid() * blocks.grid());
        // The model takes the grid's names for the length of training, and
        // gets its own back however training ends.
        const Renamed<Scalar> renamed(model, blocks);

        std::optional<GradientSums<Scalar>> sums;
        if (m_options.schedule == Schedule::adagrad) {
            sums.emplace();
            sums->users.assign(model.n_users(), Scalar(1));
            sums->items.assign(model.n_items(), Scalar(1));
            sums->user_biases.assign(model.n_users(), Scalar(1));
            sums->item_biases.assign(model.n_items(), Scalar(1));
        }

        TrainingHistory history;
        double eta = m_options.learning_rate;
        for (std::size_t t = 1; t <= m_options.epochs; ++t) {
            const auto start = std::chrono::steady_clock::now();
            detail::visit_strata(blocks.grid(), m_options.threads, shuffler,
                                 [&](std::size_t row, std::size_t column) {
                                     block_loss[row * blocks.grid() + column] = train_block(
                                         model, blocks.block(row, column), static_cast<Scalar>(eta),
                                         sums ? &*sums : nullptr);
                                 });
            const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;

            EpochStats stats;
            stats.epoch = t;
            stats.learning_rate = eta;
            stats.seconds = elapsed.count();
            stats.train_loss = std::accumulate(block_loss.begin(), block_loss.end(), 0.0)
                               / static_cast<double>(n_ratings);
            stats.train_mse = m_options.evaluate_train ? mse_of(model, blocks)
                                                       : std::numeric_limits<double>::quiet_NaN();
            if (validation != nullptr) {
                stats.validation_mse = mse_of(model, *validation, blocks);
            }
            if (!std::isfinite(stats.train_loss)
                || (m_options.evaluate_train && !std::isfinite(stats.train_mse))) {
                const double bad =
                    std::isfinite(stats.train_loss) ? stats.train_mse : stats.train_loss;
                std::ostringstream message;
                message << "SgdTrainer::fit: the training error became "
                        << (std::isnan(bad) ? "nan" : "inf") << " in epoch " << t
                        << "; try a learning_rate below " << eta
                        << ", more regularisation or a smaller init_std";
                throw training_error(message.str());
            }
            history.push_back(stats);
            if (!notify(on_epoch, stats)) {
                break;
            }
            if (m_options.schedule == Schedule::decay) {
                eta *= 1.0 - m_options.learning_rate_decay;
            }
        }
        return history;
    }

    template <class Callback>
    static bool notify(Callback& on_epoch, const EpochStats& stats) {
        if constexpr (std::is_null_pointer_v<std::decay_t<Callback>>) {
            return true;
        } else if constexpr (std::is_void_v<std::invoke_result_t<Callback&, const EpochStats&>>) {
            on_epoch(stats);
            return true;
        } else {
            return static_cast<bool>(on_epoch(stats));
        }
    }

    SgdOptions m_options;
};

}  // namespace mf

#endif  // MF_SGD_TRAINER_HPP
