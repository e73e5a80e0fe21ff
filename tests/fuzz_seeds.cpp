// The seed corpus of the fuzz targets in fuzz/: a few valid and tricky files
// for each reader of ratings, titles and models, each checked to read, or to
// fail, as expected. With the environment variable MF_FUZZ_CORPUS_DIR set, each
// seed is also written there as a fuzz input, in one folder per target
// (fuzz_movielens, ...); fuzz/run.sh starts from them.
#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "temp_dir.hpp"

namespace {

struct Seed {
    std::string content;
    std::string error;  // a part of the expected message; empty when the file reads
    mf_fuzz::InputOptions options;
};

mf_fuzz::InputOptions with(mf::Duplicates duplicates, mf::BadLines bad_lines,
                           std::size_t chunk_size = 64, std::string file_name = "ratings") {
    mf_fuzz::InputOptions options;
    options.read.duplicates = duplicates;
    options.read.bad_lines = bad_lines;
    options.chunk_size = chunk_size;
    options.file_name = std::move(file_name);
    return options;
}

const std::string bom = "\xEF\xBB\xBF";
const mf_fuzz::InputOptions plain{};
const mf_fuzz::InputOptions skip = with(mf::Duplicates::keep_latest, mf::BadLines::skip);
const mf_fuzz::InputOptions duplicates_error = with(mf::Duplicates::error, mf::BadLines::error);
const mf_fuzz::InputOptions mean = with(mf::Duplicates::mean, mf::BadLines::skip, 1024);

/// `count` lines of `line(j)`: enough to cross many small chunks.
template <class Line>
std::string lines(std::size_t count, Line line) {
    std::string text;
    for (std::size_t j = 0; j < count; ++j) {
        text += line(j);
    }
    return text;
}

std::vector<Seed> movielens_seeds() {
    const auto many = lines(300, [](std::size_t j) {
        // Users not together, a duplicate every few lines, and every ending.
        const char* endings[] = {"\n", "\r\n", "\r", " \t\n"};
        return std::to_string(j % 17) + "\t" + std::to_string(j % 23) + "\t"
               + std::to_string(1 + j % 5) + "\t" + std::to_string(881250949 + j) + endings[j % 4];
    });
    return {
        {"196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n", "", plain},
        {"1\t1\t5\t1\r\n2\t1\t4\t2\r\n", "", plain},
        {"1\t1\t5\t1\r2\t2\t4\t2\r", "", plain},
        {bom + "1\t2\t3\t4\n\n  \n5\t6\t1\t7", "", plain},
        {"1\t1\t5\t20\n1\t1\t2\t10\n2\t1\t3\t5\n", "", plain},
        {"1\t1\t5\t20\n1\t1\t2\t10\n", "rates item '1' again (first on line 1)", duplicates_error},
        {"1\t1\t5\t20\n1\t1\t2\t10\n1\t1\t3\t10\n", "", mean},
        {"18446744073709551615\t1234567890123456789\t3\t1\n0042\t42\t3\t1\n42\t0042\t4\t2\n"
         "99999999999999999999\t-3\t5\t4294967296\n",
         "", plain},
        {"1\t2\t3\t4 \t\n1\t3\t4\t5\t\n", "", plain},
        {"1\t1\t6\t1\n", ":1:5: rating 6 is outside the MovieLens scale [1, 5]", plain},
        {"1\t1\t6\t1\n2\t2\tx\t1\n3\t3\n4\t4\t4\t4\n", "", skip},
        {"1\t2\t3\n", ":1: expected 4 tab-separated fields", plain},
        {"1\t2\t3\t4.5\n", ":1:7: timestamp '4.5' is not an integer", plain},
        {"\n \r\n\t\n", "the file holds no ratings", plain},
        {many, "", plain},
        {many, "", mean},
    };
}

std::vector<Seed> movielens_dat_seeds() {
    return {
        {"1::1193::5::978300760\n1::661::3::978302109\n2::1357::5::978298709\n", "", plain},
        {"1::2::4.5::978300760\r\n3::2::0.5::978300761\r\n", "", plain},
        {"1::2::4.5::1\r1::2::1::2\r", "", plain},
        {bom + "7::8::3::9", "", plain},
        {"1::2::0::5\n", "rating 0 is outside the MovieLens scale [0.5, 5]", plain},
        {"1:::2::3::4\n", "", plain},  // the item is ":2"
        {"1::2::3\n", ":1: expected 4 fields separated by '::'", plain},
        {"1::2::3::4\n1::2::5::4\n", "again", duplicates_error},
        {"12345678901234567890::1::3::1\n1::12345678901234567890::2.5::2\n", "", mean},
    };
}

std::vector<Seed> movielens_csv_seeds() {
    return {
        {"userId,movieId,rating,timestamp\n1,296,5.0,1147880044\n1,306,3.5,1147868817\n", "",
         plain},
        {"userId,movieId,rating,timestamp\r\n\"1\",\"2\",\"4.5\",\"5\"\r\n", "", plain},
        {"userId,movieId,rating,timestamp\n\"u,1\",\"a\"\"b\",3.0,4\n", "", plain},
        {"1,2,3.5,4\n2,2,0.5,5", "", plain},
        {"userId,movieId,rating,timestamp\n\"1,2,3,4\n", "the quoted field is not closed", plain},
        {"userId,movieId,rating,timestamp\n1,2,5.5,1\n1,3,x,2\n1,4,4,3\n", "", skip},
        {"userId,movieId,rating,timestamp\n1,2,3,1\n1,2,4,2\n1,2,5,1\n", "", plain},
    };
}

std::vector<Seed> libmf_seeds() {
    return {
        {"0 0 3.2\n0 1 -1.5\n1 0 2e3\n", "", plain},
        {"  1\t 2   3.25  \n2 1 .5\n3 3 4.\n", "", plain},
        {"1 2\n", ":1: expected 3 fields separated by blanks (row, column, value), found 2", plain},
        {"1 2 nan\n", "value 'nan' is not a finite number", plain},
        {"1 2 1e39\n", "value '1e39' is beyond the range of a float", plain},
        {"1 2 0.1234567890123456789\n1 3 1234567890.12345\n2 2 123456789012345678\n", "", plain},
        {"-0 -0 -0\n0 0 0\n", "", plain},
        {"1 1 1\n1 1 2\n1 1 4\n", "", mean},
        {"x y\n1 1 1\n2\n3 3 3 3\n", "", skip},
    };
}

mf_fuzz::InputOptions delimited(mf::Separator separator, mf::Header header, bool quoting,
                                mf::Columns columns, std::size_t threads = 1) {
    mf_fuzz::InputOptions options;
    options.read.format = mf::Format::delimited;
    options.read.separator = separator;
    options.read.header = header;
    options.read.quoting = quoting;
    options.read.columns = columns;
    options.read.threads = threads;
    return options;
}

std::vector<Seed> delimited_seeds() {
    using mf::Header;
    using mf::Separator;
    const mf::Columns plain_columns{0, 1, 2, std::nullopt};
    const mf::Columns timestamped{0, 1, 2, 3};
    mf_fuzz::InputOptions scaled =
        delimited(Separator::comma, Header::automatic, true, plain_columns);
    scaled.read.scale = mf::RatingScale{0.1, 0.3};
    mf_fuzz::InputOptions skipping =
        delimited(Separator::comma, Header::absent, true, plain_columns, 3);
    skipping.read.bad_lines = mf::BadLines::skip;
    skipping.read.duplicates = mf::Duplicates::mean;
    std::string wide;
    for (int j = 0; j < 32; ++j) {
        wide += (j == 0 ? "" : ",") + std::to_string(j);
    }
    return {
        {"user;item;score\nu1;i1;4\nu2;i1;3.5\n", "",
         delimited(Separator::semicolon, Header::present, true, plain_columns)},
        {"i1\tu1\t4\ni2\tu1\t2\n", "",
         delimited(Separator::tab, Header::automatic, true, mf::Columns{1, 0, 2, std::nullopt})},
        {"u1  i1\t4 100\n u1 i1 5 99 \n", "",
         delimited(Separator::blanks, Header::absent, true, timestamped)},
        {"a::b::1\r\n\"a\"::b::2\r\n", "",
         delimited(Separator::double_colon, Header::automatic, false, plain_columns)},
        {"\"a,b\",\"c\"\"d\",3\n\"\",x,1\n", ":2:2: empty user id",
         delimited(Separator::comma, Header::absent, true, plain_columns, 2)},
        {"a,b,1\n", "user, item, rating and timestamp need fields of their own",
         delimited(Separator::comma, Header::absent, true, mf::Columns{0, 0, 1, std::nullopt})},
        {wide + "\n" + wide + "\n", "",
         delimited(Separator::comma, Header::absent, true, mf::Columns{31, 0, 1, std::nullopt})},
        {"user,item,rating\n", "the file holds no ratings",
         delimited(Separator::comma, Header::automatic, true, plain_columns)},
        {"user,item,rating\n", ":1:11: rating 'rating' is not a finite number",
         delimited(Separator::comma, Header::absent, true, plain_columns)},
        {"a,b,0.2\nc,d,0.1\n", "", scaled},
        {"a,b,0.4\n", "rating 0.4 is outside the scale [0.1, 0.3]", scaled},
        {"1,1,x\n2,2,y\n3,3,z\n4,4,w\n5,5,v\n6,6,u\n7,7,1\n7,7,2\n\"8,8,1\n", "", skipping},
    };
}

std::vector<Seed> automatic_seeds() {
    mf_fuzz::InputOptions csv_name = plain;
    csv_name.file_name = "ratings.csv";
    mf_fuzz::InputOptions dat_name = plain;
    dat_name.file_name = "ratings.dat";
    mf_fuzz::InputOptions gz_name = plain;
    gz_name.file_name = "Ratings.CSV.gz";
    return {
        {"196\t242\t3\t881250949\n186\t302\t3\t891717742\n", "", plain},
        {"1::1193::5::978300760\n1::661::3.5::978302109\n", "", plain},
        {"userId,movieId,rating,timestamp\r\n1,296,5.0,1147880044\r\n", "", plain},
        {"1,296,5.0,1147880044\n1,306,3.5,1147868817\n", "", csv_name},
        {"1,296,4,1\n", "", gz_name},
        {"1\t2\t3\t4\n", "", dat_name},
        {"user;item;rating;time\nu;i;4;1700000000\nu;j;2;1700000001\n", "", plain},
        {"\n\n0 0 3.2\n0 1 -1.5\n", "", plain},
        {"hello\n", ":1: the line fits no known format", plain},
        {"", "the file holds no ratings", plain},
        {" \r\n\t\r\n", "the file holds no ratings", plain},
        {bom + "1 2 3\r4 5 6\r", "", plain},
    };
}

/// u.item files; their options are not used.
std::vector<Seed> titles_seeds() {
    return {
        {"1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)"
         "|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n2|GoldenEye (1995)|01-Jan-1995||x|0|1\n",
         "", plain},
        {"3|Caf\xE9 (1995)|x\n4| Se\xF1or |y\n", "", plain},
        {"5|Caf\xC3\xA9\r\n6|b\r7|c", "", plain},
        {bom + "8|d\n\n  \n", "", plain},
        {"no bar\n", ":1: expected '|'-separated fields (id|title|...), found no '|'", plain},
        {"|title\n", ":1: empty item id", plain},
        {"1|a\n1|b\n", ":2: item id '1' appears twice", plain},
        {"", "the file holds no titles", plain},
    };
}

/// The bytes save_model writes for `model`.
template <class Scalar>
std::string saved_bytes(const TempDir& dir, const mf::MatrixFactorization<Scalar>& model,
                        const mf::IdMap& users, const mf::IdMap& items,
                        const mf::SgdOptions& options = {}) {
    const std::filesystem::path file = dir.path() / "seed.mf";
    mf::save_model(file.string(), model, users, items, options);
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    std::filesystem::remove(file);
    return bytes;
}

mf::IdMap id_map(std::initializer_list<const char*> raw) {
    mf::IdMap ids;
    for (const char* id : raw) {
        ids.insert(id);
    }
    return ids;
}

/// mf model files made with save_model; their options are not used.
std::vector<Seed> model_seeds(const TempDir& dir) {
    // Biased, with a rating scale, unknown rows, options off their defaults, ids
    // of every kind, and values that are -0 or subnormal.
    mf::MatrixFactorization<float> small(
        xt::xtensor<float, 2>{{0.5f, -1.25f}, {-0.0f, 3e-39f}, {1e30f, -7.0f}},
        xt::xtensor<float, 2>{{0.125f, 2.0f}, {-3.5f, 0.0f}}, xt::xtensor<float, 1>{0.25f, 0, -1},
        xt::xtensor<float, 1>{-0.5f, 1.5f}, 3.5f, true);
    small.set_known(xt::xtensor<bool, 1>{true, false, true}, xt::xtensor<bool, 1>{true, true});
    small.set_rating_scale({1, 5});
    mf::SgdOptions options;
    options.factors = 2;
    options.epochs = 7;
    options.schedule = mf::Schedule::adagrad;
    options.init = mf::Init::uniform;
    options.learning_rate = 0.25;
    const std::string float_model =
        saved_bytes(dir, small, id_map({"196", "u-2", "0042"}), id_map({"1", "alien"}), options);

    // Unbiased, without a scale; its biases are kept all the same.
    const mf::MatrixFactorization<double> unbiased(
        xt::xtensor<double, 2>{{0.1}, {-2.5}}, xt::xtensor<double, 2>{{1.0}, {4e-320}, {-0.75}},
        xt::xtensor<double, 1>{0.5, 0}, xt::xtensor<double, 1>{0, -0.25, 1}, 2.75, false);
    const std::string double_model =
        saved_bytes(dir, unbiased, id_map({"1", "2"}), id_map({"10", "x", "30"}));

    const mf::MatrixFactorization<double> empty(
        xt::xtensor<double, 2>::from_shape({0, 0}), xt::xtensor<double, 2>::from_shape({0, 0}),
        xt::xtensor<double, 1>::from_shape({0}), xt::xtensor<double, 1>::from_shape({0}), 0);
    const std::string empty_model = saved_bytes(dir, empty, mf::IdMap(), mf::IdMap());

    return {
        {float_model, "", plain},
        {double_model, "", plain},
        {empty_model, "", plain},
        {float_model.substr(0, float_model.size() / 2), "truncated: it holds", plain},
    };
}

/// LIBMF text models; their options are not used.
std::vector<Seed> libmf_model_seeds() {
    return {
        {"f 0\nm 2\nn 3\nk 2\nb 3.5\np0 T 0.25 -1.5\np1 F 0 0\nq0 T 1e-3 2\nq1 F 0 0\n"
         "q2 T -0 3.4028235e38\n",
         "", plain},
        {"m 1\r\nn 2\r\nk 1\r\nb 2\r\n\r\np0 T 1.5\r\nq0 T -2\r\nq1 F nan\r\n", "", plain},
        {"f 10\nm 1\nn 0\nk 0\nb 1e-45\np0 F\n", "", plain},
        {"f 0\nm 1\nn 1\nk 2\nb 0\np0 T 1\nq0 T 1 1\n",
         ":6: expected 2 values after 'p0 T', found 1", plain},
    };
}

/// The seeds of one fuzz target. The ratings targets read option bytes for
/// `format` before the file (see fuzz_input.hpp); the others, with no format,
/// take the file alone.
struct Target {
    std::string name;
    std::vector<Seed> seeds;
    std::optional<mf::Format> format;
};

/// The message of the error reading `file` gives, or an empty string.
std::string read_error(const std::string& target, const std::filesystem::path& file,
                       const mf::ReadOptions& options) {
    try {
        if (target == "fuzz_titles") {
            const auto titles = mf::movielens::read_titles(file);
            CHECK(!titles.empty());
        } else if (target == "fuzz_model") {
            const mf::ModelFileInfo info = mf::inspect_model(file.string());
            if (info.scalar_bytes == 4) {
                CHECK(mf::load_model<float>(file.string()).users.size() == info.users);
            } else {
                CHECK(mf::load_model<double>(file.string()).users.size() == info.users);
            }
        } else if (target == "fuzz_libmf_model") {
            const mf::LibmfModel<float> read = mf::read_libmf_model<float>(file);
            CHECK(read.users.size() == read.model.n_users());
        } else {
            mf::ReadReport report;
            const mf::Dataset data = mf::read_ratings(file, options, &report);
            CHECK(data.ratings.size() == report.ratings);
        }
    } catch (const mf::error& e) {
        return e.what();
    } catch (const mf::invalid_argument& e) {
        return e.what();
    }
    return {};
}

void write(const std::filesystem::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("fuzz seeds.read as expected, and go to MF_FUZZ_CORPUS_DIR when it is set") {
    const char* corpus = std::getenv("MF_FUZZ_CORPUS_DIR");
    const TempDir dir;
    const std::vector<Target> targets{
        {"fuzz_movielens", movielens_seeds(), mf::Format::movielens},
        {"fuzz_movielens_dat", movielens_dat_seeds(), mf::Format::movielens_dat},
        {"fuzz_movielens_csv", movielens_csv_seeds(), mf::Format::movielens_csv},
        {"fuzz_libmf", libmf_seeds(), mf::Format::libmf},
        {"fuzz_delimited", delimited_seeds(), mf::Format::delimited},
        {"fuzz_automatic", automatic_seeds(), mf::Format::automatic},
        {"fuzz_titles", titles_seeds(), std::nullopt},
        {"fuzz_model", model_seeds(dir), std::nullopt},
        {"fuzz_libmf_model", libmf_model_seeds(), std::nullopt}};
    for (const Target& t : targets) {
        // Not a structured binding: INFO captures them, which C++17 does not allow.
        const std::string& target = t.name;
        const std::vector<Seed>& seeds = t.seeds;
        if (corpus != nullptr) {
            std::filesystem::create_directories(std::filesystem::path(corpus) / target);
        }
        for (std::size_t s = 0; s < seeds.size(); ++s) {
            INFO(target << " seed " << s << ": " << mf::detail::quote(seeds[s].content));
            mf_fuzz::InputOptions options = seeds[s].options;
            std::string input;
            if (t.format) {
                // The option bytes decode to the seed's options.
                const mf::Format format = *t.format;
                options.read.format = format;
                input = mf_fuzz::encode(options);
                const std::size_t options_size = input.size();
                input += seeds[s].content;
                const auto* data = reinterpret_cast<const std::uint8_t*>(input.data());
                std::size_t size = input.size();
                const mf_fuzz::InputOptions decoded = mf_fuzz::decode(format, data, size);
                CHECK(size == input.size() - options_size);
                CHECK(decoded.file_name == options.file_name);
                CHECK(decoded.chunk_size == options.chunk_size);
                CHECK(decoded.read.duplicates == options.read.duplicates);
                CHECK(decoded.read.bad_lines == options.read.bad_lines);
                CHECK(decoded.read.separator == options.read.separator);
                CHECK(decoded.read.header == options.read.header);
                CHECK(decoded.read.quoting == options.read.quoting);
                CHECK(decoded.read.threads == options.read.threads);
                CHECK(decoded.read.columns.user == options.read.columns.user);
                CHECK(decoded.read.columns.item == options.read.columns.item);
                CHECK(decoded.read.columns.rating == options.read.columns.rating);
                CHECK(decoded.read.columns.timestamp == options.read.columns.timestamp);
                CHECK(decoded.read.scale.has_value() == options.read.scale.has_value());
            } else {
                input = seeds[s].content;
            }

            const std::filesystem::path file = dir.write(options.file_name, seeds[s].content);
            const std::string error = read_error(target, file, options.read);
            if (seeds[s].error.empty()) {
                CHECK(error == "");
            } else {
                CHECK(error.find(seeds[s].error) != std::string::npos);
            }
            std::filesystem::remove(file);

            if (corpus != nullptr) {
                write(std::filesystem::path(corpus) / target / ("seed-" + std::to_string(s)),
                      input);
            }
        }
    }
}
