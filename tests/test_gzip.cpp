// Reading gzip-compressed files through mf/detail/text.hpp: every reader sees
// the plain text the file holds, and a damaged file is an error naming it.
#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
#include <zlib.h>
#endif

#include "temp_dir.hpp"

namespace {

/// The message of the mf::error that reading `file` throws, or "no error".
std::string read_error(const std::filesystem::path& file, mf::Format format) {
    try {
        mf::read_ratings(file, format);
    } catch (const mf::error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB

namespace {

/// `text` as one gzip member, as `gzip -<level>` would write it.
std::string gzip(std::string_view text, int level = 6) {
    z_stream stream{};
    REQUIRE(deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    stream.avail_in = static_cast<uInt>(text.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    REQUIRE(status == Z_STREAM_END);
    return out;
}

/// `lines` MovieLens lines of made-up ratings, the same for the same seed.
std::string movielens_text(std::size_t lines, std::uint32_t seed) {
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> user(1, 6000);
    std::uniform_int_distribution<int> item(1, 4000);
    std::uniform_int_distribution<int> rating(1, 5);
    std::string text;
    for (std::size_t j = 0; j < lines; ++j) {
        text += std::to_string(user(random)) + '\t' + std::to_string(item(random)) + '\t'
                + std::to_string(rating(random)) + '\t'
                + std::to_string(881250949 + static_cast<int>(j)) + '\n';
    }
    return text;
}

/// The same text in LIBMF's format: "user item rating".
std::string libmf_text(std::size_t lines, std::uint32_t seed) {
    std::string text = movielens_text(lines, seed);
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        std::string_view line(text.data() + start, end - start);
        line = line.substr(0, line.rfind('\t'));
        for (const char c : line) {
            out += c == '\t' ? ' ' : c;
        }
        out += '\n';
        start = end + 1;
    }
    return out;
}

/// Requires the two data sets to be equal: the triplet arrays element for
/// element, values bit for bit, and the id maps the same ids in the same order.
void check_same(const mf::Dataset& a, const mf::Dataset& b) {
    REQUIRE(a.ratings.size() == b.ratings.size());
    REQUIRE(a.users.size() == b.users.size());
    REQUIRE(a.items.size() == b.items.size());
    CHECK(a.ratings.n_users() == b.ratings.n_users());
    CHECK(a.ratings.n_items() == b.ratings.n_items());
    CHECK(a.scale.has_value() == b.scale.has_value());
    CHECK(a.ratings.users() == b.ratings.users());
    CHECK(a.ratings.items() == b.ratings.items());
    const std::size_t bytes = a.ratings.size() * sizeof(mf::rating_type);
    CHECK(std::memcmp(a.ratings.values().data(), b.ratings.values().data(), bytes) == 0);
    for (std::size_t j = 0; j < a.users.size(); ++j) {
        REQUIRE(a.users.raw(j) == b.users.raw(j));
    }
    for (std::size_t j = 0; j < a.items.size(); ++j) {
        REQUIRE(a.items.raw(j) == b.items.raw(j));
    }
}

/// Reads `text` from a plain file and from `compressed`, both in `format`, and
/// requires the results to be equal.
void check_reads_as(const TempDir& dir, const std::string& text, const std::string& compressed,
                    mf::Format format) {
    const auto plain = dir.write("plain.txt", text);
    const auto packed = dir.write("packed.txt.gz", compressed);
    const mf::Dataset expected = mf::read_ratings(plain, format);
    REQUIRE(expected.ratings.size() > 0);
    check_same(mf::read_ratings(packed, format), expected);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("gzip.read_ratings reads a gzip file as the plain file it holds") {
    const TempDir dir;
    SUBCASE("MovieLens") {
        const std::string text = movielens_text(2000, 1);
        check_reads_as(dir, text, gzip(text), mf::Format::movielens);
    }
    SUBCASE("LIBMF") {
        const std::string text = libmf_text(2000, 2);
        check_reads_as(dir, text, gzip(text), mf::Format::libmf);
    }
    SUBCASE("the format detected") {
        const std::string text = movielens_text(2000, 3);
        check_reads_as(dir, text, gzip(text), mf::Format::automatic);
        CHECK(mf::detect_format(dir.write("d.gz", gzip(text))) == mf::Format::movielens);
        CHECK(mf::detect_format(dir.write("e.gz", gzip(libmf_text(5, 3)))) == mf::Format::libmf);
    }
    SUBCASE("stored, not compressed (level 0)") {
        const std::string text = libmf_text(2000, 4);
        check_reads_as(dir, text, gzip(text, 0), mf::Format::libmf);
    }
}

TEST_CASE("gzip.read_ratings reads a gzip file larger than a chunk") {
    // Over 4 MiB of text, so that chunk borders fall inside the compressed stream.
    const TempDir dir;
    const std::string text = movielens_text(300000, 5);
    REQUIRE(text.size() > mf::detail::default_chunk_size + (1 << 20));
    const std::string compressed = gzip(text, 1);
    check_reads_as(dir, text, compressed, mf::Format::movielens);

    SUBCASE("with threads, into shared maps") {
        const auto packed = dir.write("packed.gz", compressed);
        mf::IdMap users;
        mf::IdMap items;
        mf::ReadOptions options;
        options.format = mf::Format::movielens;
        options.threads = 2;
        mf::ReadReport report;
        const mf::Ratings ratings = mf::read_ratings(packed, users, items, options, &report);
        CHECK(report.lines == 300000);
        CHECK(ratings.size() + report.duplicates == 300000);
    }
    SUBCASE("truncated, it throws naming the file") {
        for (const std::size_t keep :
             {compressed.size() / 2, compressed.size() - 9, compressed.size() - 1}) {
            INFO("kept " << keep << " bytes of " << compressed.size());
            const auto cut = dir.write("cut.gz", std::string_view(compressed).substr(0, keep));
            CHECK(read_error(cut, mf::Format::movielens)
                  == "cannot read '" + cut.string()
                         + "': it ends in the middle of its gzip stream");
        }
    }
}

TEST_CASE("gzip.a multi-member file reads as the concatenation of its members") {
    // As `cat a.gz b.gz > ab.gz` makes, with members cut inside a line and an empty one.
    const TempDir dir;
    const std::string text = libmf_text(3000, 6);
    const std::size_t line_end = text.find('\n', text.size() / 3) + 1;
    const std::size_t mid_line = line_end + text.size() / 3 + 2;
    const std::string members = gzip(text.substr(0, line_end)) + gzip("")
                                + gzip(text.substr(line_end, mid_line - line_end), 9)
                                + gzip(text.substr(mid_line), 1);
    check_reads_as(dir, text, members, mf::Format::libmf);
    check_reads_as(dir, text, members, mf::Format::automatic);
}

TEST_CASE("gzip.the text readers see the bytes and lines of the plain file") {
    const TempDir dir;
    const std::string text =
        "\xEF\xBB\xBF"
        "a b\r\nc\rd\n\ne f g\r"
        + libmf_text(500, 7) + "tail";
    const auto plain = dir.write("plain", text);
    const auto packed = dir.write("packed", gzip(text.substr(0, 100)) + gzip(text.substr(100)));
    CHECK(mf::detail::read_file(packed) == text);
    const std::size_t chunks[] = {1, 2, 3, 7, 64, 4096, std::size_t{1} << 20};
    for (const std::size_t chunk : chunks) {
        INFO("chunk " << chunk);
        CHECK(mf::detail::count_lines(packed, chunk) == mf::detail::count_lines(plain, chunk));
        mf::detail::FileLines a(plain, chunk);
        mf::detail::FileLines b(packed, chunk);
        std::string_view x;
        std::string_view y;
        while (a.next(x)) {
            REQUIRE(b.next(y));
            REQUIRE(x == y);
            REQUIRE(a.number() == b.number());
        }
        CHECK_FALSE(b.next(y));
    }
}

TEST_CASE("gzip.an empty gzip file gives the error of an empty plain file") {
    const TempDir dir;
    const auto plain = dir.write("empty.txt", "");
    const auto packed = dir.write("empty.gz", gzip(""));
    for (const mf::Format format :
         {mf::Format::automatic, mf::Format::libmf, mf::Format::movielens}) {
        CHECK(read_error(packed, format) == packed.string() + ": the file holds no ratings");
        CHECK(read_error(plain, format) == plain.string() + ": the file holds no ratings");
    }
    CHECK_THROWS_AS(mf::read_ratings(packed), mf::parse_error);
    CHECK(mf::detail::read_file(packed).empty());
}

TEST_CASE("gzip.a truncated file throws an error naming it at every length") {
    const TempDir dir;
    const std::string compressed = gzip(movielens_text(40, 8));
    for (std::size_t keep = 0; keep < compressed.size(); ++keep) {
        INFO("kept " << keep << " bytes of " << compressed.size());
        const auto cut = dir.write("cut.gz", std::string_view(compressed).substr(0, keep));
        for (const mf::Format format : {mf::Format::automatic, mf::Format::movielens}) {
            const std::string message = read_error(cut, format);
            CHECK(contains(message, cut.string()));
            // Fewer than 2 bytes cannot be known as gzip: the file is plain, and no ratings.
            if (keep >= 2) {
                CHECK(message
                      == "cannot read '" + cut.string()
                             + "': it ends in the middle of its gzip stream");
            }
        }
        if (keep >= 2) {
            CHECK_THROWS_AS(mf::detail::read_file(cut), mf::io_error);
        }
    }
}

TEST_CASE("gzip.a corrupt file throws an error naming it") {
    const TempDir dir;
    const std::string text = movielens_text(20000, 9);
    const std::string compressed = gzip(text);

    SUBCASE("a byte changed in the middle") {
        for (const std::size_t at : {compressed.size() / 3, compressed.size() / 2}) {
            INFO("byte " << at);
            std::string damaged = compressed;
            damaged[at] = static_cast<char>(damaged[at] ^ 0x55);
            const auto file = dir.write("damaged.gz", damaged);
            CHECK_THROWS_AS(mf::read_ratings(file, mf::Format::movielens), mf::io_error);
            CHECK(contains(read_error(file, mf::Format::movielens), "'" + file.string() + "'"));
            CHECK_THROWS_AS(mf::detail::read_file(file), mf::io_error);
        }
    }
    SUBCASE("a wrong CRC in the trailer") {
        std::string damaged = compressed;
        damaged[damaged.size() - 8] = static_cast<char>(damaged[damaged.size() - 8] ^ 1);
        const auto file = dir.write("crc.gz", damaged);
        CHECK(read_error(file, mf::Format::movielens)
              == "cannot read '" + file.string() + "': corrupt gzip data (incorrect data check)");
    }
    SUBCASE("a header that is not deflate") {
        std::string damaged = compressed;
        damaged[2] = 7;  // the compression method
        const auto file = dir.write("method.gz", damaged);
        CHECK(read_error(file, mf::Format::movielens)
              == "cannot read '" + file.string()
                     + "': corrupt gzip data (unknown compression method)");
    }
    SUBCASE("bytes after the last member that are not gzip") {
        const std::vector<std::string> tails{"junk", "\x1f", std::string(1, '\0'), "\x1f\x8c"};
        for (const std::string& tail : tails) {
            INFO("tail of " << tail.size() << " bytes");
            const auto file = dir.write("tail.gz", compressed + tail);
            const std::string message = read_error(file, mf::Format::movielens);
            CHECK(contains(message, "cannot read '" + file.string() + "': "));
            CHECK_THROWS_AS(mf::detail::read_file(file), mf::io_error);
        }
        const auto file = dir.write("junk.gz", compressed + "junk");
        CHECK(read_error(file, mf::Format::movielens)
              == "cannot read '" + file.string()
                     + "': it holds bytes after its gzip stream that are not gzip");
    }
}

TEST_CASE("gzip.a file is known by its content, not its name") {
    const TempDir dir;
    const std::string text = movielens_text(300, 10);
    const mf::Dataset expected = mf::read_ratings(dir.write("plain", text), mf::Format::movielens);
    SUBCASE("gzip under a plain name") {
        check_same(mf::read_ratings(dir.write("u.data", gzip(text)), mf::Format::movielens),
                   expected);
        check_same(mf::read_ratings(dir.write("ratings", gzip(text))), expected);
    }
    SUBCASE("plain text under a .gz name") {
        check_same(mf::read_ratings(dir.write("u.data.gz", text), mf::Format::movielens), expected);
    }
    SUBCASE("a first byte of 1F without 8B after it is plain") {
        for (const std::string& content : {std::string("\x1f"), std::string("\x1f\x8a"
                                                                            "bc\n")}) {
            const auto file = dir.write("almost.gz", content);
            CHECK(mf::detail::read_file(file) == content);
            CHECK(mf::detail::count_lines(file, 1) == 1);
        }
    }
}

#else

TEST_CASE("gzip.without zlib a gzip file is refused, naming MF_WITH_ZLIB") {
    // `printf '1 1 5\n' | gzip -n`
    const unsigned char bytes[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                   0x03, 0x33, 0x54, 0x30, 0x54, 0x30, 0xe5, 0x02, 0x00,
                                   0x23, 0xa8, 0x1b, 0x8d, 0x06, 0x00, 0x00, 0x00};
    const TempDir dir;
    const auto file = dir.write(
        "ratings.gz", std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
    CHECK(read_error(file, mf::Format::libmf)
          == "cannot read '" + file.string()
                 + "': it is gzip-compressed, and mf was built without zlib (MF_WITH_ZLIB)");
    CHECK_THROWS_AS(mf::detail::read_file(file), mf::io_error);
    // Plain files read as ever.
    CHECK(mf::read_ratings(dir.write("ratings.txt", "1 1 5\n"), mf::Format::libmf).ratings.size()
          == 1);
}

#endif
