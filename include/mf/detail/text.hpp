// Reading text files: whole-file reads, lines, fields and numbers.
#ifndef MF_DETAIL_TEXT_HPP
#define MF_DETAIL_TEXT_HPP

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "mf/errors.hpp"

namespace mf::detail {

/// The whole content of a file. Throws mf::io_error naming the file and the
/// reason when it cannot be read.
inline std::string read_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        throw io_error("cannot read '" + path.string() + "': it is a directory");
    }
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                               &std::fclose);
    if (!file) {
        throw io_error("cannot open '" + path.string() + "': " + std::strerror(errno));
    }
    std::string content;
    char buffer[1 << 16];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
        content.append(buffer, got);
    }
    if (std::ferror(file.get())) {
        throw io_error("cannot read '" + path.string() + "': " + std::strerror(errno));
    }
    return content;
}

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

/// Number of lines in a text as Lines walks them (a last line without an ending counts).
inline std::size_t count_lines(std::string_view text) noexcept {
    std::size_t n = 0;
    for (std::size_t j = 0; j < text.size(); ++j) {
        const bool cr_alone = text[j] == '\r' && (j + 1 == text.size() || text[j + 1] != '\n');
        if (text[j] == '\n' || cr_alone) {
            ++n;
        }
    }
    const char last = text.empty() ? '\n' : text.back();
    return n + (last != '\n' && last != '\r' ? 1 : 0);
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
    if (text.empty()) {
        return false;
    }
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
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
