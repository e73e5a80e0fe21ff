#include "harness.hpp"

#include <mf/interop.hpp>
#include <mf/model_io.hpp>
#include <mf/movielens.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "fuzz_input.hpp"

namespace mf_fuzz {

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "\nmf fuzz: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

#define MF_FUZZ_REQUIRE(condition)                                                              \
    do {                                                                                        \
        if (!(condition)) {                                                                     \
            ::mf_fuzz::fail(std::string("invariant broken at line ") + std::to_string(__LINE__) \
                            + ": " #condition);                                                 \
        }                                                                                       \
    } while (false)

// ---------------------------------------------------------------------------
// The input as a file

const std::filesystem::path* scratch = nullptr;

void remove_scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(*scratch, ignored);
}

/// A folder of this process's own, in memory where /dev/shm exists, removed at exit.
const std::filesystem::path& scratch_dir() {
    if (scratch == nullptr) {
        std::error_code ec;
        const std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec)
                                               ? std::filesystem::path("/dev/shm")
                                               : std::filesystem::temp_directory_path();
        scratch = new std::filesystem::path(base / ("mf-fuzz-" + std::to_string(::getpid())));
        std::filesystem::create_directories(*scratch);
        std::atexit(remove_scratch);
    }
    return *scratch;
}

/// Writes the bytes to `name` in the scratch folder; returns its path.
std::filesystem::path write_input(const std::string& name, const std::uint8_t* data,
                                  std::size_t size) {
    const std::filesystem::path file = scratch_dir() / name;
    std::FILE* out = std::fopen(file.c_str(), "wb");
    if (out == nullptr || (size != 0 && std::fwrite(data, 1, size, out) != size)
        || std::fclose(out) != 0) {
        fail("cannot write the input to " + file.string());
    }
    return file;
}

// ---------------------------------------------------------------------------
// What a read gave

/// The outcome of one read, comparable bit for bit with another's.
struct Outcome {
    std::string error;  // empty on success; else the exception's kind and message
    std::size_t error_line = 0;
    std::vector<mf::index_type> users;
    std::vector<mf::index_type> items;
    std::vector<std::uint32_t> values;  // the bits of each float
    std::vector<std::string> user_ids;
    std::vector<std::string> item_ids;
    mf::ReadReport report;

    bool ok() const noexcept { return error.empty(); }
};

std::string describe(const Outcome& o) {
    if (!o.ok()) {
        return o.error;
    }
    const mf::ReadReport& r = o.report;
    std::string text =
        std::to_string(o.values.size()) + " ratings, " + std::to_string(o.user_ids.size())
        + " users, " + std::to_string(o.item_ids.size()) + " items; report: format "
        + mf::to_string(r.format) + ", separator " + mf::to_string(r.separator) + ", header "
        + std::to_string(r.header) + ", lines " + std::to_string(r.lines) + ", ratings "
        + std::to_string(r.ratings) + ", duplicates " + std::to_string(r.duplicates) + ", skipped "
        + std::to_string(r.skipped_lines);
    for (const mf::SkippedLine& s : r.first_skipped) {
        text += "\n  skipped line " + std::to_string(s.line) + ": " + s.reason;
    }
    for (std::size_t j = 0; j < o.values.size() && j < 20; ++j) {
        float value = 0;
        std::memcpy(&value, &o.values[j], sizeof value);
        text += "\n  " + o.user_ids.at(o.users[j]) + " " + o.item_ids.at(o.items[j]) + " "
                + std::to_string(value);
    }
    return text;
}

void record(Outcome& out, const mf::Ratings& ratings, const mf::IdMap& users,
            const mf::IdMap& items) {
    for (std::size_t j = 0; j < ratings.size(); ++j) {
        out.users.push_back(ratings.user(j));
        out.items.push_back(ratings.item(j));
        const float value = ratings.value(j);
        std::uint32_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        out.values.push_back(bits);
    }
    for (std::size_t i = 0; i < users.size(); ++i) {
        out.user_ids.push_back(users.raw(i));
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        out.item_ids.push_back(items.raw(i));
    }
}

/// Runs `read`, which fills the outcome; the accepted exceptions become its error.
Outcome attempt(const std::filesystem::path& file, const std::function<void(Outcome&)>& read) {
    Outcome out;
    try {
        read(out);
    } catch (const mf::parse_error& e) {
        out = Outcome{};
        out.error = std::string("parse_error: ") + e.what();
        out.error_line = e.line();
        MF_FUZZ_REQUIRE(e.file() == file.string());
        MF_FUZZ_REQUIRE(std::string_view(e.what()).substr(0, e.file().size()) == e.file());
    } catch (const mf::model_error& e) {
        out = Outcome{};
        out.error = std::string("model_error: ") + e.what();
        MF_FUZZ_REQUIRE(e.file() == file.string());
        MF_FUZZ_REQUIRE(std::string_view(e.what()).substr(0, e.file().size() + 2)
                        == e.file() + ": ");
    } catch (const mf::io_error& e) {
        out = Outcome{};
        out.error = std::string("io_error: ") + e.what();
    } catch (const mf::error& e) {
        out = Outcome{};
        out.error = std::string("error: ") + e.what();
    } catch (const mf::invalid_argument& e) {
        out = Outcome{};
        out.error = std::string("invalid_argument: ") + e.what();
    } catch (const std::exception& e) {
        fail(std::string("an exception mf does not throw: ") + e.what());
    }
    return out;
}

// ---------------------------------------------------------------------------
// Invariants

/// What a successful read must keep, whatever the file held.
void check_read(const mf::Ratings& ratings, const mf::IdMap& users, const mf::IdMap& items,
                const mf::ReadReport& report, const mf::ReadOptions& options) {
    MF_FUZZ_REQUIRE(ratings.size() > 0);
    MF_FUZZ_REQUIRE(report.ratings == ratings.size());
    MF_FUZZ_REQUIRE(ratings.n_users() == users.size());
    MF_FUZZ_REQUIRE(ratings.n_items() == items.size());
    MF_FUZZ_REQUIRE(report.format != mf::Format::automatic);
    if (options.format == mf::Format::automatic) {
        MF_FUZZ_REQUIRE(!report.detection.empty());
    } else {
        MF_FUZZ_REQUIRE(report.format == options.format);
        MF_FUZZ_REQUIRE(report.detection.empty());
    }
    if (options.scale) {
        MF_FUZZ_REQUIRE(report.scale && report.scale->min == options.scale->min
                        && report.scale->max == options.scale->max);
    } else if (report.format == mf::Format::libmf || report.format == mf::Format::delimited) {
        MF_FUZZ_REQUIRE(!report.scale);
    } else {
        MF_FUZZ_REQUIRE(report.scale.has_value());
    }

    std::vector<bool> user_rated(users.size(), false);
    std::vector<bool> item_rated(items.size(), false);
    std::set<std::pair<mf::index_type, mf::index_type>> pairs;
    for (std::size_t j = 0; j < ratings.size(); ++j) {
        const mf::index_type u = ratings.user(j);
        const mf::index_type i = ratings.item(j);
        const float value = ratings.value(j);
        MF_FUZZ_REQUIRE(u < users.size());
        MF_FUZZ_REQUIRE(i < items.size());
        MF_FUZZ_REQUIRE(std::isfinite(value));
        if (report.scale) {
            // The float nearest a bound may lie just outside it; a rating within
            // the bounds rounds to a float within their floats.
            MF_FUZZ_REQUIRE(value >= static_cast<float>(report.scale->min));
            MF_FUZZ_REQUIRE(value <= static_cast<float>(report.scale->max));
        }
        // After any policy, a user rates an item at most once.
        MF_FUZZ_REQUIRE(pairs.emplace(u, i).second);
        user_rated[u] = true;
        item_rated[i] = true;
    }
    for (std::size_t u = 0; u < users.size(); ++u) {
        MF_FUZZ_REQUIRE(!users.raw(u).empty());
        MF_FUZZ_REQUIRE(users.index(users.raw(u)) == u);
        MF_FUZZ_REQUIRE(user_rated[u]);  // fresh maps hold only ids of ratings kept
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        MF_FUZZ_REQUIRE(!items.raw(i).empty());
        MF_FUZZ_REQUIRE(items.index(items.raw(i)) == i);
        MF_FUZZ_REQUIRE(item_rated[i]);
    }

    if (options.duplicates == mf::Duplicates::error) {
        MF_FUZZ_REQUIRE(report.duplicates == 0);
    }
    MF_FUZZ_REQUIRE(report.ratings + report.duplicates + report.skipped_lines
                        + (report.header ? 1 : 0)
                    <= report.lines);
    if (options.bad_lines == mf::BadLines::error) {
        MF_FUZZ_REQUIRE(report.skipped_lines == 0);
        MF_FUZZ_REQUIRE(report.first_skipped.empty());
    } else {
        MF_FUZZ_REQUIRE(report.first_skipped.size() <= mf::ReadReport::kept_skipped);
        MF_FUZZ_REQUIRE(report.first_skipped.size()
                        == std::min(report.skipped_lines, mf::ReadReport::kept_skipped));
        std::size_t previous = 0;
        for (const mf::SkippedLine& skipped : report.first_skipped) {
            MF_FUZZ_REQUIRE(skipped.line > previous);
            MF_FUZZ_REQUIRE(skipped.line <= report.lines);
            MF_FUZZ_REQUIRE(!skipped.reason.empty());
            previous = skipped.line;
        }
    }
}

/// Two reads of one file that must agree: the same triplets, ids and report,
/// or the same error.
void require_same(const Outcome& a, const Outcome& b, const char* a_name, const char* b_name,
                  bool compare_detection = true) {
    bool same = a.error == b.error && a.users == b.users && a.items == b.items
                && a.values == b.values && a.user_ids == b.user_ids && a.item_ids == b.item_ids;
    if (same && a.ok()) {
        const mf::ReadReport& x = a.report;
        const mf::ReadReport& y = b.report;
        same = x.format == y.format && (!compare_detection || x.detection == y.detection)
               && x.separator == y.separator && x.header == y.header
               && x.scale.has_value() == y.scale.has_value() && x.lines == y.lines
               && x.ratings == y.ratings && x.duplicates == y.duplicates
               && x.skipped_lines == y.skipped_lines
               && x.first_skipped.size() == y.first_skipped.size();
        for (std::size_t j = 0; same && j < x.first_skipped.size(); ++j) {
            same = x.first_skipped[j].line == y.first_skipped[j].line
                   && x.first_skipped[j].reason == y.first_skipped[j].reason;
        }
    }
    if (!same) {
        fail(std::string("two reads disagree.\n") + a_name + ": " + describe(a) + "\n" + b_name
             + ": " + describe(b));
    }
}

// ---------------------------------------------------------------------------
// The reads

Outcome read_public(const std::filesystem::path& file, const mf::ReadOptions& options) {
    return attempt(file, [&](Outcome& out) {
        const mf::Dataset data = mf::read_ratings(file, options, &out.report);
        check_read(data.ratings, data.users, data.items, out.report, options);
        MF_FUZZ_REQUIRE(data.scale.has_value() == out.report.scale.has_value());
        record(out, data.ratings, data.users, data.items);
    });
}

/// The reader with chunks of `chunk_size` bytes, each cut into up to `threads`
/// ranges, however few bytes they hold.
Outcome read_cut(const std::filesystem::path& file, mf::ReadOptions options, std::size_t chunk_size,
                 std::size_t threads) {
    options.threads = threads;
    mf::detail::ReadSettings settings;
    settings.chunk_size = chunk_size;
    settings.min_bytes_per_thread = 1;
    return attempt(file, [&](Outcome& out) {
        mf::IdMap users;
        mf::IdMap items;
        const mf::Ratings ratings =
            mf::detail::read_ratings(file, users, items, options, &out.report, settings);
        check_read(ratings, users, items, out.report, options);
        record(out, ratings, users, items);
    });
}

/// mf::detail::read_ratings with a scanner that takes no line, so that every
/// line goes through parse_line: what the fast scanners must match. A file
/// without ratings gives the error "no ratings", whose text is not compared.
Outcome read_each_line(const std::filesystem::path& file, const mf::ReadOptions& options,
                       std::size_t chunk_size) {
    namespace detail = mf::detail;
    mf::detail::ReadSettings settings;
    settings.chunk_size = chunk_size;
    settings.min_bytes_per_thread = 1;
    return attempt(file, [&](Outcome& out) {
        mf::IdMap users;
        mf::IdMap items;
        mf::ReadReport& report = out.report;
        detail::ReadState state;
        state.name = file.string();
        detail::LineBlocks blocks(file, settings.chunk_size);
        state.layout = detail::detect_layout(file, detail::first_lines(blocks), options);
        state.bad_lines = options.bad_lines;
        state.keep_timestamps = options.duplicates == mf::Duplicates::keep_latest
                                && state.layout.columns.timestamp.has_value();
        state.users = &users;
        state.items = &items;
        state.report = &report;
        report.format = state.layout.format;
        report.detection =
            options.format == mf::Format::automatic ? state.layout.detection : std::string();
        report.separator = state.layout.separator;
        report.columns = state.layout.columns;
        report.quoting = state.layout.quoting;
        report.header = state.layout.header_line != 0;
        report.scale = state.layout.scale;
        detail::TripletArrays triplets(1);
        state.triplets = &triplets;
        detail::read_lines(
            blocks, [](const char*&, const char*, detail::Scanned&) { return false; }, 1, settings,
            state);
        if (triplets.size() == 0) {
            out.error = "no ratings";
            return;
        }
        report.duplicates = detail::resolve_duplicates(state, options.duplicates);
        report.ratings = triplets.size();
        const mf::Ratings ratings = triplets.finish(users.size(), items.size());
        check_read(ratings, users, items, report, options);
        record(out, ratings, users, items);
    });
}

// ---------------------------------------------------------------------------
// Model files

/// The bytes of a file the harness wrote.
std::string read_bytes(const std::filesystem::path& file) {
    std::FILE* in = std::fopen(file.c_str(), "rb");
    if (in == nullptr) {
        fail("cannot read " + file.string());
    }
    std::string bytes;
    char buffer[1 << 14];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) {
        bytes.append(buffer, n);
    }
    const bool failed = std::ferror(in) != 0;
    std::fclose(in);
    if (failed) {
        fail("cannot read " + file.string());
    }
    return bytes;
}

/// Fails unless `got` is `want`, naming the first byte where they differ.
void require_same_bytes(const std::string& got, const std::string& want, const std::string& what) {
    if (got == want) {
        return;
    }
    const auto differ = std::mismatch(got.begin(), got.end(), want.begin(), want.end());
    fail(what + " differs: " + std::to_string(got.size()) + " bytes for "
         + std::to_string(want.size()) + ", the first difference at byte "
         + std::to_string(differ.first - got.begin()));
}

template <class Scalar>
bool same_bits(Scalar a, Scalar b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

/// Whether two arrays have one shape and the same bits: -0 differs from 0.
template <class Array>
bool same_array_bits(const Array& a, const Array& b) {
    if (a.shape() != b.shape()) {
        return false;
    }
    // memcmp may not be given the null data of an empty array.
    return a.size() == 0 || std::memcmp(a.data(), b.data(), a.size() * sizeof(*a.data())) == 0;
}

template <class Array>
bool all_finite(const Array& values) {
    return std::all_of(values.begin(), values.end(), [](auto v) { return std::isfinite(v); });
}

/// Every id of a map is its own: not empty, and found at its index.
void check_ids(const mf::IdMap& ids) {
    for (std::size_t j = 0; j < ids.size(); ++j) {
        const std::string& raw = ids.raw(j);
        MF_FUZZ_REQUIRE(!raw.empty());
        const std::optional<mf::index_type> found = ids.find(raw);
        MF_FUZZ_REQUIRE(found && *found == j);
    }
}

/// A model file's bytes with both checksums made to match what they cover:
/// the header's (bytes 60 to 63, of bytes 0 to 59) and the file's (its last
/// four bytes, of all before them), where the file is long enough to hold them.
std::string with_checksums(std::string bytes) {
    auto* p = reinterpret_cast<unsigned char*>(bytes.data());
    const std::size_t header = mf::detail::model_header_size;
    if (bytes.size() >= header) {
        mf::detail::store_u32(p + header - 4, mf::detail::crc32(p, header - 4));
    }
    if (bytes.size() >= header + 4) {
        mf::detail::store_u32(p + bytes.size() - 4, mf::detail::crc32(p, bytes.size() - 4));
    }
    return bytes;
}

/// What a model load_model gave must keep, whatever the file held.
template <class Scalar>
void check_loaded(const mf::SavedModel<Scalar>& saved, const mf::ModelFileInfo& info) {
    const mf::MatrixFactorization<Scalar>& model = saved.model;
    MF_FUZZ_REQUIRE(info.scalar_bytes == sizeof(Scalar));
    MF_FUZZ_REQUIRE(model.n_users() == info.users && saved.users.size() == info.users);
    MF_FUZZ_REQUIRE(model.n_items() == info.items && saved.items.size() == info.items);
    MF_FUZZ_REQUIRE(model.n_factors() == info.factors);
    MF_FUZZ_REQUIRE(model.item_factors().shape(1) == info.factors);
    MF_FUZZ_REQUIRE(model.biased() == info.biased);
    MF_FUZZ_REQUIRE(model.user_biases().size() == info.users);
    MF_FUZZ_REQUIRE(model.item_biases().size() == info.items);
    MF_FUZZ_REQUIRE(model.known_users().size() == info.users);
    MF_FUZZ_REQUIRE(model.known_items().size() == info.items);
    MF_FUZZ_REQUIRE(std::isfinite(model.global_mean()));
    MF_FUZZ_REQUIRE(all_finite(model.user_factors()));
    MF_FUZZ_REQUIRE(all_finite(model.item_factors()));
    MF_FUZZ_REQUIRE(all_finite(model.user_biases()));
    MF_FUZZ_REQUIRE(all_finite(model.item_biases()));
    if (const auto& scale = model.rating_scale()) {
        MF_FUZZ_REQUIRE(std::isfinite(scale->min) && std::isfinite(scale->max));
        MF_FUZZ_REQUIRE(scale->min <= scale->max);
    }
    check_ids(saved.users);
    check_ids(saved.items);
}

/// Saves a loaded model again: every byte of a model file is either the model,
/// checked, or derived from it, so the file must be the very one it came from.
template <class Scalar>
void require_saved_again(const mf::SavedModel<Scalar>& saved, const std::string& bytes) {
    const std::filesystem::path file = scratch_dir() / "saved-again.mf";
    try {
        mf::save_model(file.string(), saved.model, saved.users, saved.items, saved.options);
    } catch (const std::exception& e) {
        fail(std::string("save_model refuses a model load_model gave: ") + e.what());
    }
    require_same_bytes(read_bytes(file), bytes, "the loaded model saved again");
}

/// Loads the model file `file`, which holds `bytes`, with inspect_model and
/// load_model of both scalars, and checks that they agree.
void check_model_file(const std::filesystem::path& file, const std::string& bytes) {
    const std::string path = file.string();
    mf::ModelFileInfo info;
    std::optional<mf::SavedModel<float>> as_float;
    std::optional<mf::SavedModel<double>> as_double;
    const Outcome inspected = attempt(file, [&](Outcome&) { info = mf::inspect_model(path); });
    const Outcome float_load =
        attempt(file, [&](Outcome&) { as_float = mf::load_model<float>(path); });
    const Outcome double_load =
        attempt(file, [&](Outcome&) { as_double = mf::load_model<double>(path); });
    if (!inspected.ok()) {
        // load_model checks the header as inspect_model does, before anything else.
        MF_FUZZ_REQUIRE(float_load.error == inspected.error);
        MF_FUZZ_REQUIRE(double_load.error == inspected.error);
        return;
    }
    MF_FUZZ_REQUIRE(info.version == 1);
    MF_FUZZ_REQUIRE(info.scalar_bytes == 4 || info.scalar_bytes == 8);

    // Loading never converts: the other scalar type is refused, by name.
    const bool is_float = info.scalar_bytes == 4;
    const std::string held = is_float ? "float" : "double";
    const std::string asked = is_float ? "double" : "float";
    MF_FUZZ_REQUIRE((is_float ? double_load : float_load).error
                    == "model_error: " + path + ": holds a " + held + " model, not a " + asked
                           + " one; load it with mf::load_model<" + held + ">");
    if (as_float) {
        check_loaded(*as_float, info);
        require_saved_again(*as_float, bytes);
    }
    if (as_double) {
        check_loaded(*as_double, info);
        require_saved_again(*as_double, bytes);
    }
}

// ---------------------------------------------------------------------------
// LIBMF models

/// The rows of P or Q read from LIBMF's text: row r has the id "r", and holds
/// finite numbers when it is known (T) and zeros when not (F).
template <class Scalar>
void check_libmf_rows(const xt::xtensor<Scalar, 2>& factors, const xt::xtensor<bool, 1>& known,
                      const mf::IdMap& ids) {
    const std::size_t k = factors.shape(1);
    MF_FUZZ_REQUIRE(known.size() == factors.shape(0));
    MF_FUZZ_REQUIRE(ids.size() == factors.shape(0));
    check_ids(ids);
    for (std::size_t r = 0; r < factors.shape(0); ++r) {
        MF_FUZZ_REQUIRE(ids.raw(r) == std::to_string(r));
        const Scalar* row = factors.data() + r * k;
        for (std::size_t f = 0; f < k; ++f) {
            MF_FUZZ_REQUIRE(known(r) ? std::isfinite(row[f]) : same_bits(row[f], Scalar(0)));
        }
    }
}

/// What a model read_libmf_model gave must keep, whatever the file held.
template <class Scalar>
void check_libmf(const mf::LibmfModel<Scalar>& read) {
    const mf::MatrixFactorization<Scalar>& model = read.model;
    MF_FUZZ_REQUIRE(!model.biased());
    MF_FUZZ_REQUIRE(!model.rating_scale());
    MF_FUZZ_REQUIRE(std::isfinite(model.global_mean()));
    MF_FUZZ_REQUIRE(mf::detail::libmf_real_valued_loss(read.loss));
    MF_FUZZ_REQUIRE(model.item_factors().shape(1) == model.n_factors());
    MF_FUZZ_REQUIRE(model.user_biases().size() == model.n_users());
    MF_FUZZ_REQUIRE(model.item_biases().size() == model.n_items());
    MF_FUZZ_REQUIRE(std::all_of(model.user_biases().begin(), model.user_biases().end(),
                                [](Scalar b) { return same_bits(b, Scalar(0)); }));
    MF_FUZZ_REQUIRE(std::all_of(model.item_biases().begin(), model.item_biases().end(),
                                [](Scalar b) { return same_bits(b, Scalar(0)); }));
    check_libmf_rows(model.user_factors(), model.known_users(), read.users);
    check_libmf_rows(model.item_factors(), model.known_items(), read.items);
}

/// Writes a model read from LIBMF's text and reads it back. Values are written
/// in the fewest digits that read back as the same Scalar, and an F row holds
/// zeros both ways, so the model must come back bit for bit. The
/// ids of a model read are its row numbers, so writing with them must give the
/// same bytes as writing by index.
template <class Scalar>
void require_libmf_round_trip(const mf::LibmfModel<Scalar>& read) {
    const std::filesystem::path by_index = scratch_dir() / "by-index.txt";
    const std::filesystem::path by_id = scratch_dir() / "by-id.txt";
    std::optional<mf::LibmfModel<Scalar>> back;
    try {
        mf::write_libmf_model(by_index, read.model);
        mf::write_libmf_model(by_id, read.model, read.users, read.items);
        back = mf::read_libmf_model<Scalar>(by_index);
    } catch (const std::exception& e) {
        fail(std::string("a model read from LIBMF's text does not write and read back: ")
             + e.what());
    }
    require_same_bytes(read_bytes(by_id), read_bytes(by_index),
                       "write_libmf_model with the id maps read gave");
    const mf::MatrixFactorization<Scalar>& model = read.model;
    MF_FUZZ_REQUIRE(back->loss == 0);
    MF_FUZZ_REQUIRE(!back->model.biased());
    MF_FUZZ_REQUIRE(same_bits(back->model.global_mean(), model.global_mean()));
    MF_FUZZ_REQUIRE(same_array_bits(back->model.user_factors(), model.user_factors()));
    MF_FUZZ_REQUIRE(same_array_bits(back->model.item_factors(), model.item_factors()));
    MF_FUZZ_REQUIRE(back->model.known_users() == model.known_users());
    MF_FUZZ_REQUIRE(back->model.known_items() == model.known_items());
    MF_FUZZ_REQUIRE(back->users.size() == read.users.size());
    MF_FUZZ_REQUIRE(back->items.size() == read.items.size());
}

}  // namespace

void fuzz_ratings(mf::Format format, const std::uint8_t* data, std::size_t size) {
    const InputOptions input = decode(format, data, size);
    const mf::ReadOptions& options = input.read;
    const std::filesystem::path file = write_input(input.file_name, data, size);

    const Outcome plain = read_public(file, options);
    const Outcome one = read_cut(file, options, input.chunk_size, 1);
    const Outcome three = read_cut(file, options, input.chunk_size, 3);
    require_same(plain, one, "read_ratings", "1 thread, small chunks");
    require_same(one, three, "1 thread, small chunks", "3 threads, small chunks");

    Outcome each = read_each_line(file, options, input.chunk_size);
    if (each.error == "no ratings") {
        // read_ratings says why no line gave a rating, in a message of its own.
        MF_FUZZ_REQUIRE(plain.error.rfind("parse_error: ", 0) == 0 && plain.error_line == 0);
    } else {
        require_same(plain, each, "read_ratings", "every line through parse_line");
    }

    if (format != mf::Format::automatic) {
        return;
    }
    std::string detection;
    const Outcome detected = attempt(file, [&](Outcome&) {
        const mf::Format found = mf::detect_format(file, &detection);
        MF_FUZZ_REQUIRE(found != mf::Format::automatic);
        MF_FUZZ_REQUIRE(!detection.empty());
        if (plain.ok()) {
            MF_FUZZ_REQUIRE(plain.report.format == found);
            MF_FUZZ_REQUIRE(plain.report.detection == detection);
        }
        if (found == mf::Format::delimited) {
            return;  // detection sets columns that no ReadOptions names
        }
        // A named format reads as the format detected does.
        mf::ReadOptions named = options;
        named.format = found;
        require_same(plain, read_public(file, named), "automatic", "the format named", false);
    });
    if (!detected.ok()) {
        // read_ratings detects as detect_format does, and fails the same way.
        MF_FUZZ_REQUIRE(detected.error == plain.error);
    }
}

void fuzz_titles(const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path file = write_input("u.item", data, size);
    std::size_t lines = 0;
    mf::detail::Lines text(std::string_view(reinterpret_cast<const char*>(data), size));
    std::string_view line;
    while (text.next(line)) {
        ++lines;
    }
    attempt(file, [&](Outcome&) {
        const auto titles = mf::movielens::read_titles(file);
        MF_FUZZ_REQUIRE(!titles.empty());
        MF_FUZZ_REQUIRE(titles.size() <= lines);
        for (const auto& [id, title] : titles) {
            MF_FUZZ_REQUIRE(!id.empty());
            MF_FUZZ_REQUIRE(mf::detail::trim(id) == id);
            MF_FUZZ_REQUIRE(id.find_first_of("|\r\n") == std::string::npos);
            MF_FUZZ_REQUIRE(mf::detail::is_utf8(title));
            MF_FUZZ_REQUIRE(mf::detail::trim(title) == title);
            MF_FUZZ_REQUIRE(title.find_first_of("\r\n") == std::string::npos);
        }
    });
}

void fuzz_model(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    check_model_file(write_input("model.mf", data, size), bytes);

    // A mutation almost never comes with checksums that match it: mended, the
    // input reaches the checks of the header's fields and of the content.
    const std::string mended = with_checksums(bytes);
    if (mended != bytes) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(mended.data());
        check_model_file(write_input("mended.mf", p, mended.size()), mended);
    }
}

void fuzz_libmf_model(const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path file = write_input("model.txt", data, size);
    std::optional<mf::LibmfModel<float>> read;
    std::optional<mf::LibmfModel<double>> wide;
    attempt(file, [&](Outcome&) { read = mf::read_libmf_model<float>(file); });
    attempt(file, [&](Outcome&) { wide = mf::read_libmf_model<double>(file); });
    if (read) {
        check_libmf(*read);
        require_libmf_round_trip(*read);

        // A double holds every value a float does: the double reader reads every
        // file the float one reads, to the same shape.
        MF_FUZZ_REQUIRE(wide.has_value());
        MF_FUZZ_REQUIRE(wide->loss == read->loss);
        MF_FUZZ_REQUIRE(wide->model.user_factors().shape() == read->model.user_factors().shape());
        MF_FUZZ_REQUIRE(wide->model.item_factors().shape() == read->model.item_factors().shape());
        MF_FUZZ_REQUIRE(wide->model.known_users() == read->model.known_users());
        MF_FUZZ_REQUIRE(wide->model.known_items() == read->model.known_items());
    }
    if (wide) {
        check_libmf(*wide);
        require_libmf_round_trip(*wide);
    }
}

}  // namespace mf_fuzz
