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
///
/// Users and items are first renamed by a seeded random permutation, so that
/// heavy users and popular items spread evenly; block row r then holds the
/// users whose new indices fall in the r-th of grid equal ranges, and block
/// column c likewise for items. The triplets carry the new indices: the
/// trainer renames the model's rows to match (see permute_rows), so that a
/// block's factor rows, biases and sums lie together in memory, and threads
/// on blocks of different rows and columns share a cache line at most at the
/// edges of their ranges. Two such blocks share no user and no item.
///
/// Inside a block the ratings come in groups of a few users each, in seeded
/// random order within a group: the group's factor rows stay in the cache
/// while they are used, and consecutive steps mostly touch different users,
/// so that they need not wait for each other's updates. The triplets are
/// reordered where they lie, so the grid holds no second copy of them.
class BlockGrid {
  public:
    struct Block {
        const index_type* users;
        const index_type* items;
        const rating_type* values;
        std::size_t size;
    };

    /// Takes the triplets of a rating set, renames their users and items and
    /// cuts them into grid x grid blocks, all drawn from `rng`.
    BlockGrid(Ratings::index_array users, Ratings::index_array items, Ratings::value_array values,
              std::size_t n_users, std::size_t n_items, std::size_t grid, Rng& rng)
        : m_grid(grid),
          m_user_names(rename(n_users, rng)),
          m_item_names(rename(n_items, rng)),
          m_users(std::move(users)),
          m_items(std::move(items)),
          m_values(std::move(values)) {
        for (std::size_t j = 0; j < size(); ++j) {
            m_users(j) = m_user_names[m_users(j)];
            m_items(j) = m_item_names[m_items(j)];
        }
        const auto part = [&](std::size_t index, std::size_t n) { return index * m_grid / n; };
        m_offsets = sort_by(0, size(), m_grid * m_grid, [&](std::size_t j) {
            return part(m_users(j), n_users) * m_grid + part(m_items(j), n_items);
        });

        for (std::size_t b = 0; b < m_grid * m_grid; ++b) {
            // The block row's users are the new indices [first, last).
            const std::size_t row = b / m_grid;
            const std::size_t first = (row * n_users + m_grid - 1) / m_grid;
            const std::size_t last = ((row + 1) * n_users + m_grid - 1) / m_grid;
            const std::vector<std::size_t> groups =
                sort_by(m_offsets[b], m_offsets[b + 1], (last - first) / group_users + 1,
                        [&](std::size_t j) { return (m_users(j) - first) / group_users; });
            for (std::size_t g = 0; g + 1 < groups.size(); ++g) {
                for (std::size_t j = groups[g + 1]; j > groups[g] + 1; --j) {
                    swap(j - 1, groups[g] + rng.below(j - groups[g]));
                }
            }
        }
    }

    /// The new index of each user, and of each item.
    const std::vector<index_type>& user_names() const noexcept { return m_user_names; }
    const std::vector<index_type>& item_names() const noexcept { return m_item_names; }

    std::size_t grid() const noexcept { return m_grid; }
    std::size_t size() const noexcept { return m_values.size(); }

    Block block(std::size_t row, std::size_t column) const noexcept {
        const std::size_t b = row * m_grid + column;
        const std::size_t begin = m_offsets[b];
        return {m_users.data() + begin, m_items.data() + begin, m_values.data() + begin,
                m_offsets[b + 1] - begin};
    }

  private:
    // Users per group: their factor rows, 64 x k scalars, fit in the cache
    // closest to the processor for the usual k.
    static constexpr std::size_t group_users = 64;

    // A random permutation of 0 .. n−1.
    static std::vector<index_type> rename(std::size_t n, Rng& rng) {
        std::vector<index_type> names(n);
        std::iota(names.begin(), names.end(), index_type{0});
        rng.shuffle(names.begin(), names.end());
        return names;
    }

    void swap(std::size_t a, std::size_t b) noexcept {
        std::swap(m_users(a), m_users(b));
        std::swap(m_items(a), m_items(b));
        std::swap(m_values(a), m_values(b));
    }

    // Sorts the triplets in [begin, end) by key(j) < n_keys, in place, moving
    // each triplet straight to the run of its key (an American flag sort).
    // Returns where each key's run begins, and `end` last.
    template <class Key>
    std::vector<std::size_t> sort_by(std::size_t begin, std::size_t end, std::size_t n_keys,
                                     Key key) {
        std::vector<std::size_t> starts(n_keys + 1, 0);
        for (std::size_t j = begin; j < end; ++j) {
            ++starts[key(j) + 1];
        }
        starts[0] = begin;
        std::partial_sum(starts.begin(), starts.end(), starts.begin());
        std::vector<std::size_t> next(starts.begin(), starts.end() - 1);
        for (std::size_t run = 0; run < n_keys; ++run) {
            while (next[run] < starts[run + 1]) {
                const std::size_t k = key(next[run]);
                if (k == run) {
                    ++next[run];
                } else {
                    swap(next[run], next[k]++);
                }
            }
        }
        return starts;
    }

    std::size_t m_grid;
    std::vector<index_type> m_user_names;
    std::vector<index_type> m_item_names;
    Ratings::index_array m_users;
    Ratings::index_array m_items;
    Ratings::value_array m_values;
    std::vector<std::size_t> m_offsets;
};

/// Moves row r of a row-major array of rows of `width` elements to row
/// names[r], in place: each cycle of the permutation is walked with one row
/// held aside. With `inverse`, moves row names[r] back to row r.
template <class T>
void permute_rows(T* data, std::size_t width, const std::vector<index_type>& names,
                  bool inverse = false) {
    std::vector<bool> done(names.size(), false);
    std::vector<T> held(width);
    for (std::size_t start = 0; start < names.size(); ++start) {
        if (done[start]) {
            continue;
        }
        // Forwards, the row at r goes to names[r]; backwards, the row at
        // names[r] comes to r, so the walk runs the cycle the other way.
        std::copy_n(data + start * width, width, held.begin());
        std::size_t r = start;
        if (!inverse) {
            for (std::size_t next = names[r]; next != start; next = names[next]) {
                std::swap_ranges(held.begin(), held.end(), data + next * width);
                done[next] = true;
            }
            std::copy_n(held.begin(), width, data + start * width);
        } else {
            for (std::size_t from = names[r]; from != start; r = from, from = names[from]) {
                std::copy_n(data + from * width, width, data + r * width);
                done[r] = true;
            }
            std::copy_n(held.begin(), width, data + r * width);
        }
        done[start] = true;
        done[r] = true;
    }
}

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
