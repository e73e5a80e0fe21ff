// xt::load_npy checks a file's dtype with std::regex, in which GCC 12 and later
// with the sanitizers see uninitialized std::function members that are not
// (GCC bug 105616): the warning is silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <doctest/doctest.h>

#include <mf/mf.hpp>

// The library writes .npy itself; xtensor's reader checks the files.
#if __has_include(<xtensor/io/xnpy.hpp>)
#include <xtensor/io/xnpy.hpp>
#else
#include <xtensor/xnpy.hpp>
#endif

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace {

// A model as LIBMF writes one (mf_save_model: a blank after every value),
// m = 2, n = 3, k = 2; user 1 and item 1 had no training data (F).
const char* const libmf_model_text =
    "f 0\n"
    "m 2\n"
    "n 3\n"
    "k 2\n"
    "b 3.5\n"
    "p0 T 1 2 \n"
    "p1 F 0 0 \n"
    "q0 T 0.5 -1 \n"
    "q1 F 0 0 \n"
    "q2 T 2 0.25 \n";

std::string read_bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

template <class Scalar>
bool same_bits(Scalar a, Scalar b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// Users x items x k factors drawn from a seeded generator, some users and
// items unknown, values from tiny to huge so that every digit counts.
template <class Scalar>
mf::MatrixFactorization<Scalar> random_model(std::size_t users, std::size_t items, std::size_t k,
                                             bool biased) {
    std::mt19937_64 random(42);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    std::uniform_int_distribution<int> exponent(-30, 30);
    const auto draw = [&] {
        return static_cast<Scalar>(uniform(random) * std::pow(10.0, exponent(random)));
    };
    using M = typename mf::MatrixFactorization<Scalar>::matrix_type;
    using V = typename mf::MatrixFactorization<Scalar>::vector_type;
    M p = xt::empty<Scalar>({users, k});
    M q = xt::empty<Scalar>({items, k});
    V bu = xt::empty<Scalar>({users});
    V bi = xt::empty<Scalar>({items});
    for (Scalar& v : p) {
        v = draw();
    }
    for (Scalar& v : q) {
        v = draw();
    }
    for (Scalar& v : bu) {
        v = draw();
    }
    for (Scalar& v : bi) {
        v = draw();
    }
    p(0, 0) = Scalar(0.1);
    p(0, 1) = Scalar(-0.0);
    q(0, 0) = Scalar(1) / Scalar(3);
    q(0, 1) = std::numeric_limits<Scalar>::denorm_min();
    q(1, 0) = std::numeric_limits<Scalar>::max();
    mf::MatrixFactorization<Scalar> model(p, q, bu, bi, Scalar(3.6), biased);
    typename mf::MatrixFactorization<Scalar>::mask_type known_users = xt::ones<bool>({users});
    typename mf::MatrixFactorization<Scalar>::mask_type known_items = xt::ones<bool>({items});
    known_users(users - 1) = false;
    known_items(2) = false;
    model.set_known(known_users, known_items);
    return model;
}

}  // namespace

TEST_CASE_TEMPLATE("read_libmf_model.a hand-written LIBMF model predicts what the format implies",
                   Scalar, float, double) {
    TempDir dir;
    const auto file = dir.write("model.txt", libmf_model_text);
    const mf::LibmfModel<Scalar> read = mf::read_libmf_model<Scalar>(file);
    const auto& model = read.model;

    CHECK(read.loss == 0);
    CHECK_FALSE(model.biased());
    CHECK(model.n_users() == 2);
    CHECK(model.n_items() == 3);
    CHECK(model.n_factors() == 2);
    CHECK(model.global_mean() == Scalar(3.5));
    CHECK(model.is_known_user(0));
    CHECK_FALSE(model.is_known_user(1));
    CHECK_FALSE(model.is_known_item(1));
    CHECK(model.user_factors()(1, 0) == 0);
    CHECK(model.item_factors()(2, 1) == Scalar(0.25));

    // LIBMF's ids are its row numbers.
    REQUIRE(read.users.size() == 2);
    REQUIRE(read.items.size() == 3);
    CHECK(read.users.index("1") == 1);
    CHECK(read.items.raw(2) == "2");

    // p · q for two T rows: 1 * 0.5 + 2 * -1 and 1 * 2 + 2 * 0.25.
    CHECK(model.predict(0, 0) == Scalar(-1.5));
    CHECK(model.predict(0, 2) == Scalar(2.5));
    // b where a row is F or beyond m, n.
    CHECK(model.predict(0, 1) == Scalar(3.5));
    CHECK(model.predict(1, 0) == Scalar(3.5));
    CHECK(model.predict(2, 0) == Scalar(3.5));
    CHECK(model.predict(0, 3) == Scalar(3.5));
}

TEST_CASE("read_libmf_model.takes the README's form and other line endings") {
    TempDir dir;
    SUBCASE("no f line, as in the example of LIBMF's README") {
        const auto file = dir.write("model.txt", "m 2\nn 1\nk 1\nb 0.5\np0 T 3\np1 F 0\nq0 T -2\n");
        const auto read = mf::read_libmf_model<double>(file);
        CHECK(read.loss == 0);
        CHECK(read.model.predict(0, 0) == -6.0);
        CHECK(read.model.predict(1, 0) == 0.5);
    }
    SUBCASE("CRLF, tabs, blank lines and no final line ending") {
        const auto file = dir.write(
            "model.txt", "f 12\r\n\r\nm 1\r\nn 1\r\nk 2\r\nb 0\r\np0\tT 1\t2\r\nq0 T 3 4");
        const auto read = mf::read_libmf_model<float>(file);
        CHECK(read.loss == 12);
        CHECK(read.model.predict(0, 0) == 11.0f);
    }
    SUBCASE("an empty model") {
        const auto file = dir.write("model.txt", "f 0\nm 0\nn 0\nk 4\nb 2.5\n");
        const auto read = mf::read_libmf_model<float>(file);
        CHECK(read.model.n_users() == 0);
        CHECK(read.model.n_factors() == 4);
        CHECK(read.model.predict(0, 0) == 2.5f);
    }
}

TEST_CASE("read_libmf_model.refuses classification losses and unknown ones") {
    TempDir dir;
    const std::string rest = "m 1\nn 1\nk 1\nb 0\np0 T 1\nq0 T 1\n";
    const auto five = dir.write("five.txt", "f 5\n" + rest);
    CHECK_THROWS_WITH_AS(mf::read_libmf_model<float>(five),
                         (five.string()
                          + ":1:3: loss 5 is a binary classification loss: LIBMF predicts -1 or 1 "
                            "with it, which an mf model cannot; mf reads the losses 0, 1, 2, 10, "
                            "11 and 12")
                             .c_str(),
                         mf::parse_error);
    const auto three = dir.write("three.txt", "f 3\n" + rest);
    CHECK_THROWS_WITH_AS(
        mf::read_libmf_model<float>(three),
        (three.string()
         + ":1:3: unknown loss '3'; LIBMF's losses are 0, 1, 2, 5, 6, 7, 10, 11 and 12")
            .c_str(),
        mf::parse_error);
}

TEST_CASE_TEMPLATE("read_libmf_model.a malformed file names the line and what was wrong", Scalar,
                   float, double) {
    TempDir dir;
    const std::string head = "f 0\nm 2\nn 3\nk 2\nb 3.5\n";
    const auto check = [&](const std::string& text, const std::string& where,
                           const std::string& what) {
        const auto file = dir.write("bad.txt", text);
        INFO(text);
        CHECK_THROWS_WITH_AS(mf::read_libmf_model<Scalar>(file),
                             (file.string() + ":" + where + ": " + what).c_str(), mf::parse_error);
    };

    SUBCASE("an empty file") {
        check("", "1", "expected the header line 'f LOSS', found the end of the file");
    }
    SUBCASE("a header line out of place") {
        check("f 0\nn 3\n", "2", "expected the header line 'm ROWS', found 'n 3'");
        check("x 1\n", "1", "expected the header line 'f LOSS' or 'm ROWS', found 'x 1'");
        check("f 0\nm 2 3\n", "2", "expected the header line 'm ROWS', found 'm 2 3'");
        check("f 0\nm 2\nn 3\n", "4",
              "expected the header line 'k FACTORS', found the end of the file");
    }
    SUBCASE("a header value that is no count") {
        check("f 0\nm 2.5\n", "2:3", "m must be a whole number from 0 to 2147483647, found '2.5'");
        check("f 0\nm 2\nn -1\n", "3:3",
              "n must be a whole number from 0 to 2147483647, found '-1'");
        check("f 0\nm 2\nn 3\nk 2147483648\n", "4:3",
              "k must be a whole number from 0 to 2147483647, found '2147483648'");
        check("f zero\n", "1:3", "f must be a whole number, found 'zero'");
        check("f 0\nm 2\nn 3\nk 2\nb nan\n", "5:3", "b must be a finite number, found 'nan'");
    }
    SUBCASE("a row missing, out of order or with a bad flag") {
        check(head + "p1 T 1 2\n", "6:1", "expected row 'p0', found 'p1'");
        check(head + "p0 T 1 2\nq0 T 1 2\n", "7:1", "expected row 'p1', found 'q0'");
        check(head + "p0 X 1 2\n", "6:4", "expected T or F after 'p0', found 'X'");
        check(head + "p0\n", "6", "expected T or F after 'p0', found the end of the line");
        check(head + "p0 T 1 2\np1 F 0 0\nq0 T 1 2\nq1 F 0 0\n", "10",
              "expected row 'q2', found the end of the file");
        check(head + "p0 T 1 2\np1 F 0 0\nq0 T 1 2\nq1 F 0 0\nq2 T 1 1\nq3 T 1 1\n", "11",
              "expected the end of the file after row 'q2', found 'q3 T 1 1'");
    }
    SUBCASE("a row with other than k values") {
        check(head + "p0 T 1 2\np1 F 0\n", "7", "expected 2 values after 'p1 F', found 1");
        check(head + "p0 T 1 2 3\n", "6", "expected 2 values after 'p0 T', found 3");
        check("m 1\nn 1\nk 1\nb 0\np0 T\n", "5", "expected 1 value after 'p0 T', found 0");
    }
    SUBCASE("a value that is no finite number") {
        check(head + "p0 T 1 abc\n", "6:8", "value 'abc' is not a finite number");
        check(head + "p0 T nan 1\n", "6:6", "value 'nan' is not a finite number");
        check(head + "p0 T 1 2\np1 F 0 x\n", "7:8", "value 'x' is not a number");
        check(head + "p0 T 1e400 1\n", "6:6", "value '1e400' is not a finite number");
    }
    SUBCASE("the line and column come apart too") {
        const auto file = dir.write("bad.txt", head + "p0 T 1 2\np1 T 0 x\n");
        try {
            mf::read_libmf_model<Scalar>(file);
            FAIL("no parse_error");
        } catch (const mf::parse_error& error) {
            CHECK(error.file() == file.string());
            CHECK(error.line() == 7);
            CHECK(error.column() == 8);
        }
    }
}

TEST_CASE("read_libmf_model.a value beyond a float is refused for float only") {
    TempDir dir;
    const auto file = dir.write("model.txt", "m 1\nn 1\nk 1\nb 0\np0 T 1e39\nq0 T 1e-50\n");
    CHECK_THROWS_WITH_AS(
        mf::read_libmf_model<float>(file),
        (file.string() + ":5:6: value '1e39' is beyond the range of a float").c_str(),
        mf::parse_error);
    const auto read = mf::read_libmf_model<double>(file);
    CHECK(read.model.user_factors()(0, 0) == 1e39);
    CHECK(read.model.item_factors()(0, 0) == 1e-50);
}

TEST_CASE("read_libmf_model.a missing file is an io_error") {
    TempDir dir;
    const auto file = dir.path() / "none.txt";
    CHECK_THROWS_WITH_AS(mf::read_libmf_model<float>(file),
                         ("cannot open '" + file.string() + "': No such file or directory").c_str(),
                         mf::io_error);
}

TEST_CASE_TEMPLATE("write_libmf_model.an unbiased model reads back bit for bit", Scalar, float,
                   double) {
    TempDir dir;
    const auto model = random_model<Scalar>(7, 5, 3, false);
    const auto file = dir.path() / "model.txt";
    // The LIBMF row of each user and item.
    std::vector<std::size_t> user_row(model.n_users());
    std::vector<std::size_t> item_row(model.n_items());

    SUBCASE("rows by index") {
        mf::write_libmf_model(file, model);
        for (std::size_t u = 0; u < user_row.size(); ++u) {
            user_row[u] = u;
        }
        for (std::size_t i = 0; i < item_row.size(); ++i) {
            item_row[i] = i;
        }
    }
    SUBCASE("rows by raw id, the ids in reverse order") {
        mf::IdMap users;
        mf::IdMap items;
        for (std::size_t u = 0; u < user_row.size(); ++u) {
            user_row[u] = user_row.size() - 1 - u;
            users.insert(std::to_string(user_row[u]));
        }
        for (std::size_t i = 0; i < item_row.size(); ++i) {
            item_row[i] = item_row.size() - 1 - i;
            items.insert(std::to_string(item_row[i]));
        }
        mf::write_libmf_model(file, model, users, items);
    }

    const auto read = mf::read_libmf_model<Scalar>(file);
    const auto& back = read.model;
    REQUIRE(back.n_users() == model.n_users());
    REQUIRE(back.n_items() == model.n_items());
    REQUIRE(back.n_factors() == model.n_factors());
    CHECK(back.biased() == false);
    CHECK(same_bits(back.global_mean(), model.global_mean()));
    for (std::size_t u = 0; u < model.n_users(); ++u) {
        const std::size_t r = user_row[u];
        CHECK(back.is_known_user(r) == model.is_known_user(u));
        for (std::size_t f = 0; model.is_known_user(u) && f < model.n_factors(); ++f) {
            INFO("user " << u << ", factor " << f);
            CHECK(same_bits(back.user_factors()(r, f), model.user_factors()(u, f)));
        }
    }
    for (std::size_t i = 0; i < model.n_items(); ++i) {
        const std::size_t c = item_row[i];
        CHECK(back.is_known_item(c) == model.is_known_item(i));
        for (std::size_t f = 0; model.is_known_item(i) && f < model.n_factors(); ++f) {
            INFO("item " << i << ", factor " << f);
            CHECK(same_bits(back.item_factors()(c, f), model.item_factors()(i, f)));
        }
    }
    for (std::size_t u = 0; u < model.n_users(); ++u) {
        for (std::size_t i = 0; i < model.n_items(); ++i) {
            INFO("user " << u << ", item " << i);
            const Scalar original = model.predict(u, i);
            const Scalar again = back.predict(user_row[u], item_row[i]);
            // Factors near the largest Scalar may overflow to inf and inf - inf.
            CHECK((same_bits(again, original) || (std::isnan(again) && std::isnan(original))));
        }
    }
}

TEST_CASE_TEMPLATE("write_libmf_model.a biased model folds its biases into two more factors",
                   Scalar, float, double) {
    TempDir dir;
    const auto model = random_model<Scalar>(6, 4, 2, true);
    const auto file = dir.path() / "model.txt";
    mf::write_libmf_model(file, model);
    const auto read = mf::read_libmf_model<Scalar>(file);
    const auto& back = read.model;

    REQUIRE(back.n_factors() == 4);
    CHECK_FALSE(back.biased());
    CHECK(back.global_mean() == model.global_mean());
    // p'_u = [p_u, μ + b_u, 1], q'_i = [q_i, 1, b_i].
    CHECK(back.user_factors()(1, 1) == model.user_factors()(1, 1));
    CHECK(back.user_factors()(1, 2) == model.global_mean() + model.user_biases()(1));
    CHECK(back.user_factors()(1, 3) == 1);
    CHECK(back.item_factors()(3, 2) == 1);
    CHECK(back.item_factors()(3, 3) == model.item_biases()(3));

    // Factors near 1e±30 would drown the biases: compare on a model of plain values.
    using M = typename mf::MatrixFactorization<Scalar>::matrix_type;
    using V = typename mf::MatrixFactorization<Scalar>::vector_type;
    mf::MatrixFactorization<Scalar> plain(M{{0.3, -1.2}, {0.7, 0.1}, {1, 1}},
                                          M{{0.2, 0.4}, {-0.9, 1.1}}, V{0.25, -0.5, 0.1},
                                          V{0.3, -0.2}, Scalar(3.6));
    plain.set_known({true, true, false}, {true, true});
    mf::write_libmf_model(file, plain);
    const auto folded = mf::read_libmf_model<Scalar>(file).model;
    for (std::size_t u = 0; u < 2; ++u) {
        for (std::size_t i = 0; i < 2; ++i) {
            INFO("user " << u << ", item " << i);
            CHECK(folded.predict(u, i) == doctest::Approx(plain.predict(u, i)).epsilon(1e-6));
        }
    }
    // A pair with one side unknown: LIBMF predicts b = μ, mf μ + the known bias.
    CHECK(folded.predict(2, 1) == Scalar(3.6));
    CHECK(plain.predict(2, 1) == doctest::Approx(3.4));
}

TEST_CASE("write_libmf_model.writes a row per raw id and F rows for the gaps") {
    TempDir dir;
    using M = mf::MatrixFactorization<float>::matrix_type;
    using V = mf::MatrixFactorization<float>::vector_type;
    mf::MatrixFactorization<float> model(M{{1.5f, -2}, {0.1f, 3}}, M{{0.25f, 1e-7f}}, V{0, 0}, V{0},
                                         3.5f, false);
    mf::IdMap users;
    users.insert("2");
    users.insert("0");
    mf::IdMap items;
    items.insert("1");
    const auto file = dir.path() / "model.txt";
    mf::write_libmf_model(file, model, users, items);
    CHECK(read_bytes(file)
          == "f 0\nm 3\nn 2\nk 2\nb 3.5\n"
             "p0 T 0.1 3\n"
             "p1 F 0 0\n"
             "p2 T 1.5 -2\n"
             "q0 F 0 0\n"
             "q1 T 0.25 1e-07\n");

    const auto read = mf::read_libmf_model<float>(file);
    // The same user by the same raw id on both sides.
    CHECK(read.model.predict(read.users.index("2"), read.items.index("1"))
          == model.predict(users.index("2"), items.index("1")));
}

TEST_CASE("write_libmf_model.refuses ids LIBMF cannot number") {
    TempDir dir;
    const auto file = dir.path() / "model.txt";
    using M = mf::MatrixFactorization<double>::matrix_type;
    using V = mf::MatrixFactorization<double>::vector_type;
    const mf::MatrixFactorization<double> model(M{{1}, {2}, {3}}, M{{1}}, V{0, 0, 0}, V{0}, 0.0);
    mf::IdMap items;
    items.insert("0");
    const auto users_of = [](std::initializer_list<const char*> ids) {
        mf::IdMap map;
        for (const char* id : ids) {
            map.insert(id);
        }
        return map;
    };
    const std::string rule =
        "write_libmf_model: LIBMF numbers its rows, so each user id must be a whole number from "
        "0 to 2147483646 without leading zeros; got ";

    CHECK_THROWS_WITH_AS(mf::write_libmf_model(file, model, users_of({"0", "u1", "x"}), items),
                         (rule + "'u1'").c_str(), mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::write_libmf_model(file, model, users_of({"0", "07", "1"}), items),
                         (rule + "'07'").c_str(), mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::write_libmf_model(file, model, users_of({"0", "-1", "1"}), items),
                         (rule + "'-1'").c_str(), mf::invalid_argument);
    CHECK_THROWS_WITH_AS(
        mf::write_libmf_model(file, model, users_of({"0", "2147483647", "1"}), items),
        (rule + "'2147483647'").c_str(), mf::invalid_argument);
    CHECK_THROWS_WITH_AS(
        mf::write_libmf_model(file, model, users_of({"5", "2000000000", "1"}), items),
        "write_libmf_model: user id '2000000000' would make 2000000001 LIBMF rows for 3 users; at "
        "most 1072 (16 per user plus 1024) are written, so number the users from 0",
        mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::write_libmf_model(file, model, users_of({"0", "1"}), items),
                         "write_libmf_model: the user map holds 2 ids but the model has 3 users",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(
        mf::write_libmf_model(file, model, users_of({"0", "1", "2"}), users_of({"a"})),
        "write_libmf_model: LIBMF numbers its rows, so each item id must be a whole number from 0 "
        "to 2147483646 without leading zeros; got 'a'",
        mf::invalid_argument);
    CHECK_FALSE(std::filesystem::exists(file));

    // The largest id the limit allows is written.
    mf::write_libmf_model(file, model, users_of({"0", "1071", "1"}), items);
    CHECK(mf::read_libmf_model<double>(file).model.n_users() == 1072);
}

TEST_CASE("write_libmf_model.a model without rows takes no room for its k") {
    // LIBMF's header may give any k up to 2^31 - 1 with no rows at all.
    TempDir dir;
    const auto file = dir.write("empty.txt", "m 0\nn 0\nk 2000000000\nb 0\n");
    const auto model = mf::read_libmf_model<double>(file).model;
    REQUIRE(model.n_factors() == 2000000000);
    const auto copy = dir.path() / "copy.txt";
    mf::write_libmf_model(copy, model);
    const auto back = mf::read_libmf_model<double>(copy).model;
    CHECK(back.n_factors() == 2000000000);
    CHECK(back.n_users() == 0);
    CHECK(back.n_items() == 0);
}

TEST_CASE("write_libmf_model.refuses values that are not finite") {
    TempDir dir;
    const auto file = dir.path() / "model.txt";
    using M = mf::MatrixFactorization<double>::matrix_type;
    using V = mf::MatrixFactorization<double>::vector_type;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    SUBCASE("a factor") {
        const mf::MatrixFactorization<double> model(M{{1}, {nan}}, M{{1}}, V{0, 0}, V{0}, 0.0);
        CHECK_THROWS_WITH_AS(
            mf::write_libmf_model(file, model),
            "write_libmf_model: row 'p1' would hold a value that is not a finite number",
            mf::invalid_argument);
    }
    SUBCASE("a bias") {
        const mf::MatrixFactorization<double> model(M{{1}}, M{{1}}, V{0}, V{nan}, 0.0);
        CHECK_THROWS_WITH_AS(
            mf::write_libmf_model(file, model),
            "write_libmf_model: row 'q0' would hold a value that is not a finite number",
            mf::invalid_argument);
    }
    SUBCASE("the mean") {
        const mf::MatrixFactorization<double> model(M{{1}}, M{{1}}, V{0}, V{0}, nan);
        CHECK_THROWS_WITH_AS(mf::write_libmf_model(file, model),
                             "write_libmf_model: the global mean is not a finite number",
                             mf::invalid_argument);
    }
    SUBCASE("but not in a row written as F") {
        mf::MatrixFactorization<double> model(M{{1}, {nan}}, M{{1}}, V{0, 0}, V{0}, 0.0);
        model.set_known({true, false}, {true});
        mf::write_libmf_model(file, model);
        CHECK(mf::read_libmf_model<double>(file).model.predict(0, 0) == 1.0);
    }
}

TEST_CASE("write_libmf_model.a file that cannot be created is an io_error") {
    TempDir dir;
    const auto file = dir.path() / "none" / "model.txt";
    const mf::MatrixFactorization<float> model;
    CHECK_THROWS_WITH_AS(
        mf::write_libmf_model(file, model),
        ("cannot write '" + file.string() + "': No such file or directory").c_str(), mf::io_error);
}

TEST_CASE_TEMPLATE("save_npy.writes NumPy's format that xt::load_npy reads back bit for bit",
                   Scalar, float, double) {
    TempDir dir;
    const auto model = random_model<Scalar>(3, 4, 2, true);
    const auto file = dir.path() / "p.npy";
    mf::save_npy(file, model.user_factors());

    const std::string bytes = read_bytes(file);
    REQUIRE(bytes.size() > 10);
    CHECK(bytes.substr(0, 6) == "\x93NUMPY");
    CHECK(bytes[6] == 1);  // version 1.0
    CHECK(bytes[7] == 0);
    const std::size_t header = std::size_t(static_cast<unsigned char>(bytes[8]))
                               + 256 * std::size_t(static_cast<unsigned char>(bytes[9]));
    CHECK((10 + header) % 64 == 0);  // the data starts aligned, as NumPy writes it
    const std::string dict = bytes.substr(10, header);
    const std::string dtype = sizeof(Scalar) == 4 ? "'<f4'" : "'<f8'";
    CHECK(dict.find("'descr': " + dtype) != std::string::npos);
    CHECK(dict.find("'fortran_order': False") != std::string::npos);
    CHECK(dict.find("'shape': (3, 2)") != std::string::npos);
    CHECK(bytes.size() == 10 + header + 3 * 2 * sizeof(Scalar));

    const auto back = xt::load_npy<Scalar>(file.string());
    REQUIRE(back.dimension() == 2);
    REQUIRE(back.shape(0) == 3);
    REQUIRE(back.shape(1) == 2);
    CHECK(std::memcmp(back.data(), model.user_factors().data(), 6 * sizeof(Scalar)) == 0);

    const auto biases = dir.path() / "b.npy";
    mf::save_npy(biases, model.item_biases());
    CHECK(read_bytes(biases).find("'shape': (4,)") != std::string::npos);
}

TEST_CASE_TEMPLATE("save_factors_npy.writes every array predict needs", Scalar, float, double) {
    TempDir dir;
    const auto model = random_model<Scalar>(5, 4, 3, true);
    const std::string prefix = (dir.path() / "ml_").string();
    mf::save_factors_npy(prefix, model);

    const auto same = [&](const std::string& name, const auto& expected) {
        INFO(name);
        using T = typename std::decay_t<decltype(expected)>::value_type;
        const auto back = xt::load_npy<T>(prefix + name);
        REQUIRE(back.dimension() == expected.dimension());
        CHECK(std::equal(back.shape().begin(), back.shape().end(), expected.shape().begin()));
        CHECK(std::memcmp(back.data(), expected.data(), expected.size() * sizeof(T)) == 0);
    };
    same("user_factors.npy", model.user_factors());
    same("item_factors.npy", model.item_factors());
    same("user_biases.npy", model.user_biases());
    same("item_biases.npy", model.item_biases());
    same("known_users.npy", model.known_users());
    same("known_items.npy", model.known_items());

    const auto mean = xt::load_npy<Scalar>(prefix + "global_mean.npy");
    CHECK(mean.dimension() == 0);
    CHECK(same_bits(mean(), model.global_mean()));
    CHECK(read_bytes(prefix + "global_mean.npy").find("'shape': ()") != std::string::npos);
    const auto biased = xt::load_npy<bool>(prefix + "biased.npy");
    CHECK(biased() == true);
    CHECK(read_bytes(prefix + "known_users.npy").find("'descr': '|b1'") != std::string::npos);
}

TEST_CASE("save_npy.a file that cannot be created is an io_error") {
    TempDir dir;
    const auto file = dir.path() / "none" / "p.npy";
    CHECK_THROWS_WITH_AS(
        mf::save_npy(file, xt::xtensor<float, 1>{1, 2}),
        ("cannot write '" + file.string() + "': No such file or directory").c_str(), mf::io_error);
    CHECK_THROWS_WITH_AS(
        mf::save_factors_npy((dir.path() / "none" / "").string(), mf::MatrixFactorization<float>()),
        ("cannot write '" + (dir.path() / "none" / "user_factors.npy").string()
         + "': No such file or directory")
            .c_str(),
        mf::io_error);
}
