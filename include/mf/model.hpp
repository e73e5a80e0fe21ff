// The matrix-factorization model: r̂(u, i) = μ + b_u + b_i + p_u · q_i.
#ifndef MF_MODEL_HPP
#define MF_MODEL_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

#include "mf/detail/kernels.hpp"
#include "mf/detail/xtensor.hpp"
#include "mf/errors.hpp"
#include "mf/ratings.hpp"

namespace mf {

class SgdTrainer;

/// A trained (or to be trained) factorization of a users x items rating matrix.
///
/// User factors P (users x k) and item factors Q (items x k) are row-major, so
/// the factors of one user or item are contiguous. A biased model predicts
///     r̂(u, i) = μ + b_u + b_i + p_u · q_i
/// and an unbiased one r̂(u, i) = p_u · q_i.
///
/// A user or item is *known* when it had ratings in the training set. For a
/// pair where either one is unknown (never trained, or an index beyond the
/// model) the prediction falls back to μ plus the bias of the side that is
/// known (μ alone for an unbiased model), so it stays finite and sensible.
/// μ is the mean training rating in both kinds of model.
///
/// With a rating scale set, predictions are clamped to it.
///
/// @tparam Scalar float or double.
template <class Scalar>
class MatrixFactorization {
    static_assert(std::is_floating_point_v<Scalar>, "MatrixFactorization needs float or double");

  public:
    using value_type = Scalar;
    using matrix_type = xt::xtensor<Scalar, 2>;
    using vector_type = xt::xtensor<Scalar, 1>;
    using mask_type = xt::xtensor<bool, 1>;

    /// An empty model with no users, items or factors; SgdTrainer::fit sizes it.
    MatrixFactorization() = default;

    /// A model from given parameters, every user and item known.
    /// Throws mf::invalid_argument when the shapes do not agree.
    MatrixFactorization(matrix_type user_factors, matrix_type item_factors, vector_type user_biases,
                        vector_type item_biases, Scalar global_mean, bool biased = true)
        : m_user_factors(std::move(user_factors)),
          m_item_factors(std::move(item_factors)),
          m_user_biases(std::move(user_biases)),
          m_item_biases(std::move(item_biases)),
          m_global_mean(global_mean),
          m_biased(biased) {
        if (m_user_factors.shape(1) != m_item_factors.shape(1)) {
            throw invalid_argument(
                "MatrixFactorization: user factors have " + std::to_string(m_user_factors.shape(1))
                + " columns but item factors have " + std::to_string(m_item_factors.shape(1)));
        }
        if (m_user_biases.size() != n_users() || m_item_biases.size() != n_items()) {
            throw invalid_argument("MatrixFactorization: expected " + std::to_string(n_users())
                                   + " user biases and " + std::to_string(n_items())
                                   + " item biases, got " + std::to_string(m_user_biases.size())
                                   + " and " + std::to_string(m_item_biases.size()));
        }
        m_user_known = xt::ones<bool>({n_users()});
        m_item_known = xt::ones<bool>({n_items()});
    }

    std::size_t n_users() const noexcept { return m_user_factors.shape(0); }
    std::size_t n_items() const noexcept { return m_item_factors.shape(0); }
    std::size_t n_factors() const noexcept { return m_user_factors.shape(1); }

    /// P, users x k.
    const matrix_type& user_factors() const noexcept { return m_user_factors; }
    /// Q, items x k.
    const matrix_type& item_factors() const noexcept { return m_item_factors; }
    /// b_u; zeros in an unbiased model.
    const vector_type& user_biases() const noexcept { return m_user_biases; }
    /// b_i; zeros in an unbiased model.
    const vector_type& item_biases() const noexcept { return m_item_biases; }
    /// μ, the mean training rating.
    Scalar global_mean() const noexcept { return m_global_mean; }
    /// Whether predictions include μ and the biases.
    bool biased() const noexcept { return m_biased; }

    /// One flag per user: whether it had ratings in the training set.
    const mask_type& known_users() const noexcept { return m_user_known; }
    /// One flag per item: whether it had ratings in the training set.
    const mask_type& known_items() const noexcept { return m_item_known; }

    /// Marks which users and items the model knows (see above); a model built
    /// from parameters starts knowing all of them. Throws mf::invalid_argument
    /// unless there is one flag per user and one per item.
    void set_known(mask_type users, mask_type items) {
        if (users.size() != n_users() || items.size() != n_items()) {
            throw invalid_argument(
                "MatrixFactorization::set_known: expected " + std::to_string(n_users())
                + " user flags and " + std::to_string(n_items()) + " item flags, got "
                + std::to_string(users.size()) + " and " + std::to_string(items.size()));
        }
        m_user_known = std::move(users);
        m_item_known = std::move(items);
    }

    /// Whether the user had ratings in the training set.
    bool is_known_user(std::size_t user) const noexcept {
        return user < m_user_known.size() && m_user_known(user);
    }
    /// Whether the item had ratings in the training set.
    bool is_known_item(std::size_t item) const noexcept {
        return item < m_item_known.size() && m_item_known(item);
    }

    /// Clamps every prediction to [scale.min, scale.max] from now on.
    /// Throws mf::invalid_argument unless both are finite and min <= max.
    void set_rating_scale(RatingScale scale) {
        if (!std::isfinite(scale.min) || !std::isfinite(scale.max) || scale.min > scale.max) {
            std::ostringstream message;
            message << "MatrixFactorization::set_rating_scale: min and max must be finite "
                       "with min <= max; got "
                    << scale.min << " and " << scale.max;
            throw invalid_argument(message.str());
        }
        m_scale = scale;
    }
    /// Stops clamping predictions.
    void clear_rating_scale() noexcept { m_scale.reset(); }
    const std::optional<RatingScale>& rating_scale() const noexcept { return m_scale; }

    /// The predicted rating of `user` for `item` (dense indices). Never throws:
    /// unknown users and items get the fallback described above.
    Scalar predict(std::size_t user, std::size_t item) const noexcept {
        const bool user_known = is_known_user(user);
        const bool item_known = is_known_item(item);
        Scalar r = 0;
        if (user_known && item_known) {
            const std::size_t k = n_factors();
            r = detail::dot(m_user_factors.data() + user * k, m_item_factors.data() + item * k, k);
            if (m_biased) {
                r += m_global_mean + m_user_biases(user) + m_item_biases(item);
            }
        } else {
            r = m_global_mean;
            if (m_biased && user_known) {
                r += m_user_biases(user);
            }
            if (m_biased && item_known) {
                r += m_item_biases(item);
            }
        }
        if (m_scale) {
            r = std::clamp(r, static_cast<Scalar>(m_scale->min), static_cast<Scalar>(m_scale->max));
        }
        return r;
    }

    /// Predictions for pairs (users[j], items[j]).
    /// Throws mf::invalid_argument when the arrays differ in length.
    vector_type predict(const Ratings::index_array& users,
                        const Ratings::index_array& items) const {
        if (users.size() != items.size()) {
            throw invalid_argument("MatrixFactorization::predict: " + std::to_string(users.size())
                                   + " users but " + std::to_string(items.size()) + " items");
        }
        vector_type out = xt::empty<Scalar>({users.size()});
        for (std::size_t j = 0; j < users.size(); ++j) {
            out(j) = predict(users(j), items(j));
        }
        return out;
    }

    /// Predictions for every (user, item) pair of a rating set, in its order.
    vector_type predict(const Ratings& ratings) const {
        return predict(ratings.users(), ratings.items());
    }

  private:
    friend class SgdTrainer;

    matrix_type m_user_factors = xt::empty<Scalar>({std::size_t{0}, std::size_t{0}});
    matrix_type m_item_factors = xt::empty<Scalar>({std::size_t{0}, std::size_t{0}});
    vector_type m_user_biases = xt::empty<Scalar>({std::size_t{0}});
    vector_type m_item_biases = xt::empty<Scalar>({std::size_t{0}});
    mask_type m_user_known = xt::empty<bool>({std::size_t{0}});
    mask_type m_item_known = xt::empty<bool>({std::size_t{0}});
    Scalar m_global_mean = 0;
    bool m_biased = true;
    std::optional<RatingScale> m_scale;
};

}  // namespace mf

#endif  // MF_MODEL_HPP
