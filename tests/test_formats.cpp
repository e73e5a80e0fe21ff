#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace {

/// The triplets of `ratings` with raw ids, as "user item value" lines, so
/// sets read differently can be compared as text.
std::vector<std::string> triplets(const mf::Ratings& ratings, const mf::IdMap& users,
                                  const mf::IdMap& items) {
    std::vector<std::string> out;
    for (std::size_t j = 0; j < ratings.size(); ++j) {
        out.push_back(users.raw(ratings.user(j)) + " " + items.raw(ratings.item(j)) + " "
                      + std::to_string(ratings.value(j)));
    }
    return out;
}

std::vector<std::string> triplets(const mf::Dataset& data) {
    return triplets(data.ratings, data.users, data.items);
}

// The message of the mf::parse_error that reading `content` throws, the
// temporary path replaced by FILE so the expected texts can be literal.
std::string read_error(const std::string& content, mf::Format format = mf::Format::automatic) {
    const TempDir dir;
    const auto file = dir.write("ratings.txt", content);
    try {
        mf::read_ratings(file, format);
    } catch (const mf::parse_error& e) {
        std::string message = e.what();
        return message.replace(0, file.string().size(), "FILE");
    }
    return "no error";
}

}  // namespace

TEST_CASE("read_ratings.reads LIBMF text separated by spaces or tabs") {
    const TempDir dir;
    const auto file = dir.write("train.txt", "0 5 3.5\n7\t5\t-2e-1\n  0   9 \t 4  \n");
    const mf::Dataset data = mf::read_ratings(file, mf::Format::libmf);
    CHECK(triplets(data)
          == std::vector<std::string>{"0 5 3.500000", "7 5 -0.200000", "0 9 4.000000"});
    CHECK(data.ratings.n_users() == 2);
    CHECK(data.ratings.n_items() == 2);
    CHECK_FALSE(data.scale.has_value());
}

TEST_CASE("read_ratings.reads MovieLens lines with the MovieLens scale") {
    const TempDir dir;
    const auto file = dir.write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
    const mf::Dataset data = mf::read_ratings(file, mf::Format::movielens);
    CHECK(triplets(data) == std::vector<std::string>{"196 242 3.000000", "186 302 3.000000"});
    REQUIRE(data.scale.has_value());
    CHECK(data.scale->min == 1.0);
    CHECK(data.scale->max == 5.0);
}

TEST_CASE("detect_format.judges by the first line that is not blank") {
    const TempDir dir;
    CHECK(mf::detect_format(dir.write("a", "\n  \n1\t2\t3\t4\n")) == mf::Format::movielens);
    CHECK(mf::detect_format(dir.write("b", "1 2 3\n")) == mf::Format::libmf);
    CHECK(mf::detect_format(dir.write("c", "1\t2\t3\n")) == mf::Format::libmf);
    CHECK(mf::detect_format(dir.write("d", "\xEF\xBB\xBF u1 i1 5 \r\n")) == mf::Format::libmf);
    CHECK(mf::to_string(mf::Format::movielens) == std::string("movielens"));
    CHECK(mf::to_string(mf::Format::libmf) == std::string("libmf"));
    CHECK(mf::to_string(mf::Format::automatic) == std::string("automatic"));

    SUBCASE("and read_ratings reads by what it found") {
        const mf::Dataset movielens = mf::read_ratings(dir.write("e", "1\t2\t5\t0\n"));
        CHECK(movielens.scale.has_value());
        const mf::Dataset libmf = mf::read_ratings(dir.write("f", "1 2 5\n"));
        CHECK_FALSE(libmf.scale.has_value());
    }
    SUBCASE("and names the line that fits neither format") {
        CHECK_THROWS_WITH_AS(mf::detect_format(dir.write("g", "\n1 2 3 4\n")),
                             ((dir.path() / "g").string()
                                 + ":2: expected 4 tab-separated fields (MovieLens) or 3 fields "
                                   "separated by blanks (LIBMF), found '1 2 3 4'")
                                 .c_str(),
                             mf::parse_error);
        CHECK_THROWS_WITH_AS(mf::detect_format(dir.write("h", " \n\r\n")),
                             ((dir.path() / "h").string() + ": the file holds no ratings").c_str(),
                             mf::parse_error);
    }
}

TEST_CASE("read_ratings.reads every line ending, a byte-order mark and blank lines") {
    const std::vector<std::string> expected{"1 2 3.000000", "2 2 5.000000", "1 1 2.000000"};
    std::string text;
    SUBCASE("LF") { text = "1 2 3\n2 2 5\n1 1 2\n"; }
    SUBCASE("CRLF") { text = "1 2 3\r\n2 2 5\r\n1 1 2\r\n"; }
    SUBCASE("bare CR") { text = "1 2 3\r2 2 5\r1 1 2\r"; }
    SUBCASE("no final line ending") { text = "1 2 3\n2 2 5\n1 1 2"; }
    SUBCASE("blank lines and trailing blanks") { text = "\n1 2 3 \t\n\r\n \n2 2 5\r\r1 1 2\n\n"; }
    SUBCASE("a byte-order mark") { text = "\xEF\xBB\xBF" "1 2 3\n2 2 5\n1 1 2\n"; }
    const TempDir dir;
    CHECK(triplets(mf::read_ratings(dir.write("r.txt", text))) == expected);
}

TEST_CASE("read_ratings.reads the same whatever chunk cuts the lines") {
    // Every ending, a BOM, blank lines and a last line without an ending, read in
    // chunks from 1 byte (grown to the minimum) to beyond the whole text, so
    // that each border falls in every place: inside fields, between "\r" and
    // "\n", inside the BOM.
    const std::string movielens = "\xEF\xBB\xBF" "10\t20\t3\t1\r\n\r\n11\t20\t4\t2\r12\t21\t5\t3\n"
                                  "\n10\t21\t1\t4\r\n11\t22\t2\t5";
    const std::string libmf = "\xEF\xBB\xBF" "10 20 3\r\n\r\n11 20 4.5\r12 21 -5\n"
                              "\n10 21 1e2\r\n11\t22 2";
    for (const std::string& text : {movielens, libmf}) {
        const TempDir dir;
        const auto file = dir.write("ratings.txt", text);
        const mf::Dataset whole = mf::read_ratings(file);
        REQUIRE(whole.ratings.size() == 5);
        for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
            INFO("chunk size " << chunk);
            mf::IdMap users;
            mf::IdMap items;
            mf::Format format = mf::Format::automatic;
            const mf::Ratings ratings =
                mf::detail::read_ratings(file, users, items, format, chunk);
            CHECK(triplets(ratings, users, items) == triplets(whole));
            CHECK(mf::detail::detect_format(file, chunk) == format);
        }
    }
}

TEST_CASE("read_ratings.names the line of a fault whatever the chunk") {
    const TempDir dir;
    const auto file = dir.write("ratings.txt", "1 2 3\r\n\r\n1 2 3\r1 2 x\n");
    for (std::size_t chunk = 1; chunk <= 24; ++chunk) {
        INFO("chunk size " << chunk);
        mf::IdMap users;
        mf::IdMap items;
        mf::Format format = mf::Format::libmf;
        CHECK_THROWS_WITH_AS(mf::detail::read_ratings(file, users, items, format, chunk),
                             (file.string() + ":4: value 'x' is not a finite number").c_str(),
                             mf::parse_error);
    }
}

TEST_CASE("read_ratings.reads a line far longer than a chunk") {
    const TempDir dir;
    const std::string id(100000, '7');
    const auto file = dir.write("long.txt", "1 2 3\n" + id + " 2 4\n");
    mf::IdMap users;
    mf::IdMap items;
    mf::Format format = mf::Format::automatic;
    const mf::Ratings ratings = mf::detail::read_ratings(file, users, items, format, 64);
    REQUIRE(ratings.size() == 2);
    CHECK(users.raw(ratings.user(1)) == id);
}

TEST_CASE("read_ratings.LIBMF errors name the file, the line and the fault") {
    CHECK(read_error("0 1 2\n0 1\n")
          == "FILE:2: expected 3 fields separated by blanks (row, column, value), found 2");
    CHECK(read_error("0 1 2 3\n", mf::Format::libmf)
          == "FILE:1: expected 3 fields separated by blanks (row, column, value), found 4");
    CHECK(read_error("0 1 2\n0 1 two\n") == "FILE:2: value 'two' is not a finite number");
    CHECK(read_error("0 1 2\n0 1 inf\n") == "FILE:2: value 'inf' is not a finite number");
    CHECK(read_error("0 1 2\n0 1 nan\n") == "FILE:2: value 'nan' is not a finite number");
    CHECK(read_error("0 1 2\n0 1 1e39\n") == "FILE:2: value '1e39' is beyond the range of a float");
    CHECK(read_error("0 1 2\n0\t1\t2\t3\n")
          == "FILE:2: expected 3 fields separated by blanks (row, column, value), found 4");
    CHECK(read_error("", mf::Format::libmf) == "FILE: the file holds no ratings");
    CHECK(read_error("\r\n \t\n") == "FILE: the file holds no ratings");
}

TEST_CASE("read_ratings.a named format is not detected") {
    // A LIBMF line read as MovieLens reports the MovieLens rule it breaks.
    CHECK(read_error("1 2 3\n", mf::Format::movielens)
          == "FILE:1: expected 4 tab-separated fields (user, item, rating, timestamp), found 1");
    CHECK(read_error("1\t2\t3\t4\n", mf::Format::libmf)
          == "FILE:1: expected 3 fields separated by blanks (row, column, value), found 4");
    // Once detected, the format holds for the whole file.
    CHECK(read_error("1\t2\t3\t4\n1 2 3\n")
          == "FILE:2: expected 4 tab-separated fields (user, item, rating, timestamp), found 1");
}

TEST_CASE("read_ratings.shares id maps between a training and a test file") {
    const TempDir dir;
    const auto train_file = dir.write("train.txt", "u1 a 1\nu2 b 2\n");
    const auto test_file = dir.write("test.txt", "u2 a 3\nu3 c 4\n");
    mf::IdMap users;
    mf::IdMap items;
    const mf::Ratings train = mf::read_ratings(train_file, users, items, mf::Format::automatic);
    const mf::Ratings test = mf::read_ratings(test_file, users, items, mf::Format::libmf);
    CHECK(train.n_users() == 2);
    CHECK(test.n_users() == 3);
    CHECK(test.n_items() == 3);
    CHECK(test.user(0) == train.user(1));
    CHECK(test.item(0) == train.item(0));
    CHECK(users.raw(test.user(1)) == "u3");
}

TEST_CASE("read_ratings.ids are text, whatever they look like") {
    const TempDir dir;
    const auto file = dir.write("ids.txt",
                                "42 0 1\n0042 0 2\n-1 0 3\n18446744073709551615 0 4\n"
                                "18446744073709551616 0 5\n42 00 6\n");
    const mf::Dataset data = mf::read_ratings(file);
    CHECK(data.users.size() == 5);
    CHECK(data.items.size() == 2);
    CHECK(data.ratings.user(5) == data.ratings.user(0));
    CHECK(data.users.raw(data.ratings.user(1)) == "0042");
    CHECK(data.users.raw(data.ratings.user(2)) == "-1");
    CHECK(data.users.raw(data.ratings.user(4)) == "18446744073709551616");
}

TEST_CASE("read_ratings.a missing file or a folder is an io_error naming it") {
    const TempDir dir;
    const auto missing = dir.path() / "nope.txt";
    CHECK_THROWS_WITH_AS(mf::read_ratings(missing),
                         ("cannot open '" + missing.string() + "': No such file or directory")
                             .c_str(),
                         mf::io_error);
    CHECK_THROWS_WITH_AS(mf::detect_format(dir.path()),
                         ("cannot read '" + dir.path().string() + "': it is a directory").c_str(),
                         mf::io_error);
}
