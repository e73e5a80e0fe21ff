// One JSON object on one line, for programs that read the example's results.
// Part of the examples, not of the library.
#ifndef MF_EXAMPLES_JSON_LINE_HPP
#define MF_EXAMPLES_JSON_LINE_HPP

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <mf/errors.hpp>

namespace example {

/// Builds `{"key":value,...}` field by field. Numbers keep 10 significant
/// digits; a number that is not finite becomes null, which JSON can express.
class JsonLine {
  public:
    JsonLine& add(std::string_view key, const std::string& value) {
        return field(key, quote(value));
    }
    JsonLine& add(std::string_view key, double value) { return field(key, number(value)); }
    template <class Integer, class = std::enable_if_t<std::is_integral_v<Integer>>>
    JsonLine& add(std::string_view key, Integer value) {
        return field(key, std::to_string(value));
    }
    JsonLine& add(std::string_view key, const std::vector<double>& values) {
        return field(key, list(values, [](double v) { return number(v); }));
    }
    JsonLine& add(std::string_view key, const std::vector<std::size_t>& values) {
        return field(key, list(values, [](std::size_t v) { return std::to_string(v); }));
    }
    JsonLine& add(std::string_view key, const std::vector<std::string>& values) {
        return field(key, list(values, [](const std::string& v) { return quote(v); }));
    }
    JsonLine& add(std::string_view key, const std::vector<std::vector<std::string>>& lists) {
        return field(key, list(lists, [](const std::vector<std::string>& values) {
                         return list(values, [](const std::string& v) { return quote(v); });
                     }));
    }

    /// The object, without a line break.
    std::string str() const { return "{" + m_fields + "}"; }

  private:
    JsonLine& field(std::string_view key, const std::string& value) {
        m_fields += (m_fields.empty() ? "" : ",") + quote(key) + ":" + value;
        return *this;
    }

    static std::string number(double value) {
        if (!std::isfinite(value)) {
            return "null";
        }
        char text[32];
        std::snprintf(text, sizeof text, "%.10g", value);
        return text;
    }

    static std::string quote(std::string_view raw) {
        const std::string text = valid_utf8(raw);
        std::string out = "\"";
        for (const char c : text) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += c;
            } else if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                out += escaped;
            } else {
                out += c;  // UTF-8 passes through: JSON text is UTF-8
            }
        }
        return out + "\"";
    }

    /// The text with every byte that is not part of valid UTF-8 (a file name
    /// in ISO-8859-1, say) taken as the character of that code, so that the
    /// line stays valid JSON.
    static std::string valid_utf8(std::string_view text) {
        std::string out;
        for (std::size_t j = 0; j < text.size();) {
            const std::size_t length = mf::detail::utf8_length(text.substr(j));
            if (length == 0) {
                const auto c = static_cast<unsigned char>(text[j]);
                out += static_cast<char>(0xC0 | (c >> 6));
                out += static_cast<char>(0x80 | (c & 0x3F));
                ++j;
            } else {
                out.append(text.substr(j, length));
                j += length;
            }
        }
        return out;
    }

    template <class T, class Format>
    static std::string list(const std::vector<T>& values, Format format) {
        std::string out = "[";
        for (std::size_t j = 0; j < values.size(); ++j) {
            // Two appends, not "," + format(...): for that, GCC 12 in C++20 at -O2
            // gives a false -Wrestrict warning from inside std::string.
            out += j == 0 ? "" : ",";
            out += format(values[j]);
        }
        return out + "]";
    }

    std::string m_fields;
};

}  // namespace example

#endif  // MF_EXAMPLES_JSON_LINE_HPP
