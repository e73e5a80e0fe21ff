// The inner loops of prediction and training, on contiguous factor rows.
//
// Each loop is written so that the compiler can vectorise it at any -O2 or
// higher, for whatever instruction set the program is built for, while the
// order of the floating-point operations stays fixed by the source: a result
// depends on the data, not on the vector width.
#ifndef MF_DETAIL_KERNELS_HPP
#define MF_DETAIL_KERNELS_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>

// The kernels are small, but compilers judge the vectorised loops too large to
// inline, and a call per rating costs more than the work of a small k.
#if defined(__GNUC__) || defined(__clang__)
#define MF_DETAIL_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define MF_DETAIL_INLINE __forceinline
#else
#define MF_DETAIL_INLINE inline
#endif

// A user's row and an item's row never overlap; saying so lets the compiler
// vectorise the updates without checking at run time.
#define MF_DETAIL_RESTRICT __restrict

namespace mf::detail {

/// Σ term(f) over f < k. The terms go to 16 interleaved partial sums
/// s_l = Σ term(f) over f ≡ l (mod 16), wide enough for two 256-bit registers
/// of floats, so consecutive adds do not wait for each other; the partial sums
/// then add up in a fixed tree, and the last k mod 8 terms, one after another,
/// at the end. The order is fixed by this code, never by the vector width.
template <class Scalar, class Term>
MF_DETAIL_INLINE Scalar sum(std::size_t k, Term term) noexcept {
    Scalar s[16] = {};
    std::size_t f = 0;
    for (; f + 16 <= k; f += 16) {
        for (std::size_t l = 0; l < 16; ++l) {
            s[l] += term(f + l);
        }
    }
    for (; f + 8 <= k; f += 8) {
        for (std::size_t l = 0; l < 8; ++l) {
            s[l] += term(f + l);
        }
    }
    Scalar tail = 0;
    for (; f < k; ++f) {
        tail += term(f);
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

/// a · b over k elements, summed as sum() does.
template <class Scalar>
MF_DETAIL_INLINE Scalar dot(const Scalar* a, const Scalar* b, std::size_t k) noexcept {
    return sum<Scalar>(k, [=](std::size_t f) { return a[f] * b[f]; });
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
MF_DETAIL_INLINE void sgd_step(Scalar* MF_DETAIL_RESTRICT p, Scalar* MF_DETAIL_RESTRICT q, std::size_t k, Scalar eta, Scalar e, Scalar lambda) noexcept {
    for (std::size_t f = 0; f < k; ++f) {
        const Scalar pf = p[f];
        const Scalar qf = q[f];
        p[f] = pf + eta * (e * qf - lambda * pf);
        q[f] = qf + eta * (e * pf - lambda * qf);
    }
}

/// One AdaGrad step on the factors of a rating whose error is e = r − r̂, with
/// one running sum of squared gradients per factor row, as LIBMF keeps. With
/// the gradients g_p = e q_i − λ p_u and g_q = e p_u − λ q_i:
///     G_p ← G_p + |g_p|² / k    p_u ← p_u + η g_p / sqrt(G_p)
///     G_q ← G_q + |g_q|² / k    q_i ← q_i + η g_q / sqrt(G_q)
/// `pq` is p_u · q_i, known from the prediction; the squared norms come from
/// it and |p_u|², |q_i|², as |g_p|² = e²|q|² − 2eλ p·q + λ²|p|², which saves a
/// pass over the gradients.
template <class Scalar>
MF_DETAIL_INLINE void adagrad_step(Scalar* MF_DETAIL_RESTRICT p, Scalar* MF_DETAIL_RESTRICT q, Scalar pq, Scalar& sum_p, Scalar& sum_q, std::size_t k,
                  Scalar eta, Scalar e, Scalar lambda) noexcept {
    const Scalar pp = dot(p, p, k);
    const Scalar qq = dot(q, q, k);
    const Scalar cross = 2 * e * lambda * pq;
    const Scalar n = static_cast<Scalar>(k);
    // Rounding may take a norm a hair below zero; a gradient's norm never is.
    sum_p += std::max(Scalar(0), e * e * qq - cross + lambda * lambda * pp) / n;
    sum_q += std::max(Scalar(0), e * e * pp - cross + lambda * lambda * qq) / n;
    const Scalar step_p = eta / std::sqrt(sum_p);
    const Scalar step_q = eta / std::sqrt(sum_q);
    for (std::size_t f = 0; f < k; ++f) {
        const Scalar pf = p[f];
        const Scalar qf = q[f];
        p[f] = pf + step_p * (e * qf - lambda * pf);
        q[f] = qf + step_q * (e * pf - lambda * qf);
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
