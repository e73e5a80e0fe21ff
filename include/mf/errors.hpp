// The exceptions mf throws.
//
//   std::runtime_error
//     mf::error               every run-time failure reported by mf
//       mf::io_error          a file that cannot be opened, read or written
//       mf::parse_error       a file whose content is malformed (file, line)
//       mf::model_error       a model file that is not a valid model (file)
//       mf::training_error    training that cannot go on (a diverging loss)
//   std::invalid_argument
//     mf::invalid_argument    a parameter outside its valid range
#ifndef MF_ERRORS_HPP
#define MF_ERRORS_HPP

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace mf {

namespace detail {

/// The length of the valid UTF-8 sequence at the start of `text` (1 to 4), or 0
/// when it starts with a byte that begins none.
inline std::size_t utf8_length(std::string_view text) noexcept {
    const auto byte = [&](std::size_t j) { return static_cast<unsigned char>(text[j]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead < 0x80) {
        return 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
        high = lead == 0xED ? 0x9F : 0xBF;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
    } else {
        return 0;
    }
    if (text.size() < length || byte(1) < low || byte(1) > high) {
        return 0;
    }
    for (std::size_t j = 2; j < length; ++j) {
        if (byte(j) < 0x80 || byte(j) > 0xBF) {
            return 0;
        }
    }
    return length;
}

/// `text` with every control byte (below 0x20, and 0x7F) and every byte that
/// is not part of valid UTF-8 written as \xNN, so that a message stays one
/// line of valid UTF-8 whatever file names and fields it quotes.
inline std::string printable(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (std::size_t j = 0; j < text.size();) {
        const auto c = static_cast<unsigned char>(text[j]);
        const std::size_t length = utf8_length(text.substr(j));
        if (length == 0 || c < 0x20 || c == 0x7F) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
            ++j;
        } else {
            out.append(text.substr(j, length));
            j += length;
        }
    }
    return out;
}

/// `text` in single quotes for an error message: bytes below 0x20 and 0x7F are
/// written as \xNN, so a NUL or a control character cannot cut or garble the
/// message, and text beyond 40 bytes is cut to "..." so a huge field cannot
/// flood it.
inline std::string quote(std::string_view text) {
    constexpr std::size_t limit = 40;
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out = "'";
    for (std::size_t j = 0; j < text.size() && j < limit; ++j) {
        const auto c = static_cast<unsigned char>(text[j]);
        if (c < 0x20 || c == 0x7F) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        } else {
            out += static_cast<char>(c);
        }
    }
    out += text.size() > limit ? "'..." : "'";
    return out;
}

}  // namespace detail

/// Base of every run-time failure reported by mf. The message is made
/// printable (see detail::printable): a file name or a field holding a line
/// break or bytes that are not UTF-8 cannot break it.
class error : public std::runtime_error {
  public:
    explicit error(const std::string& what) : std::runtime_error(detail::printable(what)) {}
};

/// A file that cannot be opened, read or written. The message names the file.
class io_error : public error {
  public:
    using error::error;
};

/// Malformed input. The message reads `FILE:LINE: what was wrong`, or
/// `FILE:LINE:COLUMN: ...` for the fault of one field; file(), line() and
/// column() give the parts, so a program can point its user at the line. A fault
/// of the whole file (one with no ratings at all) has line 0 and reads
/// `FILE: what was wrong`.
class parse_error : public error {
  public:
    parse_error(std::string file, const std::string& what)
        : error(file + ": " + what), m_file(std::move(file)), m_line(0) {}

    parse_error(std::string file, std::size_t line, const std::string& what)
        : error(file + ":" + std::to_string(line) + ": " + what),
          m_file(std::move(file)),
          m_line(line) {}

    /// As above, with the column (from 1, in bytes) where the fault starts:
    /// `FILE:LINE:COLUMN: what was wrong`.
    parse_error(std::string file, std::size_t line, std::size_t column, const std::string& what)
        : error(file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what),
          m_file(std::move(file)),
          m_line(line),
          m_column(column) {}

    /// The file as it was named when it was opened.
    const std::string& file() const noexcept { return m_file; }

    /// The line number, counting from 1.
    std::size_t line() const noexcept { return m_line; }

    /// The column, counting from 1, or 0 when the fault is the whole line's.
    std::size_t column() const noexcept { return m_column; }

  private:
    std::string m_file;
    std::size_t m_line;
    std::size_t m_column = 0;
};

/// A model file that is not a valid model: truncated, corrupted (its checksum
/// does not match), not a model file at all, of a format version or a scalar
/// type that the loader does not read, or holding values no model can have.
/// The message reads `FILE: what was wrong`; file() gives the file.
class model_error : public error {
  public:
    model_error(std::string file, const std::string& what)
        : error(file + ": " + what), m_file(std::move(file)) {}

    /// The file as it was named when it was opened.
    const std::string& file() const noexcept { return m_file; }

  private:
    std::string m_file;
};

/// Training that cannot continue, such as a loss that stopped being finite.
class training_error : public error {
  public:
    using error::error;
};

/// A parameter outside its valid range. The message names the parameter, the
/// value received and the rule it broke.
class invalid_argument : public std::invalid_argument {
  public:
    explicit invalid_argument(const std::string& what)
        : std::invalid_argument(detail::printable(what)) {}
};

}  // namespace mf

#endif  // MF_ERRORS_HPP
