#include "harness.hpp"

#include <mf/movielens.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
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

}  // namespace mf_fuzz
