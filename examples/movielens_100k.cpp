// The MovieLens 100k pipeline end to end: read the ratings, split them, train
// a matrix factorization, measure its test error, plot the training curve and
// the error histogram, and recommend a few films as a sanity check.
//
//   movielens_100k --help
//   movielens_100k --preset notebook          the NumPy notebook's exact setup
//   movielens_100k --split u1-u5 --json       the library's setup on the five folds
#include <mf/mf.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "svg_plot.hpp"

namespace fs = std::filesystem;

namespace {

constexpr const char* usage = R"(usage: movielens_100k [OPTIONS]

Trains a matrix factorization on MovieLens 100k and reports its test error.

  --data DIR           the unzipped ml-100k folder (default: $MF_DATA_DIR, else
                       data/ml-100k, else a copy downloaded when configuring)
  --synthetic          use a synthetic data set shaped like ml-100k instead
  --preset NAME        notebook: the NumPy notebook's setup (5 factors, no biases)
                       default: the library's recommended setup (the default)
  --split NAME         per-user (default), random, u1 .. u5, ua, ub, or u1-u5
                       to run all five predefined folds
  --test-fraction X    share of ratings held out by per-user and random (0.2)
  --seed N             seeds the split and the training (42)
  --epochs N           override the preset's number of epochs
  --factors N          override the preset's number of latent factors
  --lr X               override the preset's learning rate
  --reg X              override the preset's regularisation of the factors
  --out DIR            folder for the plots and their CSV data (out)
  --json               end with one line of JSON holding the results
  --help               show this text
)";

/// A command line the program cannot run with; main() reports it with exit status 2.
struct UsageError {
    std::string message;
};

struct Options {
    std::optional<fs::path> data;
    bool synthetic = false;
    std::string preset = "default";
    std::string split = "per-user";
    double test_fraction = 0.2;
    std::uint64_t seed = 42;
    std::optional<std::size_t> epochs;
    std::optional<std::size_t> factors;
    std::optional<double> learning_rate;
    std::optional<double> reg;
    fs::path out = "out";
    bool json = false;
};

double parse_real(const std::string& option, const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(value)) {
        throw UsageError{option + ": '" + text + "' is not a number"};
    }
    return value;
}

std::uint64_t parse_count(const std::string& option, const std::string& text) {
    char* end = nullptr;
    const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || text.find_first_not_of("0123456789") != std::string::npos) {
        throw UsageError{option + ": '" + text + "' is not a whole number"};
    }
    return value;
}

Options parse_options(int argc, char** argv) {
    Options o;
    const std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) {
                throw UsageError{arg + " needs a value"};
            }
            return args[++i];
        };
        if (arg == "--help" || arg == "-h") {
            std::cout << usage;
            std::exit(0);
        } else if (arg == "--data") {
            o.data = value();
        } else if (arg == "--synthetic") {
            o.synthetic = true;
        } else if (arg == "--preset") {
            o.preset = value();
            if (o.preset != "notebook" && o.preset != "default") {
                throw UsageError{"--preset: '" + o.preset + "' is not notebook or default"};
            }
        } else if (arg == "--split") {
            o.split = value();
            const auto& folds = mf::movielens::fold_names;
            if (o.split != "per-user" && o.split != "random" && o.split != "u1-u5"
                && std::find(folds.begin(), folds.end(), o.split) == folds.end()) {
                throw UsageError{"--split: '" + o.split
                                 + "' is not per-user, random, u1 .. u5, ua, ub or u1-u5"};
            }
        } else if (arg == "--test-fraction") {
            o.test_fraction = parse_real(arg, value());
            if (!(o.test_fraction > 0 && o.test_fraction < 1)) {
                throw UsageError{"--test-fraction: must lie strictly between 0 and 1"};
            }
        } else if (arg == "--seed") {
            o.seed = parse_count(arg, value());
        } else if (arg == "--epochs") {
            o.epochs = parse_count(arg, value());
        } else if (arg == "--factors") {
            o.factors = parse_count(arg, value());
        } else if (arg == "--lr") {
            o.learning_rate = parse_real(arg, value());
        } else if (arg == "--reg") {
            o.reg = parse_real(arg, value());
        } else if (arg == "--out") {
            o.out = value();
        } else if (arg == "--json") {
            o.json = true;
        } else {
            throw UsageError{"unknown option '" + arg + "'"};
        }
    }
    return o;
}

/// The trainer's options: the preset, then whatever the command line overrides.
mf::SgdOptions training_options(const Options& o) {
    mf::SgdOptions s = o.preset == "notebook" ? mf::SgdOptions::notebook() : mf::SgdOptions{};
    s.seed = o.seed;
    s.epochs = o.epochs.value_or(s.epochs);
    s.factors = o.factors.value_or(s.factors);
    s.learning_rate = o.learning_rate.value_or(s.learning_rate);
    s.reg_factors = o.reg.value_or(s.reg_factors);
    try {
        mf::SgdTrainer::validate(s);
    } catch (const mf::invalid_argument& e) {
        throw UsageError{e.what()};
    }
    return s;
}

/// Standard output, with every line tagged when the data are synthetic, so that
/// no figure printed can be mistaken for one measured on MovieLens.
class Console {
  public:
    void tag_synthetic() { m_tag = "[synthetic] "; }
    /// Starts a line, in the default number format whatever the last line used.
    std::ostream& line() { return std::cout << std::defaultfloat << std::setprecision(6) << m_tag; }

  private:
    std::string m_tag;
};

/// Where the data are: --data, $MF_DATA_DIR, data/ml-100k, the configure-time
/// download. Nothing when none holds u.data; an explicit folder that does not is an error.
std::optional<fs::path> find_data(const Options& o) {
    const auto has_data = [](const fs::path& dir) { return fs::exists(dir / "u.data"); };
    if (o.data) {
        if (!has_data(*o.data)) {
            throw mf::io_error("--data: '" + o.data->string() + "' holds no u.data");
        }
        return o.data;
    }
    if (const char* env = std::getenv("MF_DATA_DIR"); env != nullptr && *env != '\0') {
        if (!has_data(env)) {
            throw mf::io_error("MF_DATA_DIR: '" + std::string(env) + "' holds no u.data");
        }
        return fs::path(env);
    }
    for (const fs::path& dir : {fs::path("data/ml-100k"), fs::path(MF_EXAMPLE_DOWNLOAD_DIR)}) {
        if (has_data(dir)) {
            return dir;
        }
    }
    return std::nullopt;
}

/// One train/test run and what it measured.
struct Run {
    std::string name;  // the fold, or the split's name
    std::size_t train_ratings = 0;
    std::size_t test_ratings = 0;
    mf::TrainingHistory history;
    mf::ErrorMetrics metrics;
    double train_seconds = 0.0;
};

/// |round(prediction) − rating| counts, from 0 up to the largest error seen.
std::vector<double> rounded_error_histogram(const mf::MatrixFactorization<float>& model,
                                            const mf::Ratings& test) {
    const auto predicted = model.predict(test);
    std::vector<double> counts;
    for (std::size_t j = 0; j < test.size(); ++j) {
        const auto error = static_cast<std::size_t>(
            std::abs(std::lround(predicted(j)) - std::lround(test.value(j))));
        counts.resize(std::max(counts.size(), error + 1), 0.0);
        counts[error] += 1;
    }
    return counts;
}

void write_plots(const fs::path& out, const std::string& suffix, const std::string& title,
                 const Run& run, const std::vector<double>& histogram, Console& console) {
    std::vector<double> epochs;
    std::vector<double> train;
    std::vector<double> test;
    std::ofstream loss_csv(out / ("training_loss" + suffix + ".csv"));
    loss_csv << "epoch,train_mse,test_mse,seconds\n";
    for (const mf::EpochStats& s : run.history) {
        epochs.push_back(static_cast<double>(s.epoch));
        train.push_back(s.train_mse);
        test.push_back(s.validation_mse);
        loss_csv << s.epoch << ',' << s.train_mse << ',' << s.validation_mse << ',' << s.seconds
                 << '\n';
    }
    std::ofstream histogram_csv(out / ("error_histogram" + suffix + ".csv"));
    histogram_csv << "abs_error,count\n";
    std::vector<std::string> bins;
    for (std::size_t e = 0; e < histogram.size(); ++e) {
        bins.push_back(std::to_string(e));
        histogram_csv << e << ',' << histogram[e] << '\n';
    }
    if (!loss_csv.flush() || !histogram_csv.flush()) {
        throw mf::io_error("cannot write the CSV files in '" + out.string() + "'");
    }
    plot::line_chart(out / ("training_loss" + suffix + ".svg"),
                     {"Training curve: " + title, "epoch", "MSE"}, epochs,
                     {{"train MSE", train, "#1f77b4"}, {"test MSE", test, "#d62728"}});
    plot::bar_chart(out / ("error_histogram" + suffix + ".svg"),
                    {"Absolute error of rounded predictions: " + title,
                     "|round(prediction) - rating|", "test ratings"},
                    bins, histogram);
    for (const char* stem : {"training_loss", "error_histogram"}) {
        console.line() << "wrote " << (out / (stem + suffix + ".svg")).string() << " and .csv\n";
    }
}

/// The five films with the highest predicted rating that the user did not rate in training.
void print_recommendations(const mf::MatrixFactorization<float>& model, const mf::Ratings& train,
                           const mf::IdMap& users, const mf::IdMap& items,
                           const std::unordered_map<std::string, std::string>& titles,
                           Console& console) {
    const mf::index_type user = users.find("1").value_or(0);
    std::vector<bool> seen(model.n_items(), false);
    for (std::size_t j = 0; j < train.size(); ++j) {
        if (train.user(j) == user) {
            seen[train.item(j)] = true;
        }
    }
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < model.n_items(); ++i) {
        if (!seen[i] && model.is_known_item(i)) {
            candidates.push_back(i);
        }
    }
    const std::size_t n = std::min<std::size_t>(5, candidates.size());
    // Highest score first; equal scores in index order, so the list is deterministic.
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(n),
                      candidates.end(), [&](std::size_t a, std::size_t b) {
                          const float sa = model.predict(user, a);
                          const float sb = model.predict(user, b);
                          return sa > sb || (sa == sb && a < b);
                      });
    console.line() << "top " << n << " for user " << users.raw(user) << ":\n";
    for (std::size_t r = 0; r < n; ++r) {
        const std::string& raw = items.raw(candidates[r]);
        const auto title = titles.find(raw);
        console.line() << "  " << std::fixed << std::setprecision(2)
                       << model.predict(user, candidates[r]) << "  "
                       << (title != titles.end() ? title->second : "item " + raw) << '\n';
    }
}

Run train_and_evaluate(const std::string& name, const mf::TrainTest& split,
                       const mf::SgdOptions& options, bool clamp,
                       std::optional<mf::RatingScale> scale, mf::MatrixFactorization<float>& model,
                       Console& console) {
    Run run;
    run.name = name;
    run.train_ratings = split.train.size();
    run.test_ratings = split.test.size();
    // Clamped from the start, so the per-epoch test MSE is what the final model scores.
    if (clamp && scale) {
        model.set_rating_scale(*scale);
    }
    console.line() << name << ": " << run.train_ratings << " training and " << run.test_ratings
                   << " test ratings, " << options.factors << " factors\n";
    console.line() << " epoch   train MSE    test MSE   seconds\n";
    const auto start = std::chrono::steady_clock::now();
    run.history =
        mf::SgdTrainer(options).fit(model, split.train, split.test, [&](const mf::EpochStats& s) {
            console.line() << std::setw(6) << s.epoch << std::fixed << std::setprecision(6)
                           << std::setw(12) << s.train_mse << std::setw(12) << s.validation_mse
                           << std::setprecision(4) << std::setw(10) << s.seconds << '\n';
        });
    run.train_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.metrics = mf::evaluate(model, split.test);
    console.line() << name << ": test MSE " << run.metrics.mse << ", RMSE " << run.metrics.rmse
                   << ", MAE " << run.metrics.mae << '\n';
    return run;
}

std::string json_string(const std::string& text) {
    std::ostringstream out;
    out << '"';
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out << '\\' << c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out << "\\u" << std::hex << std::setw(4) << std::setfill('0') << int(c) << std::dec;
        } else {
            out << c;
        }
    }
    out << '"';
    return out.str();
}

template <class T, class Field>
std::string json_list(const std::vector<T>& values, Field field) {
    std::ostringstream out;
    out << std::setprecision(10) << '[';
    for (std::size_t j = 0; j < values.size(); ++j) {
        out << (j ? "," : "") << field(values[j]);
    }
    out << ']';
    return out.str();
}

double mean_of(const std::vector<Run>& runs, double mf::ErrorMetrics::*metric) {
    double sum = 0.0;
    for (const Run& r : runs) {
        sum += r.metrics.*metric;
    }
    return sum / static_cast<double>(runs.size());
}

int run_pipeline(const Options& o, std::chrono::steady_clock::time_point start) {
    const mf::SgdOptions options = training_options(o);
    const bool clamp = o.preset != "notebook";  // the notebook never clamps
    Console console;

    const std::optional<fs::path> dir = o.synthetic ? std::nullopt : find_data(o);
    if (!dir && o.split != "per-user" && o.split != "random") {
        throw UsageError{"--split " + o.split + " needs the MovieLens files, which were not found"};
    }
    if (!dir) {
        console.tag_synthetic();
        if (!o.synthetic) {
            console.line() << "MovieLens 100k was not found (looked in $MF_DATA_DIR, data/ml-100k "
                              "and "
                           << MF_EXAMPLE_DOWNLOAD_DIR << ").\n";
            console.line() << "To use it, download "
                              "https://files.grouplens.org/datasets/movielens/ml-100k.zip, unzip "
                              "it, and pass --data DIR or set MF_DATA_DIR.\n";
        }
        console.line() << "Running on a synthetic data set shaped like ml-100k instead.\n";
    }
    fs::create_directories(o.out);

    std::vector<Run> runs;
    std::vector<std::string> fold_names;
    if (o.split == "u1-u5") {
        fold_names = {"u1", "u2", "u3", "u4", "u5"};
    } else if (o.split != "per-user" && o.split != "random") {
        fold_names = {o.split};
    }
    const std::unordered_map<std::string, std::string> titles =
        dir && fs::exists(*dir / "u.item") ? mf::movielens::read_titles(*dir / "u.item")
                                           : std::unordered_map<std::string, std::string>{};
    const std::string data_name = dir ? dir->string() : "synthetic";

    const auto finish = [&](const mf::TrainTest& split, const mf::Dataset& ids,
                            const std::string& name, const std::string& suffix) {
        mf::MatrixFactorization<float> model;
        runs.push_back(train_and_evaluate(name, split, options, clamp, ids.scale, model, console));
        const std::string title = (dir ? "MovieLens 100k" : "synthetic ml-100k-like data")
                                  + std::string(", ") + name + ", " + o.preset + " preset";
        write_plots(o.out, suffix, title, runs.back(), rounded_error_histogram(model, split.test),
                    console);
        print_recommendations(model, split.train, ids.users, ids.items, titles, console);
    };

    if (fold_names.empty()) {
        const mf::Dataset data = dir ? mf::movielens::read_ratings(*dir / "u.data")
                                     : mf::synthetic_ratings(mf::SyntheticOptions{});
        const mf::TrainTest split =
            o.split == "random" ? mf::random_holdout(data.ratings, o.test_fraction, o.seed)
                                : mf::per_user_holdout(data.ratings, o.test_fraction, o.seed);
        finish(split, data, o.split, "");
    } else {
        for (const std::string& fold : fold_names) {
            mf::Dataset ids;  // id maps of this fold; its ratings stay empty
            ids.scale = mf::movielens::scale;
            const mf::TrainTest split = mf::movielens::read_fold(*dir, fold, ids.users, ids.items);
            finish(split, ids, fold, fold_names.size() > 1 ? "_" + fold : "");
        }
    }

    if (runs.size() > 1) {
        std::ostringstream folds;
        for (const Run& r : runs) {
            folds << ' ' << r.name << ' ' << r.metrics.rmse;
        }
        console.line() << "RMSE per fold:" << folds.str() << '\n';
        console.line() << "mean test RMSE over " << runs.size()
                       << " folds: " << mean_of(runs, &mf::ErrorMetrics::rmse) << '\n';
    }

    double train_seconds = 0.0;
    for (const Run& r : runs) {
        train_seconds += r.train_seconds;
    }
    const double total_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    console.line() << "training took " << train_seconds << " s; the whole run " << total_seconds
                   << " s\n";

    if (o.json) {
        std::ostringstream j;
        j << std::setprecision(10) << "{\"preset\":" << json_string(o.preset)
          << ",\"split\":" << json_string(o.split) << ",\"data\":" << json_string(data_name)
          << ",\"seed\":" << o.seed << ",\"factors\":" << options.factors
          << ",\"epochs\":" << runs.front().history.size()
          << ",\"learning_rate\":" << options.learning_rate
          << ",\"train_ratings\":" << runs.front().train_ratings
          << ",\"test_ratings\":" << runs.front().test_ratings
          << ",\"test_mse\":" << mean_of(runs, &mf::ErrorMetrics::mse)
          << ",\"test_rmse\":" << mean_of(runs, &mf::ErrorMetrics::rmse)
          << ",\"test_mae\":" << mean_of(runs, &mf::ErrorMetrics::mae)
          << ",\"train_seconds\":" << train_seconds << ",\"total_seconds\":" << total_seconds;
        if (o.split == "u1-u5") {
            j << ",\"fold_rmse\":" << json_list(runs, [](const Run& r) { return r.metrics.rmse; })
              << ",\"fold_mse\":" << json_list(runs, [](const Run& r) { return r.metrics.mse; })
              << ",\"fold_mae\":" << json_list(runs, [](const Run& r) { return r.metrics.mae; })
              << ",\"fold_train_ratings\":"
              << json_list(runs, [](const Run& r) { return r.train_ratings; })
              << ",\"fold_test_ratings\":"
              << json_list(runs, [](const Run& r) { return r.test_ratings; })
              << ",\"test_rmse_mean\":" << mean_of(runs, &mf::ErrorMetrics::rmse);
        }
        j << "}";
        std::cout << j.str() << std::endl;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const auto start = std::chrono::steady_clock::now();
    try {
        return run_pipeline(parse_options(argc, argv), start);
    } catch (const UsageError& e) {
        std::cerr << "movielens_100k: " << e.message << "\n(see movielens_100k --help)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "movielens_100k: error: " << e.what() << '\n';
        return 1;
    }
}
