// The rating matrix cut into a grid of blocks, and the order in which
// parallel SGD visits them.
#ifndef MF_DETAIL_BLOCKS_HPP
#define MF_DETAIL_BLOCKS_HPP

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

#include "mf/detail/random.hpp"
#include "mf/ratings.hpp"

namespace mf::detail {

/// The ratings of a grid x grid cut of the rating matrix, block by block.
/// Users and items are dealt to the block rows and columns by a random
/// permutation, so that popular items and heavy users spread evenly over the
/// blocks. Two blocks in different rows and different columns share no user
/// and no item: SGD steps on them touch disjoint factor rows.
///
/// Inside a block the ratings are grouped by user, so that the user's factor
/// row stays in the cache while it is used, with each user's ratings in a
/// seeded random order. The block's first and second halves then alternate,
/// so that consecutive steps mostly touch two different users and need not
/// wait for each other's updates.
class BlockGrid {
  public:
    struct Block {
        const index_type* users;
        const index_type* items;
        const rating_type* values;
        std::size_t size;
    };

    BlockGrid(const Ratings& ratings, std::size_t grid, Rng& rng) : m_grid(grid) {
        const std::vector<std::uint32_t> user_row = deal(ratings.n_users(), rng);
        const std::vector<std::uint32_t> item_column = deal(ratings.n_items(), rng);
        const auto block_of = [&](std::size_t j) {
            return std::size_t{user_row[ratings.user(j)]} * m_grid
                   + item_column[ratings.item(j)];
        };

        // Shuffled, then sorted stably by user and by block: each block holds
        // its ratings grouped by user, and a user's ratings in random order.
        std::vector<std::uint32_t> order(ratings.size());
        std::iota(order.begin(), order.end(), std::uint32_t{0});
        rng.shuffle(order.begin(), order.end());
        order = counting_sort(order, ratings.n_users(),
                              [&](std::uint32_t j) { return std::size_t{ratings.user(j)}; });
        order = counting_sort(order, m_grid * m_grid, block_of, &m_offsets);

        m_users.resize(order.size());
        m_items.resize(order.size());
        m_values.resize(order.size());
        for (std::size_t b = 0; b < m_grid * m_grid; ++b) {
            const std::size_t begin = m_offsets[b];
            const std::size_t size = m_offsets[b + 1] - begin;
            const std::size_t half = (size + 1) / 2;
            for (std::size_t j = 0; j < size; ++j) {
                const std::size_t from = begin + (j % 2 == 0 ? j / 2 : half + j / 2);
                m_users[begin + j] = ratings.user(order[from]);
                m_items[begin + j] = ratings.item(order[from]);
                m_values[begin + j] = ratings.value(order[from]);
            }
        }
    }

    std::size_t grid() const noexcept { return m_grid; }

    Block block(std::size_t row, std::size_t column) const noexcept {
        const std::size_t b = row * m_grid + column;
        const std::size_t begin = m_offsets[b];
        return {m_users.data() + begin, m_items.data() + begin, m_values.data() + begin,
                m_offsets[b + 1] - begin};
    }

  private:
    // Block row (or column) of each of n ids: a random permutation cut into
    // grid nearly equal parts.
    std::vector<std::uint32_t> deal(std::size_t n, Rng& rng) const {
        std::vector<std::size_t> ids(n);
        std::iota(ids.begin(), ids.end(), std::size_t{0});
        rng.shuffle(ids.begin(), ids.end());
        std::vector<std::uint32_t> part(n);
        for (std::size_t position = 0; position < n; ++position) {
            part[ids[position]] = static_cast<std::uint32_t>(position * m_grid / n);
        }
        return part;
    }

    // `order` sorted stably by key(j) < n_keys; `starts`, when given, receives
    // where each key's run begins, and the total at the end.
    template <class Key>
    static std::vector<std::uint32_t> counting_sort(const std::vector<std::uint32_t>& order,
                                                    std::size_t n_keys, Key key,
                                                    std::vector<std::size_t>* starts = nullptr) {
        std::vector<std::size_t> next(n_keys + 1, 0);
        for (const std::uint32_t j : order) {
            ++next[key(j) + 1];
        }
        std::partial_sum(next.begin(), next.end(), next.begin());
        if (starts != nullptr) {
            *starts = next;
        }
        std::vector<std::uint32_t> sorted(order.size());
        for (const std::uint32_t j : order) {
            sorted[next[key(j)]++] = j;
        }
        return sorted;
    }

    std::size_t m_grid;
    std::vector<std::size_t> m_offsets;
    std::vector<index_type> m_users;
    std::vector<index_type> m_items;
    std::vector<rating_type> m_values;
};

/// Where threads wait for each other between strata.
class Barrier {
  public:
    explicit Barrier(std::size_t parties) : m_parties(parties) {}

    void arrive_and_wait() {
        std::unique_lock<std::mutex> lock(m_mutex);
        const std::size_t generation = m_generation;
        if (++m_arrived == m_parties) {
            m_arrived = 0;
            ++m_generation;
            m_released.notify_all();
        } else {
            m_released.wait(lock, [&] { return generation != m_generation; });
        }
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_released;
    std::size_t m_parties;
    std::size_t m_arrived = 0;
    std::size_t m_generation = 0;
};

/// One epoch's visit of a grid x grid BlockGrid in `grid` strata. A stratum
/// is the diagonal of blocks (r, c_((r + s) mod grid)) for r = 0 .. grid−1,
/// with c a random permutation of the columns and s the stratum's shift, in
/// random order; each block is visited exactly once per epoch.
///
/// The blocks of one stratum share no row and no column, so `threads` threads
/// take them in any order and the result is the same: the outcome depends on
/// the seed, never on the timing. Between strata all threads wait.
template <class VisitBlock>
void visit_strata(std::size_t grid, std::size_t threads, Rng& rng, VisitBlock&& visit) {
    std::vector<std::size_t> columns(grid);
    std::iota(columns.begin(), columns.end(), std::size_t{0});
    rng.shuffle(columns.begin(), columns.end());
    std::vector<std::size_t> shifts = columns;
    rng.shuffle(shifts.begin(), shifts.end());

    const auto column_of = [&](std::size_t stratum, std::size_t row) {
        return columns[(row + shifts[stratum]) % grid];
    };
    threads = std::min(threads, grid);
    if (threads <= 1) {
        for (std::size_t s = 0; s < grid; ++s) {
            for (std::size_t r = 0; r < grid; ++r) {
                visit(r, column_of(s, r));
            }
        }
        return;
    }

    // Threads take the rows of a stratum one by one as they get free; each
    // stratum counts its taken rows apart, so no count is ever reset.
    std::vector<std::atomic<std::size_t>> taken(grid);
    Barrier barrier(threads);
    const auto work = [&] {
        for (std::size_t s = 0; s < grid; ++s) {
            for (std::size_t r = taken[s]++; r < grid; r = taken[s]++) {
                visit(r, column_of(s, r));
            }
            barrier.arrive_and_wait();
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) {
        pool.emplace_back(work);
    }
    work();
    for (std::thread& thread : pool) {
        thread.join();
    }
}

}  // namespace mf::detail

#endif  // MF_DETAIL_BLOCKS_HPP
