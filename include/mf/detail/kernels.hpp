// The inner loops of prediction and training, on contiguous factor rows.
//
// Each loop is written so that the compiler can vectorise it at any -O2 or
// higher, for whatever instruction set the program is built for, while the
// order of the floating-point operations stays fixed by the source: a result
// depends on the data, not on the vector width.
#ifndef MF_DETAIL_KERNELS_HPP
#define MF_DETAIL_KERNELS_HPP

#include <cmath>
#include <cstddef>

namespace mf::detail {

/// a · b over k elements. The products go to 16 interleaved partial sums
/// s_l = Σ a_f b_f over f ≡ l (mod 16), wide enough for two 256-bit registers
/// of floats, so consecutive multiply-adds do not wait for each other; the
/// partial sums then add up in a fixed tree, and the last k mod 8 products,
/// one after another, at the end.
template <class Scalar>
Scalar dot(const Scalar* a, const Scalar* b, std::size_t k) noexcept {
    Scalar s[16] = {};
    std::size_t f = 0;
    for (; f + 16 <= k; f += 16) {
        for (std::size_t l = 0; l < 16; ++l) {
            s[l] += a[f + l] * b[f + l];
        }
    }
    for (; f + 8 <= k; f += 8) {
        for (std::size_t l = 0; l < 8; ++l) {
            s[l] += a[f + l] * b[f + l];
        }
    }
    Scalar tail = 0;
    for (; f < k; ++f) {
        tail += a[f] * b[f];
    }
    // Named steps rather than a loop: compilers keep these in registers.
    Scalar h[8];
    for (std::size_t l = 0; l < 8; ++l) {
        h[l] = s[l] + s[l + 8];
    }
    const Scalar h04 = h[0] + h[4];
    const Scalar h15 = h[1] + h[5];
    const Scalar h26 = h[2] + h[6];
    const Scalar h37 = h[3] + h[7];
    return ((h04 + h26) + (h15 + h37)) + tail;
}

/// Asks the processor to start loading the `bytes` bytes at `row` into the
/// cache, for a step a little later. A hint only: it never changes a result.
inline void prefetch(const void* row, std::size_t bytes) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    const char* const begin = static_cast<const char*>(row);
    for (std::size_t offset = 0; offset < bytes; offset += 64) {
        __builtin_prefetch(begin + offset);
    }
#else
    (void)row;
    (void)bytes;
#endif
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

/// One AdaGrad step on the factors of a rating whose error is e = r - r̂. With
/// the gradients g_p = e q_i − λ p_u and g_q = e p_u − λ q_i, coordinate by
/// coordinate:
///     G_p ← G_p + g_p²    p_u ← p_u + η g_p / sqrt(G_p)
///     G_q ← G_q + g_q²    q_i ← q_i + η g_q / sqrt(G_q)
/// where gp and gq hold the running sums G of p_u and q_i.
template <class Scalar>
void adagrad_step(Scalar* p, Scalar* q, Scalar* gp, Scalar* gq, std::size_t k, Scalar eta,
                  Scalar e, Scalar lambda) noexcept {
    for (std::size_t f = 0; f < k; ++f) {
        const Scalar pf = p[f];
        const Scalar qf = q[f];
        const Scalar grad_p = e * qf - lambda * pf;
        const Scalar grad_q = e * pf - lambda * qf;
        const Scalar sum_p = gp[f] + grad_p * grad_p;
        const Scalar sum_q = gq[f] + grad_q * grad_q;
        gp[f] = sum_p;
        gq[f] = sum_q;
        p[f] = pf + eta * grad_p / std::sqrt(sum_p);
        q[f] = qf + eta * grad_q / std::sqrt(sum_q);
    }
}

/// One AdaGrad step on a bias b with gradient g = e − λ b and running sum G.
template <class Scalar>
void adagrad_bias_step(Scalar& b, Scalar& sum, Scalar eta, Scalar e, Scalar lambda) noexcept {
    const Scalar grad = e - lambda * b;
    sum += grad * grad;
    b += eta * grad / std::sqrt(sum);
}

}  // namespace mf::detail

#endif  // MF_DETAIL_KERNELS_HPP
