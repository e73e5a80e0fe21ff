// A small, seedable random number generator with results that are the same on
// every platform. The standard distributions are not: their algorithms are left
// to each standard library, so the same seed gives other numbers elsewhere.
#ifndef MF_DETAIL_RANDOM_HPP
#define MF_DETAIL_RANDOM_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace mf::detail {

/// xoshiro256** (Blackman and Vigna), its state filled by splitmix64 from one seed.
class Rng {
  public:
    explicit Rng(std::uint64_t seed) noexcept {
        for (auto& word : m_state) {
            seed += 0x9E3779B97F4A7C15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            word = z ^ (z >> 31);
        }
    }

    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    /// Uniform in [0, 1), from the top 53 bits.
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    /// Uniform integer in [0, n), n > 0. Draws below 2^64 mod n are rejected,
    /// so every result is equally likely.
    std::uint64_t below(std::uint64_t n) noexcept {
        const std::uint64_t threshold = (0 - n) % n;
        std::uint64_t r = next();
        while (r < threshold) {
            r = next();
        }
        return r % n;
    }

    /// Standard normal, by the Box-Muller transform; the second value of each
    /// pair is kept for the next call.
    double normal() noexcept {
        if (m_has_spare) {
            m_has_spare = false;
            return m_spare;
        }
        const double u1 = 1.0 - uniform();  // in (0, 1], so the logarithm is finite
        const double u2 = uniform();
        const double radius = std::sqrt(-2.0 * std::log(u1));
        const double angle = 6.283185307179586 * u2;
        m_spare = radius * std::sin(angle);
        m_has_spare = true;
        return radius * std::cos(angle);
    }

    /// Fisher-Yates shuffle of [first, last).
    template <class RandomIt>
    void shuffle(RandomIt first, RandomIt last) noexcept {
        const auto n = static_cast<std::uint64_t>(last - first);
        for (std::uint64_t i = n; i > 1; --i) {
            const std::uint64_t j = below(i);
            using std::swap;
            swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
        }
    }

  private:
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept {
        return (x << k) | (x >> (64 - k));
    }

    std::uint64_t m_state[4]{};
    double m_spare = 0.0;
    bool m_has_spare = false;
};

}  // namespace mf::detail

#endif  // MF_DETAIL_RANDOM_HPP
