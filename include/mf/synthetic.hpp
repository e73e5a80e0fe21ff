// Synthetic rating sets with a known low-rank structure, for tests, benchmarks
// and for running without a real data set.
#ifndef MF_SYNTHETIC_HPP
#define MF_SYNTHETIC_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "mf/detail/random.hpp"
#include "mf/detail/xtensor.hpp"
#include "mf/errors.hpp"
#include "mf/ratings.hpp"

namespace mf {

/// Shape of a synthetic rating set. The defaults resemble MovieLens 100k:
/// 943 users, 1682 items, 100,000 whole-star ratings, at least 20 per user.
struct SyntheticOptions {
    std::size_t users = 943;
    std::size_t items = 1682;
    std::size_t ratings = 100000;
    std::size_t min_per_user = 20;  ///< every user gets at least this many ratings
    std::size_t rank = 10;          ///< rank of the hidden factor matrices (>= 1)
    double mean = 3.53;             ///< μ of the hidden model
    double user_bias_std = 0.45;    ///< spread of the hidden user biases
    double item_bias_std = 0.55;    ///< spread of the hidden item biases
    double interaction_std = 0.7;   ///< spread of p_u · q_i
    double noise = 0.8;             ///< standard deviation of the noise added to each rating
    double popularity_skew =
        1.0;  ///< Zipf exponent of item popularity and user activity; 0 is uniform
    std::optional<RatingScale> scale = RatingScale{1.0, 5.0};  ///< ratings are clamped to it
    double step = 1.0;  ///< ratings are rounded to multiples of it; 0 keeps them continuous
    std::uint64_t seed = 1;
};

namespace detail {

/// Index drawn with probability proportional to 1 / (rank + 1)^skew, where the
/// ranks are a random permutation fixed when the sampler is built.
class ZipfSampler {
  public:
    ZipfSampler(std::size_t n, double skew, Rng& rng) : m_cumulative(n), m_ids(n) {
        std::iota(m_ids.begin(), m_ids.end(), std::size_t{0});
        rng.shuffle(m_ids.begin(), m_ids.end());
        double total = 0.0;
        for (std::size_t r = 0; r < n; ++r) {
            total += std::pow(static_cast<double>(r + 1), -skew);
            m_cumulative[r] = total;
        }
    }

    std::size_t operator()(Rng& rng) const {
        const double target = rng.uniform() * m_cumulative.back();
        const auto it = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), target);
        const auto r = static_cast<std::size_t>(it - m_cumulative.begin());
        return m_ids[std::min(r, m_ids.size() - 1)];
    }

  private:
    std::vector<double> m_cumulative;
    std::vector<std::size_t> m_ids;
};

}  // namespace detail

/// A random rating set drawn from a hidden biased factor model,
///     r = μ + b_u + b_i + p_u · q_i + noise,
/// clamped to the scale and rounded to the step. Users and items are chosen
/// with power-law popularity; no (user, item) pair repeats. Raw ids are "1",
/// "2", ... for users and items alike. The same options give the same set.
///
/// Throws mf::invalid_argument when the options cannot be met (more ratings
/// than pairs, fewer than users x min_per_user, rank 0, negative spreads).
inline Dataset synthetic_ratings(const SyntheticOptions& o) {
    const auto fail = [](const std::string& what) {
        throw invalid_argument("synthetic_ratings: " + what);
    };
    if (o.users == 0 || o.items == 0 || o.rank == 0) {
        fail("users, items and rank must be at least 1");
    }
    if (o.min_per_user > o.items) {
        fail("min_per_user (" + std::to_string(o.min_per_user) + ") exceeds items ("
             + std::to_string(o.items) + ")");
    }
    if (o.ratings < o.users * o.min_per_user || o.ratings > o.users * o.items) {
        fail("ratings must lie between users x min_per_user and users x items; got "
             + std::to_string(o.ratings));
    }
    for (const double spread : {o.user_bias_std, o.item_bias_std, o.interaction_std, o.noise,
                                o.popularity_skew, o.step}) {
        if (!(spread >= 0.0) || !std::isfinite(spread)) {
            fail("spreads, noise, popularity_skew and step must be finite and at least 0");
        }
    }

    if (o.scale
        && !(std::isfinite(o.scale->min) && std::isfinite(o.scale->max)
             && o.scale->min <= o.scale->max)) {
        fail("scale must be finite with min <= max");
    }

    detail::Rng rng(o.seed);

    // Ratings per user: min_per_user each, the rest by power-law activity.
    std::vector<std::size_t> per_user(o.users, o.min_per_user);
    const detail::ZipfSampler activity(o.users, o.popularity_skew, rng);
    std::size_t extra = o.ratings - o.users * o.min_per_user;
    // Under a steep skew the active users fill up and the rest almost never
    // come up: after many draws in a row that find no room, the remaining
    // ratings go round the users that have room, so any skew ends in bounded time.
    for (std::size_t misses = 0; extra > 0 && misses < 1024;) {
        const std::size_t u = activity(rng);
        if (per_user[u] < o.items) {
            ++per_user[u];
            --extra;
            misses = 0;
        } else {
            ++misses;
        }
    }
    for (std::size_t u = 0; extra > 0; u = (u + 1) % o.users) {
        if (per_user[u] < o.items) {
            ++per_user[u];
            --extra;
        }
    }

    // The hidden model. Each factor has variance s / sqrt(rank), so that p · q
    // has variance s² = interaction_std².
    const double factor_std = std::sqrt(o.interaction_std / std::sqrt(double(o.rank)));
    std::vector<double> p(o.users * o.rank);
    std::vector<double> q(o.items * o.rank);
    std::vector<double> user_bias(o.users);
    std::vector<double> item_bias(o.items);
    for (double& x : p)
        x = factor_std * rng.normal();
    for (double& x : q)
        x = factor_std * rng.normal();
    for (double& x : user_bias)
        x = o.user_bias_std * rng.normal();
    for (double& x : item_bias)
        x = o.item_bias_std * rng.normal();

    Dataset data;
    for (std::size_t u = 0; u < o.users; ++u) {
        data.users.insert(std::to_string(u + 1));
    }
    for (std::size_t i = 0; i < o.items; ++i) {
        data.items.insert(std::to_string(i + 1));
    }
    Ratings::index_array users = xt::empty<index_type>({o.ratings});
    Ratings::index_array items = xt::empty<index_type>({o.ratings});
    Ratings::value_array values = xt::empty<rating_type>({o.ratings});

    const detail::ZipfSampler popularity(o.items, o.popularity_skew, rng);
    std::vector<std::size_t> all_items(o.items);
    std::iota(all_items.begin(), all_items.end(), std::size_t{0});
    std::unordered_set<std::size_t> chosen;
    std::size_t n = 0;
    for (std::size_t u = 0; u < o.users; ++u) {
        chosen.clear();
        std::vector<std::size_t> picks;
        if (per_user[u] * 2 > o.items) {
            // Drawing without repeats by rejection would crawl; take a random subset.
            rng.shuffle(all_items.begin(), all_items.end());
            picks.assign(all_items.begin(),
                         all_items.begin() + static_cast<std::ptrdiff_t>(per_user[u]));
        } else {
            // Under a steep skew the rare items almost never come up: after
            // many draws without a new item, the rest are taken uniformly from
            // those not chosen yet, so that any skew ends in bounded time.
            const std::size_t patience = 64 * per_user[u] + 1024;
            for (std::size_t draws = 0; picks.size() < per_user[u] && draws < patience; ++draws) {
                const std::size_t i = popularity(rng);
                if (chosen.insert(i).second) {
                    picks.push_back(i);
                }
            }
            if (picks.size() < per_user[u]) {
                rng.shuffle(all_items.begin(), all_items.end());
                for (std::size_t j = 0; picks.size() < per_user[u]; ++j) {
                    if (chosen.insert(all_items[j]).second) {
                        picks.push_back(all_items[j]);
                    }
                }
            }
        }
        for (const std::size_t i : picks) {
            double r = o.mean + user_bias[u] + item_bias[i] + o.noise * rng.normal();
            for (std::size_t f = 0; f < o.rank; ++f) {
                r += p[u * o.rank + f] * q[i * o.rank + f];
            }
            if (o.step > 0) {
                r = std::round(r / o.step) * o.step;
            }
            if (o.scale) {
                r = std::clamp(r, o.scale->min, o.scale->max);
            }
            users(n) = static_cast<index_type>(u);
            items(n) = static_cast<index_type>(i);
            values(n) = static_cast<rating_type>(r);
            ++n;
        }
    }
    data.ratings = Ratings(std::move(users), std::move(items), std::move(values), o.users, o.items);
    data.scale = o.scale;
    return data;
}

}  // namespace mf

#endif  // MF_SYNTHETIC_HPP
