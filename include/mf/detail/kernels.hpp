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
template <class Scalar>
MF_DETAIL_INLINE Scalar add_up(const Scalar (&s)[16], Scalar tail) noexcept {
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
    return add_up(s, tail);
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

/// One SGD step on the factors of a rating whose error is e = r − r̂, with a
/// step size of its own for each row:
///     p_u ← p_u + η_p (e q_i − λ p_u)
///     q_i ← q_i + η_q (e p_u − λ q_i)    (with p_u from before the step)
template <class Scalar>
MF_DETAIL_INLINE void sgd_step(Scalar* MF_DETAIL_RESTRICT p, Scalar* MF_DETAIL_RESTRICT q,
                               std::size_t k, Scalar eta_p, Scalar eta_q, Scalar e,
                               Scalar lambda) noexcept {
    for (std::size_t f = 0; f < k; ++f) {
        const Scalar pf = p[f];
        const Scalar qf = q[f];
        p[f] = pf + eta_p * (e * qf - lambda * pf);
        q[f] = qf + eta_q * (e * pf - lambda * qf);
    }
}

/// sgd_step with η_p = η_q = η.
template <class Scalar>
MF_DETAIL_INLINE void sgd_step(Scalar* MF_DETAIL_RESTRICT p, Scalar* MF_DETAIL_RESTRICT q,
                               std::size_t k, Scalar eta, Scalar e, Scalar lambda) noexcept {
    sgd_step(p, q, k, eta, eta, e, lambda);
}

/// One AdaGrad step on the factors of a rating whose error is e = r − r̂, with
/// one running sum G of squared gradients per factor row, as LIBMF keeps. The
/// step sizes come from the sums before this step, so that they need not wait
/// for the error:
///     p_u ← p_u + η g_p / sqrt(G_p)    G_p ← G_p + |g_p|² / k
///     q_i ← q_i + η g_q / sqrt(G_q)    G_q ← G_q + |g_q|² / k
/// with the gradients g_p = e q_i − λ p_u and g_q = e p_u − λ q_i.
template <class Scalar>
MF_DETAIL_INLINE void adagrad_step(Scalar* MF_DETAIL_RESTRICT p, Scalar* MF_DETAIL_RESTRICT q,
                                   Scalar& sum_p, Scalar& sum_q, std::size_t k, Scalar eta,
                                   Scalar e, Scalar lambda) noexcept {
    const Scalar step_p = eta / std::sqrt(sum_p);
    const Scalar step_q = eta / std::sqrt(sum_q);
    Scalar squares_p[16] = {};
    Scalar squares_q[16] = {};
    const auto update = [&](std::size_t f, std::size_t l) {
        const Scalar pf = p[f];
        const Scalar qf = q[f];
        const Scalar grad_p = e * qf - lambda * pf;
        const Scalar grad_q = e * pf - lambda * qf;
        squares_p[l] += grad_p * grad_p;
        squares_q[l] += grad_q * grad_q;
        p[f] = pf + step_p * grad_p;
        q[f] = qf + step_q * grad_q;
    };
    std::size_t f = 0;
    for (; f + 16 <= k; f += 16) {
        for (std::size_t l = 0; l < 16; ++l) {
            update(f + l, l);
        }
    }
    for (std::size_t l = 0; f < k; ++f, ++l) {
        update(f, l);
    }
    const auto n = static_cast<Scalar>(k);
    sum_p += add_up(squares_p, Scalar(0)) / n;
    sum_q += add_up(squares_q, Scalar(0)) / n;
}

/// One AdaGrad step on a bias b with gradient g = e − λ b and running sum G,
/// the step size again from the sum before the step:
///     b ← b + η g / sqrt(G)    G ← G + g²
template <class Scalar>
MF_DETAIL_INLINE void adagrad_bias_step(Scalar& b, Scalar& sum, Scalar eta, Scalar e,
                                        Scalar lambda) noexcept {
    const Scalar grad = e - lambda * b;
    b += eta / std::sqrt(sum) * grad;
    sum += grad * grad;
}

}  // namespace mf::detail

#endif  // MF_DETAIL_KERNELS_HPP
