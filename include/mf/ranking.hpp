// Ranking metrics of top-k recommendation lists on a test set: precision@k,
// recall@k, NDCG@k, MAP@k and hit rate. docs/metrics.md defines each one.
#ifndef MF_RANKING_HPP
#define MF_RANKING_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <sstream>
#include <type_traits>
#include <utility>
#include <vector>

#include "mf/errors.hpp"
#include "mf/ratings.hpp"
#include "mf/recommend.hpp"

namespace mf {

/// How evaluate_ranking measures.
struct RankingOptions {
    std::size_t k = 10;  ///< the length of each list (>= 1)
    /// A test rating >= this is relevant (finite); compared as a rating, in
    /// float, so that a rating read as 3.7 passes a threshold of 3.7.
    double relevance_threshold = 4.0;
    std::size_t threads = 1;  ///< threads that make the lists at once, in [1, 1024]
};

/// Ranking metrics averaged over the evaluated users: those with at least one
/// relevant test item outside their training items. docs/metrics.md defines
/// each one.
struct RankingMetrics {
    double precision = 0.0;  ///< mean precision@k: hits / k
    double recall = 0.0;     ///< mean recall@k: hits / relevant items
    double ndcg = 0.0;       ///< mean NDCG@k, with binary relevance
    double map = 0.0;        ///< MAP@k: mean average precision at k
    double hit_rate = 0.0;   ///< share of users with at least one hit
    std::size_t users = 0;   ///< users evaluated
    /// Users with test ratings but no relevant one outside their training items.
    std::size_t skipped_users = 0;
    std::size_t relevant = 0;  ///< relevant (user, item) pairs of the evaluated users
    std::size_t hits = 0;      ///< of those, the ones in their user's list
    /// Relevant test pairs left out because the training set rates them too
    /// (a list never holds a training item, so they could not be found).
    std::size_t relevant_seen = 0;
    std::size_t k = 0;                 ///< the k measured at
    double relevance_threshold = 0.0;  ///< the threshold used
};

namespace detail {

// What a ranker's recommend(user, n) and seen_items() return.
template <class Ranker>
using ranker_list_t =
    decltype(std::declval<const Ranker&>().recommend(std::size_t{0}, std::size_t{0}));
template <class Ranker>
using ranker_seen_t = decltype(std::declval<const Ranker&>().seen_items());

template <class Ranker, class = void>
struct is_ranker : std::false_type {};

template <class Ranker>
struct is_ranker<Ranker, std::void_t<ranker_list_t<Ranker>, ranker_seen_t<Ranker>>>
    : std::conjunction<std::is_convertible<ranker_list_t<Ranker>, std::vector<Recommendation>>,
                       std::is_convertible<ranker_seen_t<Ranker>, const SeenItems&>> {};

/// What one user's list scored.
struct UserRanking {
    std::size_t hits = 0;
    double precision = 0.0;
    double recall = 0.0;
    double ndcg = 0.0;
    double average_precision = 0.0;
};

/// 1 / log2(i + 1), the discount of rank i (from 1).
inline double rank_discount(std::size_t i) {
    return 1.0 / std::log2(static_cast<double>(i) + 1.0);
}

/// The metrics of one user's list against the user's relevant items (sorted,
/// distinct, at least one); only the first k entries of the list count.
///     precision@k = hits / k            recall@k = hits / |R|
///     DCG@k = Σ_{i <= k} rel(i) / log2(i + 1)
///     NDCG@k = DCG@k / IDCG@k, IDCG@k = Σ_{i <= min(k, |R|)} 1 / log2(i + 1)
///     AP@k = Σ_{i <= k, rel(i) = 1} precision@i / min(k, |R|)
inline UserRanking rank_user(const std::vector<Recommendation>& list,
                             const std::vector<index_type>& relevant, std::size_t k) {
    UserRanking result;
    double dcg = 0.0;
    double precision_sum = 0.0;
    const std::size_t length = std::min(k, list.size());
    for (std::size_t i = 1; i <= length; ++i) {
        if (std::binary_search(relevant.begin(), relevant.end(), list[i - 1].item)) {
            ++result.hits;
            dcg += rank_discount(i);
            precision_sum += static_cast<double>(result.hits) / static_cast<double>(i);
        }
    }
    const std::size_t ideal_hits = std::min(k, relevant.size());
    double ideal_dcg = 0.0;
    for (std::size_t i = 1; i <= ideal_hits; ++i) {
        ideal_dcg += rank_discount(i);
    }
    const auto hits = static_cast<double>(result.hits);
    result.precision = hits / static_cast<double>(k);
    result.recall = hits / static_cast<double>(relevant.size());
    result.ndcg = dcg / ideal_dcg;
    result.average_precision = precision_sum / static_cast<double>(ideal_hits);
    return result;
}

}  // namespace detail

/// Checks every option; throws mf::invalid_argument naming the first bad one.
inline void validate(const RankingOptions& options) {
    if (options.k < 1) {
        throw invalid_argument("RankingOptions::k must be at least 1; got 0");
    }
    if (!std::isfinite(options.relevance_threshold)) {
        std::ostringstream message;
        message << "RankingOptions::relevance_threshold must be a finite number; got "
                << options.relevance_threshold;
        throw invalid_argument(message.str());
    }
    detail::check_threads("RankingOptions::threads", options.threads);
}

/// Precision@k, recall@k, NDCG@k, MAP@k and hit rate of a ranker's top-k lists
/// on a test set, as docs/metrics.md defines them.
///
/// A user's relevant items are the distinct items of their test ratings at or
/// above the threshold, less those the user also rated in training (counted in
/// relevant_seen). Every user of `test` with a relevant item is evaluated, with
/// the list ranker.recommend(user, k); the others with test ratings are
/// counted in skipped_users. Users and items the ranker's model does not know
/// count like the others: a relevant item it cannot recommend is a miss. Each
/// metric is the mean over the evaluated users, added up in user order, so the
/// result does not depend on the threads.
///
/// @param ranker  anything with `recommend(user, n)` returning the top-n
///                std::vector<Recommendation> of distinct items, best first,
///                without the user's training items (safe to call from several
///                threads at once), and `seen_items()` giving those training
///                items: Recommender, PopularityRecommender.
/// @param test    the test ratings, as wide as the ranker's training set or wider.
/// @param options k, the relevance threshold and the threads.
///
/// Throws mf::invalid_argument for options out of range (see validate) and when
/// no user of `test` has a relevant item to find.
template <class Ranker>
RankingMetrics evaluate_ranking(const Ranker& ranker, const Ratings& test,
                                const RankingOptions& options = {}) {
    static_assert(detail::is_ranker<Ranker>::value,
                  "evaluate_ranking needs a ranker with recommend(user, n) returning "
                  "std::vector<mf::Recommendation> and seen_items() returning mf::SeenItems");
    validate(options);
    const SeenItems& seen = ranker.seen_items();

    // Ratings are floats: the threshold is rounded as a rating of the same text
    // in a file would be, so that a rating of 3.7 passes a threshold of 3.7.
    const auto threshold = static_cast<rating_type>(options.relevance_threshold);
    // The test set's items grouped by user (a counting sort), relevant ones only.
    std::vector<std::size_t> offsets(test.n_users() + 1, 0);
    std::vector<bool> rated(test.n_users(), false);
    for (std::size_t j = 0; j < test.size(); ++j) {
        rated[test.user(j)] = true;
        if (test.value(j) >= threshold) {
            ++offsets[std::size_t{test.user(j)} + 1];
        }
    }
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    std::vector<index_type> relevant_items(offsets.back());
    {
        std::vector<std::size_t> next(offsets.begin(), offsets.end() - 1);
        for (std::size_t j = 0; j < test.size(); ++j) {
            if (test.value(j) >= threshold) {
                relevant_items[next[test.user(j)]++] = test.item(j);
            }
        }
    }

    RankingMetrics metrics;
    metrics.k = options.k;
    metrics.relevance_threshold = options.relevance_threshold;
    std::vector<index_type> users;
    std::vector<std::vector<index_type>> relevant;
    for (std::size_t u = 0; u < test.n_users(); ++u) {
        std::vector<index_type> items(
            relevant_items.begin() + static_cast<std::ptrdiff_t>(offsets[u]),
            relevant_items.begin() + static_cast<std::ptrdiff_t>(offsets[u + 1]));
        std::sort(items.begin(), items.end());
        items.erase(std::unique(items.begin(), items.end()), items.end());
        const auto unseen_end = std::remove_if(
            items.begin(), items.end(), [&](index_type item) { return seen.contains(u, item); });
        metrics.relevant_seen += static_cast<std::size_t>(items.end() - unseen_end);
        items.erase(unseen_end, items.end());
        if (!items.empty()) {
            metrics.relevant += items.size();
            users.push_back(static_cast<index_type>(u));
            relevant.push_back(std::move(items));
        } else if (rated[u]) {
            ++metrics.skipped_users;
        }
    }
    if (users.empty()) {
        std::ostringstream message;
        message << "evaluate_ranking: no user of the test set has a rating of at least "
                << options.relevance_threshold << " outside their training items";
        throw invalid_argument(message.str());
    }

    // One result per user, added up afterwards in user order.
    std::vector<detail::UserRanking> per_user(users.size());
    detail::parallel_for(users.size(), options.threads, [&](std::size_t j) {
        per_user[j] =
            detail::rank_user(ranker.recommend(users[j], options.k), relevant[j], options.k);
    });
    for (const detail::UserRanking& r : per_user) {
        metrics.hits += r.hits;
        metrics.precision += r.precision;
        metrics.recall += r.recall;
        metrics.ndcg += r.ndcg;
        metrics.map += r.average_precision;
        metrics.hit_rate += r.hits > 0 ? 1.0 : 0.0;
    }
    const auto n = static_cast<double>(users.size());
    metrics.users = users.size();
    metrics.precision /= n;
    metrics.recall /= n;
    metrics.ndcg /= n;
    metrics.map /= n;
    metrics.hit_rate /= n;
    return metrics;
}

}  // namespace mf

#endif  // MF_RANKING_HPP
