// What the commands of the mf tool share; see tool.hpp.
#include "tool.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <iostream>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/resource.h>
#endif

namespace cli {

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

std::string count_of(std::size_t n, const char* noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string scale_text(const mf::RatingScale& scale) {
    std::ostringstream text;
    text << '[' << scale.min << ", " << scale.max << ']';
    return text.str();
}

std::string schedule_name(mf::Schedule schedule) {
    return schedule == mf::Schedule::adagrad ? "adagrad" : "decay";
}

std::filesystem::path parse_file(std::string_view option, Arguments& arguments) {
    const std::string name = arguments.value();
    if (name.empty()) {
        throw UsageError(std::string(option) + " expects a file, got ''");
    }
    return name;
}

bool parse_positional_file(Arguments& arguments, const char* what, std::filesystem::path& file) {
    if (arguments.is_option() || !file.empty()) {
        return false;
    }
    file = std::string(arguments.argument());
    if (file.empty()) {
        throw UsageError(std::string(what) + " must name a file, got ''");
    }
    return true;
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    if (std::filesystem::equivalent(a, b, ec)) {
        return true;
    }
    const auto spelled = [&](const std::filesystem::path& p) {
        return std::filesystem::weakly_canonical(std::filesystem::absolute(p, ec), ec);
    };
    return spelled(a) == spelled(b);
}

void check_output_file(std::string_view option, const std::filesystem::path& file,
                       std::initializer_list<const std::filesystem::path*> inputs,
                       const char* what) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
        throw UsageError(std::string(option) + " " + file.string() + ": it is a folder");
    }
    for (const std::filesystem::path* input : inputs) {
        if (input && same_file(file, *input)) {
            throw UsageError(std::string(option) + " names " + input->string() + ", " + what
                             + " this command reads");
        }
    }
    const auto folder = file.parent_path();
    if (!folder.empty() && !std::filesystem::is_directory(folder, ec)) {
        throw UsageError(std::string(option) + " " + file.string() + ": there is no folder "
                         + folder.string());
    }
}

void check_sgd(const mf::SgdOptions& sgd) {
    try {
        mf::SgdTrainer::validate(sgd);
    } catch (const mf::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

namespace {

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

}  // namespace

bool DataOptions::parse(std::string_view option, Arguments& arguments) {
    if (option == "--format") {
        read.format = parse_format(option, arguments.value());
    } else if (option == "--test-format") {
        test_format = parse_format(option, arguments.value());
    } else if (option == "--scale") {
        read.scale = parse_scale(option, arguments.value());
    } else if (option == "--duplicates") {
        const std::string choice =
            example::parse_choice(option, arguments.value(), {"latest", "error", "mean"});
        read.duplicates = choice == "error"  ? mf::Duplicates::error
                          : choice == "mean" ? mf::Duplicates::mean
                                             : mf::Duplicates::keep_latest;
    } else if (option == "--bad-lines") {
        read.bad_lines =
            example::parse_choice(option, arguments.value(), {"error", "skip"}) == "skip"
                ? mf::BadLines::skip
                : mf::BadLines::error;
    } else if (option == "--separator" || option == "--columns" || option == "--header"
               || option == "--no-quoting") {
        if (!delimited_option) {
            delimited_option = std::string(option);
        }
        if (option == "--separator") {
            read.separator = parse_separator(option, arguments.value());
        } else if (option == "--columns") {
            read.columns = parse_columns(option, arguments.value());
        } else if (option == "--header") {
            const std::string choice =
                example::parse_choice(option, arguments.value(), {"auto", "yes", "no"});
            read.header = choice == "yes"  ? mf::Header::present
                          : choice == "no" ? mf::Header::absent
                                           : mf::Header::automatic;
        } else {
            arguments.flag();
            read.quoting = false;
        }
    } else {
        return false;
    }
    return true;
}

void DataOptions::validate(bool test_file) const {
    if (test_format && !test_file) {
        throw UsageError("--test-format needs --test");
    }
    // The other formats fix their separator, fields and header: an option for
    // delimited text would be silently ignored.
    if (delimited_option && read.format != mf::Format::delimited
        && test_format != mf::Format::delimited) {
        throw UsageError(*delimited_option
                         + " applies to delimited text only; add --format delimited");
    }
    try {
        mf::ReadOptions checked = read;
        if (test_format == mf::Format::delimited) {
            checked.format = mf::Format::delimited;  // the columns apply to the test file
        }
        mf::validate(checked);
    } catch (const mf::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

mf::ReadOptions DataOptions::test_options(const mf::ReadReport& main) const {
    mf::ReadOptions options = read;
    if (test_format) {
        options.format = *test_format;
    } else if (options.format == mf::Format::automatic) {
        options.format = main.format;
        options.separator = main.separator;
        options.columns = main.columns;
        options.quoting = main.quoting;
    }
    return options;
}

std::string DataOptions::usage(bool test_file) {
    std::string text =
        "  --format NAME        auto (default): judged by the file's name and first\n"
        "                       line; movielens: user<TAB>item<TAB>rating<TAB>time,\n"
        "                       as u.data; movielens-dat: user::item::rating::time,\n"
        "                       as ratings.dat; movielens-csv: ratings.csv's header,\n"
        "                       then userId,movieId,rating,timestamp; libmf: row col\n"
        "                       value, separated by blanks; delimited: as the options\n"
        "                       below say\n";
    if (test_file) {
        text +=
            "  --test-format NAME   the same choices for TEST (default: the format found for\n"
            "                       TRAIN, with TRAIN's options)\n";
    }
    text +=
        "  --scale MIN,MAX      ratings outside [MIN, MAX] are bad lines, and\n"
        "                       predictions are clamped to it (default: the format's\n"
        "                       own, [1, 5] or [0.5, 5] for MovieLens, else none)\n"
        "  --duplicates NAME    a user's second rating of an item: latest (default) keeps\n"
        "                       the one with the latest timestamp, else the last; mean\n"
        "                       keeps their mean; error stops with an error\n"
        "  --bad-lines NAME     error (default): a line that cannot be read is an error;\n"
        "                       skip: it is skipped, counted and reported\n"
        "\n";
    text += test_file ? "Delimited text (--format delimited or --test-format delimited):\n"
                      : "Delimited text (--format delimited):\n";
    text +=
        "  --separator NAME     tab, comma (default), semicolon, double-colon (::) or\n"
        "                       blanks (any run of spaces and tabs)\n"
        "  --columns U,I,R[,T]  the fields of the user, item, rating and timestamp,\n"
        "                       counting from 1 (default 1,2,3; no timestamp)\n"
        "  --header NAME        auto (default): the first line is a header when its\n"
        "                       rating is no number; yes; no\n"
        "  --no-quoting         double quotes are plain characters, not RFC 4180 quoting\n";
    return text;
}

mf::SgdOptions default_sgd() {
    mf::SgdOptions sgd;
    sgd.evaluate_train = false;
    return sgd;
}

bool parse_sgd_option(std::string_view option, Arguments& arguments, mf::SgdOptions& sgd) {
    if (option == "-k" || option == "--factors") {
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
    } else {
        return false;
    }
    return true;
}

std::string sgd_usage(const mf::SgdOptions& d) {
    std::ostringstream text;
    text << "  -k, --factors N      latent factors (default " << d.factors
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
         << d.seed << ")\n";
    return text.str();
}

Loaded load(const std::filesystem::path& file, const mf::ReadOptions& read, mf::IdMap& users,
            mf::IdMap& items) {
    const auto start = Clock::now();
    Loaded loaded;
    loaded.ratings = mf::read_ratings(file, users, items, read, &loaded.report);
    loaded.seconds = seconds_since(start);
    return loaded;
}

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

void add_read_report(example::JsonLine& json, const std::string& prefix,
                     const mf::ReadReport& report) {
    json.add(prefix + "format", std::string(mf::to_string(report.format)));
    if (prefix.empty()) {
        json.add("detection", report.detection);
    }
    json.add(prefix + "duplicates", report.duplicates)
        .add(prefix + "skipped_lines", report.skipped_lines);
}

void add_sgd_options(example::JsonLine& json, const mf::SgdOptions& sgd) {
    json.add("factors", sgd.factors)
        .add("epochs", sgd.epochs)
        .add("threads", sgd.threads)
        .add("blocks", sgd.blocks)
        .add("schedule", schedule_name(sgd.schedule))
        .add("learning_rate", sgd.learning_rate)
        .add("learning_rate_decay", sgd.learning_rate_decay)
        .add("reg_factors", sgd.reg_factors)
        .add("reg_biases", sgd.reg_biases)
        .add("seed", sgd.seed);
}

}  // namespace cli
