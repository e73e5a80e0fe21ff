// mf::read_ratings with ReadOptions: every MovieLens format, delimited text,
// ids of any shape, the duplicate and bad-line policies, and their errors.
#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#if defined(__unix__)
#include <sys/stat.h>
#endif

#include "temp_dir.hpp"

namespace {

/// The ratings as "user item value" lines with raw ids, values as written by %g.
std::vector<std::string> lines_of(const mf::Dataset& data) {
    std::vector<std::string> out;
    for (std::size_t j = 0; j < data.ratings.size(); ++j) {
        char value[32];
        std::snprintf(value, sizeof value, "%g", static_cast<double>(data.ratings.value(j)));
        out.push_back(data.users.raw(data.ratings.user(j)) + " "
                      + data.items.raw(data.ratings.item(j)) + " " + value);
    }
    return out;
}

mf::ReadOptions with_format(mf::Format format) {
    mf::ReadOptions options;
    options.format = format;
    return options;
}

mf::ReadOptions delimited(mf::Separator separator, mf::Columns columns = {},
                          mf::Header header = mf::Header::automatic) {
    mf::ReadOptions options;
    options.format = mf::Format::delimited;
    options.separator = separator;
    options.columns = columns;
    options.header = header;
    return options;
}

/// Reads `content` from a file called `name`; the report goes to `report`.
mf::Dataset read_text(const std::string& content, const mf::ReadOptions& options = {},
                      mf::ReadReport* report = nullptr, const std::string& name = "ratings") {
    const TempDir dir;
    return mf::read_ratings(dir.write(name, content), options, report);
}

/// The message of the mf::parse_error reading `content` throws, the path replaced by FILE.
std::string error_of(const std::string& content, const mf::ReadOptions& options = {},
                     const std::string& name = "ratings") {
    const TempDir dir;
    const auto file = dir.write(name, content);
    try {
        mf::read_ratings(file, options);
    } catch (const mf::parse_error& e) {
        std::string message = e.what();
        return message.replace(0, file.string().size(), "FILE");
    }
    return "no error";
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("read_ratings.MovieLens 1M and 10M ratings.dat, quotes as plain characters") {
    mf::ReadReport report;
    const mf::Dataset data =
        read_text("1::1193::5::978300760\n1::\"661\"::3.5::978302109\n", {}, &report);
    CHECK(lines_of(data) == Lines{"1 1193 5", "1 \"661\" 3.5"});
    CHECK(report.format == mf::Format::movielens_dat);
    CHECK(report.detection == "4 fields separated by '::' on line 1");
    REQUIRE(data.scale.has_value());
    CHECK(data.scale->min == 0.5);
    CHECK(data.scale->max == 5.0);
    CHECK(error_of("1::2::5\n", with_format(mf::Format::movielens_dat))
          == "FILE:1: expected 4 fields separated by '::' (user, item, rating, timestamp), "
             "found 3");
    CHECK(error_of("1::2::0.25::0\n") == "FILE:1:7: rating 0.25 is outside the MovieLens scale "
                                         "[0.5, 5]");
}

TEST_CASE("read_ratings.MovieLens 20M and later ratings.csv: header, half stars") {
    const std::string csv =
        "userId,movieId,rating,timestamp\n"
        "1,296,5.0,1147880044\n"
        "1,306,3.5,1147868817\n"
        "2,296,0.5,1147868828\n";
    mf::ReadReport report;
    const mf::Dataset data = read_text(csv, {}, &report);
    CHECK(lines_of(data) == Lines{"1 296 5", "1 306 3.5", "2 296 0.5"});
    CHECK(report.format == mf::Format::movielens_csv);
    CHECK(report.header);
    CHECK(report.lines == 4);
    CHECK(report.detection == "the header 'userId,movieId,rating,timestamp' on line 1");

    SUBCASE("named ratings.csv, without its header") {
        const mf::Dataset bare = read_text("1,296,5.0,1147880044\n", {}, &report, "ratings.csv");
        CHECK(lines_of(bare) == Lines{"1 296 5"});
        CHECK(report.format == mf::Format::movielens_csv);
        CHECK_FALSE(report.header);
    }
    SUBCASE("a rating off the half-star scale") {
        CHECK(error_of(csv + "3,1,5.5,0\n")
              == "FILE:5:5: rating 5.5 is outside the MovieLens scale [0.5, 5]");
    }
    SUBCASE("one field where four were expected") {
        CHECK(error_of("userId,movieId,rating,timestamp\n1\n")
              == "FILE:2: expected 4 comma-separated fields (userId, movieId, rating, "
                 "timestamp), found 1");
    }
}

TEST_CASE("read_ratings.delimited text: every separator, columns in any order") {
    SUBCASE("semicolons, item before user") {
        const mf::Dataset data =
            read_text("i1;u1;4\ni2;u1;2\n", delimited(mf::Separator::semicolon, {1, 0, 2}));
        CHECK(lines_of(data) == Lines{"u1 i1 4", "u1 i2 2"});
    }
    SUBCASE("tabs, with extra fields") {
        const mf::Dataset data =
            read_text("x\tu1\ty\ti1\t3\tz\n", delimited(mf::Separator::tab, {1, 3, 4}));
        CHECK(lines_of(data) == Lines{"u1 i1 3"});
    }
    SUBCASE("'::'") {
        const mf::Dataset data = read_text("u1::i1::3\n", delimited(mf::Separator::double_colon));
        CHECK(lines_of(data) == Lines{"u1 i1 3"});
    }
    SUBCASE("any run of blanks") {
        const mf::Dataset data =
            read_text("  u1 \t  i1\t\t3  \nu2 i2 1\n", delimited(mf::Separator::blanks));
        CHECK(lines_of(data) == Lines{"u1 i1 3", "u2 i2 1"});
    }
    SUBCASE("a timestamp column") {
        mf::ReadReport report;
        const mf::Dataset data = read_text("u1,i1,3,20\nu1,i1,5,10\n",
                                           delimited(mf::Separator::comma, {0, 1, 2, 3}), &report);
        CHECK(lines_of(data) == Lines{"u1 i1 3"});  // the later one, though earlier in the file
        CHECK(report.duplicates == 1);
    }
    SUBCASE("the same column twice is an error") {
        CHECK_THROWS_AS(read_text("a,b,3\n", delimited(mf::Separator::comma, {0, 0, 2})),
                        mf::invalid_argument);
    }
    SUBCASE("fields that are not there") {
        CHECK(error_of("u1,i1\n", delimited(mf::Separator::comma))
              == "FILE:1: expected at least 3 fields separated by ',' (user in field 1, item "
                 "in field 2, rating in field 3), found 2");
    }
}

TEST_CASE("read_ratings.delimited text: the header, present, absent or detected") {
    const std::string with_header = "user,item,stars\nu1,i1,4\n";
    mf::ReadReport report;
    CHECK(lines_of(read_text(with_header, delimited(mf::Separator::comma), &report))
          == Lines{"u1 i1 4"});
    CHECK(report.header);
    CHECK(lines_of(read_text("u1,i1,4\nu2,i2,5\n", delimited(mf::Separator::comma), &report))
          == Lines{"u1 i1 4", "u2 i2 5"});
    CHECK_FALSE(report.header);
    CHECK(lines_of(read_text("u1,i1,4\nu2,i2,5\n",
                             delimited(mf::Separator::comma, {}, mf::Header::present)))
          == Lines{"u2 i2 5"});
    CHECK(error_of(with_header, delimited(mf::Separator::comma, {}, mf::Header::absent))
          == "FILE:1:11: rating 'stars' is not a finite number");
}

TEST_CASE("read_ratings.RFC 4180 quoting keeps separators and quotes inside fields") {
    const mf::Dataset data = read_text("\"a,b\",i1,3\n\"say \"\"hi\"\"\",\"i 2\",\"4.5\"\n",
                                       delimited(mf::Separator::comma));
    CHECK(lines_of(data) == Lines{"a,b i1 3", "say \"hi\" i 2 4.5"});
    CHECK(error_of("\"open,i1,3\n", delimited(mf::Separator::comma))
          == "FILE:1:1: the quoted field is not closed on this line");
    CHECK(error_of("\"a\"b,i1,3\n", delimited(mf::Separator::comma))
          == "FILE:1:4: expected the separator or the end of the line after the closing "
             "quote, found 'b'");
    CHECK(error_of("\"\",i1,3\n", delimited(mf::Separator::comma)) == "FILE:1:2: empty user id");
    SUBCASE("or reads quotes as they are when quoting is off") {
        mf::ReadOptions options = delimited(mf::Separator::comma);
        options.quoting = false;
        CHECK(lines_of(read_text("\"a\",i1,3\n", options)) == Lines{"\"a\" i1 3"});
    }
}

TEST_CASE("read_ratings.LF, CRLF, bare CR, a byte-order mark, blanks: the same triplets") {
    // Each format's two lines, then every way of writing them down.
    const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> formats{
        {"movielens", {"1\t10\t4\t100", "2\t20\t3\t200"}},
        {"movielens-dat", {"1::10::4::100", "2::20::3::200"}},
        {"movielens-csv", {"1,10,4.0,100", "2,20,3.0,200"}},
        {"libmf", {"1 10 4", "2 20 3"}},
        {"semicolons", {"1;10;4", "2;20;3"}},
    };
    for (const auto& [name, rows] : formats) {
        const std::string header = name == "movielens-csv" ? "userId,movieId,rating,timestamp" : "";
        const auto file = [&](const std::string& bom, const std::string& ending,
                              const std::string& blank, const std::string& trailing, bool last) {
            std::string text = bom;
            if (!header.empty()) {
                text += header + ending;
            }
            text += blank + rows.first + trailing + ending + blank + rows.second + trailing;
            return last ? text + ending : text;
        };
        const std::string plain = file("", "\n", "", "", true);
        const Lines expected = lines_of(read_text(plain));
        REQUIRE(expected == Lines{"1 10 4", "2 20 3"});
        for (const std::string ending : {"\n", "\r\n", "\r"}) {
            for (const std::string bom : {"", "\xEF\xBB\xBF"}) {
                for (const std::string blank : {"", "\n", " \t\r\n"}) {
                    for (const std::string trailing : {"", " ", "\t \t"}) {
                        for (const bool last : {true, false}) {
                            const std::string text = file(bom, ending, blank, trailing, last);
                            INFO(name << ": " << mf::detail::quote(text));
                            mf::ReadReport report;
                            CHECK(lines_of(read_text(text, {}, &report)) == expected);
                            CHECK(report.ratings == 2);
                        }
                    }
                }
            }
        }
    }
}

TEST_CASE("read_ratings.ids are opaque tokens of any shape") {
    const mf::Dataset data = read_text(
        "0042 a 1\n42 a 2\n-5 a 3\n5 a 4\n9007199254740993 a 5\n"
        "18446744073709551615 b 1\n123456789012345678901234567890 b 2\nuser@x.org b 3\n",
        with_format(mf::Format::libmf));
    CHECK(data.users.size() == 8);
    CHECK(lines_of(data)
          == Lines{"0042 a 1", "42 a 2", "-5 a 3", "5 a 4", "9007199254740993 a 5",
                   "18446744073709551615 b 1", "123456789012345678901234567890 b 2",
                   "user@x.org b 3"});
    // 2^53 + 1 is not rounded to 2^53, as a double would.
    CHECK_FALSE(data.users.contains("9007199254740992"));
    CHECK(data.users.index("-5") != data.users.index("5"));
}

TEST_CASE("read_ratings.a rating that is no finite number or off the scale is an error") {
    const mf::ReadOptions libmf = with_format(mf::Format::libmf);
    CHECK(error_of("1 2 nan\n", libmf) == "FILE:1:5: value 'nan' is not a finite number");
    CHECK(error_of("1 2 -inf\n", libmf) == "FILE:1:5: value '-inf' is not a finite number");
    CHECK(error_of("1 2 1e400\n", libmf) == "FILE:1:5: value '1e400' is not a finite number");
    mf::ReadOptions scaled = libmf;
    scaled.scale = mf::RatingScale{1.0, 10.0};
    CHECK(error_of("1 2 10\n1 2 11\n", scaled)
          == "FILE:2:5: value 11 is outside the scale [1, 10]");
    mf::ReadReport report;
    CHECK(read_text("1 2 7\n", scaled, &report).scale->max == 10.0);
}

namespace {

/// The ratings of a file with duplicates, resolved by brute force: for each
/// (user, item) the kept value and the place of the kept rating.
struct Rating {
    std::string user;
    std::string item;
    double value;
    long long timestamp;
};

Lines resolve_by_hand(const std::vector<Rating>& ratings, mf::Duplicates policy, bool timestamps) {
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> groups;
    for (std::size_t j = 0; j < ratings.size(); ++j) {
        groups[{ratings[j].user, ratings[j].item}].push_back(j);
    }
    std::vector<std::pair<std::size_t, double>> kept;
    for (const auto& [key, group] : groups) {
        std::size_t keep = group.back();
        double value = ratings[keep].value;
        if (policy == mf::Duplicates::mean) {
            double sum = 0.0;
            for (const std::size_t j : group) {
                sum += ratings[j].value;
            }
            value =
                static_cast<double>(static_cast<float>(sum / static_cast<double>(group.size())));
        } else if (timestamps) {
            for (const std::size_t j : group) {
                if (ratings[j].timestamp >= ratings[keep].timestamp) {
                    keep = j;
                }
            }
            value = ratings[keep].value;
        }
        kept.emplace_back(keep, value);
    }
    std::sort(kept.begin(), kept.end());
    Lines out;
    for (const auto& [j, value] : kept) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", static_cast<double>(static_cast<float>(value)));
        out.push_back(ratings[j].user + " " + ratings[j].item + " " + text);
    }
    return out;
}

}  // namespace

TEST_CASE("read_ratings.duplicates: the latest, the last, their mean, or an error") {
    SUBCASE("the latest by timestamp, else the last in the file") {
        mf::ReadReport report;
        const mf::Dataset data =
            read_text("1\t2\t3\t100\n1\t3\t1\t5\n1\t2\t5\t50\n1\t3\t2\t5\n", {}, &report);
        CHECK(lines_of(data) == Lines{"1 2 3", "1 3 2"});
        CHECK(report.duplicates == 2);
        CHECK(lines_of(read_text("1 2 3\n1 2 5\n")) == Lines{"1 2 5"});
    }
    SUBCASE("their mean, in the place of the last") {
        mf::ReadOptions options;
        options.duplicates = mf::Duplicates::mean;
        CHECK(lines_of(read_text("1 2 3\n7 7 1\n1 2 4\n1 2 5\n", options))
              == Lines{"7 7 1", "1 2 4"});
    }
    SUBCASE("an error that names both lines") {
        mf::ReadOptions options;
        options.duplicates = mf::Duplicates::error;
        CHECK(error_of("u1 i1 3\n\nu2 i1 4\nu1 i1 5\n", options)
              == "FILE:4: user 'u1' rates item 'i1' again (first on line 1), and duplicates "
                 "are errors");
    }
    SUBCASE("never summed, in files of any order, against brute force") {
        std::mt19937_64 rng(7);
        for (const bool grouped : {true, false}) {
            for (const bool timestamps : {true, false}) {
                for (const mf::Duplicates policy :
                     {mf::Duplicates::keep_latest, mf::Duplicates::mean}) {
                    std::vector<Rating> ratings;
                    for (int u = 0; u < 300; ++u) {
                        const int count = static_cast<int>(rng() % 12);
                        for (int k = 0; k < count; ++k) {
                            ratings.push_back({std::to_string(u), std::to_string(rng() % 15),
                                               1.0 + static_cast<double>(rng() % 5),
                                               static_cast<long long>(rng() % 4)});
                        }
                    }
                    if (!grouped) {
                        std::shuffle(ratings.begin(), ratings.end(), rng);
                    }
                    std::string text;
                    for (const Rating& r : ratings) {
                        text += r.user + "," + r.item + "," + std::to_string(r.value)
                                + (timestamps ? "," + std::to_string(r.timestamp) : "") + "\n";
                    }
                    mf::ReadOptions options = delimited(
                        mf::Separator::comma,
                        timestamps ? mf::Columns{0, 1, 2, 3} : mf::Columns{0, 1, 2, std::nullopt});
                    options.duplicates = policy;
                    mf::ReadReport report;
                    INFO("grouped " << grouped << ", timestamps " << timestamps);
                    const Lines expected = resolve_by_hand(ratings, policy, timestamps);
                    CHECK(lines_of(read_text(text, options, &report)) == expected);
                    CHECK(report.duplicates == ratings.size() - expected.size());
                }
            }
        }
    }
}

TEST_CASE("read_ratings.bad lines: the first is an error, or all are skipped and counted") {
    const std::string text = "1 2 3\n1 x\n2 3 4\n3 4 five\n\n4 5 6\n";
    CHECK(error_of(text, with_format(mf::Format::libmf))
          == "FILE:2: expected 3 fields separated by blanks (row, column, value), found 2");
    mf::ReadOptions options = with_format(mf::Format::libmf);
    options.bad_lines = mf::BadLines::skip;
    mf::ReadReport report;
    const mf::Dataset data = read_text(text, options, &report);
    CHECK(lines_of(data) == Lines{"1 2 3", "2 3 4", "4 5 6"});
    CHECK(report.skipped_lines == 2);
    CHECK(report.lines == 6);
    REQUIRE(report.first_skipped.size() == 2);
    CHECK(report.first_skipped[0].line == 2);
    CHECK(report.first_skipped[0].reason
          == "expected 3 fields separated by blanks (row, column, value), found 2");
    CHECK(report.first_skipped[1].line == 4);
    CHECK(report.first_skipped[1].reason == "value 'five' is not a finite number");

    SUBCASE("only the first few are kept, all are counted") {
        std::string many = "1 2 3\n";
        for (int j = 0; j < 20; ++j) {
            many += "bad\n";
        }
        read_text(many, options, &report);
        CHECK(report.skipped_lines == 20);
        REQUIRE(report.first_skipped.size() == mf::ReadReport::kept_skipped);
        CHECK(report.first_skipped.back().line == 6);
    }
    SUBCASE("a duplicate's line is found past skipped lines") {
        mf::ReadOptions strict = options;
        strict.duplicates = mf::Duplicates::error;
        CHECK(error_of("a b 1\nbad\n\nbad\na b 2\n", strict)
              == "FILE:5: user 'a' rates item 'b' again (first on line 1), and duplicates are "
                 "errors");
    }
}

TEST_CASE("read_ratings.a separator that yields no rating is an error, never an empty set") {
    const std::string csv = "1,2,3\n4,5,6\n";
    CHECK(error_of(csv, delimited(mf::Separator::semicolon, {}, mf::Header::absent))
          == "FILE:1: expected at least 3 fields separated by ';' (user in field 1, item in "
             "field 2, rating in field 3), found 1");
    mf::ReadOptions skipping = delimited(mf::Separator::semicolon, {}, mf::Header::absent);
    skipping.bad_lines = mf::BadLines::skip;
    CHECK(error_of(csv, skipping)
          == "FILE: no line could be read as delimited ratings; line 1: expected at least 3 "
             "fields separated by ';' (user in field 1, item in field 2, rating in field 3), "
             "found 1");
    CHECK(error_of("\n\n") == "FILE: the file holds no ratings");
}

TEST_CASE("detect_format.says what it picked and why") {
    const TempDir dir;
    std::string why;
    CHECK(mf::detect_format(dir.write("a", "196\t242\t3\t881250949\n"), &why)
          == mf::Format::movielens);
    CHECK(why == "4 tab-separated fields on line 1");
    CHECK(mf::detect_format(dir.write("b", "\n0 5 3.5\n"), &why) == mf::Format::libmf);
    CHECK(why == "3 fields separated by blanks on line 2");
    CHECK(mf::detect_format(dir.write("c", "a;b;1;x\n"), &why) == mf::Format::delimited);
    CHECK(why == "4 fields separated by ';' on line 1");
    // Two tabs in a row are LIBMF's blanks, not an empty MovieLens field.
    CHECK(mf::detect_format(dir.write("d", "1\t2\t\t3\n"), &why) == mf::Format::libmf);
}

TEST_CASE("validate.rejects options that cannot make sense, before any file is read") {
    mf::ReadOptions options = delimited(mf::Separator::comma, {0, 1, 40});
    CHECK_THROWS_WITH_AS(mf::validate(options),
                         "ReadOptions::columns: field 41 is beyond the 32 fields a line may hold",
                         mf::invalid_argument);
    options.columns = mf::Columns(0, 1, 2, 1);
    CHECK_THROWS_WITH_AS(
        mf::validate(options),
        "ReadOptions::columns: user, item, rating and timestamp need fields of their own",
        mf::invalid_argument);
    options.columns = mf::Columns(2, 0, 1, 3);
    CHECK_NOTHROW(mf::validate(options));
    options.scale = mf::RatingScale{5.0, 1.0};
    CHECK_THROWS_WITH_AS(mf::validate(options),
                         "ReadOptions::scale must have finite bounds with min <= max; got [5, 1]",
                         mf::invalid_argument);
    CHECK_THROWS_AS(read_text("a,b,3\n", options), mf::invalid_argument);
}

TEST_CASE("read_ratings.the report says how the file was read") {
    mf::ReadReport report;
    read_text("a;b;1;10\nc;d;2;20\n", {}, &report);
    CHECK(report.format == mf::Format::delimited);
    CHECK(report.separator == mf::Separator::semicolon);
    CHECK(report.columns.timestamp == std::optional<std::size_t>(3));
    CHECK(report.quoting);
    CHECK_FALSE(report.header);
    CHECK(error_of("a\tb\n", delimited(mf::Separator::tab))
          == "FILE:1: expected at least 3 fields separated by '\\x09' (user in field 1, item in "
             "field 2, rating in field 3), found 2");
}

TEST_CASE("read_ratings.a timestamp too long for the fast scanner reads through the full one") {
    // 19 digits: the scanner stops before it could overflow (a sanitizer checks).
    mf::ReadReport report;
    CHECK(lines_of(read_text("1::1193::2::978300760987107830\n", {}, &report))
          == Lines{"1 1193 2"});
    CHECK(error_of("1\t2\t3\t99999999999999999999\n")
          == "FILE:1:7: timestamp '99999999999999999999' is not an integer");
}

TEST_CASE("read_ratings.a plus sign and a value too small for a double read as numbers") {
    CHECK(lines_of(read_text("1 2 +4\n1 3 1e-400\n1 4 -1e-400\n", with_format(mf::Format::libmf)))
          == Lines{"1 2 4", "1 3 0", "1 4 -0"});
    CHECK(error_of("1 2 +-4\n", with_format(mf::Format::libmf))
          == "FILE:1:5: value '+-4' is not a finite number");
    CHECK(error_of("1 2 -1e400\n", with_format(mf::Format::libmf))
          == "FILE:1:5: value '-1e400' is not a finite number");
}

#if defined(__unix__)
TEST_CASE("read_ratings.a pipe is read whole, the lines its format was judged by included") {
    // More than the detection reads ahead, with a line across the 64 KiB mark.
    std::string text;
    for (int j = 0; text.size() < (std::size_t{3} << 16); ++j) {
        text +=
            std::to_string(j) + "::" + std::to_string(j % 50) + "::3::" + std::to_string(j) + "\n";
    }
    const Lines expected = lines_of(read_text(text));
    const TempDir dir;
    const auto fifo = dir.path() / "ratings.fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << text; });
    mf::ReadReport report;
    mf::Dataset data;
    try {
        data = mf::read_ratings(fifo, {}, &report);
    } catch (...) {
        writer.join();
        throw;
    }
    writer.join();
    CHECK(report.format == mf::Format::movielens_dat);
    CHECK(lines_of(data) == expected);
}
#endif

TEST_CASE("read_ratings.a detected header is said so, and a repeat named at its earliest") {
    mf::ReadReport report;
    read_text("user;item;stars\na;b;1\n", {}, &report);
    CHECK(report.header);
    CHECK(report.detection
          == "3 fields separated by ';' on line 1; its rating is no number, so it is a header");
    mf::ReadOptions options;
    options.duplicates = mf::Duplicates::error;
    CHECK(error_of("u2 i1 1\nu1 i1 2\nu1 i1 3\nu2 i1 4\n", options)
          == "FILE:3: user 'u1' rates item 'i1' again (first on line 2), and duplicates are "
             "errors");
}
