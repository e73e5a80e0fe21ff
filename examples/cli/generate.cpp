// mf generate: writes synthetic ratings with a known structure.
#include <cstddef>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>

#include "tool.hpp"
#include "write_ratings.hpp"

namespace cli {

namespace {

struct GenerateOptions {
    bool help = false;
    std::filesystem::path out_train;
    std::optional<std::filesystem::path> out_test;
    std::optional<double> test_fraction;
    std::string format = "libmf";
    mf::SyntheticOptions synthetic;
};

std::string generate_usage() {
    const mf::SyntheticOptions d;
    std::ostringstream text;
    text << "Usage: mf generate --out-train FILE [--out-test FILE --test-fraction X] [OPTIONS]\n"
            "\n"
            "Writes ratings drawn from a hidden biased factor model with power-law\n"
            "popularity (mf::synthetic_ratings), whole stars from 1 to 5, no pair twice.\n"
            "\n"
            "Files:\n"
            "  --out-train FILE     where the (training) ratings go\n"
            "  --out-test FILE      where the held-out ratings go; needs --test-fraction\n"
            "  --test-fraction X    share of all ratings held out at random, in (0, 1)\n"
            "  --format NAME        libmf (default): row col value, with 0-based indices;\n"
            "                       movielens: user<TAB>item<TAB>rating<TAB>0, ids from 1\n"
            "\n"
            "Data (the defaults are mf::SyntheticOptions{}, shaped like MovieLens 100k):\n"
            "  --users N            users (default "
         << d.users
         << ")\n"
            "  --items N            items (default "
         << d.items
         << ")\n"
            "  --ratings N          ratings in all (default "
         << d.ratings
         << ")\n"
            "  --min-per-user N     ratings every user gets at least (default "
         << d.min_per_user
         << ")\n"
            "  --rank N             rank of the hidden factors (default "
         << d.rank
         << ")\n"
            "  --noise X            standard deviation of the noise (default "
         << d.noise
         << ")\n"
            "  --skew X             Zipf exponent of popularity; 0 is uniform (default "
         << d.popularity_skew
         << ")\n"
            "  --seed N             seeds the ratings and the split (default "
         << d.seed
         << ")\n"
            "  --help               show this text\n";
    return text.str();
}

GenerateOptions parse_generate(int argc, const char* const* argv) {
    GenerateOptions options;
    mf::SyntheticOptions& synthetic = options.synthetic;
    Arguments arguments(argc, argv, 2);
    while (arguments.next()) {
        const std::string_view option = arguments.option();
        if (option == "--help" || option == "-h") {
            arguments.flag();
            options.help = true;
            return options;
        } else if (option == "--out-train") {
            options.out_train = parse_file(option, arguments);
        } else if (option == "--out-test") {
            options.out_test = parse_file(option, arguments);
        } else if (option == "--test-fraction") {
            options.test_fraction =
                example::parse_real(option, arguments.value(), "a number strictly between 0 and 1",
                                    [](double x) { return x > 0.0 && x < 1.0; });
        } else if (option == "--format") {
            options.format =
                example::parse_choice(option, arguments.value(), {"libmf", "movielens"});
        } else if (option == "--users") {
            synthetic.users = example::parse_count(option, arguments.value());
        } else if (option == "--items") {
            synthetic.items = example::parse_count(option, arguments.value());
        } else if (option == "--ratings") {
            synthetic.ratings = example::parse_count(option, arguments.value());
        } else if (option == "--min-per-user") {
            synthetic.min_per_user = example::parse_count(option, arguments.value(), 0);
        } else if (option == "--rank") {
            synthetic.rank = example::parse_count(option, arguments.value());
        } else if (option == "--noise") {
            synthetic.noise = example::parse_real(option, arguments.value(), "a number >= 0",
                                                  [](double x) { return x >= 0.0; });
        } else if (option == "--skew") {
            synthetic.popularity_skew = example::parse_real(
                option, arguments.value(), "a number >= 0", [](double x) { return x >= 0.0; });
        } else if (option == "--seed") {
            synthetic.seed = example::parse_seed(option, arguments.value());
        } else {
            throw arguments.unexpected();
        }
    }
    if (options.out_train.empty()) {
        throw UsageError("--out-train is required");
    }
    if (options.out_test.has_value() != options.test_fraction.has_value()) {
        throw UsageError(options.out_test ? "--out-test needs --test-fraction"
                                          : "--test-fraction needs --out-test");
    }
    // The same file twice would keep the test set alone.
    if (options.out_test && same_file(*options.out_test, options.out_train)) {
        throw UsageError("--out-train and --out-test name the same file");
    }
    return options;
}

int run_generate(const GenerateOptions& options) {
    const auto start = Clock::now();
    mf::Dataset data;
    try {
        data = mf::synthetic_ratings(options.synthetic);
    } catch (const mf::invalid_argument& e) {
        // The options as given cannot be met: the command line is at fault.
        throw UsageError(e.what());
    }
    const double generate_seconds = seconds_since(start);

    const mf::Format format =
        options.format == "movielens" ? mf::Format::movielens : mf::Format::libmf;
    const auto write = [&](const std::filesystem::path& file, const mf::Ratings& ratings) {
        const auto write_start = Clock::now();
        const std::size_t bytes = write_ratings(file, ratings, data.users, data.items, format);
        std::cout << "wrote " << file.string() << ": " << ratings.size() << " ratings, "
                  << fixed(static_cast<double>(bytes) / 1e6, 1) << " MB in "
                  << fixed(seconds_since(write_start), 3) << " s\n";
    };
    std::cout << "generated " << data.ratings.size() << " ratings of " << data.users.size()
              << " users for " << data.items.size() << " items in " << fixed(generate_seconds, 3)
              << " s\n";
    if (options.out_test) {
        const mf::TrainTest split =
            mf::random_holdout(data.ratings, *options.test_fraction, options.synthetic.seed);
        data.ratings = mf::Ratings();  // the split holds copies
        write(options.out_train, split.train);
        write(*options.out_test, split.test);
    } else {
        write(options.out_train, data.ratings);
    }
    return 0;
}

}  // namespace

int generate_command(int argc, const char* const* argv) {
    const GenerateOptions options = parse_generate(argc, argv);
    if (options.help) {
        std::cout << generate_usage();
        return 0;
    }
    return run_generate(options);
}

}  // namespace cli
