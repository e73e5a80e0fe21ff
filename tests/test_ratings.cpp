#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <random>
#include <string>
#include <vector>

TEST_CASE("IdMap.gives dense indices in order of first appearance") {
    mf::IdMap ids;
    CHECK(ids.insert("7") == 0);
    CHECK(ids.insert("1000") == 1);
    CHECK(ids.insert("7") == 0);
    CHECK(ids.insert("user-0042") == 2);
    CHECK(ids.size() == 3);

    SUBCASE("and maps them back to the raw ids") {
        CHECK(ids.raw(0) == "7");
        CHECK(ids.raw(1) == "1000");
        CHECK(ids.raw(2) == "user-0042");
    }
    SUBCASE("and finds known ids only") {
        CHECK(ids.find("1000") == mf::index_type{1});
        CHECK_FALSE(ids.find("8").has_value());
        CHECK(ids.contains("7"));
        CHECK_FALSE(ids.contains("0007"));
    }
}

TEST_CASE("IdMap.keeps ids as text, so leading zeros matter") {
    mf::IdMap ids;
    CHECK(ids.insert("42") != ids.insert("0042"));
}

TEST_CASE("IdMap.keeps ids that look like numbers as text") {
    mf::IdMap ids;
    const std::vector<std::string> raw{"0",
                                       "00",
                                       "7",
                                       "07",
                                       "-7",
                                       "+7",
                                       "7.0",
                                       "1e3",
                                       "1000",
                                       "18446744073709551615",
                                       "18446744073709551616",
                                       "99999999999999999999",
                                       "100000000000000000000",
                                       "9999999999999999999",
                                       "10000000000000000000"};
    for (std::size_t j = 0; j < raw.size(); ++j) {
        INFO(raw[j]);
        CHECK(ids.insert(raw[j]) == static_cast<mf::index_type>(j));
    }
    for (std::size_t j = 0; j < raw.size(); ++j) {
        INFO(raw[j]);
        CHECK(ids.insert(raw[j]) == static_cast<mf::index_type>(j));
        CHECK(ids.index(raw[j]) == static_cast<mf::index_type>(j));
        CHECK(ids.raw(j) == raw[j]);
    }
    CHECK_FALSE(ids.contains("1"));
    CHECK_FALSE(ids.contains("18446744073709551614"));
    CHECK_FALSE(ids.contains("000"));
}

TEST_CASE("IdMap.mixes numbers and text as it grows") {
    mf::IdMap ids;
    for (int i = 0; i < 20000; ++i) {
        const std::string raw = i % 2 == 0 ? std::to_string(i * 7919) : "u" + std::to_string(i);
        REQUIRE(ids.insert(raw) == static_cast<mf::index_type>(i));
    }
    for (int i = 0; i < 20000; i += 101) {
        const std::string raw = i % 2 == 0 ? std::to_string(i * 7919) : "u" + std::to_string(i);
        INFO(raw);
        CHECK(ids.find(raw) == static_cast<mf::index_type>(i));
    }
    CHECK_FALSE(ids.find("7919").has_value());
    CHECK_FALSE(ids.find("u0").has_value());
}

TEST_CASE("IdMap.integer ids in any order, beside huge ones and text") {
    // Small values go to a plain array that widens as ids arrive, taking over
    // the ones seen before it reached them; huge values and text never do.
    std::vector<std::string> raw;
    std::mt19937_64 rng(3);
    for (int i = 0; i < 30000; ++i) {
        raw.push_back(std::to_string(i));
    }
    std::shuffle(raw.begin(), raw.end(), rng);
    for (int i = 0; i < 3000; ++i) {
        raw.insert(raw.begin() + static_cast<std::ptrdiff_t>(rng() % raw.size()),
                   i % 3 == 0   ? std::to_string(1000000000000ULL + rng() % 1000000000)
                   : i % 3 == 1 ? "0" + std::to_string(i)
                                : "t" + std::to_string(i));
    }
    mf::IdMap ids;
    std::vector<mf::index_type> indices;
    for (const std::string& id : raw) {
        indices.push_back(ids.insert(id));
    }
    for (std::size_t j = 0; j < raw.size(); ++j) {
        INFO(raw[j]);
        REQUIRE(ids.insert(raw[j]) == indices[j]);
        REQUIRE(ids.find(raw[j]) == indices[j]);
        REQUIRE(ids.raw(indices[j]) == raw[j]);
    }
    // First appearance: each new id takes the next index.
    mf::index_type next = 0;
    for (const mf::index_type index : indices) {
        REQUIRE(index <= next);
        next += index == next;
    }
    CHECK(ids.size() == next);
    CHECK_FALSE(ids.contains("30000"));
    CHECK_FALSE(ids.contains("00"));
    CHECK_FALSE(ids.contains("999999999999"));
}

TEST_CASE("IdMap.a copy stands on its own") {
    auto original = std::make_unique<mf::IdMap>();
    original->insert("a-long-id-that-does-not-fit-a-short-string");
    original->insert("12");
    const mf::IdMap copy = *original;
    original.reset();
    CHECK(copy.index("a-long-id-that-does-not-fit-a-short-string") == 0);
    CHECK(copy.index("12") == 1);
    CHECK(copy.raw(0) == "a-long-id-that-does-not-fit-a-short-string");
}

TEST_CASE("IdMap.stays valid as it grows past many ids") {
    mf::IdMap ids;
    for (int i = 0; i < 10000; ++i) {
        REQUIRE(ids.insert("id" + std::to_string(i)) == static_cast<mf::index_type>(i));
    }
    for (int i = 0; i < 10000; i += 997) {
        INFO("id" << i);
        CHECK(ids.index("id" + std::to_string(i)) == static_cast<mf::index_type>(i));
    }
}

TEST_CASE("IdMap.errors name the id or the index") {
    mf::IdMap ids;
    ids.insert("a");
    CHECK_THROWS_WITH_AS(ids.index("b"), "IdMap::index: unknown id 'b'", mf::invalid_argument);
    CHECK_THROWS_WITH_AS(ids.raw(1), "IdMap::raw: index 1 is out of range; the map holds 1 ids",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(ids.insert(""), "IdMap::insert: an id must not be empty",
                         mf::invalid_argument);
}

namespace {

mf::Ratings three_ratings() {
    return mf::Ratings(mf::Ratings::index_array{0, 1, 1}, mf::Ratings::index_array{2, 0, 1},
                       mf::Ratings::value_array{4.0f, 3.0f, 5.0f}, 2, 3);
}

}  // namespace

TEST_CASE("Ratings.holds triplets and the matrix dimensions") {
    const mf::Ratings r = three_ratings();
    CHECK(r.size() == 3);
    CHECK(r.n_users() == 2);
    CHECK(r.n_items() == 3);
    CHECK(r.user(2) == 1);
    CHECK(r.item(0) == 2);
    CHECK(r.value(1) == 3.0f);
    CHECK(r.mean() == doctest::Approx(4.0));
}

TEST_CASE("Ratings.without dimensions takes the largest index plus one") {
    const mf::Ratings r(mf::Ratings::index_array{0, 4}, mf::Ratings::index_array{9, 1},
                        mf::Ratings::value_array{1.0f, 2.0f});
    CHECK(r.n_users() == 5);
    CHECK(r.n_items() == 10);
}

TEST_CASE("Ratings.an empty set has no ratings and mean 0") {
    const mf::Ratings r;
    CHECK(r.empty());
    CHECK(r.size() == 0);
    CHECK(r.mean() == 0.0);
}

TEST_CASE("Ratings.select keeps the chosen positions in order") {
    const mf::Ratings part = three_ratings().select({2, 0});
    REQUIRE(part.size() == 2);
    CHECK(part.user(0) == 1);
    CHECK(part.item(0) == 1);
    CHECK(part.value(1) == 4.0f);
    CHECK(part.n_items() == 3);
    CHECK_THROWS_WITH_AS(three_ratings().select({3}),
                         "Ratings::select: position 3 is out of range; the set holds 3 ratings",
                         mf::invalid_argument);
}

TEST_CASE("Ratings.set_dimensions widens and refuses to shrink") {
    mf::Ratings r = three_ratings();
    r.set_dimensions(4, 5);
    CHECK(r.n_users() == 4);
    CHECK(r.n_items() == 5);
    CHECK_THROWS_WITH_AS(r.set_dimensions(1, 5),
                         "Ratings::set_dimensions: cannot shrink 4 x 5 to 1 x 5",
                         mf::invalid_argument);
}

TEST_CASE("Ratings.rejects inconsistent input") {
    using index_array = mf::Ratings::index_array;
    using value_array = mf::Ratings::value_array;
    SUBCASE("arrays of different lengths") {
        CHECK_THROWS_WITH_AS(
            mf::Ratings(index_array{0, 1}, index_array{0}, value_array{1.0f}, 2, 2),
            "Ratings: users, items and values differ in length (2, 1, 1)", mf::invalid_argument);
    }
    SUBCASE("an index outside the matrix") {
        CHECK_THROWS_WITH_AS(
            mf::Ratings(index_array{0, 2}, index_array{0, 0}, value_array{1.0f, 2.0f}, 2, 2),
            "Ratings: rating 1 has user 2 and item 0, outside the 2 x 2 matrix",
            mf::invalid_argument);
    }
    SUBCASE("a value that is not finite") {
        CHECK_THROWS_WITH_AS(
            mf::Ratings(index_array{0}, index_array{0}, value_array{std::nanf("")}, 1, 1),
            "Ratings: rating 0 is not a finite number", mf::invalid_argument);
    }
}
