#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <stdexcept>
#include <string>

TEST_CASE("parse_error.message names the file and the line") {
    const mf::parse_error error("ratings.tsv", 17, "rating 'x' is not a finite number");
    CHECK(std::string(error.what()) == "ratings.tsv:17: rating 'x' is not a finite number");
    CHECK(error.file() == "ratings.tsv");
    CHECK(error.line() == 17);
}

TEST_CASE("parse_error.a fault of the whole file has line 0") {
    const mf::parse_error error("empty.tsv", "the file holds no ratings");
    CHECK(std::string(error.what()) == "empty.tsv: the file holds no ratings");
    CHECK(error.line() == 0);
}

TEST_CASE("errors.derive from the standard exceptions") {
    CHECK_THROWS_AS(throw mf::parse_error("f", 1, "x"), mf::error);
    CHECK_THROWS_AS(throw mf::io_error("x"), std::runtime_error);
    CHECK_THROWS_AS(throw mf::training_error("x"), mf::error);
    CHECK_THROWS_AS(throw mf::invalid_argument("x"), std::invalid_argument);
}
