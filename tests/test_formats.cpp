#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
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

/// detail::read_ratings with chunks and ranges cut at the given sizes; an
/// automatic `format` becomes the one read.
mf::Ratings read_cut(const std::filesystem::path& file, mf::IdMap& users, mf::IdMap& items,
                     mf::Format& format, std::size_t chunk_size, std::size_t threads = 1) {
    mf::detail::ReadSettings settings;
    settings.chunk_size = chunk_size;
    settings.min_bytes_per_thread = 1;
    mf::ReadOptions options;
    options.format = format;
    options.threads = threads;
    mf::ReadReport report;
    mf::Ratings ratings = mf::detail::read_ratings(file, users, items, options, &report, settings);
    format = report.format;
    return ratings;
}

/// What the reader must match: every line through the full parser, one at a
/// time, in order.
mf::Ratings read_line_by_line(const std::filesystem::path& file, mf::Format format,
                              mf::IdMap& users, mf::IdMap& items) {
    mf::detail::FileLines lines(file);
    mf::detail::TripletArrays out(1);
    mf::ReadReport report;
    mf::detail::ReadState state;
    state.name = file.string();
    state.layout = mf::detail::named_layout(format);
    state.users = &users;
    state.items = &items;
    state.triplets = &out;
    state.report = &report;
    state.keep_timestamps = state.layout.columns.timestamp.has_value();
    std::string_view line;
    while (lines.next(line)) {
        mf::detail::read_line(line, lines.number(), state);
    }
    mf::detail::resolve_duplicates(state, mf::Duplicates::keep_latest);
    return out.finish(users.size(), items.size());
}

/// Whether two sets hold the same triplets, values bit for bit, and the maps
/// the same ids in the same order.
void check_same(const mf::Ratings& a, const mf::IdMap& a_users, const mf::IdMap& a_items,
                const mf::Ratings& b, const mf::IdMap& b_users, const mf::IdMap& b_items) {
    REQUIRE(a.size() == b.size());
    REQUIRE(a_users.size() == b_users.size());
    REQUIRE(a_items.size() == b_items.size());
    CHECK(a.n_users() == b.n_users());
    CHECK(a.n_items() == b.n_items());
    for (std::size_t j = 0; j < a_users.size(); ++j) {
        REQUIRE(a_users.raw(j) == b_users.raw(j));
    }
    for (std::size_t j = 0; j < a_items.size(); ++j) {
        REQUIRE(a_items.raw(j) == b_items.raw(j));
    }
    for (std::size_t j = 0; j < a.size(); ++j) {
        INFO("rating " << j);
        REQUIRE(a.user(j) == b.user(j));
        REQUIRE(a.item(j) == b.item(j));
        const float x = a.value(j);
        const float y = b.value(j);
        REQUIRE(std::memcmp(&x, &y, sizeof x) == 0);
    }
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
    CHECK(mf::to_string(mf::Format::automatic) == std::string("auto"));

    SUBCASE("and read_ratings reads by what it found") {
        const mf::Dataset movielens = mf::read_ratings(dir.write("e", "1\t2\t5\t0\n"));
        CHECK(movielens.scale.has_value());
        const mf::Dataset libmf = mf::read_ratings(dir.write("f", "1 2 5\n"));
        CHECK_FALSE(libmf.scale.has_value());
    }
    SUBCASE("and names the line that fits neither format") {
        CHECK_THROWS_WITH_AS(mf::detect_format(dir.write("g", "\n1 2 3 4\n")),
                             ((dir.path() / "g").string()
                              + ":2: the line fits no known format (MovieLens u.data, "
                                "ratings.dat or ratings.csv; LIBMF; fields separated by ',' "
                                "or ';'): found '1 2 3 4'")
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
    SUBCASE("LF") {
        text = "1 2 3\n2 2 5\n1 1 2\n";
    }
    SUBCASE("CRLF") {
        text = "1 2 3\r\n2 2 5\r\n1 1 2\r\n";
    }
    SUBCASE("bare CR") {
        text = "1 2 3\r2 2 5\r1 1 2\r";
    }
    SUBCASE("no final line ending") {
        text = "1 2 3\n2 2 5\n1 1 2";
    }
    SUBCASE("blank lines and trailing blanks") {
        text = "\n1 2 3 \t\n\r\n \n2 2 5\r\r1 1 2\n\n";
    }
    SUBCASE("a byte-order mark") {
        text =
            "\xEF\xBB\xBF"
            "1 2 3\n2 2 5\n1 1 2\n";
    }
    const TempDir dir;
    CHECK(triplets(mf::read_ratings(dir.write("r.txt", text))) == expected);
}

TEST_CASE("read_ratings.reads the same whatever chunk cuts the lines") {
    // Every ending, a BOM, blank lines and a last line without an ending, read in
    // chunks from 1 byte (grown to the minimum) to beyond the whole text, so
    // that each border falls in every place: inside fields, between "\r" and
    // "\n", inside the BOM.
    const std::string movielens =
        "\xEF\xBB\xBF"
        "10\t20\t3\t1\r\n\r\n11\t20\t4\t2\r12\t21\t5\t3\n"
        "\n10\t21\t1\t4\r\n11\t22\t2\t5";
    const std::string libmf =
        "\xEF\xBB\xBF"
        "10 20 3\r\n\r\n11 20 4.5\r12 21 -5\n"
        "\n10 21 1e2\r\n11\t22 2";
    for (const std::string& text : {movielens, libmf}) {
        const TempDir dir;
        const auto file = dir.write("ratings.txt", text);
        const mf::Dataset whole = mf::read_ratings(file);
        REQUIRE(whole.ratings.size() == 5);
        for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
            INFO("chunk size " << chunk);
            for (std::size_t threads = 1; threads <= 3; ++threads) {
                INFO("threads " << threads);
                mf::IdMap users;
                mf::IdMap items;
                mf::Format format = mf::Format::automatic;
                const mf::Ratings ratings = read_cut(file, users, items, format, chunk, threads);
                CHECK(triplets(ratings, users, items) == triplets(whole));
                CHECK(mf::detect_format(file) == format);
            }
        }
    }
}

TEST_CASE("read_ratings.reads the shortest lines a scanner takes in any chunk") {
    // Six bytes a line, the fewest a scanned line can have: the scanners' room
    // for a range is counted from that.
    std::string text;
    for (int user = 1; user <= 9; ++user) {
        for (int item = 1; item <= 9; ++item) {
            text += std::to_string(user) + ' ' + std::to_string(item) + ' '
                    + std::to_string(1 + (user + item) % 5) + '\n';
        }
    }
    const TempDir dir;
    const auto file = dir.write("ratings.txt", text);
    const mf::Dataset whole = mf::read_ratings(file);
    REQUIRE(whole.ratings.size() == 81);
    for (std::size_t chunk = 1; chunk <= 64; chunk += 7) {
        for (std::size_t threads = 1; threads <= 3; ++threads) {
            INFO("chunk size " << chunk << ", threads " << threads);
            mf::IdMap users;
            mf::IdMap items;
            mf::Format format = mf::Format::libmf;
            const mf::Ratings ratings = read_cut(file, users, items, format, chunk, threads);
            CHECK(triplets(ratings, users, items) == triplets(whole));
        }
    }
}

TEST_CASE("read_ratings.names the line of a fault whatever the chunk") {
    const TempDir dir;
    // Two faults: whichever thread reads the second, the first is the one named.
    const auto file = dir.write("ratings.txt", "1 2 3\r\n\r\n1 2 3\r1 2 x\n1 2 3\n1 y\n");
    for (std::size_t chunk = 1; chunk <= 32; ++chunk) {
        for (std::size_t threads = 1; threads <= 3; ++threads) {
            INFO("chunk size " << chunk << ", threads " << threads);
            mf::IdMap users;
            mf::IdMap items;
            mf::Format format = mf::Format::libmf;
            CHECK_THROWS_WITH_AS(read_cut(file, users, items, format, chunk, threads),
                                 (file.string() + ":4:5: value 'x' is not a finite number").c_str(),
                                 mf::parse_error);
        }
    }
}

TEST_CASE("read_ratings.reads as the line-by-line parser does, with any threads") {
    // Lines of every kind the fast reading takes or leaves to the full parser:
    // integer ids and text ids, "0042" beside "42", twenty-digit ids, values
    // in every notation, endings of every kind, blank lines.
    std::mt19937_64 rng(20240601);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const std::vector<std::string> odd_ids{"0042",
                                           "42",
                                           "u-7",
                                           "0",
                                           "00",
                                           "18446744073709551615",
                                           "18446744073709551616",
                                           "99999999999999999999",
                                           "1234567890123456789",
                                           "-3"};
    const std::vector<std::string> odd_values{"3.",
                                              ".5",
                                              "1e3",
                                              "-0",
                                              "0.1",
                                              "2.50",
                                              "1234567890.12345",
                                              "0.000000000000001",
                                              "123456789012345678",
                                              "-7.25",
                                              "4.999999999999999"};
    const std::vector<std::string> endings{"\n", "\n", "\n", "\r\n", "\r", " \n", "\t\r\n"};
    const auto id = [&](std::size_t range) {
        return pick(20) == 0 ? odd_ids[pick(odd_ids.size())]
                             : std::to_string(pick(range) * (pick(50) == 0 ? 1000003 : 1));
    };
    std::string libmf = "\xEF\xBB\xBF";
    std::string movielens;
    for (int j = 0; j < 3000; ++j) {
        if (pick(60) == 0) {
            libmf += " \n";
            movielens += "\r\n";
        }
        std::string value;
        if (pick(8) == 0) {
            value = odd_values[pick(odd_values.size())];
        } else {
            char buffer[32];
            const double x = static_cast<double>(pick(100000)) / std::pow(10.0, double(pick(6)));
            const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
            value.assign(buffer, end);
        }
        const std::string& ending = endings[pick(endings.size())];
        libmf += id(300) + (pick(5) == 0 ? "\t " : " ") + id(80) + " " + value + ending;
        movielens += id(300) + "\t" + id(80) + "\t"
                     + std::to_string(1.0 + static_cast<double>(pick(9)) * 0.5).substr(0, 3) + "\t"
                     + std::to_string(880000000 + pick(1000000)) + ending;
    }
    libmf += "7 8 9";  // no final line ending
    const TempDir dir;
    for (const auto& [text, format] :
         {std::pair{libmf, mf::Format::libmf}, std::pair{movielens, mf::Format::movielens}}) {
        const auto file = dir.write("ratings.txt", text);
        mf::IdMap expected_users;
        mf::IdMap expected_items;
        const mf::Ratings expected =
            read_line_by_line(file, format, expected_users, expected_items);
        for (const std::size_t chunk : {std::size_t{97}, std::size_t{4096}, std::size_t{1} << 20}) {
            for (std::size_t threads = 1; threads <= 4; ++threads) {
                INFO(mf::to_string(format) << ", chunk size " << chunk << ", threads " << threads);
                mf::IdMap users;
                mf::IdMap items;
                mf::Format found = mf::Format::automatic;
                const mf::Ratings ratings = read_cut(file, users, items, found, chunk, threads);
                CHECK(found == format);
                check_same(ratings, users, items, expected, expected_users, expected_items);
            }
        }
    }
}

TEST_CASE("read_ratings.short decimals read exactly as from_chars reads them") {
    // Up to 15 digits, with and without a point and a sign: each value read is
    // the float of the double that from_chars finds.
    std::mt19937_64 rng(7);
    std::string text;
    std::vector<float> expected;
    for (int j = 0; j < 20000; ++j) {
        const std::size_t digits = 1 + rng() % 15;
        std::string number;
        for (std::size_t d = 0; d < digits; ++d) {
            number += static_cast<char>('0' + rng() % 10);
        }
        if (rng() % 4 != 0) {
            number.insert(1 + rng() % digits, ".");
            if (number.back() == '.') {
                number += '5';
            }
        }
        if (rng() % 3 == 0) {
            number.insert(0, "-");
        }
        double value = 0.0;
        std::from_chars(number.data(), number.data() + number.size(), value);
        expected.push_back(static_cast<float>(value));
        text += "1 " + std::to_string(expected.size()) + " " + number + "\n";
    }
    const TempDir dir;
    const mf::Dataset data = mf::read_ratings(dir.write("values.txt", text), mf::Format::libmf, 2);
    REQUIRE(data.ratings.size() == expected.size());
    for (std::size_t j = 0; j < expected.size(); ++j) {
        INFO("line " << j + 1);
        const float x = data.ratings.value(j);
        REQUIRE(std::memcmp(&x, &expected[j], sizeof x) == 0);
    }
}

TEST_CASE("read_ratings.reads a line far longer than a chunk") {
    const TempDir dir;
    const std::string id(100000, '7');
    const auto file = dir.write("long.txt", "1 2 3\n" + id + " 2 4\n");
    mf::IdMap users;
    mf::IdMap items;
    mf::Format format = mf::Format::automatic;
    const mf::Ratings ratings = read_cut(file, users, items, format, 64);
    REQUIRE(ratings.size() == 2);
    CHECK(users.raw(ratings.user(1)) == id);
}

TEST_CASE("read_ratings.LIBMF errors name the file, the line and the fault") {
    CHECK(read_error("0 1 2\n0 1\n")
          == "FILE:2: expected 3 fields separated by blanks (row, column, value), found 2");
    CHECK(read_error("0 1 2 3\n", mf::Format::libmf)
          == "FILE:1: expected 3 fields separated by blanks (row, column, value), found 4");
    CHECK(read_error("0 1 2\n0 1 two\n") == "FILE:2:5: value 'two' is not a finite number");
    CHECK(read_error("0 1 2\n0 1 inf\n") == "FILE:2:5: value 'inf' is not a finite number");
    CHECK(read_error("0 1 2\n0 1 nan\n") == "FILE:2:5: value 'nan' is not a finite number");
    CHECK(read_error("0 1 2\n0 1 1e39\n")
          == "FILE:2:5: value '1e39' is beyond the range of a float");
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
    CHECK_THROWS_WITH_AS(
        mf::read_ratings(missing),
        ("cannot open '" + missing.string() + "': No such file or directory").c_str(),
        mf::io_error);
    CHECK_THROWS_WITH_AS(mf::detect_format(dir.path()),
                         ("cannot read '" + dir.path().string() + "': it is a directory").c_str(),
                         mf::io_error);
}

TEST_CASE("read_ratings.a file without line endings ends in an error, not out of memory") {
    // /dev/zero never ends a line: the reader stops at max_line_bytes.
    if (!std::filesystem::exists("/dev/zero")) {
        return;
    }
    CHECK_THROWS_WITH_AS(mf::read_ratings("/dev/zero", mf::Format::libmf),
                         "cannot read '/dev/zero': it holds a line of more than 256 MiB",
                         mf::io_error);
}
