// mf: matrix factorization from the command line.
//
//   mf train TRAIN [--test TEST] [-k N] [--epochs N] [--threads N] [--json] ...
//   mf generate --out-train FILE [--out-test FILE --test-fraction X] ...
//
// `train` reads a ratings file (MovieLens, LIBMF or any delimited text), trains
// a model with mf::SgdTrainer and reports the error after each epoch, cold users
// and items of the test file included; `generate` writes synthetic ratings with
// a known structure. See docs/tool.md.
#include <mf/mf.hpp>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <initializer_list>
#include <iomanip>
#include <iostream>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/resource.h>
#endif

#include "arguments.hpp"
#include "json_line.hpp"
#include "timing.hpp"
#include "write_ratings.hpp"

namespace {

using example::Arguments;
using example::Clock;
using example::fixed;
using example::seconds_since;
using example::UsageError;

/// The most memory the process has held so far, in MiB; NaN where unknown.
double peak_rss_mib() {
#if defined(__APPLE__)
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0);  // bytes
#elif defined(__unix__)
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB
#else
    return std::nan("");
#endif
}

/// The value of `names` that `text` spells as mf::to_string does, or a
/// UsageError listing them.
template <class Enum>
Enum parse_named(std::string_view option, const std::string& text,
                 std::initializer_list<Enum> names) {
    std::vector<std::string> choices;
    for (const Enum name : names) {
        choices.emplace_back(mf::to_string(name));
    }
    const std::string choice = example::parse_choice(option, text, choices);
    for (const Enum name : names) {
        if (choice == mf::to_string(name)) {
            return name;
        }
    }
    return *names.begin();  // parse_choice threw for anything else
}

mf::Format parse_format(std::string_view option, const std::string& text) {
    using F = mf::Format;
    return parse_named(
        option, text,
        {F::automatic, F::movielens, F::movielens_dat, F::movielens_csv, F::libmf, F::delimited});
}

mf::Separator parse_separator(std::string_view option, const std::string& text) {
    using S = mf::Separator;
    return parse_named(option, text, {S::tab, S::comma, S::semicolon, S::double_colon, S::blanks});
}

/// `--columns U,I,R[,T]`: field numbers from 1, as people count them; the
/// library counts from 0.
mf::Columns parse_columns(std::string_view option, const std::string& text) {
    const auto bad = [&](const std::string& rule) {
        return UsageError(std::string(option) + " expects " + rule + ", got "
                          + Arguments::in_quotes(text));
    };
    const char* const rule =
        "the field numbers of the user, item, rating and optionally the timestamp, counting "
        "from 1, such as 1,2,3 or 2,1,3,4";
    std::vector<std::size_t> fields;
    const char* p = text.data();
    const char* const end = p + text.size();
    while (true) {
        std::size_t field = 0;
        const auto [stop, ec] = std::from_chars(p, end, field);
        if (ec != std::errc() || stop == p || field == 0) {
            throw bad(rule);
        }
        fields.push_back(field - 1);
        if (stop == end) {
            break;
        }
        if (*stop != ',') {
            throw bad(rule);
        }
        p = stop + 1;
    }
    if (fields.size() < 3 || fields.size() > 4) {
        throw bad(rule);
    }
    for (std::size_t a = 0; a < fields.size(); ++a) {
        for (std::size_t b = a + 1; b < fields.size(); ++b) {
            if (fields[a] == fields[b]) {
                throw bad("a field of its own for each of the user, item, rating and timestamp");
            }
        }
    }
    mf::Columns columns;
    columns.user = fields[0];
    columns.item = fields[1];
    columns.rating = fields[2];
    if (fields.size() == 4) {
        columns.timestamp = fields[3];
    }
    return columns;
}

/// `--scale MIN,MAX`: two finite numbers with MIN <= MAX.
mf::RatingScale parse_scale(std::string_view option, const std::string& text) {
    const std::size_t comma = text.find(',');
    const auto number = [&](const std::string& part) {
        double value = 0.0;
        const char* const end = part.data() + part.size();
        const auto [stop, ec] = std::from_chars(part.data(), end, value);
        return std::pair{value,
                         !part.empty() && ec == std::errc() && stop == end && std::isfinite(value)};
    };
    if (comma != std::string::npos) {
        const auto [min, min_ok] = number(text.substr(0, comma));
        const auto [max, max_ok] = number(text.substr(comma + 1));
        if (min_ok && max_ok && min <= max) {
            return mf::RatingScale{min, max};
        }
    }
    throw UsageError(std::string(option)
                     + " expects MIN,MAX, two numbers with MIN <= MAX such as 0.5,5, got "
                     + Arguments::in_quotes(text));
}

// ---------------------------------------------------------------------------
// mf train

struct TrainOptions {
    bool help = false;
    std::filesystem::path train;
    std::optional<std::filesystem::path> test;
    mf::ReadOptions read;                         ///< how TRAIN is read
    std::optional<mf::Format> test_format;        ///< --test-format; else TRAIN's format
    std::optional<std::string> delimited_option;  ///< the first option for delimited text given
    mf::SgdOptions sgd = default_sgd();
    bool json = false;

    /// mf::SgdOptions{} but for the per-epoch MSE on the training set, which
    /// costs a third of an epoch: the tool shows the mean loss of the epoch's
    /// steps instead unless --evaluate-train asks for it.
    static mf::SgdOptions default_sgd() {
        mf::SgdOptions sgd;
        sgd.evaluate_train = false;
        return sgd;
    }
};

std::string train_usage() {
    const mf::SgdOptions d = TrainOptions::default_sgd();
    std::ostringstream text;
    text << "Usage: mf train TRAIN [--test TEST] [OPTIONS]\n"
            "\n"
            "Reads the ratings in TRAIN, trains a matrix factorization on them by SGD and\n"
            "prints the learning rate, the time and the error of each epoch. TEST is read\n"
            "through the same id maps, so an id means the same user or item in both; its\n"
            "users and items that TRAIN lacks are cold, predicted by the mean rating and\n"
            "the known side's bias.\n"
            "\n"
            "Data:\n"
            "  --test FILE          ratings to measure the error on after each epoch\n"
            "  --format NAME        auto (default): judged by the file's name and first\n"
            "                       line; movielens: user<TAB>item<TAB>rating<TAB>time,\n"
            "                       as u.data; movielens-dat: user::item::rating::time,\n"
            "                       as ratings.dat; movielens-csv: ratings.csv's header,\n"
            "                       then userId,movieId,rating,timestamp; libmf: row col\n"
            "                       value, separated by blanks; delimited: as the options\n"
            "                       below say\n"
            "  --test-format NAME   the same choices for TEST (default: the format found for\n"
            "                       TRAIN, with TRAIN's options)\n"
            "  --scale MIN,MAX      ratings outside [MIN, MAX] are bad lines, and\n"
            "                       predictions are clamped to it (default: the format's\n"
            "                       own, [1, 5] or [0.5, 5] for MovieLens, else none)\n"
            "  --duplicates NAME    a user's second rating of an item: latest (default) keeps\n"
            "                       the one with the latest timestamp, else the last; mean\n"
            "                       keeps their mean; error stops with an error\n"
            "  --bad-lines NAME     error (default): a line that cannot be read is an error;\n"
            "                       skip: it is skipped, counted and reported\n"
            "\n"
            "Delimited text (--format delimited or --test-format delimited):\n"
            "  --separator NAME     tab, comma (default), semicolon, double-colon (::) or\n"
            "                       blanks (any run of spaces and tabs)\n"
            "  --columns U,I,R[,T]  the fields of the user, item, rating and timestamp,\n"
            "                       counting from 1 (default 1,2,3; no timestamp)\n"
            "  --header NAME        auto (default): the first line is a header when its\n"
            "                       rating is no number; yes; no\n"
            "  --no-quoting         double quotes are plain characters, not RFC 4180 quoting\n"
            "\n"
            "Model (the defaults are mf::SgdOptions{}):\n"
            "  -k, --factors N      latent factors (default "
         << d.factors
         << ")\n"
            "  --epochs N           passes over the training set (default "
         << d.epochs
         << ")\n"
            "  --threads N          threads that train at once (default "
         << d.threads
         << ")\n"
            "  --blocks N           the rating matrix is cut into N x N blocks for the\n"
            "                       threads; 0 picks max(8, 2 x threads) (default "
         << d.blocks
         << ")\n"
            "  --lr X               learning rate of the first epoch (default "
         << d.learning_rate
         << ")\n"
            "  --schedule NAME      decay (default): the rate shrinks by --decay each\n"
            "                       epoch; adagrad: AdaGrad, one sum per factor row\n"
            "  --decay X            share the rate shrinks by each epoch (default "
         << d.learning_rate_decay
         << ")\n"
            "  --reg X              regularisation of the factors P and Q (default "
         << d.reg_factors
         << ")\n"
            "  --reg-biases X       regularisation of the biases (default "
         << d.reg_biases
         << ")\n"
            "  --seed N             seeds the initial factors and the rating order (default "
         << d.seed
         << ")\n"
            "\n"
            "Output:\n"
            "  --evaluate-train     compute the RMSE on the whole training set after each\n"
            "                       epoch (a third of an epoch's time); without it the\n"
            "                       train column is the RMSE of the epoch's own steps\n"
            "  --json               end with one line of JSON holding the results\n"
            "  --help               show this text\n";
    return text.str();
}

TrainOptions parse_train(int argc, const char* const* argv) {
    TrainOptions options;
    mf::SgdOptions& sgd = options.sgd;
    Arguments arguments(argc, argv, 2);
    while (arguments.next()) {
        const std::string_view option = arguments.option();
        if (option == "--help" || option == "-h") {
            arguments.flag();
            options.help = true;
            return options;
        } else if (option == "--json") {
            arguments.flag();
            options.json = true;
        } else if (option == "--evaluate-train") {
            arguments.flag();
            sgd.evaluate_train = true;
        } else if (option == "--test") {
            const std::string file = arguments.value();
            if (file.empty()) {
                throw UsageError("--test expects a file, got ''");
            }
            options.test = file;
        } else if (option == "--format") {
            options.read.format = parse_format(option, arguments.value());
        } else if (option == "--test-format") {
            options.test_format = parse_format(option, arguments.value());
        } else if (option == "--scale") {
            options.read.scale = parse_scale(option, arguments.value());
        } else if (option == "--duplicates") {
            const std::string choice =
                example::parse_choice(option, arguments.value(), {"latest", "error", "mean"});
            options.read.duplicates = choice == "error"  ? mf::Duplicates::error
                                      : choice == "mean" ? mf::Duplicates::mean
                                                         : mf::Duplicates::keep_latest;
        } else if (option == "--bad-lines") {
            options.read.bad_lines =
                example::parse_choice(option, arguments.value(), {"error", "skip"}) == "skip"
                    ? mf::BadLines::skip
                    : mf::BadLines::error;
        } else if (option == "--separator" || option == "--columns" || option == "--header"
                   || option == "--no-quoting") {
            if (!options.delimited_option) {
                options.delimited_option = std::string(option);
            }
            if (option == "--separator") {
                options.read.separator = parse_separator(option, arguments.value());
            } else if (option == "--columns") {
                options.read.columns = parse_columns(option, arguments.value());
            } else if (option == "--header") {
                const std::string choice =
                    example::parse_choice(option, arguments.value(), {"auto", "yes", "no"});
                options.read.header = choice == "yes"  ? mf::Header::present
                                      : choice == "no" ? mf::Header::absent
                                                       : mf::Header::automatic;
            } else {
                arguments.flag();
                options.read.quoting = false;
            }
        } else if (option == "-k" || option == "--factors") {
            sgd.factors = example::parse_count(option, arguments.value());
        } else if (option == "--epochs") {
            sgd.epochs = example::parse_count(option, arguments.value());
        } else if (option == "--threads") {
            sgd.threads = example::parse_count(option, arguments.value());
        } else if (option == "--blocks") {
            sgd.blocks = example::parse_count(option, arguments.value(), 0);
        } else if (option == "--lr") {
            sgd.learning_rate = example::parse_real(option, arguments.value());
        } else if (option == "--decay") {
            sgd.learning_rate_decay = example::parse_real(option, arguments.value());
        } else if (option == "--reg") {
            sgd.reg_factors = example::parse_real(option, arguments.value());
        } else if (option == "--reg-biases") {
            sgd.reg_biases = example::parse_real(option, arguments.value());
        } else if (option == "--seed") {
            sgd.seed = example::parse_seed(option, arguments.value());
        } else if (option == "--schedule") {
            sgd.schedule =
                example::parse_choice(option, arguments.value(), {"decay", "adagrad"}) == "adagrad"
                    ? mf::Schedule::adagrad
                    : mf::Schedule::decay;
        } else if (!arguments.is_option() && options.train.empty()) {
            options.train = std::string(arguments.argument());
            if (options.train.empty()) {
                throw UsageError("TRAIN must name a file, got ''");
            }
        } else {
            throw arguments.unexpected();
        }
    }
    if (options.train.empty()) {
        throw UsageError("no TRAIN file given");
    }
    if (options.test_format && !options.test) {
        throw UsageError("--test-format needs --test");
    }
    // The other formats fix their separator, fields and header: an option for
    // delimited text would be silently ignored.
    if (options.delimited_option && options.read.format != mf::Format::delimited
        && options.test_format != mf::Format::delimited) {
        throw UsageError(*options.delimited_option
                         + " applies to delimited text only; add --format delimited");
    }
    try {
        mf::SgdTrainer::validate(sgd);
        mf::ReadOptions read = options.read;
        if (options.test_format == mf::Format::delimited) {
            read.format = mf::Format::delimited;  // the columns apply to the test file
        }
        mf::validate(read);
    } catch (const mf::invalid_argument& e) {
        throw UsageError(e.what());
    }
    return options;
}

/// A ratings file read through shared id maps, and how.
struct Loaded {
    mf::Ratings ratings;
    mf::ReadReport report;
    double seconds = 0.0;
};

Loaded load(const std::filesystem::path& file, const mf::ReadOptions& read, mf::IdMap& users,
            mf::IdMap& items) {
    const auto start = Clock::now();
    Loaded loaded;
    loaded.ratings = mf::read_ratings(file, users, items, read, &loaded.report);
    loaded.seconds = seconds_since(start);
    return loaded;
}

/// The options TEST is read with: --test-format's, or the format found for
/// TRAIN (with its separator, when that was detected too), so both files are
/// read alike; the other options as given.
mf::ReadOptions test_read_options(const TrainOptions& options, const mf::ReadReport& train) {
    mf::ReadOptions read = options.read;
    if (options.test_format) {
        read.format = *options.test_format;
    } else if (read.format == mf::Format::automatic) {
        read.format = train.format;
        read.separator = train.separator;
        read.columns = train.columns;
        read.quoting = train.quoting;
    }
    return read;
}

/// "[0.5, 5]".
std::string scale_text(const mf::RatingScale& scale) {
    std::ostringstream text;
    text << '[' << scale.min << ", " << scale.max << ']';
    return text.str();
}

/// "1 line", "2 lines".
std::string count_of(std::size_t n, const char* noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

/// What was read and how, such as `train: ratings.csv (movielens-csv, detected:
/// ...): 100 ratings, 2 duplicates dropped, 1 line skipped (line 7: ...), read in 0.010 s`.
/// `inherited`: the format was TRAIN's, not named or detected for this file.
void print_loaded(const char* what, const std::filesystem::path& file, const Loaded& loaded,
                  const mf::ReadOptions& read, bool inherited) {
    const mf::ReadReport& report = loaded.report;
    std::cout << what << ": " << file.string() << " (" << mf::to_string(report.format);
    if (!report.detection.empty()) {
        std::cout << ", detected: " << report.detection;
    } else if (inherited) {
        std::cout << ", as the training file";
    }
    if (report.format == mf::Format::delimited && report.detection.empty()) {
        std::cout << ", separator " << mf::to_string(report.separator)
                  << (report.header ? ", a header line" : "");
    }
    std::cout << "): " << count_of(report.ratings, "rating");
    if (report.duplicates > 0) {
        std::cout << ", " << count_of(report.duplicates, "duplicate")
                  << (read.duplicates == mf::Duplicates::mean ? " merged" : " dropped");
    }
    if (report.skipped_lines > 0) {
        const mf::SkippedLine& first = report.first_skipped.front();
        std::cout << ", " << count_of(report.skipped_lines, "line") << " skipped ("
                  << (report.skipped_lines > 1 ? "the first: " : "") << "line " << first.line
                  << ": " << first.reason << ")";
    }
    std::cout << ", read in " << fixed(loaded.seconds, 3) << " s\n";
}

int run_train(const TrainOptions& options) {
    const auto start = Clock::now();
    Loaded train;
    Loaded test;
    std::size_t n_users = 0;
    std::size_t n_items = 0;
    std::size_t new_users = 0;
    std::size_t new_items = 0;
    {
        // Training needs only the indices: the id maps go once both files are read.
        mf::IdMap users;
        mf::IdMap items;
        train = load(options.train, options.read, users, items);
        print_loaded("train", options.train, train, options.read, false);
        n_users = users.size();
        n_items = items.size();
        if (options.test) {
            // Through the training maps, so an id means the same user or item in
            // both. Ids the training file lacks get indices beyond its dimensions,
            // which the training set keeps: the model does not grow by them, and
            // predicts their ratings by its fallback.
            const mf::ReadOptions test_read = test_read_options(options, train.report);
            test = load(*options.test, test_read, users, items);
            print_loaded("test", *options.test, test, test_read,
                         !options.test_format && options.read.format == mf::Format::automatic);
            new_users = users.size() - n_users;
            new_items = items.size() - n_items;
        }
    }
    const double load_seconds = seconds_since(start);
    const double load_rss = peak_rss_mib();
    std::cout << "data: " << n_users << " users, " << n_items << " items";
    if (options.test) {
        std::cout << "; the test file adds " << count_of(new_users, "cold user") << " and "
                  << count_of(new_items, "cold item");
    }
    std::cout << "; loaded in " << fixed(load_seconds, 3) << " s, peak memory "
              << fixed(load_rss, 1) << " MiB\n";

    const mf::SgdOptions& sgd = options.sgd;
    mf::MatrixFactorization<float> model;
    // Ratings on a known scale (MovieLens's, or --scale): predictions are
    // clamped to it from the start.
    const std::optional<mf::RatingScale>& scale = train.report.scale;
    if (scale) {
        model.set_rating_scale(*scale);
    }
    std::cout << "model: " << sgd.factors << " factors, " << sgd.epochs << " epochs, "
              << sgd.threads << (sgd.threads == 1 ? " thread" : " threads") << ", "
              << (sgd.schedule == mf::Schedule::adagrad ? "adagrad" : "decay")
              << " schedule, learning rate " << sgd.learning_rate << " (decay "
              << sgd.learning_rate_decay << "), regularisation " << sgd.reg_factors << " (biases "
              << sgd.reg_biases << "), seed " << sgd.seed
              << (scale ? ", predictions clamped to " + scale_text(*scale) : std::string()) << '\n';
    // Without --evaluate-train the train column is sqrt(EpochStats::train_loss),
    // the RMSE of the epoch's steps, each taken before its update.
    std::cout << "epoch  learning rate   seconds"
              << (sgd.evaluate_train ? "  train RMSE" : "   loss RMSE") << "   test RMSE"
              << std::endl;

    std::vector<double> epoch_seconds;
    double train_rmse = std::nan("");
    double loss_rmse = std::nan("");
    double test_rmse = std::nan("");
    const auto on_epoch = [&](const mf::EpochStats& epoch) {
        train_rmse = std::sqrt(epoch.train_mse);  // NaN without --evaluate-train
        loss_rmse = std::sqrt(epoch.train_loss);
        test_rmse = std::sqrt(epoch.validation_mse);  // NaN without a test set
        epoch_seconds.push_back(epoch.seconds);
        std::cout << std::setw(5) << epoch.epoch << std::setw(15) << fixed(epoch.learning_rate, 6)
                  << std::setw(10) << fixed(epoch.seconds, 3) << std::setw(12)
                  << fixed(sgd.evaluate_train ? train_rmse : loss_rmse, 6) << std::setw(12)
                  << (options.test ? fixed(test_rmse, 6) : "-") << std::endl;
    };
    // The training set is moved in: training reorders it where it lies, without a copy.
    const std::size_t train_ratings = train.ratings.size();
    const auto train_start = Clock::now();
    const mf::SgdTrainer trainer(sgd);
    if (options.test) {
        trainer.fit(model, std::move(train.ratings), test.ratings, on_epoch);
    } else {
        trainer.fit(model, std::move(train.ratings), on_epoch);
    }
    const double train_seconds = seconds_since(train_start);
    std::cout << "trained in " << fixed(train_seconds, 3) << " s";
    mf::ErrorMetrics tested;
    if (options.test) {
        tested = mf::evaluate(model, test.ratings);
        std::cout << "; test RMSE " << fixed(test_rmse, 4) << ", "
                  << count_of(tested.cold_ratings, "cold rating") << " (of "
                  << count_of(tested.cold_users, "user") << " and "
                  << count_of(tested.cold_items, "item")
                  << " not in training) predicted by the mean and the known bias";
    }
    std::cout << '\n';

    if (options.json) {
        example::JsonLine json;
        json.add("command", std::string("train"))
            .add("train_file", options.train.string())
            .add("test_file", options.test ? options.test->string() : std::string())
            .add("format", std::string(mf::to_string(train.report.format)))
            .add("detection", train.report.detection)
            .add("duplicates", train.report.duplicates)
            .add("skipped_lines", train.report.skipped_lines)
            .add("train_ratings", train_ratings)
            .add("test_ratings", test.ratings.size())
            .add("users", n_users)
            .add("items", n_items);
        if (options.test) {
            json.add("test_format", std::string(mf::to_string(test.report.format)))
                .add("test_duplicates", test.report.duplicates)
                .add("test_skipped_lines", test.report.skipped_lines)
                .add("cold_users", tested.cold_users)
                .add("cold_items", tested.cold_items)
                .add("cold_ratings", tested.cold_ratings);
        }
        // test_unseen is cold_ratings under its old name, for scripts written before.
        json.add("test_unseen", tested.cold_ratings)
            .add("factors", sgd.factors)
            .add("epochs", sgd.epochs)
            .add("threads", sgd.threads)
            .add("blocks", sgd.blocks)
            .add("schedule",
                 std::string(sgd.schedule == mf::Schedule::adagrad ? "adagrad" : "decay"))
            .add("learning_rate", sgd.learning_rate)
            .add("learning_rate_decay", sgd.learning_rate_decay)
            .add("reg_factors", sgd.reg_factors)
            .add("reg_biases", sgd.reg_biases)
            .add("seed", sgd.seed)
            .add("load_seconds", load_seconds)
            .add("load_peak_rss_mb", load_rss)
            .add("train_seconds", train_seconds)
            .add("epoch_seconds", epoch_seconds)
            .add("train_rmse", train_rmse)
            .add("train_loss_rmse", loss_rmse)
            .add("test_rmse", test_rmse)
            .add("peak_rss_mb", peak_rss_mib());
        std::cout << json.str() << '\n';
    }
    return 0;
}

// ---------------------------------------------------------------------------
// mf generate

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
        const auto file = [&] {
            const std::string name = arguments.value();
            if (name.empty()) {
                throw UsageError(std::string(option) + " expects a file, got ''");
            }
            return std::filesystem::path(name);
        };
        if (option == "--help" || option == "-h") {
            arguments.flag();
            options.help = true;
            return options;
        } else if (option == "--out-train") {
            options.out_train = file();
        } else if (option == "--out-test") {
            options.out_test = file();
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
    std::error_code ec;
    if (options.out_test
        && std::filesystem::weakly_canonical(*options.out_test, ec)
               == std::filesystem::weakly_canonical(options.out_train, ec)) {
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
        const std::size_t bytes = cli::write_ratings(file, ratings, data.users, data.items, format);
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

// ---------------------------------------------------------------------------

std::string usage() {
    return "Usage: mf COMMAND [OPTIONS]\n"
           "\n"
           "Matrix factorization from the command line, with the mf library.\n"
           "\n"
           "Commands:\n"
           "  train      train a model on a ratings file and report its error\n"
           "  generate   write a synthetic ratings set\n"
           "\n"
           "Run 'mf COMMAND --help' for the options of a command.\n";
}

/// The exit status of a command that returned `status`: 1 when its output
/// could not be written (a full disk, a closed pipe), since a script reading
/// the JSON line would otherwise take a missing line for success.
int written(int status) {
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "mf: cannot write the output: " << std::strerror(errno) << '\n';
        return 1;
    }
    return status;
}

int run(int argc, char** argv) {
    const std::string_view command = argc > 1 ? argv[1] : "";
    const std::string help_hint = command == "train" || command == "generate"
                                      ? "'mf " + std::string(command) + " --help'"
                                      : "'mf --help'";
    try {
        if (command == "--help" || command == "-h") {
            std::cout << usage();
            return 0;
        }
        if (command == "train") {
            const TrainOptions options = parse_train(argc, argv);
            if (options.help) {
                std::cout << train_usage();
                return 0;
            }
            return run_train(options);
        }
        if (command == "generate") {
            const GenerateOptions options = parse_generate(argc, argv);
            if (options.help) {
                std::cout << generate_usage();
                return 0;
            }
            return run_generate(options);
        }
        throw UsageError(command.empty() ? "no command given; expected train or generate"
                                         : "unknown command " + Arguments::in_quotes(command)
                                               + "; expected train or generate");
    } catch (const UsageError& e) {
        std::cerr << "mf: " << mf::detail::printable(e.what()) << "; see " << help_hint << '\n';
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "mf: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        // mf::error (io_error, parse_error "FILE:LINE: what", training_error) and
        // mf::invalid_argument both derive from std::exception.
        std::cerr << "mf: " << mf::detail::printable(e.what()) << '\n';
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    return written(run(argc, argv));
}
