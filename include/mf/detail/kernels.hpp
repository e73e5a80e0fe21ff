// The inner loops of prediction and training, on contiguous factor rows.
#ifndef MF_DETAIL_KERNELS_HPP
#define MF_DETAIL_KERNELS_HPP

#include <cstddef>

namespace mf::detail {

/// a · b over k elements.
template <class Scalar>
Scalar dot(const Scalar* a, const Scalar* b, std::size_t k) noexcept {
    Scalar sum = 0;
    for (std::size_t f = 0; f < k; ++f) {
        sum += a[f] * b[f];
    }
    return sum;
}

/// One SGD step on the factors of a rating whose error is e = r - r̂:
///     p_u ← p_u + η (e q_i − λ p_u)
///     q_i ← q_i + η (e p_u − λ q_i)    (with p_u from before the step)
template <class Scalar>
void sgd_step(Scalar* p, Scalar* q, std::size_t k, Scalar eta, Scalar e, Scalar lambda) noexcept {
    for (std::size_t f = 0; f < k; ++f) {
        const Scalar pf = p[f];
        const Scalar qf = q[f];
        p[f] = pf + eta * (e * qf - lambda * pf);
        q[f] = qf + eta * (e * pf - lambda * qf);
    }
}

}  // namespace mf::detail

#endif  // MF_DETAIL_KERNELS_HPP
