// Ratings as compact (user, item, rating) triplets, and the map from the raw
// ids of a file to the dense indices that the model uses.
#ifndef MF_RATINGS_HPP
#define MF_RATINGS_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "mf/detail/xtensor.hpp"
#include "mf/errors.hpp"

namespace mf {

/// Dense index of a user or an item: 0, 1, 2, ... in order of first appearance.
using index_type = std::uint32_t;

/// The type a rating is stored as. Half stars and integers are exact in it.
using rating_type = float;

namespace detail {

/// Whether `text` is an integer written the one way std::to_string writes it
/// (digits only, no sign, no leading zero) that fits 64 bits; its value if so.
inline bool canonical_integer(std::string_view text, std::uint64_t& value) noexcept {
    const std::size_t n = text.size();
    if (n == 0 || n > 20 || (text[0] == '0' && n > 1)) {
        return false;
    }
    std::uint64_t v = 0;
    for (const char c : text) {
        const auto digit = static_cast<unsigned char>(c - '0');
        if (digit > 9) {
            return false;
        }
        v = v * 10 + digit;
    }
    // Nineteen digits always fit; twenty overflowed exactly when the value wrapped
    // below 10^19, the smallest twenty-digit number.
    if (n == 20 && v < 10000000000000000000ULL) {
        return false;
    }
    value = v;
    return true;
}

/// Spreads the bits of `x` over all 64 (the finaliser of MurmurHash3).
constexpr std::uint64_t mix_bits(std::uint64_t x) noexcept {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    return x ^ (x >> 33);
}

/// A fast hash of a short text, for IdMap's own table (not for storage).
inline std::uint64_t hash_text(std::string_view text) noexcept {
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ text.size();
    const char* p = text.data();
    std::size_t n = text.size();
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, 8);
        h = (h ^ word) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    std::uint64_t rest = 0;
    std::memcpy(&rest, p, n);
    return mix_bits(h ^ rest);
}

/// An open-addressing hash table from 64-bit keys to indices, probed linearly
/// and kept at most half full. What a key means is up to its user.
class IndexTable {
  public:
    static constexpr index_type none = std::numeric_limits<index_type>::max();

    /// The slot of `key`: either the one holding it, or the empty one where it
    /// would go. `same(index)` tells whether the entry of that index is the one
    /// wanted, for keys that are hashes and may collide.
    template <class Same>
    std::size_t slot(std::uint64_t key, Same same) const noexcept {
        if (m_slots.empty()) {
            return 0;
        }
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t j = mix_bits(key) & mask;; j = (j + 1) & mask) {
            const Slot& s = m_slots[j];
            if (s.index == none || (s.key == key && same(s.index))) {
                return j;
            }
        }
    }

    /// The index in `slot`, or `none`.
    index_type at(std::size_t slot) const noexcept {
        return m_slots.empty() ? none : m_slots[slot].index;
    }

    /// Puts `key` and `index` into the empty `slot` that slot() returned.
    void put(std::size_t slot, std::uint64_t key, index_type index) {
        if (m_slots.empty()) {
            m_slots.assign(16, Slot{});
            slot = start(key);
        }
        m_slots[slot] = Slot{key, index};
        if (++m_size * 2 > m_slots.size()) {
            rehash(m_slots.size() * 2);
        }
    }

    /// Takes out every entry whose key is below `bound`, calling `take(key, index)`
    /// for each.
    template <class Take>
    void take_below(std::uint64_t bound, Take take) {
        std::vector<Slot> old;
        old.swap(m_slots);
        m_size = 0;
        for (const Slot& s : old) {
            if (s.index != none && s.key < bound) {
                take(s.key, s.index);
            } else if (s.index != none) {
                ++m_size;
            }
        }
        if (m_size != 0) {
            std::size_t size = 16;
            while (m_size * 2 > size) {
                size *= 2;
            }
            m_slots.resize(size);
            insert_all(old, [&](const Slot& s) { return s.key >= bound; });
        }
    }

    std::size_t size() const noexcept { return m_size; }

  private:
    struct Slot {
        std::uint64_t key = 0;
        index_type index = none;
    };

    std::size_t start(std::uint64_t key) const noexcept {
        return mix_bits(key) & (m_slots.size() - 1);
    }

    void rehash(std::size_t size) {
        std::vector<Slot> old(size);
        old.swap(m_slots);
        insert_all(old, [](const Slot&) { return true; });
    }

    // Puts the entries of `from` that `keep` accepts into the (larger) empty table.
    template <class Keep>
    void insert_all(const std::vector<Slot>& from, Keep keep) {
        const std::size_t mask = m_slots.size() - 1;
        for (const Slot& s : from) {
            if (s.index != none && keep(s)) {
                std::size_t j = start(s.key);
                while (m_slots[j].index != none) {
                    j = (j + 1) & mask;
                }
                m_slots[j] = s;
            }
        }
    }

    std::vector<Slot> m_slots;
    std::size_t m_size = 0;
};

}  // namespace detail

class IdMap;

namespace detail {

/// IdMap::insert for an id known to be canonical_integer with this value.
index_type insert_canonical(IdMap& ids, std::uint64_t number);

}  // namespace detail

/// Maps the raw ids of a file (opaque tokens such as "196" or "u-0042") to dense
/// indices 0..size()-1 and back. Ids with gaps, ids that do not start at 1 and
/// ids that are not numbers all work; memory depends on the number of distinct
/// ids, never on their values. Ids are compared as text: "42" and "0042" differ.
class IdMap {
  public:
    /// The index of `raw`, adding it with the next free index if it is new.
    /// Throws mf::invalid_argument for an empty id or when 2^32 - 1 ids exist.
    index_type insert(std::string_view raw) {
        std::uint64_t number = 0;
        if (detail::canonical_integer(raw, number)) {
            return insert_number(number, raw);
        }
        const std::uint64_t hash = detail::hash_text(raw);
        const std::size_t slot = text_slot(raw, hash);
        if (const index_type found = m_texts.at(slot); found != none) {
            return found;
        }
        if (raw.empty()) {
            throw invalid_argument("IdMap::insert: an id must not be empty");
        }
        const index_type index = add(raw, 0);
        m_texts.put(slot, hash, index);
        return index;
    }

    /// The index of `raw`, or nothing when the id is unknown.
    std::optional<index_type> find(std::string_view raw) const {
        index_type found = none;
        std::uint64_t number = 0;
        if (detail::canonical_integer(raw, number)) {
            found = number < m_direct.size()
                        ? m_direct[number]
                        : m_numbers.at(m_numbers.slot(number, [](index_type) { return true; }));
        } else {
            found = m_texts.at(text_slot(raw, detail::hash_text(raw)));
        }
        if (found != none) {
            return found;
        }
        return std::nullopt;
    }

    /// The index of `raw`. Throws mf::invalid_argument when the id is unknown.
    index_type index(std::string_view raw) const {
        if (const auto found = find(raw)) {
            return *found;
        }
        throw invalid_argument("IdMap::index: unknown id " + detail::quote(raw));
    }

    /// The raw id of a dense index. Throws mf::invalid_argument when out of range.
    const std::string& raw(std::size_t index) const {
        if (index >= m_raw.size()) {
            throw invalid_argument("IdMap::raw: index " + std::to_string(index)
                                   + " is out of range; the map holds "
                                   + std::to_string(m_raw.size()) + " ids");
        }
        return m_raw[index];
    }

    bool contains(std::string_view raw) const { return find(raw).has_value(); }

    // A raw id is text and a dense index a number: insert(42) or find(0) would
    // take one for the other (0 even converts to a null string_view), so they
    // do not compile. Write insert("42"), and raw(index) for the other way.
    template <class Number, std::enable_if_t<std::is_arithmetic_v<Number>, int> = 0>
    index_type insert(Number) = delete;
    template <class Number, std::enable_if_t<std::is_arithmetic_v<Number>, int> = 0>
    std::optional<index_type> find(Number) const = delete;
    template <class Number, std::enable_if_t<std::is_arithmetic_v<Number>, int> = 0>
    index_type index(Number) const = delete;
    template <class Number, std::enable_if_t<std::is_arithmetic_v<Number>, int> = 0>
    bool contains(Number) const = delete;
    index_type insert(std::nullptr_t) = delete;
    std::optional<index_type> find(std::nullptr_t) const = delete;
    index_type index(std::nullptr_t) const = delete;
    bool contains(std::nullptr_t) const = delete;
    std::size_t size() const noexcept { return m_raw.size(); }
    bool empty() const noexcept { return m_raw.empty(); }

  private:
    friend index_type detail::insert_canonical(IdMap& ids, std::uint64_t number);

    static constexpr index_type none = detail::IndexTable::none;

    // Ids written as plain integers, the common case, are keyed by their value:
    // no hashing of text and no comparison of strings. Small values index
    // m_direct, a plain array; the others, m_numbers, a hash table. Every other
    // id is keyed by a hash of its text and compared as text. A text has one
    // canonical form at most, so no id is in two places.
    //
    // m_direct holds every number id below its size, which stays within
    // direct_per_id slots per id (or min_direct): it costs at most as much
    // as the ids' own text, whatever their values.
    static constexpr std::size_t direct_per_id = 8;
    static constexpr std::size_t min_direct = 1024;

    // `raw` is the id's text, or empty to write it from `number`.
    index_type insert_number(std::uint64_t number, std::string_view raw) {
        if (number < m_direct.size() && m_direct[number] != none) {
            return m_direct[number];
        }
        return insert_new_number(number, raw);
    }

    index_type insert_new_number(std::uint64_t number, std::string_view raw) {
        if (number < m_direct.size()) {
            const index_type index = add(raw, number);
            m_direct[number] = index;
            return index;
        }
        const std::size_t slot = m_numbers.slot(number, [](index_type) { return true; });
        if (const index_type found = m_numbers.at(slot); found != none) {
            return found;
        }
        const std::size_t limit = std::max(min_direct, direct_per_id * (m_raw.size() + 1));
        if (number >= limit) {
            const index_type index = add(raw, number);
            m_numbers.put(slot, number, index);
            return index;
        }
        // Widen m_direct to take `number`, and the numbers of m_numbers it now covers.
        const std::size_t size =
            std::min(limit, std::max<std::size_t>(number + 1, 2 * m_direct.size()));
        m_direct.resize(size, none);
        m_numbers.take_below(size,
                             [&](std::uint64_t key, index_type index) { m_direct[key] = index; });
        const index_type index = add(raw, number);
        m_direct[number] = index;
        return index;
    }

    std::size_t text_slot(std::string_view raw, std::uint64_t hash) const {
        return m_texts.slot(hash, [&](index_type index) { return m_raw[index] == raw; });
    }

    // Appends a new id: `raw`, or `number` written out when `raw` is empty.
    index_type add(std::string_view raw, std::uint64_t number) {
        if (m_raw.size() >= none) {
            throw invalid_argument("IdMap::insert: more than 4294967294 distinct ids");
        }
        const auto index = static_cast<index_type>(m_raw.size());
        if (raw.empty()) {
            m_raw.push_back(std::to_string(number));
        } else {
            m_raw.emplace_back(raw);
        }
        return index;
    }

    std::vector<std::string> m_raw;
    std::vector<index_type> m_direct;
    detail::IndexTable m_numbers;
    detail::IndexTable m_texts;
};

namespace detail {

inline index_type insert_canonical(IdMap& ids, std::uint64_t number) {
    return ids.insert_number(number, {});
}

}  // namespace detail

/// A set of ratings: three equally long arrays of user indices, item indices
/// and values, and the dimensions of the matrix they fill (n_users x n_items).
/// Train and test sets cut from one data set share its dimensions.
class Ratings {
  public:
    using index_array = xt::xtensor<index_type, 1>;
    using value_array = xt::xtensor<rating_type, 1>;

    Ratings() = default;

    /// Takes the triplets and the matrix dimensions. Throws mf::invalid_argument
    /// when the arrays differ in length, an index is out of range or a value is
    /// not a finite number.
    Ratings(index_array users, index_array items, value_array values, std::size_t n_users,
            std::size_t n_items)
        : m_users(std::move(users)),
          m_items(std::move(items)),
          m_values(std::move(values)),
          m_n_users(n_users),
          m_n_items(n_items) {
        validate();
    }

    /// As above, with the dimensions taken as the largest index plus one.
    Ratings(index_array users, index_array items, value_array values)
        : m_users(std::move(users)),
          m_items(std::move(items)),
          m_values(std::move(values)),
          m_n_users(extent(m_users)),
          m_n_items(extent(m_items)) {
        validate();
    }

    std::size_t size() const noexcept { return m_values.size(); }
    bool empty() const noexcept { return m_values.size() == 0; }
    std::size_t n_users() const noexcept { return m_n_users; }
    std::size_t n_items() const noexcept { return m_n_items; }

    const index_array& users() const noexcept { return m_users; }
    const index_array& items() const noexcept { return m_items; }
    const value_array& values() const noexcept { return m_values; }

    index_type user(std::size_t i) const { return m_users(i); }
    index_type item(std::size_t i) const { return m_items(i); }
    rating_type value(std::size_t i) const { return m_values(i); }

    /// Mean of the values; 0 for an empty set.
    double mean() const noexcept {
        double sum = 0.0;
        for (const rating_type v : m_values) {
            sum += v;
        }
        return empty() ? 0.0 : sum / static_cast<double>(size());
    }

    /// The ratings at the given positions, in that order, with the same dimensions.
    /// Throws mf::invalid_argument for a position out of range.
    Ratings select(const std::vector<std::size_t>& positions) const {
        const std::size_t n = positions.size();
        index_array users = xt::empty<index_type>({n});
        index_array items = xt::empty<index_type>({n});
        value_array values = xt::empty<rating_type>({n});
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t p = positions[i];
            if (p >= size()) {
                throw invalid_argument("Ratings::select: position " + std::to_string(p)
                                       + " is out of range; the set holds " + std::to_string(size())
                                       + " ratings");
            }
            users(i) = m_users(p);
            items(i) = m_items(p);
            values(i) = m_values(p);
        }
        Ratings result;
        result.m_users = std::move(users);
        result.m_items = std::move(items);
        result.m_values = std::move(values);
        result.m_n_users = m_n_users;
        result.m_n_items = m_n_items;
        return result;
    }

    /// Widens the matrix, for instance to the size of an id map that grew after
    /// these ratings were read. Throws mf::invalid_argument when asked to shrink.
    void set_dimensions(std::size_t n_users, std::size_t n_items) {
        if (n_users < m_n_users || n_items < m_n_items) {
            throw invalid_argument("Ratings::set_dimensions: cannot shrink "
                                   + std::to_string(m_n_users) + " x " + std::to_string(m_n_items)
                                   + " to " + std::to_string(n_users) + " x "
                                   + std::to_string(n_items));
        }
        m_n_users = n_users;
        m_n_items = n_items;
    }

    /// Moves the three arrays out (users, items, values), leaving an empty set
    /// with the same dimensions.
    std::tuple<index_array, index_array, value_array> release() && {
        std::tuple<index_array, index_array, value_array> arrays{
            std::move(m_users), std::move(m_items), std::move(m_values)};
        m_users = xt::empty<index_type>({std::size_t{0}});
        m_items = xt::empty<index_type>({std::size_t{0}});
        m_values = xt::empty<rating_type>({std::size_t{0}});
        return arrays;
    }

  private:
    static std::size_t extent(const index_array& indices) noexcept {
        std::size_t n = 0;
        for (const index_type i : indices) {
            n = std::max<std::size_t>(n, std::size_t{i} + 1);
        }
        return n;
    }

    void validate() const {
        if (m_users.size() != m_values.size() || m_items.size() != m_values.size()) {
            throw invalid_argument("Ratings: users, items and values differ in length ("
                                   + std::to_string(m_users.size()) + ", "
                                   + std::to_string(m_items.size()) + ", "
                                   + std::to_string(m_values.size()) + ")");
        }
        for (std::size_t i = 0; i < m_values.size(); ++i) {
            if (m_users(i) >= m_n_users || m_items(i) >= m_n_items) {
                throw invalid_argument("Ratings: rating " + std::to_string(i) + " has user "
                                       + std::to_string(m_users(i)) + " and item "
                                       + std::to_string(m_items(i)) + ", outside the "
                                       + std::to_string(m_n_users) + " x "
                                       + std::to_string(m_n_items) + " matrix");
            }
            if (!std::isfinite(m_values(i))) {
                throw invalid_argument("Ratings: rating " + std::to_string(i)
                                       + " is not a finite number");
            }
        }
    }

    index_array m_users = xt::empty<index_type>({std::size_t{0}});
    index_array m_items = xt::empty<index_type>({std::size_t{0}});
    value_array m_values = xt::empty<rating_type>({std::size_t{0}});
    std::size_t m_n_users = 0;
    std::size_t m_n_items = 0;
};

/// The lowest and highest rating a data set allows, such as 1 and 5 stars.
struct RatingScale {
    double min = 1.0;
    double max = 5.0;
};

/// Ratings together with the id maps that give their indices a meaning.
struct Dataset {
    Ratings ratings;
    IdMap users;
    IdMap items;
    std::optional<RatingScale> scale;
};

}  // namespace mf

#endif  // MF_RATINGS_HPP
