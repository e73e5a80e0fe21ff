// The command line of the movielens_100k example: its options, their parsing
// and the --help text. Part of the example, not of the library.
#ifndef MF_EXAMPLES_COMMAND_LINE_HPP
#define MF_EXAMPLES_COMMAND_LINE_HPP

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mf/mf.hpp>

#include "arguments.hpp"

namespace example {

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

/// Reads the arguments, `--option value` or `--option=value`.
/// Throws UsageError for an unknown option, a missing value or a bad one.
inline Options parse_command_line(int argc, const char* const* argv) {
    Options options;
    Arguments arguments(argc, argv);
    while (arguments.next()) {
        const std::string_view option = arguments.option();
        bool* const flag = option == "--help" || option == "-h" ? &options.help
                           : option == "--json"                 ? &options.json
                           : option == "--synthetic"            ? &options.synthetic
                                                                : nullptr;
        if (flag != nullptr) {
            arguments.flag();
            *flag = true;
        } else if (option == "--data") {
            const std::string dir = arguments.value();
            if (dir.empty()) {
                throw UsageError("--data expects a folder, got ''");
            }
            options.data = dir;
        } else if (option == "--preset") {
            options.preset = parse_choice(option, arguments.value(), {"default", "notebook"});
        } else if (option == "--split") {
            options.split = parse_choice(
                option, arguments.value(),
                {"per-user", "random", "u1", "u2", "u3", "u4", "u5", "ua", "ub", "u1-u5"});
        } else if (option == "--test-fraction") {
            options.test_fraction =
                parse_real(option, arguments.value(), "a number strictly between 0 and 1",
                           [](double x) { return x > 0.0 && x < 1.0; });
        } else if (option == "--seed") {
            options.seed = parse_seed(option, arguments.value());
        } else if (option == "--epochs") {
            options.epochs = parse_count(option, arguments.value());
        } else if (option == "--factors") {
            options.factors = parse_count(option, arguments.value());
        } else if (option == "--lr") {
            options.learning_rate = parse_real(option, arguments.value());
        } else if (option == "--reg") {
            options.reg_factors = parse_real(option, arguments.value());
        } else if (option == "--out") {
            const std::string dir = arguments.value();
            if (dir.empty()) {
                throw UsageError("--out expects a folder, got ''");
            }
            options.out = dir;
        } else {
            throw arguments.unexpected();
        }
    }

    if (options.synthetic && options.data) {
        throw UsageError("--synthetic and --data " + Arguments::in_quotes(options.data->string())
                         + " exclude each other");
    }
    if (options.synthetic && options.predefined_split()) {
        throw UsageError("--split " + Arguments::in_quotes(options.split)
                         + " reads the split files of ml-100k, so it cannot run on --synthetic");
    }
    if (options.test_fraction && options.predefined_split()) {
        // The predefined folds fix their test sets; a fraction would be silently ignored.
        throw UsageError("--test-fraction applies to --split per-user and random, not to "
                         + Arguments::in_quotes(options.split));
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
