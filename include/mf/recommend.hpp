// Top-n recommendation: the items a model scores highest for a user, the items
// most like a given item, and a popularity baseline to compare with.
#ifndef MF_RECOMMEND_HPP
#define MF_RECOMMEND_HPP

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <exception>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mf/detail/kernels.hpp"
#include "mf/errors.hpp"
#include "mf/model.hpp"
#include "mf/ratings.hpp"

namespace mf {

/// One recommended item and the score it was ranked by.
struct Recommendation {
    index_type item = 0;
    double score = 0.0;
};

inline bool operator==(const Recommendation& a, const Recommendation& b) noexcept {
    return a.item == b.item && a.score == b.score;
}

inline bool operator!=(const Recommendation& a, const Recommendation& b) noexcept {
    return !(a == b);
}

namespace detail {

/// The most threads that a call asks for, as SgdTrainer::max_threads.
constexpr std::size_t max_ranking_threads = 1024;

/// Throws mf::invalid_argument unless 1 <= threads <= max_ranking_threads.
/// `name` is how the message names the parameter, such as "Recommender::recommend: threads".
inline void check_threads(const char* name, std::size_t threads) {
    if (threads < 1 || threads > max_ranking_threads) {
        std::ostringstream message;
        message << name << " must lie in [1, " << max_ranking_threads << "]; got " << threads;
        throw invalid_argument(message.str());
    }
}

/// Whether `a` ranks before `b`: the higher score first, then the lower item
/// index, so that every list has one order whatever produced it.
inline bool ranks_before(const Recommendation& a, const Recommendation& b) noexcept {
    return a.score > b.score || (a.score == b.score && a.item < b.item);
}

/// The best n of the candidates offered to it, in a heap of at most n entries
/// whose front is the worst of them: a candidate enters only by ranking
/// before that one, O(log n) each, and memory stays O(n).
class TopN {
  public:
    /// Keeps the best `n` of at most `candidates` offers: room for the fewer.
    TopN(std::size_t n, std::size_t candidates) : m_n(n) {
        m_heap.reserve(std::min(n, candidates));
    }

    void offer(index_type item, double score) {
        const Recommendation candidate{item, score};
        if (m_heap.size() < m_n) {
            m_heap.push_back(candidate);
            std::push_heap(m_heap.begin(), m_heap.end(), ranks_before);
        } else if (m_n != 0 && ranks_before(candidate, m_heap.front())) {
            std::pop_heap(m_heap.begin(), m_heap.end(), ranks_before);
            m_heap.back() = candidate;
            std::push_heap(m_heap.begin(), m_heap.end(), ranks_before);
        }
    }

    /// The entries, best first.
    std::vector<Recommendation> take() && {
        std::sort_heap(m_heap.begin(), m_heap.end(), ranks_before);
        return std::move(m_heap);
    }

  private:
    std::size_t m_n;
    std::vector<Recommendation> m_heap;
};

/// Calls work(j) for every j in [0, count) on up to `threads` threads, each
/// taking the next j as it gets free. The first exception a call throws is
/// rethrown once every thread has stopped.
template <class Work>
void parallel_for(std::size_t count, std::size_t threads, const Work& work) {
    threads = std::min(threads, count);
    if (threads <= 1) {
        for (std::size_t j = 0; j < count; ++j) {
            work(j);
        }
        return;
    }
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> failures(threads);
    const auto run = [&](std::size_t t) {
        try {
            for (std::size_t j = next++; j < count; j = next++) {
                work(j);
            }
        } catch (...) {
            failures[t] = std::current_exception();
            next = count;  // the others stop at their next step
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) {
        pool.emplace_back(run, t);
    }
    run(0);
    for (std::thread& thread : pool) {
        thread.join();
    }
    for (const std::exception_ptr& failure : failures) {
        if (failure) {
            std::rethrow_exception(failure);
        }
    }
}

}  // namespace detail

/// Which items each user rated in a training set, built once: one sorted list
/// per user (compressed sparse rows), each item once even where the training
/// set rates it twice. Whatever order the ratings came in, the lists are the same.
class SeenItems {
  public:
    /// The items of one user, in increasing order: a view into the SeenItems,
    /// valid while it lives.
    class Items {
      public:
        Items() = default;
        Items(const index_type* first, const index_type* last) noexcept
            : m_first(first), m_last(last) {}
        const index_type* begin() const noexcept { return m_first; }
        const index_type* end() const noexcept { return m_last; }
        std::size_t size() const noexcept { return static_cast<std::size_t>(m_last - m_first); }
        bool empty() const noexcept { return m_first == m_last; }
        index_type operator[](std::size_t j) const noexcept { return m_first[j]; }

      private:
        const index_type* m_first = nullptr;
        const index_type* m_last = nullptr;
    };

    /// No user has seen anything.
    SeenItems() = default;

    /// The items each user rated in `train`.
    explicit SeenItems(const Ratings& train) : m_offsets(train.n_users() + 1, 0) {
        // A counting sort by user, then each user's items sorted and made distinct.
        for (const index_type user : train.users()) {
            ++m_offsets[std::size_t{user} + 1];
        }
        std::partial_sum(m_offsets.begin(), m_offsets.end(), m_offsets.begin());
        m_items.resize(train.size());
        std::vector<std::size_t> next(m_offsets.begin(), m_offsets.end() - 1);
        for (std::size_t j = 0; j < train.size(); ++j) {
            m_items[next[train.user(j)]++] = train.item(j);
        }
        std::size_t kept = 0;
        for (std::size_t u = 0; u + 1 < m_offsets.size(); ++u) {
            const auto first = m_items.begin() + static_cast<std::ptrdiff_t>(m_offsets[u]);
            const auto last = m_items.begin() + static_cast<std::ptrdiff_t>(m_offsets[u + 1]);
            std::sort(first, last);
            const auto distinct_end = std::unique(first, last);
            m_offsets[u] = kept;
            kept = static_cast<std::size_t>(
                std::copy(first, distinct_end, m_items.begin() + static_cast<std::ptrdiff_t>(kept))
                - m_items.begin());
        }
        m_offsets.back() = kept;
        m_items.resize(kept);
        m_items.shrink_to_fit();
    }

    /// Users with a list: the training set's n_users(); later users have none.
    std::size_t n_users() const noexcept { return m_offsets.empty() ? 0 : m_offsets.size() - 1; }

    /// Distinct (user, item) pairs.
    std::size_t size() const noexcept { return m_items.size(); }

    /// The items `user` rated, in increasing order; none for a user beyond n_users().
    Items items(std::size_t user) const noexcept {
        if (user >= n_users()) {
            return {};
        }
        return {m_items.data() + m_offsets[user], m_items.data() + m_offsets[user + 1]};
    }

    /// Whether `user` rated `item`, by binary search in the user's list.
    bool contains(std::size_t user, std::size_t item) const noexcept {
        const Items seen = items(user);
        return std::binary_search(seen.begin(), seen.end(), item,
                                  [](std::size_t a, std::size_t b) { return a < b; });
    }

  private:
    std::vector<std::size_t> m_offsets;  // user u's items are [m_offsets[u], m_offsets[u + 1])
    std::vector<index_type> m_items;
};

/// Recommends items by a MatrixFactorization model's scores.
///
/// The candidates for a user are the items the model knows (is_known_item:
/// they had training ratings; an item without has only its random initial
/// factors) minus, by default, the items the user rated in training. Each is
/// scored by the model's prediction *without* clamping to a rating scale,
///     s(u, i) = μ + b_u + b_i + p_u · q_i    (p_u · q_i for an unbiased model),
/// since clamping would tie every item above the scale's top. A user the model
/// does not know (no training ratings, or an index beyond the model) gets the
/// model's fallback, s(u, i) = μ + b_i: items ranked by their bias alone, the
/// same for every such user (for an unbiased model every score is μ, and the
/// order is that of the indices). The list holds the n best, the higher score
/// first and, between equal scores, the lower item index first.
///
/// It keeps a reference to the model: the model must outlive it, and changes to
/// the model show in later calls. Every method is const and may be called from
/// several threads at once.
///
/// @tparam Scalar the model's float or double.
template <class Scalar>
class Recommender {
  public:
    using model_type = MatrixFactorization<Scalar>;

    /// Recommends from `model`, excluding each user's items in `train`.
    Recommender(const model_type& model, const Ratings& train) : m_model(&model), m_seen(train) {}

    /// As above, with the seen items built already (to share them between recommenders).
    Recommender(const model_type& model, SeenItems seen)
        : m_model(&model), m_seen(std::move(seen)) {}

    // A temporary model would be gone before the first recommendation.
    Recommender(const model_type&& model, const Ratings& train) = delete;
    Recommender(const model_type&& model, SeenItems seen) = delete;

    const model_type& model() const noexcept { return *m_model; }
    const SeenItems& seen_items() const noexcept { return m_seen; }

    /// The top `n` items for `user` (a dense index; one beyond the model is an
    /// unknown user), best first, each with its score; fewer when fewer
    /// candidates exist, none for n = 0 or for a user who rated every item.
    /// With exclude_seen = false the user's training items are candidates too.
    /// O(items x factors) time, O(n) memory besides the result.
    std::vector<Recommendation> recommend(std::size_t user, std::size_t n,
                                          bool exclude_seen = true) const {
        if (n == 0) {
            return {};
        }
        const model_type& model = *m_model;
        const std::size_t k = model.n_factors();
        const Scalar* const item_factors = model.item_factors().data();
        const Scalar* const item_biases = model.item_biases().data();
        const bool* const item_known = model.known_items().data();
        const bool user_known = model.is_known_user(user);
        const bool biased = model.biased();
        const Scalar mean = model.global_mean();
        const Scalar* const p = user_known ? model.user_factors().data() + user * k : nullptr;
        // μ + b_u, added to each p_u · q_i as MatrixFactorization::predict adds it.
        const Scalar user_base = user_known && biased ? mean + model.user_biases()(user) : mean;

        const SeenItems::Items seen = exclude_seen ? m_seen.items(user) : SeenItems::Items{};
        const index_type* next_seen = seen.begin();
        detail::TopN top(n, model.n_items());
        for (std::size_t i = 0; i < model.n_items(); ++i) {
            // The seen list is sorted, so one pass alongside the items skips it.
            while (next_seen != seen.end() && *next_seen < i) {
                ++next_seen;
            }
            if ((next_seen != seen.end() && *next_seen == i) || !item_known[i]) {
                continue;
            }
            Scalar score = mean;
            if (user_known) {
                score = detail::dot(p, item_factors + i * k, k);
                if (biased) {
                    score += user_base + item_biases[i];
                }
            } else if (biased) {
                score += item_biases[i];
            }
            top.offer(static_cast<index_type>(i), static_cast<double>(score));
        }
        return std::move(top).take();
    }

    /// recommend(user, n, exclude_seen) for each of `users`, in their order, on
    /// up to `threads` threads that take users as they get free; each thread
    /// holds one list of n at a time, never a users x items matrix. The lists
    /// are those of single calls, whatever the number of threads.
    /// Throws mf::invalid_argument unless 1 <= threads <= 1024.
    std::vector<std::vector<Recommendation>> recommend(const std::vector<index_type>& users,
                                                       std::size_t n, std::size_t threads = 1,
                                                       bool exclude_seen = true) const {
        detail::check_threads("Recommender::recommend: threads", threads);
        std::vector<std::vector<Recommendation>> lists(users.size());
        detail::parallel_for(users.size(), threads, [&](std::size_t j) {
            lists[j] = recommend(users[j], n, exclude_seen);
        });
        return lists;
    }

    /// The `n` known items most like `item` by the cosine of their factors,
    ///     cos(i, j) = q_i · q_j / (|q_i| |q_j|),
    /// best first, the item itself left out; between equal cosines the lower
    /// index first. A zero factor vector has cosine 0 with every item.
    /// Throws mf::invalid_argument when `item` is beyond the model or unknown
    /// to it (its factors were never trained).
    std::vector<Recommendation> similar_items(std::size_t item, std::size_t n) const {
        const model_type& model = *m_model;
        if (item >= model.n_items()) {
            throw invalid_argument("Recommender::similar_items: item " + std::to_string(item)
                                   + " is beyond the model's " + std::to_string(model.n_items())
                                   + " items");
        }
        if (!model.is_known_item(item)) {
            throw invalid_argument("Recommender::similar_items: item " + std::to_string(item)
                                   + " had no training ratings, so its factors mean nothing");
        }
        if (n == 0) {
            return {};
        }
        const std::size_t k = model.n_factors();
        const Scalar* const item_factors = model.item_factors().data();
        const Scalar* const q = item_factors + item * k;
        const double norm = std::sqrt(static_cast<double>(detail::dot(q, q, k)));
        detail::TopN top(n, model.n_items());
        for (std::size_t j = 0; j < model.n_items(); ++j) {
            if (j == item || !model.is_known_item(j)) {
                continue;
            }
            const Scalar* const other = item_factors + j * k;
            const double other_norm = std::sqrt(static_cast<double>(detail::dot(other, other, k)));
            double cosine = 0.0;
            if (norm > 0.0 && other_norm > 0.0) {
                // Rounding can step just past ±1; the clamp keeps the documented range.
                cosine = std::clamp(
                    static_cast<double>(detail::dot(q, other, k)) / (norm * other_norm), -1.0, 1.0);
            }
            top.offer(static_cast<index_type>(j), cosine);
        }
        return std::move(top).take();
    }

  private:
    const model_type* m_model;
    SeenItems m_seen;
};

/// The popularity baseline: every user gets the items with the most training
/// ratings, scored by that number (distinct users who rated the item), the
/// lower item index first between equal counts. Candidates are the items with
/// at least one training rating, minus by default the user's own: the same
/// rules as Recommender, so that the two compare fairly.
class PopularityRecommender {
  public:
    /// Counts the ratings of each item in `train`, and which items each user rated.
    explicit PopularityRecommender(const Ratings& train)
        : m_seen(train), m_counts(train.n_items(), 0) {
        for (std::size_t u = 0; u < m_seen.n_users(); ++u) {
            for (const index_type item : m_seen.items(u)) {
                ++m_counts[item];
            }
        }
        for (std::size_t i = 0; i < m_counts.size(); ++i) {
            if (m_counts[i] > 0) {
                m_order.push_back(static_cast<index_type>(i));
            }
        }
        // Every user's list is a prefix of this order, less their own items.
        std::stable_sort(m_order.begin(), m_order.end(),
                         [&](index_type a, index_type b) { return m_counts[a] > m_counts[b]; });
    }

    const SeenItems& seen_items() const noexcept { return m_seen; }

    /// The number of distinct users who rated `item` in training; 0 beyond the set.
    std::size_t popularity(std::size_t item) const noexcept {
        return item < m_counts.size() ? m_counts[item] : 0;
    }

    /// The `n` most rated items, best first, as Recommender::recommend lists
    /// them: fewer when fewer candidates exist, the user's training items left
    /// out unless exclude_seen is false. O((n + seen items) log(seen items)).
    std::vector<Recommendation> recommend(std::size_t user, std::size_t n,
                                          bool exclude_seen = true) const {
        std::vector<Recommendation> list;
        for (std::size_t j = 0; j < m_order.size() && list.size() < n; ++j) {
            const index_type item = m_order[j];
            if (!exclude_seen || !m_seen.contains(user, item)) {
                list.push_back({item, static_cast<double>(m_counts[item])});
            }
        }
        return list;
    }

    /// recommend(user, n, exclude_seen) for each of `users`, as
    /// Recommender's batched overload. Throws mf::invalid_argument unless
    /// 1 <= threads <= 1024.
    std::vector<std::vector<Recommendation>> recommend(const std::vector<index_type>& users,
                                                       std::size_t n, std::size_t threads = 1,
                                                       bool exclude_seen = true) const {
        detail::check_threads("PopularityRecommender::recommend: threads", threads);
        std::vector<std::vector<Recommendation>> lists(users.size());
        detail::parallel_for(users.size(), threads, [&](std::size_t j) {
            lists[j] = recommend(users[j], n, exclude_seen);
        });
        return lists;
    }

  private:
    SeenItems m_seen;
    std::vector<std::size_t> m_counts;
    std::vector<index_type> m_order;  // items with a rating, most rated first
};

}  // namespace mf

#endif  // MF_RECOMMEND_HPP
