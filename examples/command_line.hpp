// The command line of the movielens_100k example: its options, their parsing
// and the --help text. Part of the example, not of the library.
#ifndef MF_EXAMPLES_COMMAND_LINE_HPP
#define MF_EXAMPLES_COMMAND_LINE_HPP

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <mf/mf.hpp>

namespace example {

/// A command line the program cannot run with. The message names the option
/// and the value; main() adds a hint to use --help and exits with status 2.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Everything the command line can set. Unset overrides keep the preset's value.
struct Options {
    bool help = false;
    std::optional<std::filesystem::path> data;  ///< --data; empty: look for it
    bool synthetic = false;                     ///< use synthetic ratings even if ml-100k is found
    std::string preset = "default";             ///< "default" or "notebook"
    std::string split = "per-user";             ///< per-user, random, u1..u5, ua, ub, u1-u5
    std::optional<double> test_fraction;        ///< held out by per-user and random
    std::uint64_t seed = 42;                    ///< seeds the split and the trainer
    std::optional<std::size_t> epochs;
    std::optional<std::size_t> factors;
    std::optional<double> learning_rate;
    std::optional<double> reg_factors;
    std::filesystem::path out = "out";
    bool json = false;

    /// --test-fraction, or the share of the ratings held out when it is not given.
    double holdout_fraction() const { return test_fraction.value_or(0.2); }

    /// Whether --split names MovieLens files (u1.base, ...) rather than a random split.
    bool predefined_split() const { return split != "per-user" && split != "random"; }

    /// The folds to run one after the other: five for u1-u5, else just the split.
    std::vector<std::string> folds() const {
        if (split == "u1-u5") {
            return {"u1", "u2", "u3", "u4", "u5"};
        }
        return {split};
    }
};

/// The --help text. `download_dir` is where configuring downloads the data
/// set, the last place the program looks; empty when there is none.
inline std::string usage(const std::string& download_dir) {
    const std::string search_order =
        download_dir.empty() ? "  $MF_DATA_DIR, then data/ml-100k.\n"
                             : "  $MF_DATA_DIR, then data/ml-100k, then the copy that configuring\n"
                               "  downloaded: "
                                   + download_dir + "\n";
    return "Usage: movielens_100k [OPTIONS]\n"
           "\n"
           "Trains a matrix factorization with mf on MovieLens 100k, reports its error on\n"
           "held-out ratings and the top 5 films for one user, and writes the training\n"
           "curve and a histogram of the errors as SVG charts and CSV files.\n"
           "\n"
           "Data:\n"
           "  --data DIR           the unzipped ml-100k folder\n"
           "  --synthetic          use synthetic ratings shaped like ml-100k instead\n"
           "  --split NAME         per-user (default): each user's ratings split at random;\n"
           "                       random: all ratings split at random; u1 ... u5, ua, ub:\n"
           "                       the split files of ml-100k; u1-u5: five folds in turn\n"
           "  --test-fraction X    share held out by per-user and random (default 0.2)\n"
           "  --seed N             seeds the split and the training (default 42)\n"
           "\n"
           "Model:\n"
           "  --preset NAME        default: mf::SgdOptions{}, predictions clamped to the\n"
           "                       rating scale; notebook: SgdOptions::notebook(), the\n"
           "                       reference notebook's setup, without clamping\n"
           "  --epochs N           passes over the training set\n"
           "  --factors N          latent factors\n"
           "  --lr X               learning rate of the first epoch\n"
           "  --reg X              regularisation of the factors\n"
           "\n"
           "Output:\n"
           "  --out DIR            folder for the charts and CSV files (default: out)\n"
           "  --json               end with one line of JSON holding the results\n"
           "  --help               show this text\n"
           "\n"
           "Without --data, the program looks for u.data in\n"
           + search_order
           + "When none holds it, the program runs on synthetic ratings of the same shape\n"
             "and starts every line it prints with [synthetic].\n";
}

/// The trainer's options: the preset, then what the command line overrides.
inline mf::SgdOptions training_options(const example::Options& options) {
    mf::SgdOptions sgd =
        options.preset == "notebook" ? mf::SgdOptions::notebook() : mf::SgdOptions{};
    sgd.seed = options.seed;
    sgd.epochs = options.epochs.value_or(sgd.epochs);
    sgd.factors = options.factors.value_or(sgd.factors);
    sgd.learning_rate = options.learning_rate.value_or(sgd.learning_rate);
    sgd.reg_factors = options.reg_factors.value_or(sgd.reg_factors);
    return sgd;
}

namespace detail {

inline std::string in_quotes(std::string_view text) {
    return "'" + std::string(text) + "'";
}

inline std::size_t parse_count(std::string_view option, const std::string& text) {
    std::size_t value = 0;
    const char* const end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || stop != end || value == 0) {
        throw UsageError(std::string(option) + " expects a whole number of at least 1, got "
                         + in_quotes(text));
    }
    return value;
}

inline std::uint64_t parse_seed(std::string_view option, const std::string& text) {
    std::uint64_t value = 0;
    const char* const end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || stop != end) {
        throw UsageError(std::string(option) + " expects a whole number from 0 to 2^64 - 1, got "
                         + in_quotes(text));
    }
    return value;
}

// `rule` says which values are accepted; `accepts` checks it.
template <class Rule>
double parse_real(std::string_view option, const std::string& text, const char* rule,
                  Rule accepts) {
    // from_chars takes plain decimal only: no hexadecimal, no locale, no leading blanks.
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || stop != end || !std::isfinite(value)
        || !accepts(value)) {
        throw UsageError(std::string(option) + " expects " + rule + ", got " + in_quotes(text));
    }
    return value;
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
    throw UsageError(std::string(option) + " expects " + list + ", got " + in_quotes(text));
}

}  // namespace detail

/// Reads the arguments, `--option value` or `--option=value`.
/// Throws UsageError for an unknown option, a missing value or a bad one.
inline Options parse_command_line(int argc, const char* const* argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        std::string_view option = argument;
        std::optional<std::string> attached;
        if (const std::size_t equals = argument.find('=');
            argument.substr(0, 2) == "--" && equals != std::string_view::npos) {
            option = argument.substr(0, equals);
            attached = std::string(argument.substr(equals + 1));
        }

        bool* const flag = option == "--help" || option == "-h" ? &options.help
                           : option == "--json"                 ? &options.json
                           : option == "--synthetic"            ? &options.synthetic
                                                                : nullptr;
        if (flag != nullptr) {
            if (attached) {
                throw UsageError(std::string(option) + " takes no value, got "
                                 + detail::in_quotes(*attached));
            }
            *flag = true;
            continue;
        }
        const auto value = [&]() -> std::string {
            if (attached) {
                return *attached;
            }
            // "--data --out x" lacks the folder: an option is never taken as a value.
            if (i + 1 >= argc || std::string_view(argv[i + 1]).substr(0, 2) == "--") {
                throw UsageError(std::string(option) + " needs a value");
            }
            return argv[++i];
        };

        if (option == "--data") {
            const std::string dir = value();
            if (dir.empty()) {
                throw UsageError("--data expects a folder, got ''");
            }
            options.data = dir;
        } else if (option == "--preset") {
            options.preset = detail::parse_choice(option, value(), {"default", "notebook"});
        } else if (option == "--split") {
            options.split = detail::parse_choice(
                option, value(),
                {"per-user", "random", "u1", "u2", "u3", "u4", "u5", "ua", "ub", "u1-u5"});
        } else if (option == "--test-fraction") {
            options.test_fraction =
                detail::parse_real(option, value(), "a number strictly between 0 and 1",
                                   [](double x) { return x > 0.0 && x < 1.0; });
        } else if (option == "--seed") {
            options.seed = detail::parse_seed(option, value());
        } else if (option == "--epochs") {
            options.epochs = detail::parse_count(option, value());
        } else if (option == "--factors") {
            options.factors = detail::parse_count(option, value());
        } else if (option == "--lr") {
            options.learning_rate =
                detail::parse_real(option, value(), "a number", [](double) { return true; });
        } else if (option == "--reg") {
            options.reg_factors =
                detail::parse_real(option, value(), "a number", [](double) { return true; });
        } else if (option == "--out") {
            const std::string dir = value();
            if (dir.empty()) {
                throw UsageError("--out expects a folder, got ''");
            }
            options.out = dir;
        } else if (argument.substr(0, 1) == "-") {
            throw UsageError("unknown option " + detail::in_quotes(argument));
        } else {
            throw UsageError("unexpected argument " + detail::in_quotes(argument));
        }
    }

    if (options.synthetic && options.data) {
        throw UsageError("--synthetic and --data " + detail::in_quotes(options.data->string())
                         + " exclude each other");
    }
    if (options.synthetic && options.predefined_split()) {
        throw UsageError("--split " + detail::in_quotes(options.split)
                         + " reads the split files of ml-100k, so it cannot run on --synthetic");
    }
    if (options.test_fraction && options.predefined_split()) {
        // The predefined folds fix their test sets; a fraction would be silently ignored.
        throw UsageError("--test-fraction applies to --split per-user and random, not to "
                         + detail::in_quotes(options.split));
    }
    // The library's own rules, on the options as they will train: preset and
    // overrides together, since some rules tie two options.
    try {
        mf::SgdTrainer::validate(training_options(options));
    } catch (const mf::invalid_argument& e) {
        throw UsageError(e.what());
    }
    return options;
}

}  // namespace example

#endif  // MF_EXAMPLES_COMMAND_LINE_HPP
