#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <string>

#include "temp_dir.hpp"

namespace {

// The message of the mf::parse_error that reading `content` as u.data throws.
std::string ratings_error(const std::string& content) {
    const TempDir dir;
    const auto file = dir.write("u.data", content);
    try {
        mf::movielens::read_ratings(file);
    } catch (const mf::parse_error& e) {
        // The path is a temporary one: call it FILE, so the expected texts can be literal.
        std::string message = e.what();
        return message.replace(0, file.string().size(), "FILE");
    }
    return "no error";
}

}  // namespace

TEST_CASE("movielens::read_ratings.maps ids with gaps to dense indices") {
    const TempDir dir;
    const auto file = dir.write("u.data",
                                "7\t1000\t4\t881250949\n"
                                "3\t1000\t1\t891717742\n"
                                "7\t5\t5\t878887116\n");
    const mf::Dataset data = mf::movielens::read_ratings(file);
    REQUIRE(data.ratings.size() == 3);
    CHECK(data.ratings.n_users() == 2);
    CHECK(data.ratings.n_items() == 2);
    CHECK(data.users.raw(data.ratings.user(1)) == "3");
    CHECK(data.items.raw(data.ratings.item(2)) == "5");
    CHECK(data.ratings.user(0) == data.ratings.user(2));
    CHECK(data.ratings.value(0) == 4.0f);
    CHECK(data.ratings.value(1) == 1.0f);
    REQUIRE(data.scale.has_value());
    CHECK(data.scale->max == 5.0);
}

TEST_CASE("movielens::read_ratings.reads CRLF endings, blank lines and a missing last newline") {
    const TempDir dir;
    const auto file = dir.write("u.data", "1\t2\t3\t10\r\n\r\n\n2\t2\t5\t11\t \n1\t1\t2\t12");
    const mf::Dataset data = mf::movielens::read_ratings(file);
    REQUIRE(data.ratings.size() == 3);
    CHECK(data.ratings.value(1) == 5.0f);
    CHECK(data.ratings.value(2) == 2.0f);
    CHECK(data.items.raw(data.ratings.item(2)) == "1");
}

TEST_CASE("movielens::read_ratings.reads bare CR line endings like LF") {
    const TempDir dir;
    const auto file = dir.write("u.data", "1\t2\t3\t10\r2\t2\t5\t11\r\r1\t1\t2\t12\r");
    const mf::Dataset data = mf::movielens::read_ratings(file);
    REQUIRE(data.ratings.size() == 3);
    CHECK(data.ratings.value(1) == 5.0f);
    CHECK(data.items.raw(data.ratings.item(2)) == "1");
    CHECK(ratings_error("1\t2\t3\t4\r\r1\t2\tx\t4") == "FILE:3:5: rating 'x' is not a finite number");
}

TEST_CASE("movielens::read_ratings.skips a UTF-8 byte-order mark") {
    const TempDir dir;
    const auto file = dir.write("u.data",
                                "\xEF\xBB\xBF"
                                "196\t242\t3\t881250949\n");
    const mf::Dataset data = mf::movielens::read_ratings(file);
    REQUIRE(data.ratings.size() == 1);
    CHECK(data.users.raw(0) == "196");
}

TEST_CASE("movielens::read_ratings.quotes bad fields safely") {
    SUBCASE("a control character is escaped, not cut at") {
        CHECK(ratings_error(std::string("1\t2\t3\t4\0\n", 9))
              == "FILE:1:7: timestamp '4\\x00' is not an integer");
    }
    SUBCASE("a huge field is cut to 40 bytes") {
        CHECK(ratings_error("1\t2\t" + std::string(100000, '9') + "x\t4\n")
              == "FILE:1:5: rating '" + std::string(40, '9') + "'... is not a finite number");
    }
}

TEST_CASE("movielens::read_ratings.names the file, the line and the fault") {
    CHECK(ratings_error("1\t2\t3\t4\n1\t2\t3\n")
          == "FILE:2: expected 4 tab-separated fields (user, item, rating, timestamp), found 3");
    CHECK(ratings_error("1 2 3 4\n")
          == "FILE:1: expected 4 tab-separated fields (user, item, rating, timestamp), found 1");
    CHECK(ratings_error("1\t2\t3\t4\t5\n")
          == "FILE:1: expected 4 tab-separated fields (user, item, rating, timestamp), found 5");
    CHECK(ratings_error("1\t2\tfour\t4\n") == "FILE:1:5: rating 'four' is not a finite number");
    CHECK(ratings_error("1\t2\t\t4\n") == "FILE:1:5: rating '' is not a finite number");
    CHECK(ratings_error("1\t2\tnan\t4\n") == "FILE:1:5: rating 'nan' is not a finite number");
    CHECK(ratings_error("1\t2\t3x\t4\n") == "FILE:1:5: rating '3x' is not a finite number");
    CHECK(ratings_error("\n\n1\t2\t6\t4\n")
          == "FILE:3:5: rating 6 is outside the MovieLens scale [1, 5]");
    CHECK(ratings_error("1\t2\t0.5\t4\n")
          == "FILE:1:5: rating 0.5 is outside the MovieLens scale [1, 5]");
    CHECK(ratings_error("1\t2\t3\tnoon\n") == "FILE:1:7: timestamp 'noon' is not an integer");
    CHECK(ratings_error("\t2\t3\t4\n") == "FILE:1:1: empty user id");
    CHECK(ratings_error("1\t\t3\t4\n") == "FILE:1:3: empty item id");
    CHECK(ratings_error("") == "FILE: the file holds no ratings");
    CHECK(ratings_error("\n \n") == "FILE: the file holds no ratings");
}

TEST_CASE("movielens::read_ratings.the parse_error carries file and line") {
    const TempDir dir;
    const auto file = dir.write("u.data", "1\t2\t3\t4\n1\t2\tbad\t4\n");
    try {
        mf::movielens::read_ratings(file);
        FAIL("no error");
    } catch (const mf::parse_error& e) {
        CHECK(e.file() == file.string());
        CHECK(e.line() == 2);
    }
}

TEST_CASE("movielens::read_ratings.a missing file is an io_error naming it") {
    const TempDir dir;
    const auto missing = dir.path() / "nope.data";
    CHECK_THROWS_WITH_AS(
        mf::movielens::read_ratings(missing),
        ("cannot open '" + missing.string() + "': No such file or directory").c_str(),
        mf::io_error);
    CHECK_THROWS_WITH_AS(mf::movielens::read_ratings(dir.path()),
                         ("cannot read '" + dir.path().string() + "': it is a directory").c_str(),
                         mf::io_error);
}

TEST_CASE("movielens::read_titles.turns ISO-8859-1 into UTF-8 and keeps UTF-8") {
    const TempDir dir;
    const auto file = dir.write("u.item",
                                "1|Toy Story (1995)|01-Jan-1995||http://x|0|0\n"
                                "2|Caf\xe9 au lait (1993)|01-Jan-1993||http://x|0|0\n"
                                "3|Se\xc3\xb1or (2001)|\n");
    const auto titles = mf::movielens::read_titles(file);
    REQUIRE(titles.size() == 3);
    CHECK(titles.at("1") == "Toy Story (1995)");
    CHECK(titles.at("2") == "Caf\xc3\xa9 au lait (1993)");
    CHECK(titles.at("3") == "Se\xc3\xb1or (2001)");
}

TEST_CASE("movielens::read_titles.reads bare CR line endings") {
    const TempDir dir;
    const auto file = dir.write("u.item", "1|Toy Story (1995)|\r2|GoldenEye (1995)|\r");
    const auto titles = mf::movielens::read_titles(file);
    REQUIRE(titles.size() == 2);
    CHECK(titles.at("2") == "GoldenEye (1995)");
}

TEST_CASE("movielens::read_titles.skips a UTF-8 byte-order mark") {
    const TempDir dir;
    const auto file = dir.write("u.item",
                                "\xEF\xBB\xBF"
                                "1|Toy Story (1995)|\n");
    CHECK(mf::movielens::read_titles(file).at("1") == "Toy Story (1995)");
}

TEST_CASE("movielens::read_titles.names the line of a bad entry") {
    const TempDir dir;
    const auto no_bar = dir.write("a.item", "1|A|\n2 B\n");
    CHECK_THROWS_WITH_AS(
        mf::movielens::read_titles(no_bar),
        (no_bar.string() + ":2: expected '|'-separated fields (id|title|...), found no '|'")
            .c_str(),
        mf::parse_error);
    const auto twice = dir.write("b.item", "1|A|\n1|B|\n");
    CHECK_THROWS_WITH_AS(mf::movielens::read_titles(twice),
                         (twice.string() + ":2: item id '1' appears twice").c_str(),
                         mf::parse_error);
}

TEST_CASE("movielens::read_fold.shares one index space between base and test") {
    const TempDir dir;
    dir.write("u1.base", "1\t10\t5\t1\n2\t20\t3\t1\n");
    dir.write("u1.test", "2\t10\t4\t1\n3\t30\t1\t1\n");
    mf::IdMap users;
    mf::IdMap items;
    const mf::TrainTest fold = mf::movielens::read_fold(dir.path(), "u1", users, items);
    CHECK(fold.train.size() == 2);
    CHECK(fold.test.size() == 2);
    CHECK(users.size() == 3);
    CHECK(items.size() == 3);
    CHECK(fold.train.n_users() == 3);
    CHECK(fold.train.n_items() == 3);
    CHECK(fold.test.item(0) == fold.train.item(0));
    CHECK(users.raw(fold.test.user(1)) == "3");
}

TEST_CASE("movielens::read_fold.rejects an unknown fold name") {
    mf::IdMap users;
    mf::IdMap items;
    CHECK_THROWS_WITH_AS(
        mf::movielens::read_fold(".", "u9", users, items),
        "movielens::read_fold: unknown fold 'u9'; expected one of u1, u2, u3, u4, u5, ua, ub",
        mf::invalid_argument);
}
