// Reading text files, plain or gzip: whole-file and chunked reads, lines,
// fields and numbers.
#ifndef MF_DETAIL_TEXT_HPP
#define MF_DETAIL_TEXT_HPP

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
#include <zlib.h>
#endif

#include "mf/errors.hpp"

namespace mf::detail {

/// Reads up to `size` bytes of a plain file; fewer only at the end of the file.
/// Throws mf::io_error naming `path` when the read fails.
inline std::size_t read_some(std::FILE* file, char* buffer, std::size_t size,
                             const std::filesystem::path& path) {
    std::size_t got = 0;
    while (got < size) {
        const std::size_t n = std::fread(buffer + got, 1, size - got, file);
        if (n == 0) {
            if (std::ferror(file)) {
                throw io_error("cannot read '" + path.string() + "': " + std::strerror(errno));
            }
            break;
        }
        got += n;
    }
    return got;
}

/// A file open for reading, closed when it goes out of scope. A file whose
/// first two bytes are 1F 8B, the gzip magic, reads decompressed, its members
/// one after another as `gzip -d` would; any other file reads as it is. The
/// content decides, not the name. zlib's stream points back at the object, so
/// it stays where it was made: open_file hands it out on the heap.
class InputFile {
  public:
    /// Opens `path` and reads its first bytes to tell whether it is gzip.
    /// Throws mf::io_error naming the file when it cannot be opened or read,
    /// and for a gzip file when mf was built without zlib.
    explicit InputFile(const std::filesystem::path& path)
        : m_file(std::fopen(path.c_str(), "rb"), &std::fclose) {
        if (!m_file) {
            throw io_error("cannot open '" + path.string() + "': " + std::strerror(errno));
        }
        // Reads come in large blocks straight into the caller's buffer; stdio's
        // own buffer would only add a copy.
        std::setvbuf(m_file.get(), nullptr, _IONBF, 0);
        m_head_size = read_some(m_file.get(), m_head, sizeof m_head, path);
        if (m_head_size < 2 || static_cast<unsigned char>(m_head[0]) != 0x1F
            || static_cast<unsigned char>(m_head[1]) != 0x8B) {
            return;
        }
#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
        m_input.reset(new unsigned char[input_size]);
        std::memcpy(m_input.get(), m_head, m_head_size);
        m_stream.next_in = m_input.get();
        m_stream.avail_in = static_cast<uInt>(m_head_size);
        // 15 + 16: the largest window, and a gzip header required, not a zlib one.
        if (inflateInit2(&m_stream, 15 + 16) != Z_OK) {
            throw io_error("cannot read '" + path.string() + "': zlib cannot start inflating: "
                           + (m_stream.msg != nullptr ? m_stream.msg : "out of memory"));
        }
        m_gzip = true;
#else
        throw io_error("cannot read '" + path.string()
                       + "': it is gzip-compressed, and mf was built without zlib (MF_WITH_ZLIB)");
#endif
    }

    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    ~InputFile() {
#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
        if (m_gzip) {
            inflateEnd(&m_stream);
        }
#endif
    }

    /// Reads up to `size` bytes of the content; fewer only at its end. Throws
    /// mf::io_error naming `path` when the read fails, and for a gzip file cut
    /// short, corrupt, or followed by bytes that are not gzip.
    std::size_t read(char* buffer, std::size_t size, const std::filesystem::path& path) {
#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
        if (m_gzip) {
            return inflate_some(buffer, size, path);
        }
#endif
        std::size_t got = 0;
        while (m_head_pos < m_head_size && got < size) {
            buffer[got++] = m_head[m_head_pos++];
        }
        return got + read_some(m_file.get(), buffer + got, size - got, path);
    }

  private:
#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
    /// Compressed bytes read at a time: beyond 64 KiB the speed no longer grows.
    static constexpr std::size_t input_size = std::size_t{1} << 18;

    std::size_t inflate_some(char* buffer, std::size_t size, const std::filesystem::path& path) {
        std::size_t got = 0;
        while (got < size) {
            if (m_stream.avail_in == 0 && !m_input_end) {
                const std::size_t n = read_some(
                    m_file.get(), reinterpret_cast<char*>(m_input.get()), input_size, path);
                m_input_end = n < input_size;
                m_stream.next_in = m_input.get();
                m_stream.avail_in = static_cast<uInt>(n);
            }
            if (m_member_end) {
                if (m_stream.avail_in == 0) {
                    break;  // the end of the file, just after a whole member
                }
                // `cat a.gz b.gz` is one gzip file; anything else after a member is not.
                if (m_stream.next_in[0] != 0x1F
                    || (m_stream.avail_in > 1 && m_stream.next_in[1] != 0x8B)) {
                    throw io_error("cannot read '" + path.string()
                                   + "': it holds bytes after its gzip stream that are not gzip");
                }
                inflateReset(&m_stream);
                m_member_end = false;
            }
            // uInt counts the room, so a huge buffer is filled in several steps.
            const auto room = static_cast<uInt>(
                std::min<std::size_t>(size - got, std::numeric_limits<uInt>::max()));
            m_stream.next_out = reinterpret_cast<Bytef*>(buffer + got);
            m_stream.avail_out = room;
            const int status = inflate(&m_stream, Z_NO_FLUSH);
            got += room - m_stream.avail_out;
            if (status == Z_STREAM_END) {
                m_member_end = true;
            } else if (status == Z_OK || status == Z_BUF_ERROR) {
                // Room left means inflate used all its input and wants more.
                if (m_stream.avail_out > 0 && m_stream.avail_in == 0 && m_input_end) {
                    throw io_error("cannot read '" + path.string()
                                   + "': it ends in the middle of its gzip stream");
                }
            } else if (status == Z_MEM_ERROR) {
                throw std::bad_alloc();
            } else {
                const std::string reason =
                    m_stream.msg != nullptr ? m_stream.msg : "zlib error " + std::to_string(status);
                throw io_error("cannot read '" + path.string() + "': corrupt gzip data (" + reason
                               + ")");
            }
        }
        return got;
    }
#endif

    std::unique_ptr<std::FILE, int (*)(std::FILE*)> m_file;
    char m_head[2] = {};          // the first bytes, read to tell gzip from plain
    std::size_t m_head_size = 0;  // how many there were
    std::size_t m_head_pos = 0;   // how many of them a plain read has handed out
#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
    bool m_gzip = false;
    z_stream m_stream{};
    std::unique_ptr<unsigned char[]> m_input;  // compressed bytes, input_size of them
    bool m_input_end = false;                  // the file holds nothing after the bytes in m_input
    bool m_member_end = false;                 // the last gzip member read was read to its end
#endif
};

/// A file open for reading, plain or gzip, closed when it goes out of scope.
using File = std::unique_ptr<InputFile>;

/// Opens `path` for reading, as InputFile does. Throws mf::io_error naming the
/// file and the reason when it is a directory or cannot be opened or read.
inline File open_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        throw io_error("cannot read '" + path.string() + "': it is a directory");
    }
    return std::make_unique<InputFile>(path);
}

/// Reads up to `size` bytes of the content of `file`, decompressed if it is
/// gzip; fewer only at its end. Throws mf::io_error naming `path` when the read
/// fails or a gzip file is cut short or corrupt.
inline std::size_t read_some(InputFile* file, char* buffer, std::size_t size,
                             const std::filesystem::path& path) {
    return file->read(buffer, size, path);
}

/// The whole content of a file. Throws mf::io_error naming the file and the
/// reason when it cannot be read.
inline std::string read_file(const std::filesystem::path& path) {
    const File file = open_file(path);
    std::string content;
    char buffer[1 << 16];
    while (const std::size_t got = read_some(file.get(), buffer, sizeof buffer, path)) {
        content.append(buffer, got);
    }
    return content;
}

/// How many bytes FileLines and count_lines read at a time unless told otherwise.
inline constexpr std::size_t default_chunk_size = std::size_t{4} << 20;

/// The longest line a chunked reader takes: a file with no line ending for
/// longer than this (/dev/zero, a binary file) is an error, not a read that
/// lasts until memory runs out.
inline constexpr std::size_t max_line_bytes = std::size_t{256} << 20;

/// Walks the lines of a text, counting them from 1. A line ends at "\n", "\r\n"
/// or a bare "\r", so files from any platform read the same. A UTF-8 byte-order
/// mark at the start is not part of the first line.
class Lines {
  public:
    explicit Lines(std::string_view text) : m_text(text) {
        constexpr std::string_view bom = "\xEF\xBB\xBF";
        if (m_text.substr(0, bom.size()) == bom) {
            m_text.remove_prefix(bom.size());
        }
    }

    /// The next line, without its ending; false after the last one.
    bool next(std::string_view& line) {
        if (m_pos >= m_text.size()) {
            return false;
        }
        std::size_t end = m_text.find_first_of("\r\n", m_pos);
        if (end == std::string_view::npos) {
            end = m_text.size();
        }
        line = m_text.substr(m_pos, end - m_pos);
        const bool crlf = end + 1 < m_text.size() && m_text[end] == '\r' && m_text[end + 1] == '\n';
        m_pos = end + (crlf ? 2 : 1);
        ++m_number;
        return true;
    }

    /// The number of the line last returned.
    std::size_t number() const noexcept { return m_number; }

  private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_number = 0;
};

/// The end of the line that starts at `p`: the first '\n' or '\r' before `end`,
/// or `end`. `has_cr` tells whether [p, end) may hold a '\r' at all.
inline const char* line_end(const char* p, const char* end, bool has_cr) noexcept {
    if (!has_cr) {
        const void* found = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
        return found != nullptr ? static_cast<const char*>(found) : end;
    }
    while (p != end && *p != '\n' && *p != '\r') {
        ++p;
    }
    return p;
}

/// Where the line after one that ends at `eol` (as line_end found it) starts.
inline const char* after_ending(const char* eol, const char* end) noexcept {
    if (eol == end) {
        return end;
    }
    return eol + (*eol == '\r' && eol + 1 != end && eol[1] == '\n' ? 2 : 1);
}

/// A file read `chunk_size` bytes at a time and handed out as runs of whole
/// lines, by the rules of Lines: endings "\n", "\r\n" or a bare "\r", a UTF-8
/// byte-order mark skipped. Each run ends just after a line ending, except the
/// last one of a file that does not end in one; a "\r" that ends a run is a
/// bare one. A line longer than the chunk grows the buffer, so memory stays
/// near the chunk size whatever the size of the file. Throws mf::io_error when
/// the file cannot be opened or read, or holds a line of more than
/// max_line_bytes.
class LineBlocks {
  public:
    explicit LineBlocks(const std::filesystem::path& path,
                        std::size_t chunk_size = default_chunk_size)
        : m_path(path),
          m_file(open_file(path)),
          m_capacity(std::max<std::size_t>(chunk_size, 4)),
          m_buffer(new char[m_capacity]) {}

    /// Reads ahead, before the first call of next(), until the buffer holds
    /// `count` lines that are not blank or the file ends, and returns them
    /// (numbered from 1) without handing anything out: next() still starts at
    /// the beginning. This is how a format is judged on a pipe, which cannot
    /// be opened twice.
    std::vector<std::pair<std::size_t, std::string>> peek(std::size_t count) {
        std::vector<std::pair<std::size_t, std::string>> found;
        std::size_t looked = 0;    // the buffer's lines up to here were looked at
        std::size_t number = 0;    // and were this many
        std::size_t searched = 0;  // no line ending between `looked` and here
        while (true) {
            if (m_first && (m_filled >= 3 || m_eof)) {
                m_first = false;
                if (m_filled >= 3 && std::memcmp(m_buffer.get(), "\xEF\xBB\xBF", 3) == 0) {
                    std::memmove(m_buffer.get(), m_buffer.get() + 3, m_filled - 3);
                    m_filled -= 3;
                }
            }
            if (!m_first) {
                // The new lines whose endings are known (all, at the end of the
                // file), looked at once each: a file with no line ending for
                // megabytes costs one pass, not one per read.
                std::size_t known = m_filled;
                if (!m_eof) {
                    const std::size_t floor = std::max(looked, searched);
                    while (known > floor && m_buffer[known - 1] != '\n'
                           && (m_buffer[known - 1] != '\r' || known == m_filled)) {
                        --known;
                    }
                    if (known == floor) {
                        known = looked;  // no ending among the new bytes
                    }
                    // A '\r' at the very end may start a "\r\n": look at it again.
                    const bool cr_last = m_filled > 0 && m_buffer[m_filled - 1] == '\r';
                    searched = m_filled - (cr_last ? 1 : 0);
                }
                const std::string_view fresh(m_buffer.get() + looked, known - looked);
                for (std::size_t pos = 0; pos < fresh.size() && found.size() < count;) {
                    std::size_t end = fresh.find_first_of("\r\n", pos);
                    if (end == std::string_view::npos) {
                        end = fresh.size();
                    }
                    const std::string_view line = fresh.substr(pos, end - pos);
                    ++number;
                    if (line.find_first_not_of(" \t") != std::string_view::npos) {
                        found.emplace_back(number, std::string(line));
                    }
                    const bool crlf =
                        end + 1 < fresh.size() && fresh[end] == '\r' && fresh[end + 1] == '\n';
                    pos = end + (crlf ? 2 : 1);
                }
                looked = known;
                if (found.size() >= count || m_eof) {
                    return found;
                }
            }
            if (m_filled == m_capacity) {
                grow();
            }
            // A little at a time: the reading after this fills the buffer, and
            // a buffer filled here would have to grow to take the next chunk.
            const std::size_t want = std::min<std::size_t>(m_capacity - m_filled, 1 << 16);
            const std::size_t got =
                read_some(m_file.get(), m_buffer.get() + m_filled, want, m_path);
            m_eof = got < want;
            m_filled += got;
        }
    }

    /// The next run of whole lines; false at the end of the file. The view
    /// stays valid until the next call.
    bool next(std::string_view& block) {
        if (!refill()) {
            return false;
        }
        block = std::string_view(m_buffer.get() + m_pos, m_complete - m_pos);
        m_pos = m_complete;
        return true;
    }

  private:
    /// Reads on until the buffer holds at least one complete line; false at
    /// the end of the file.
    bool refill() {
        // Keep the incomplete last line, moved to the front.
        const std::size_t tail = m_filled - m_complete;
        std::memmove(m_buffer.get(), m_buffer.get() + m_complete, tail);
        m_filled = tail;
        m_pos = 0;
        m_complete = 0;
        while (true) {
            if (m_eof) {
                if (m_filled == 0) {
                    return false;
                }
                m_complete = m_filled;
                break;
            }
            if (m_filled == m_capacity) {
                grow();
            }
            const std::size_t got =
                read_some(m_file.get(), m_buffer.get() + m_filled, m_capacity - m_filled, m_path);
            m_eof = got < m_capacity - m_filled;
            m_filled += got;
            if (m_first) {
                if (m_filled < 3 && !m_eof) {
                    continue;
                }
                m_first = false;
                if (m_filled >= 3 && std::memcmp(m_buffer.get(), "\xEF\xBB\xBF", 3) == 0) {
                    m_pos = 3;
                }
            }
            m_complete = complete_part();
            if (m_complete > m_pos) {
                break;
            }
        }
        return m_pos < m_complete;
    }

    /// The end of the last line in the buffer whose ending is known: after its
    /// '\n', or after a '\r' whose next byte has been read too.
    std::size_t complete_part() const noexcept {
        std::size_t j = m_filled;
        while (j > m_pos) {
            const char c = m_buffer[j - 1];
            if (c == '\n' || (c == '\r' && j < m_filled)) {
                return j;
            }
            --j;
        }
        return m_pos;
    }

    void grow() {
        if (m_capacity >= max_line_bytes) {
            throw io_error("cannot read '" + m_path.string() + "': it holds a line of more than "
                           + std::to_string(max_line_bytes >> 20) + " MiB");
        }
        const std::size_t capacity = std::min(m_capacity * 2, max_line_bytes);
        std::unique_ptr<char[]> buffer(new char[capacity]);
        std::memcpy(buffer.get(), m_buffer.get(), m_filled);
        m_buffer = std::move(buffer);
        m_capacity = capacity;
    }

    std::filesystem::path m_path;
    File m_file;
    std::size_t m_capacity;
    std::unique_ptr<char[]> m_buffer;
    std::size_t m_filled = 0;    // bytes in the buffer
    std::size_t m_pos = 0;       // start of the lines not handed out yet
    std::size_t m_complete = 0;  // end of the lines whose endings are in the buffer
    bool m_eof = false;
    bool m_first = true;
};

/// The lines of a file, read `chunk_size` bytes at a time, by the rules of
/// Lines and LineBlocks, counted from 1. Throws mf::io_error when the file
/// cannot be opened or read.
class FileLines {
  public:
    explicit FileLines(const std::filesystem::path& path,
                       std::size_t chunk_size = default_chunk_size)
        : m_blocks(path, chunk_size) {}

    /// The next line, without its ending; false after the last one. The view
    /// stays valid until the next call.
    bool next(std::string_view& line) {
        if (m_pos == m_end) {
            std::string_view block;
            if (!m_blocks.next(block)) {
                return false;
            }
            m_pos = block.data();
            m_end = block.data() + block.size();
            m_has_cr = std::memchr(m_pos, '\r', block.size()) != nullptr;
        }
        const char* const eol = line_end(m_pos, m_end, m_has_cr);
        line = std::string_view(m_pos, static_cast<std::size_t>(eol - m_pos));
        m_pos = after_ending(eol, m_end);
        ++m_number;
        return true;
    }

    /// The number of the line last returned.
    std::size_t number() const noexcept { return m_number; }

  private:
    LineBlocks m_blocks;
    const char* m_pos = nullptr;
    const char* m_end = nullptr;
    std::size_t m_number = 0;
    bool m_has_cr = false;  // the block holds a '\r', so memchr for '\n' is not enough
};

/// The number of '\n' bytes in [p, end). Counted in runs of 255 bytes into
/// one byte, a sum the compiler vectorises: three times std::count's speed.
inline std::size_t count_newlines(const char* p, const char* end) noexcept {
    std::size_t total = 0;
    for (; end - p >= 255; p += 255) {
        unsigned char run = 0;
        for (int i = 0; i < 255; ++i) {
            run = static_cast<unsigned char>(run + (p[i] == '\n'));
        }
        total += run;
    }
    for (; p != end; ++p) {
        total += *p == '\n';
    }
    return total;
}

/// The number of lines FileLines finds in a file, or a few more: a line
/// holding only a byte-order mark counts. One pass of `chunk_size` reads, at
/// the speed of memory. Throws mf::io_error when the file cannot be read.
inline std::size_t count_lines(const std::filesystem::path& path,
                               std::size_t chunk_size = default_chunk_size) {
    const File file = open_file(path);
    const std::unique_ptr<char[]> buffer(new char[chunk_size]);
    std::size_t endings = 0;
    char last = '\n';
    while (const std::size_t got = read_some(file.get(), buffer.get(), chunk_size, path)) {
        const char* const begin = buffer.get();
        const char* const end = begin + got;
        // A "\r\n" cut by the chunk border: its '\r' was counted as a bare one.
        if (last == '\r' && *begin == '\n') {
            --endings;
        }
        endings += count_newlines(begin, end);
        if (std::memchr(begin, '\r', got) != nullptr) {
            // A '\r' ends a line unless a '\n' follows, which ends it instead.
            for (const char* p = begin; p != end; ++p) {
                if (*p == '\r' && (p + 1 == end || p[1] != '\n')) {
                    ++endings;
                }
            }
        }
        last = end[-1];
    }
    return endings + (last != '\n' && last != '\r' ? 1 : 0);
}

inline bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r';
}

/// `text` without trailing spaces and tabs.
inline std::string_view trim_end(std::string_view text) noexcept {
    while (!text.empty() && is_blank(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

/// `text` without leading and trailing spaces and tabs.
inline std::string_view trim(std::string_view text) noexcept {
    while (!text.empty() && is_blank(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_blank(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

/// Splits `line` at each `separator` into at most `max_fields` views; returns
/// how many fields the line has in all (which may be more than max_fields).
inline std::size_t split(std::string_view line, char separator, std::string_view* fields,
                         std::size_t max_fields) noexcept {
    std::size_t count = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = line.find(separator, start);
        const std::string_view field = line.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (count < max_fields) {
            fields[count] = field;
        }
        ++count;
        if (end == std::string_view::npos) {
            return count;
        }
        start = end + 1;
    }
}

/// Parses the whole of `text` as a decimal number; false if anything is left.
inline bool parse_number(std::string_view text, double& value) noexcept {
    // A plus sign, as strtod takes it; from_chars does not.
    if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return false;
    }
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range && end == text.data() + text.size()) {
        // Too small for a double rounds to zero, as it would in a float;
        // too large stays an error (it is not a finite number).
        char buffer[512];
        if (text.size() < sizeof buffer) {
            std::memcpy(buffer, text.data(), text.size());
            buffer[text.size()] = '\0';
            const double rounded = std::strtod(buffer, nullptr);
            if (std::abs(rounded) < 1.0) {
                value = rounded;
                return true;
            }
        }
        return false;
    }
    return ec == std::errc() && end == text.data() + text.size();
#else
    // strtod needs a terminated string and honours the C locale's decimal point.
    char buffer[64];
    if (text.size() >= sizeof buffer) {
        return false;
    }
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    char* end = nullptr;
    errno = 0;
    value = std::strtod(buffer, &end);
    return errno == 0 && end == buffer + text.size();
#endif
}

/// Parses the whole of `text` as a decimal integer; false if anything is left.
inline bool parse_integer(std::string_view text, std::int64_t& value) noexcept {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

/// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates).
inline bool is_utf8(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t code = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            length = 2;
            code = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            code = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4;
            code = c & 0x07u;
        } else {
            return false;
        }
        if (i + length > text.size()) {
            return false;
        }
        for (std::size_t j = 1; j < length; ++j) {
            const auto continuation = static_cast<unsigned char>(text[i + j]);
            if ((continuation & 0xC0) != 0x80) {
                return false;
            }
            code = (code << 6) | (continuation & 0x3Fu);
        }
        const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < smallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
            return false;
        }
        i += length;
    }
    return true;
}

/// `text` as UTF-8: unchanged when it already is valid UTF-8, otherwise read
/// as ISO-8859-1, where every byte is the code point of the same value.
inline std::string to_utf8(std::string_view text) {
    if (is_utf8(text)) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out.push_back(ch);
        } else {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

}  // namespace mf::detail

#endif  // MF_DETAIL_TEXT_HPP
