#include <doctest/doctest.h>

#include <mf/mf.hpp>

#if defined(__unix__)
#include <sys/stat.h>
#endif

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <string>
#include <system_error>

#include "temp_dir.hpp"

namespace {

// Offsets of docs/model-format.md.
constexpr std::size_t options_at = 64;
constexpr std::size_t scale_at = 152;
constexpr std::size_t mean_at = 168;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::uint32_t le32(const std::string& bytes, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t j = 4; j-- > 0;) {
        v = v << 8 | static_cast<unsigned char>(bytes[at + j]);
    }
    return v;
}

std::uint64_t le64(const std::string& bytes, std::size_t at) {
    return std::uint64_t{le32(bytes, at)} | std::uint64_t{le32(bytes, at + 4)} << 32;
}

void put_le(std::string& bytes, std::size_t at, std::uint64_t v, std::size_t size) {
    for (std::size_t j = 0; j < size; ++j) {
        bytes[at + j] = static_cast<char>(v >> (8 * j));
    }
}

// Recomputes both checksums after a test has patched some bytes, so that the
// loader gets past them and meets the patched content itself.
std::string resealed(std::string bytes) {
    put_le(bytes, 60, mf::detail::crc32(bytes.data(), 60), 4);
    put_le(bytes, bytes.size() - 4, mf::detail::crc32(bytes.data(), bytes.size() - 4), 4);
    return bytes;
}

// Writes `content` to a new file `name`, removing an older one first: ext4
// flushes a file that is truncated and written again to disk at once, which
// for a thousand small files would take seconds.
std::string rewrite(const TempDir& dir, const std::string& name, std::string_view content) {
    std::filesystem::remove(dir.path() / name);
    return dir.write(name, content).string();
}

std::set<std::string> names_in(const std::filesystem::path& folder) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

mf::IdMap ids(std::initializer_list<const char*> raw) {
    mf::IdMap map;
    for (const char* id : raw) {
        map.insert(id);
    }
    return map;
}

// A model, its ids and its options, as save_model takes them.
template <class Scalar>
struct Saved {
    mf::MatrixFactorization<Scalar> model;
    mf::IdMap users;
    mf::IdMap items;
    mf::SgdOptions options;
};

// 3 users, 4 items, k = 2, with values whose last bits matter (0.1 and 1/3
// are not exact in binary), user 2 and item 1 unknown, predictions clamped.
template <class Scalar>
Saved<Scalar> small_model(bool biased = true, bool scaled = true) {
    using M = typename mf::MatrixFactorization<Scalar>::matrix_type;
    using V = typename mf::MatrixFactorization<Scalar>::vector_type;
    const Scalar third = Scalar(1) / 3;
    Saved<Scalar> s{
        mf::MatrixFactorization<Scalar>(
            M{{Scalar(0.1), -third}, {Scalar(1.5e-7), 2}, {-0.0, Scalar(1e30)}},
            M{{1, Scalar(0.7)}, {third, 0}, {Scalar(-2.25), Scalar(0.3)}, {4, 5}},
            V{Scalar(0.25), Scalar(-0.1), 0}, V{0, Scalar(0.5), third, -1}, Scalar(3.6), biased),
        ids({"alice", "bob", "u-0042"}), ids({"196", "0042", "x y", "197"}), mf::SgdOptions{}};
    using Mask = typename mf::MatrixFactorization<Scalar>::mask_type;
    s.model.set_known(Mask{true, true, false}, Mask{true, false, true, true});
    if (scaled) {
        s.model.set_rating_scale({0.5, 5.0});
    }
    s.options.factors = 2;
    s.options.epochs = 17;
    s.options.schedule = mf::Schedule::adagrad;
    s.options.learning_rate = 0.03;
    s.options.learning_rate_decay = 0.125;
    s.options.reg_factors = 0.07;
    s.options.reg_biases = 0.003;
    s.options.biases = biased;
    s.options.init = mf::Init::uniform;
    s.options.init_std = 0.2;
    s.options.seed = 0x0123456789ABCDEFu;
    s.options.threads = 3;
    s.options.blocks = 9;
    s.options.evaluate_train = false;
    return s;
}

template <class Scalar>
std::filesystem::path save(const TempDir& dir, const Saved<Scalar>& s,
                           const std::string& name = "model.mf") {
    const std::filesystem::path path = dir.path() / name;
    mf::save_model(path.string(), s.model, s.users, s.items, s.options);
    return path;
}

// The file of small_model<Scalar>(), saved once: each save waits for the disk.
template <class Scalar>
const std::string& small_model_file() {
    static const std::string bytes = [] {
        const TempDir dir;
        return read_file(save(dir, small_model<Scalar>()));
    }();
    return bytes;
}

// Every prediction, beyond the model's rows too, equal to the last bit.
template <class Scalar>
bool same_predictions(const mf::MatrixFactorization<Scalar>& a,
                      const mf::MatrixFactorization<Scalar>& b) {
    for (std::size_t u = 0; u <= a.n_users(); ++u) {
        for (std::size_t i = 0; i <= a.n_items(); ++i) {
            if (a.predict(u, i) != b.predict(u, i)) {
                return false;
            }
        }
    }
    return true;
}

void check_same_options(const mf::SgdOptions& a, const mf::SgdOptions& b) {
    CHECK(a.factors == b.factors);
    CHECK(a.epochs == b.epochs);
    CHECK(a.schedule == b.schedule);
    CHECK(a.learning_rate == b.learning_rate);
    CHECK(a.learning_rate_decay == b.learning_rate_decay);
    CHECK(a.reg_factors == b.reg_factors);
    CHECK(a.reg_biases == b.reg_biases);
    CHECK(a.biases == b.biases);
    CHECK(a.init == b.init);
    CHECK(a.init_std == b.init_std);
    CHECK(a.seed == b.seed);
    CHECK(a.threads == b.threads);
    CHECK(a.blocks == b.blocks);
    CHECK(a.evaluate_train == b.evaluate_train);
}

// Equal bit patterns, so that -0.0 and 0.0 differ.
template <class Scalar>
bool same_bits(Scalar a, Scalar b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

template <class Array>
bool same_array(const Array& a, const Array& b) {
    if (a.shape() != b.shape()) {
        return false;
    }
    for (std::size_t j = 0; j < a.size(); ++j) {
        if (!same_bits(a.data()[j], b.data()[j])) {
            return false;
        }
    }
    return true;
}

template <class Scalar>
void check_same(const mf::SavedModel<Scalar>& loaded, const Saved<Scalar>& saved) {
    const auto& a = loaded.model;
    const auto& b = saved.model;
    CHECK(a.n_users() == b.n_users());
    CHECK(a.n_items() == b.n_items());
    CHECK(a.n_factors() == b.n_factors());
    CHECK(same_array(a.user_factors(), b.user_factors()));
    CHECK(same_array(a.item_factors(), b.item_factors()));
    CHECK(same_array(a.user_biases(), b.user_biases()));
    CHECK(same_array(a.item_biases(), b.item_biases()));
    CHECK(same_bits(a.global_mean(), b.global_mean()));
    CHECK(a.biased() == b.biased());
    CHECK(a.known_users() == b.known_users());
    CHECK(a.known_items() == b.known_items());
    REQUIRE(a.rating_scale().has_value() == b.rating_scale().has_value());
    if (a.rating_scale()) {
        CHECK(a.rating_scale()->min == b.rating_scale()->min);
        CHECK(a.rating_scale()->max == b.rating_scale()->max);
    }
    CHECK(same_predictions(a, b));
    REQUIRE(loaded.users.size() == saved.users.size());
    for (std::size_t j = 0; j < saved.users.size(); ++j) {
        CHECK(loaded.users.raw(j) == saved.users.raw(j));
        CHECK(loaded.users.index(saved.users.raw(j)) == j);
    }
    REQUIRE(loaded.items.size() == saved.items.size());
    for (std::size_t j = 0; j < saved.items.size(); ++j) {
        CHECK(loaded.items.raw(j) == saved.items.raw(j));
        CHECK(loaded.items.index(saved.items.raw(j)) == j);
    }
    check_same_options(loaded.options, saved.options);
}

}  // namespace

TEST_CASE("model_error.names the file and is an mf::error") {
    const mf::model_error e("models/a.mf", "truncated");
    CHECK(std::string(e.what()) == "models/a.mf: truncated");
    CHECK(e.file() == "models/a.mf");
    CHECK(dynamic_cast<const mf::error*>(&e) != nullptr);
}

TEST_CASE("detail::crc32.is the standard CRC-32") {
    CHECK(mf::detail::crc32("123456789", 9) == 0xCBF43926u);
    CHECK(mf::detail::crc32("", 0) == 0u);
    // Long enough for the eight-byte steps, with a tail of odd bytes.
    const std::string text = "The quick brown fox jumps over the lazy dog";
    CHECK(mf::detail::crc32(text.data(), text.size()) == 0x414FA339u);
}

TEST_CASE_TEMPLATE("save_model.load_model returns the saved model bit for bit", Scalar, float,
                   double) {
    const TempDir dir;
    Saved<Scalar> saved = small_model<Scalar>();
    SUBCASE("unknown users and items, and a rating scale") {}
    SUBCASE("no rating scale, every user and item known") {
        saved = small_model<Scalar>(true, false);
        saved.model.set_known(xt::ones<bool>({std::size_t{3}}), xt::ones<bool>({std::size_t{4}}));
    }
    SUBCASE("unbiased") {
        saved = small_model<Scalar>(false);
    }
    SUBCASE("no factors: biases alone") {
        auto biases_only = mf::MatrixFactorization<Scalar>(
            xt::empty<Scalar>({std::size_t{3}, std::size_t{0}}),
            xt::empty<Scalar>({std::size_t{4}, std::size_t{0}}), saved.model.user_biases(),
            saved.model.item_biases(), Scalar(2.5));
        CHECK(biases_only.n_factors() == 0);
        saved.model = biases_only;
    }
    SUBCASE("empty: no users, no items") {
        saved = Saved<Scalar>{};
    }
    SUBCASE("trained by SgdTrainer") {
        mf::IdMap users;
        mf::IdMap items;
        const char* pairs[][2] = {{"ann", "m1"}, {"ann", "m2"}, {"bo", "m1"},
                                  {"cy", "m3"},  {"bo", "m3"},  {"cy", "m2"}};
        mf::Ratings::index_array u = xt::empty<mf::index_type>({std::size(pairs)});
        mf::Ratings::index_array i = xt::empty<mf::index_type>({std::size(pairs)});
        for (std::size_t j = 0; j < std::size(pairs); ++j) {
            u(j) = users.insert(pairs[j][0]);
            i(j) = items.insert(pairs[j][1]);
        }
        const mf::Ratings ratings(u, i, mf::Ratings::value_array{5, 3, 4, 1, 2, 4.5f});
        mf::SgdOptions options;
        options.factors = 3;
        options.epochs = 4;
        options.seed = 11;
        saved = Saved<Scalar>{{}, users, items, options};
        saved.model.set_rating_scale({1, 5});
        mf::SgdTrainer(options).fit(saved.model, ratings);
    }
    const auto path = save(dir, saved);
    check_same(mf::load_model<Scalar>(path.string()), saved);
    // Saving what was loaded writes the same bytes.
    const auto loaded = mf::load_model<Scalar>(path.string());
    const auto again = save(
        dir, Saved<Scalar>{loaded.model, loaded.users, loaded.items, loaded.options}, "again.mf");
    CHECK(read_file(again) == read_file(path));
}

TEST_CASE_TEMPLATE("save_model.writes the layout of docs/model-format.md", Scalar, float, double) {
    const TempDir dir;
    const Saved<Scalar> saved = small_model<Scalar>();
    const std::string bytes = read_file(save(dir, saved));
    const std::size_t s = sizeof(Scalar);
    const std::size_t ids = 8 + (4 + 5) + (4 + 3) + (4 + 6) + 8 + 4 * (4 + 3) + 1;
    const std::size_t size = 168 + s * (1 + 7 * 3) + 7 + ids + 4;
    REQUIRE(bytes.size() == size);
    CHECK(bytes.compare(0, 12, "\x89MFMODEL\r\n\x1A\n") == 0);
    CHECK(le32(bytes, 12) == 1);
    CHECK(le32(bytes, 16) == s);
    CHECK(le32(bytes, 20) == 3);  // biased, and a rating scale
    CHECK(le64(bytes, 24) == 3);
    CHECK(le64(bytes, 32) == 4);
    CHECK(le64(bytes, 40) == 2);
    CHECK(le64(bytes, 48) == size);
    CHECK(le32(bytes, 56) == 0);
    CHECK(le32(bytes, 60) == mf::detail::crc32(bytes.data(), 60));
    CHECK(le64(bytes, options_at + 16) == 0x0123456789ABCDEFu);  // the seed
    CHECK(bytes[options_at + 80] == 1);                          // Schedule::adagrad
    CHECK(le64(bytes, scale_at) == 0x3FE0000000000000u);         // 0.5 as a double
    const Scalar mean = Scalar(3.6);
    mf::detail::scalar_bits<Scalar> mean_bits = 0;
    std::memcpy(&mean_bits, &mean, s);
    const std::uint64_t stored = s == 4 ? le32(bytes, mean_at) : le64(bytes, mean_at);
    CHECK(stored == mean_bits);
    const std::size_t masks = 168 + s * 22;
    CHECK(bytes.compare(masks, 7, std::string("\1\1\0\1\0\1\1", 7)) == 0);
    CHECK(le64(bytes, masks + 7) == 3);
    CHECK(bytes.compare(masks + 15, 9, std::string("\5\0\0\0alice", 9)) == 0);
    CHECK(le32(bytes, size - 4) == mf::detail::crc32(bytes.data(), size - 4));
}

TEST_CASE(
    "save_model.rejects id maps that do not match the model and numbers that are not finite") {
    const TempDir dir;
    const std::string path = (dir.path() / "model.mf").string();
    auto s = small_model<float>();
    CHECK_THROWS_WITH_AS(mf::save_model(path, s.model, ids({"a", "b"}), s.items),
                         "save_model: the model has 3 users and 4 items, but the id maps hold 2 "
                         "and 4 ids",
                         mf::invalid_argument);
    CHECK_THROWS_WITH_AS(mf::save_model(path, s.model, s.users, ids({"a"})),
                         "save_model: the model has 3 users and 4 items, but the id maps hold 3 "
                         "and 1 ids",
                         mf::invalid_argument);
    using M = mf::MatrixFactorization<float>::matrix_type;
    auto p = M(s.model.user_factors());
    p(1, 0) = std::numeric_limits<float>::quiet_NaN();
    const mf::MatrixFactorization<float> with_nan(p, s.model.item_factors(), s.model.user_biases(),
                                                  s.model.item_biases(), 3);
    CHECK_THROWS_WITH_AS(mf::save_model(path, with_nan, s.users, s.items),
                         "save_model: user factor (1, 0) is not finite; a model file holds finite "
                         "numbers only",
                         mf::invalid_argument);
    const mf::MatrixFactorization<float> infinite_mean(
        s.model.user_factors(), s.model.item_factors(), s.model.user_biases(),
        s.model.item_biases(), std::numeric_limits<float>::infinity());
    CHECK_THROWS_WITH_AS(mf::save_model(path, infinite_mean, s.users, s.items),
                         "save_model: the global mean is not finite; a model file holds finite "
                         "numbers only",
                         mf::invalid_argument);
    mf::SgdOptions options;
    options.schedule = static_cast<mf::Schedule>(7);
    CHECK_THROWS_WITH_AS(mf::save_model(path, s.model, s.users, s.items, options),
                         "save_model: SgdOptions::schedule holds 7, which names no mf::Schedule",
                         mf::invalid_argument);
    options = mf::SgdOptions{};
    options.init = static_cast<mf::Init>(-1);
    CHECK_THROWS_WITH_AS(mf::save_model(path, s.model, s.users, s.items, options),
                         "save_model: SgdOptions::init holds -1, which names no mf::Init",
                         mf::invalid_argument);
    CHECK(names_in(dir.path()).empty());
}

TEST_CASE("save_model.replaces an existing file and leaves no temporary file behind") {
    const TempDir dir;
    const auto first = small_model<double>();
    const auto path = save(dir, first);
    auto second = small_model<double>(false, false);
    second.options.epochs = 99;
    save(dir, second);
    CHECK(names_in(dir.path()) == std::set<std::string>{"model.mf"});
    const auto loaded = mf::load_model<double>(path.string());
    CHECK_FALSE(loaded.model.biased());
    CHECK(loaded.options.epochs == 99);
}

TEST_CASE("save_model.into a missing folder throws io_error and creates nothing") {
    const TempDir dir;
    const std::string path = (dir.path() / "missing" / "model.mf").string();
    const auto s = small_model<float>();
    CHECK_THROWS_WITH_AS(mf::save_model(path, s.model, s.users, s.items),
                         ("cannot write '" + path + "': " + std::strerror(ENOENT)).c_str(),
                         mf::io_error);
    CHECK(names_in(dir.path()).empty());
}

TEST_CASE("save_model.over a folder throws io_error, leaves the folder and removes its temporary") {
    const TempDir dir;
    const std::filesystem::path path = dir.path() / "model.mf";
    std::filesystem::create_directory(path);
    std::ofstream(path / "keep.txt") << "kept";
    const auto s = small_model<float>();
    try {
        mf::save_model(path.string(), s.model, s.users, s.items);
        FAIL("save_model over a folder did not throw");
    } catch (const mf::io_error& e) {
        CHECK(std::string(e.what()) == "cannot write '" + path.string() + "': it is a folder");
    }
    CHECK(names_in(dir.path()) == std::set<std::string>{"model.mf"});
    CHECK(read_file(path / "keep.txt") == "kept");
}

#if defined(__unix__)
TEST_CASE("save_model.refuses to replace a pipe or a device with a regular file") {
    // Renaming over a named pipe, or over /dev/null run as root, would put a
    // regular file in its place.
    const TempDir dir;
    const std::filesystem::path pipe = dir.path() / "model.fifo";
    REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
    const auto s = small_model<float>();
    CHECK_THROWS_WITH_AS(mf::save_model(pipe.string(), s.model, s.users, s.items),
                         ("cannot write '" + pipe.string() + "': it is not a regular file").c_str(),
                         mf::io_error);
    CHECK(std::filesystem::is_fifo(pipe));
    CHECK(names_in(dir.path()) == std::set<std::string>{"model.fifo"});
    CHECK_THROWS_WITH_AS(mf::write_libmf_model(pipe, s.model),
                         ("cannot write '" + pipe.string() + "': it is not a regular file").c_str(),
                         mf::io_error);
    CHECK(std::filesystem::is_fifo(pipe));
}
#endif

#if defined(__linux__)
TEST_CASE("save_model.leaves the old file untouched when the new one cannot be written") {
    // A name of 250 bytes is allowed, but the temporary file's, 250 bytes and
    // a suffix, exceeds the 255 that Linux file systems take: the save fails
    // after the old file exists and before anything replaces it.
    const TempDir dir;
    const std::string before = small_model_file<float>();
    const std::string name(250, 'm');
    const auto path = dir.write(name, before);
    const auto s = small_model<float>(false);
    CHECK_THROWS_AS(mf::save_model(path.string(), s.model, s.users, s.items), mf::io_error);
    CHECK(read_file(path) == before);
    CHECK(names_in(dir.path()) == std::set<std::string>{name});
}
#endif

TEST_CASE("load_model.of the other scalar type throws model_error") {
    const TempDir dir;
    const auto doubles = save(dir, small_model<double>(), "double.mf").string();
    const auto floats = save(dir, small_model<float>(), "float.mf").string();
    CHECK_THROWS_WITH_AS(
        mf::load_model<float>(doubles),
        (doubles + ": holds a double model, not a float one; load it with mf::load_model<double>")
            .c_str(),
        mf::model_error);
    CHECK_THROWS_WITH_AS(
        mf::load_model<double>(floats),
        (floats + ": holds a float model, not a double one; load it with mf::load_model<float>")
            .c_str(),
        mf::model_error);
}

TEST_CASE("load_model.of another format version throws model_error") {
    const TempDir dir;
    std::string bytes = small_model_file<float>();
    put_le(bytes, 12, 2, 4);
    const auto path = dir.write("v2.mf", resealed(bytes)).string();
    CHECK_THROWS_WITH_AS(
        mf::load_model<float>(path),
        (path + ": model format version 2 is not supported; this mf reads version 1").c_str(),
        mf::model_error);
    CHECK_THROWS_AS(mf::inspect_model(path), mf::model_error);
}

TEST_CASE("load_model.of a file that is not a model throws model_error") {
    const TempDir dir;
    SUBCASE("ratings") {
        const auto path = dir.write("u.data", "196\t242\t3\t881250949\n").string();
        CHECK_THROWS_WITH_AS(mf::load_model<float>(path), (path + ": not an mf model file").c_str(),
                             mf::model_error);
    }
    SUBCASE("a model copied as text, its CR LF turned into LF") {
        std::string bytes = small_model_file<float>();
        bytes.erase(8, 1);
        const auto path = dir.write("copied.mf", bytes).string();
        CHECK_THROWS_WITH_AS(mf::load_model<float>(path),
                             (path
                              + ": not an mf model file: the line-ending bytes of its "
                                "signature were changed (was it copied as text?)")
                                 .c_str(),
                             mf::model_error);
    }
    SUBCASE("a model copied through a 7-bit channel, its first byte's top bit cleared") {
        std::string bytes = small_model_file<float>();
        bytes[0] = static_cast<char>(bytes[0] & 0x7F);
        const auto path = dir.write("stripped.mf", bytes).string();
        CHECK_THROWS_WITH_AS(mf::load_model<float>(path),
                             (path
                              + ": not an mf model file: the eighth bit of its first byte was "
                                "cleared (was it copied as 7-bit text?)")
                                 .c_str(),
                             mf::model_error);
    }
}

TEST_CASE("load_model.of a missing file or a folder throws io_error") {
    const TempDir dir;
    const std::string missing = (dir.path() / "nowhere.mf").string();
    CHECK_THROWS_WITH_AS(mf::load_model<float>(missing),
                         ("cannot open '" + missing + "': " + std::strerror(ENOENT)).c_str(),
                         mf::io_error);
    CHECK_THROWS_AS(mf::inspect_model(missing), mf::io_error);
    const std::string folder = dir.path().string();
    CHECK_THROWS_WITH_AS(mf::load_model<double>(folder),
                         ("cannot read '" + folder + "': it is a directory").c_str(), mf::io_error);
}

TEST_CASE_TEMPLATE("load_model.of a file cut short throws model_error, whatever its length", Scalar,
                   float, double) {
    const TempDir dir;
    const std::string bytes = small_model_file<Scalar>();
    const std::string path = (dir.path() / "cut.mf").string();
    for (std::size_t length = 0; length < bytes.size(); ++length) {
        INFO("length ", length);
        rewrite(dir, "cut.mf", std::string_view(bytes).substr(0, length));
        CHECK_THROWS_AS(mf::load_model<Scalar>(path), mf::model_error);
    }
    rewrite(dir, "cut.mf", std::string_view(bytes).substr(0, 0));
    CHECK_THROWS_WITH_AS(
        mf::load_model<Scalar>(path),
        (path + ": truncated: it holds 0 bytes, fewer than the 64 of a model file's header")
            .c_str(),
        mf::model_error);
    rewrite(dir, "cut.mf", std::string_view(bytes).substr(0, bytes.size() - 1));
    const std::string size = std::to_string(bytes.size());
    CHECK_THROWS_WITH_AS(mf::load_model<Scalar>(path),
                         (path + ": truncated: it holds " + std::to_string(bytes.size() - 1)
                          + " of the " + size + " bytes its header gives")
                             .c_str(),
                         mf::model_error);
    CHECK_THROWS_AS(mf::inspect_model(path), mf::model_error);
    rewrite(dir, "cut.mf", bytes + "x");
    CHECK_THROWS_WITH_AS(mf::load_model<Scalar>(path),
                         (path + ": corrupted: it holds " + std::to_string(bytes.size() + 1)
                          + " bytes, more than the " + size + " its header gives")
                             .c_str(),
                         mf::model_error);
}

TEST_CASE_TEMPLATE("load_model.of a file with any byte changed throws or returns the same model",
                   Scalar, float, double) {
    const TempDir dir;
    const Saved<Scalar> saved = small_model<Scalar>();
    const std::string bytes = read_file(save(dir, saved));
    const std::string path = (dir.path() / "flipped.mf").string();
    std::size_t loaded = 0;
    for (const int mask : {0xFF, 0x01}) {
        for (std::size_t at = 0; at < bytes.size(); ++at) {
            INFO("byte ", at, " xor ", int(mask));
            std::string flipped = bytes;
            flipped[at] = static_cast<char>(flipped[at] ^ mask);
            rewrite(dir, "flipped.mf", flipped);
            try {
                const auto model = mf::load_model<Scalar>(path);
                CHECK(same_predictions(model.model, saved.model));
                ++loaded;
            } catch (const mf::error&) {
                // A model_error, or an io_error: either is a clear refusal.
            }
        }
    }
    // CRC-32 catches every change within 32 consecutive bits, and the header
    // has its own: no change goes unnoticed.
    CHECK(loaded == 0);
    std::string body = bytes;
    body[mean_at + 1] ^= 0x10;
    rewrite(dir, "flipped.mf", body);
    CHECK_THROWS_WITH_AS(mf::load_model<Scalar>(path),
                         (path + ": corrupted: its checksum does not match its content").c_str(),
                         mf::model_error);
    std::string header = bytes;
    header[24] ^= 0x40;  // the number of users
    rewrite(dir, "flipped.mf", header);
    CHECK_THROWS_WITH_AS(mf::load_model<Scalar>(path),
                         (path + ": corrupted: its header checksum does not match").c_str(),
                         mf::model_error);
}

TEST_CASE("load_model.rejects content that passes the checksum but no model can have") {
    const TempDir dir;
    const std::string bytes = small_model_file<float>();
    const std::string path = (dir.path() / "bad.mf").string();
    const auto load = [&](const std::string& content) {
        rewrite(dir, "bad.mf", resealed(content));
        return mf::load_model<float>(path);
    };
    std::string patched = bytes;
    SUBCASE("a factor that is NaN") {
        put_le(patched, mean_at + 4 * (1 + 2 * 1 + 0), 0x7FC00000, 4);
        CHECK_THROWS_WITH_AS(load(patched),
                             (path + ": invalid model: user factor (1, 0) is not finite").c_str(),
                             mf::model_error);
    }
    SUBCASE("an infinite item bias") {
        put_le(patched, mean_at + 4 * (1 + 14 + 3 + 2), 0x7F800000, 4);
        CHECK_THROWS_WITH_AS(load(patched),
                             (path + ": invalid model: item bias 2 is not finite").c_str(),
                             mf::model_error);
    }
    SUBCASE("a schedule out of range") {
        patched[options_at + 80] = 7;
        CHECK_THROWS_WITH_AS(
            load(patched),
            (path + ": invalid model: SgdOptions::schedule holds 7, which names no mf::Schedule")
                .c_str(),
            mf::model_error);
    }
    SUBCASE("an init out of range") {
        patched[options_at + 81] = 2;
        CHECK_THROWS_WITH_AS(
            load(patched),
            (path + ": invalid model: SgdOptions::init holds 2, which names no mf::Init").c_str(),
            mf::model_error);
    }
    SUBCASE("a known flag that is neither 0 nor 1") {
        patched[mean_at + 4 * 22 + 3 + 1] = 2;
        CHECK_THROWS_WITH_AS(
            load(patched),
            (path + ": invalid model: the known flag of item 1 is neither 0 nor 1").c_str(),
            mf::model_error);
    }
    SUBCASE("a rating scale with min > max") {
        put_le(patched, scale_at, 0x4018000000000000u, 8);  // 6.0
        CHECK_THROWS_WITH_AS(
            load(patched),
            (path + ": invalid model: its rating scale is not finite with min <= max").c_str(),
            mf::model_error);
    }
    SUBCASE("an id twice") {
        patched.replace(patched.rfind("197"), 3, "196");
        CHECK_THROWS_WITH_AS(
            load(patched),
            (path + ": invalid model: item id '196' appears twice, as item 0 and 3").c_str(),
            mf::model_error);
    }
    SUBCASE("an empty id") {
        const std::size_t at = patched.find(std::string("\3\0\0\0bob", 7));
        REQUIRE(at != std::string::npos);
        patched.erase(at + 4, 3);
        patched[at] = 0;
        put_le(patched, 48, patched.size(), 8);
        CHECK_THROWS_WITH_AS(load(patched), (path + ": invalid model: user id 1 is empty").c_str(),
                             mf::model_error);
    }
    SUBCASE("more users than the file could hold, caught before any allocation") {
        put_le(patched, 24, std::uint64_t{1} << 40, 8);
        CHECK_THROWS_WITH_AS(load(patched),
                             (path
                              + ": invalid model: 1099511627776 users, 4 items and 2 factors "
                                "cannot fit in the "
                              + std::to_string(bytes.size()) + " bytes its header gives")
                                 .c_str(),
                             mf::model_error);
        put_le(patched, 24, ~std::uint64_t{0}, 8);
        CHECK_THROWS_AS(load(patched), mf::model_error);
    }
    SUBCASE("a scalar size that is neither float nor double") {
        put_le(patched, 16, 2, 4);
        CHECK_THROWS_WITH_AS(
            load(patched),
            (path + ": invalid model: scalar size 2 is neither 4 (float) nor 8 (double)").c_str(),
            mf::model_error);
    }
}

TEST_CASE("load_model.refuses a model without rows whose k is beyond any array's") {
    // The file's size bounds the dimensions of a model with rows; without rows,
    // k could reach 2^63 and overflow xtensor's signed strides.
    const TempDir dir;
    const std::string path = (dir.path() / "empty.mf").string();
    mf::save_model(path, mf::MatrixFactorization<double>(), mf::IdMap(), mf::IdMap());
    std::string patched = read_file(path);
    put_le(patched, 40, std::uint64_t{1} << 63, 8);
    rewrite(dir, "empty.mf", resealed(patched));
    CHECK_THROWS_WITH_AS(mf::load_model<double>(path),
                         (path
                          + ": invalid model: 0 users, 0 items and 9223372036854775808 factors "
                            "cannot fit in the "
                          + std::to_string(patched.size()) + " bytes its header gives")
                             .c_str(),
                         mf::model_error);
    CHECK_THROWS_AS(mf::inspect_model(path), mf::model_error);
}

TEST_CASE_TEMPLATE("inspect_model.reads the header alone", Scalar, float, double) {
    const TempDir dir;
    std::string bytes = read_file(save(dir, small_model<Scalar>(false)));
    bytes[mean_at] ^= 1;  // the body is damaged; the header is not
    const auto path = dir.write("model.mf", bytes).string();
    const mf::ModelFileInfo info = mf::inspect_model(path);
    CHECK(info.version == 1);
    CHECK(info.scalar_bytes == sizeof(Scalar));
    CHECK(info.users == 3);
    CHECK(info.items == 4);
    CHECK(info.factors == 2);
    CHECK_FALSE(info.biased);
    CHECK_THROWS_AS(mf::load_model<Scalar>(path), mf::model_error);
    const auto text = dir.write("text.mf", "hello\n").string();
    CHECK_THROWS_WITH_AS(mf::inspect_model(text), (text + ": not an mf model file").c_str(),
                         mf::model_error);
}
