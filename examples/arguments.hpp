// Reading command-line arguments strictly: `--option value` and
// `--option=value`, whole numbers, real numbers and choices, each refused with
// a message that names the option and the value. Shared by the example
// programs; not part of the library.
#ifndef MF_EXAMPLES_ARGUMENTS_HPP
#define MF_EXAMPLES_ARGUMENTS_HPP

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace example {

/// A command line the program cannot run with. The message names the option
/// and the value; main() adds a hint to use --help and exits with status 2.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Walks the arguments from `first` on, one option at a time.
class Arguments {
  public:
    Arguments(int argc, const char* const* argv, int first = 1)
        : m_argc(argc), m_argv(argv), m_next(first) {}

    /// Moves to the next argument; false after the last one.
    bool next() {
        if (m_next >= m_argc) {
            return false;
        }
        m_argument = m_argv[m_next++];
        m_option = m_argument;
        m_attached.reset();
        if (const std::size_t equals = m_argument.find('=');
            m_argument.substr(0, 2) == "--" && equals != std::string_view::npos) {
            m_option = m_argument.substr(0, equals);
            m_attached = std::string(m_argument.substr(equals + 1));
        }
        return true;
    }

    /// The argument as given, and its option part (before any '=').
    std::string_view argument() const noexcept { return m_argument; }
    std::string_view option() const noexcept { return m_option; }
    bool is(std::string_view option) const noexcept { return m_option == option; }

    /// Whether the argument looks like an option rather than an operand.
    bool is_option() const noexcept { return m_argument.substr(0, 1) == "-"; }

    /// Accepts the argument as a flag; throws UsageError when it has a value.
    void flag() const {
        if (m_attached) {
            throw UsageError(std::string(m_option) + " takes no value, got "
                             + in_quotes(*m_attached));
        }
    }

    /// The option's value: after '=', or the next argument. Throws UsageError
    /// when there is none; "--data --out x" lacks the folder, since an option
    /// is never taken as a value.
    std::string value() {
        if (m_attached) {
            return *m_attached;
        }
        if (m_next >= m_argc || std::string_view(m_argv[m_next]).substr(0, 2) == "--") {
            throw UsageError(std::string(m_option) + " needs a value");
        }
        return m_argv[m_next++];
    }

    /// The error for an argument nobody accepted.
    UsageError unexpected() const {
        return UsageError((is_option() ? "unknown option " : "unexpected argument ")
                          + in_quotes(m_argument));
    }

    static std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

  private:
    int m_argc;
    const char* const* m_argv;
    int m_next;
    std::string_view m_argument;
    std::string_view m_option;
    std::optional<std::string> m_attached;
};

/// A whole number of at least `minimum`, in decimal digits only.
inline std::size_t parse_count(std::string_view option, const std::string& text,
                               std::size_t minimum = 1) {
    std::size_t value = 0;
    const char* const end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || stop != end || value < minimum) {
        throw UsageError(std::string(option) + " expects a whole number of at least "
                         + std::to_string(minimum) + ", got " + Arguments::in_quotes(text));
    }
    return value;
}

inline std::uint64_t parse_seed(std::string_view option, const std::string& text) {
    std::uint64_t value = 0;
    const char* const end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || stop != end) {
        throw UsageError(std::string(option) + " expects a whole number from 0 to 2^64 - 1, got "
                         + Arguments::in_quotes(text));
    }
    return value;
}

/// A finite decimal number that `accepts`; `rule` says which ones it does.
template <class Rule>
double parse_real(std::string_view option, const std::string& text, const char* rule,
                  Rule accepts) {
    // from_chars takes plain decimal only: no hexadecimal, no locale, no leading blanks.
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || stop != end || !std::isfinite(value)
        || !accepts(value)) {
        throw UsageError(std::string(option) + " expects " + rule + ", got "
                         + Arguments::in_quotes(text));
    }
    return value;
}

/// Any finite decimal number; the library checks the rules that apply.
inline double parse_real(std::string_view option, const std::string& text) {
    return parse_real(option, text, "a number", [](double) { return true; });
}

inline std::string parse_choice(std::string_view option, const std::string& text,
                                const std::vector<std::string>& choices) {
    for (const std::string& choice : choices) {
        if (text == choice) {
            return text;
        }
    }
    std::string list;
    for (std::size_t j = 0; j < choices.size(); ++j) {
        list += (j == 0 ? "" : j + 1 == choices.size() ? " or " : ", ") + choices[j];
    }
    throw UsageError(std::string(option) + " expects " + list + ", got "
                     + Arguments::in_quotes(text));
}

}  // namespace example

#endif  // MF_EXAMPLES_ARGUMENTS_HPP
