// movielens_100k: mf's MovieLens 100k pipeline from end to end, written as a
// user of the library would write it. It reads the ratings, splits them, trains
// a matrix factorization by SGD while printing each epoch, measures the error on
// the held-out ratings, recommends five films to one user as a sanity check, and
// writes the training curve and a histogram of the errors as SVG and CSV.
//
//   movielens_100k --data ~/ml-100k              the recommended setup, per-user split
//   movielens_100k --preset notebook             the reference notebook's setup
//   movielens_100k --split u1-u5 --json          the five predefined folds; JSON last
//
// Without the data it runs on synthetic ratings of the same shape, and says so
// on every line it prints.
#include <mf/mf.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "command_line.hpp"
#include "data_location.hpp"
#include "json_line.hpp"
#include "svg_plot.hpp"
#include "timing.hpp"

// examples/CMakeLists.txt defines where configuring downloads the data set.
#ifndef MF_MOVIELENS_DOWNLOAD_DIR
#define MF_MOVIELENS_DOWNLOAD_DIR ""
#endif

namespace {

namespace fs = std::filesystem;
using example::Clock;
using example::fixed;
using example::seconds_since;
using Titles = std::unordered_map<std::string, std::string>;

constexpr const char* movielens_url = "https://files.grouplens.org/datasets/movielens/ml-100k.zip";

/// Standard output. On synthetic data every line starts with "[synthetic] ", so
/// that no figure from it can pass for a MovieLens result once copied elsewhere.
class Report {
  public:
    explicit Report(bool synthetic) : m_label(synthetic ? "[synthetic] " : "") {}

    /// Starts a line; the caller ends it with '\n'.
    std::ostream& line() const { return std::cout << m_label; }

  private:
    std::string m_label;
};

void explain_missing_data(const Report& report) {
    report.line() << "MovieLens 100k was not found: --data and MF_DATA_DIR are unset, and no\n";
    report.line() << "u.data is in:\n";
    for (const fs::path& dir : example::default_data_dirs(MF_MOVIELENS_DOWNLOAD_DIR)) {
        report.line() << "  " << fs::absolute(dir).string() << '\n';
    }
    report.line() << "To use it, download " << movielens_url << ",\n";
    report.line() << "unzip it and name the ml-100k folder with --data DIR or MF_DATA_DIR=DIR.\n";
    report.line() << "Until then this run uses synthetic ratings shaped like MovieLens 100k.\n";
    report.line() << '\n';
}

// ---------------------------------------------------------------------------
// Training and evaluation: the library at work

/// The training and test sets of one fold: a random split of all the ratings,
/// or one of the split files that come with MovieLens 100k.
mf::TrainTest make_split(const example::Options& options, const std::string& fold,
                         const std::optional<fs::path>& dir, mf::Dataset& data) {
    if (fold == "per-user" || fold == "random") {
        const double fraction = options.holdout_fraction();
        mf::TrainTest split = fold == "per-user"
                                  ? mf::per_user_holdout(data.ratings, fraction, options.seed)
                                  : mf::random_holdout(data.ratings, fraction, options.seed);
        if (split.train.empty() || split.test.empty()) {
            std::ostringstream message;
            message << "--test-fraction " << fraction << " leaves "
                    << (split.test.empty() ? "no test" : "no training") << " ratings among the "
                    << data.ratings.size() << " of the data set";
            throw std::runtime_error(message.str());
        }
        return split;
    }
    // Read through the id maps of u.data, so that an index means the same user
    // or film in every set, and the titles line up.
    return mf::movielens::read_fold(*dir, fold, data.users, data.items);
}

void print_epoch(const Report& report, const mf::EpochStats& epoch) {
    report.line() << std::setw(5) << epoch.epoch << std::setw(12) << fixed(epoch.train_mse, 6)
                  << std::setw(12) << fixed(epoch.validation_mse, 6) << std::setw(10)
                  << fixed(epoch.seconds, 3) << '\n';
}

/// How a film without a title is shown: synthetic items never have one; a
/// MovieLens film missing from u.item is pointed out.
std::string untitled(const std::string& item, const Titles& titles) {
    return "item " + item + (titles.empty() ? "" : " (no title in u.item)");
}

/// The five films with the highest predicted rating for user "1" (or the first
/// user) that the user did not rate in training: a quick look at whether the
/// model learned anything sensible. Films nobody rated in training are left
/// out, since the model knows nothing of them.
void print_recommendations(const Report& report, const mf::MatrixFactorization<float>& model,
                           const mf::Ratings& train, const mf::Dataset& data,
                           const Titles& titles) {
    const mf::index_type user = data.users.find("1").value_or(0);
    std::vector<bool> rated(model.n_items(), false);
    std::size_t n_rated = 0;
    for (std::size_t j = 0; j < train.size(); ++j) {
        if (train.user(j) == user) {
            rated[train.item(j)] = true;
            ++n_rated;
        }
    }
    std::vector<std::size_t> candidates;
    std::vector<float> score(model.n_items());
    for (std::size_t i = 0; i < model.n_items(); ++i) {
        score[i] = model.predict(user, i);
        if (!rated[i] && model.is_known_item(i)) {
            candidates.push_back(i);
        }
    }
    const std::size_t n = std::min<std::size_t>(5, candidates.size());
    // Ties go to the lower index, so that the list is the same on every run.
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(n),
                      candidates.end(), [&](std::size_t a, std::size_t b) {
                          return score[a] > score[b] || (score[a] == score[b] && a < b);
                      });

    report.line() << "Top " << n << " for user " << data.users.raw(user) << ", who rated "
                  << n_rated << " films in training:\n";
    for (std::size_t r = 0; r < n; ++r) {
        const std::string& item = data.items.raw(candidates[r]);
        const auto title = titles.find(item);
        report.line() << "  " << fixed(score[candidates[r]], 2) << "  "
                      << (title != titles.end() ? title->second : untitled(item, titles)) << '\n';
    }
}

/// How many test ratings the rounded prediction misses by 0, 1, 2, ... stars.
std::vector<std::size_t> rounded_error_counts(const mf::MatrixFactorization<float>& model,
                                              const mf::Ratings& test) {
    const auto predicted = model.predict(test);
    std::vector<std::size_t> counts;
    for (std::size_t j = 0; j < test.size(); ++j) {
        const double miss = std::abs(std::round(predicted(j)) - test.value(j));
        const auto bin = static_cast<std::size_t>(std::lround(miss));
        counts.resize(std::max(counts.size(), bin + 1), 0);
        ++counts[bin];
    }
    return counts;
}

// ---------------------------------------------------------------------------
// Charts and CSV files

/// What the charts of a run say about it, and where they go.
struct ChartSetup {
    std::string data;    ///< "MovieLens 100k" or "synthetic data"
    std::string preset;  ///< the --preset
    fs::path out;
    std::string file_prefix;  ///< "synthetic_" on synthetic data, to keep real results apart
};

void write_text(const fs::path& file, const std::string& text) {
    std::ofstream stream(file, std::ios::binary);
    stream << text;
    stream.close();
    if (!stream) {
        throw std::runtime_error("--out: cannot write '" + file.string()
                                 + "': " + std::strerror(errno));
    }
}

/// Writes the training curve and the histogram of rounded errors of one fold,
/// each as an SVG chart and a CSV file; returns the paths written.
std::vector<fs::path> write_charts(const ChartSetup& setup, const std::string& fold,
                                   const std::string& suffix, const mf::TrainingHistory& history,
                                   const std::vector<std::size_t>& counts) {
    const bool predefined = fold != "per-user" && fold != "random";
    const std::string about =
        setup.preset + " preset, " + (predefined ? "fold " + fold : fold + " split");

    svg_plot::LineChart curve;
    curve.title = "Training curve on " + setup.data;
    curve.subtitle = about;
    curve.x_label = "epoch";
    curve.y_label = "mean squared error";
    svg_plot::Series train{"train MSE", {}};
    svg_plot::Series test{"test MSE", {}};
    std::ostringstream curve_csv;
    curve_csv << std::setprecision(10) << "epoch,train_mse,test_mse,learning_rate,seconds\n";
    for (const mf::EpochStats& epoch : history) {
        curve.x.push_back(static_cast<double>(epoch.epoch));
        train.values.push_back(epoch.train_mse);
        test.values.push_back(epoch.validation_mse);
        curve_csv << epoch.epoch << ',' << epoch.train_mse << ',' << epoch.validation_mse << ','
                  << epoch.learning_rate << ',' << epoch.seconds << '\n';
    }
    curve.series = {std::move(train), std::move(test)};

    std::size_t total = 0;
    for (const std::size_t count : counts) {
        total += count;
    }
    svg_plot::BarChart errors;
    errors.title = "Errors of rounded predictions on " + setup.data;
    errors.subtitle = about + ", " + std::to_string(total) + " test ratings";
    errors.x_label = "|round(prediction) − rating| (stars)";
    errors.y_label = "test ratings";
    std::ostringstream errors_csv;
    errors_csv << std::setprecision(10) << "abs_error,count,share\n";
    for (std::size_t bin = 0; bin < counts.size(); ++bin) {
        errors.categories.push_back(std::to_string(bin));
        errors.values.push_back(static_cast<double>(counts[bin]));
        errors_csv << bin << ',' << counts[bin] << ','
                   << static_cast<double>(counts[bin]) / static_cast<double>(total) << '\n';
    }

    const std::string curve_stem = setup.file_prefix + "training_curve" + suffix;
    const std::string errors_stem = setup.file_prefix + "rounded_errors" + suffix;
    const std::vector<std::pair<fs::path, std::string>> files{
        {setup.out / (curve_stem + ".svg"), svg_plot::render(curve)},
        {setup.out / (curve_stem + ".csv"), curve_csv.str()},
        {setup.out / (errors_stem + ".svg"), svg_plot::render(errors)},
        {setup.out / (errors_stem + ".csv"), errors_csv.str()},
    };
    std::vector<fs::path> written;
    for (const auto& [path, text] : files) {
        write_text(path, text);
        written.push_back(path);
    }
    return written;
}

// ---------------------------------------------------------------------------
// The pipeline

/// What one fold measured.
struct FoldResult {
    std::string name;
    std::size_t train_ratings = 0;
    std::size_t test_ratings = 0;
    mf::ErrorMetrics metrics;
    double train_seconds = 0.0;
    std::vector<fs::path> files;
};

/// Trains a model on one fold, printing each epoch, then evaluates it, prints
/// a few recommendations and writes the charts.
FoldResult run_fold(const std::string& name, const mf::TrainTest& split, const mf::SgdOptions& sgd,
                    bool clamp, const mf::Dataset& data, const Titles& titles,
                    const ChartSetup& charts, const std::string& suffix, const Report& report) {
    report.line() << name << ": " << split.train.size() << " training ratings, "
                  << split.test.size() << " test ratings\n";
    report.line() << "epoch   train MSE    test MSE   seconds\n";

    mf::MatrixFactorization<float> model;
    // Clamped from the start, so the per-epoch figures measure what the final model predicts.
    if (clamp && data.scale) {
        model.set_rating_scale(*data.scale);
    }
    const auto start = Clock::now();
    // The library prints nothing: the per-epoch callback is where a program reports progress.
    const mf::TrainingHistory history =
        mf::SgdTrainer(sgd).fit(model, split.train, split.test,
                                [&](const mf::EpochStats& epoch) { print_epoch(report, epoch); });
    const double train_seconds = seconds_since(start);

    const mf::ErrorMetrics metrics = mf::evaluate(model, split.test);
    report.line() << name << ": test MSE " << fixed(metrics.mse, 4) << ", RMSE "
                  << fixed(metrics.rmse, 4) << ", MAE " << fixed(metrics.mae, 4) << " on "
                  << metrics.count << " ratings; training took " << fixed(train_seconds, 2)
                  << " s\n";
    print_recommendations(report, model, split.train, data, titles);

    FoldResult result{name, split.train.size(), split.test.size(), metrics, train_seconds, {}};
    result.files =
        write_charts(charts, name, suffix, history, rounded_error_counts(model, split.test));
    for (const fs::path& file : result.files) {
        report.line() << "wrote " << file.string() << '\n';
    }
    report.line() << '\n';
    return result;
}

double mean(const std::vector<double>& values) {
    double sum = 0.0;
    for (const double v : values) {
        sum += v;
    }
    return sum / static_cast<double>(values.size());
}

/// The results as one line of JSON. Over several folds, the metrics are the
/// means of the folds' and the per-fold figures come as lists.
std::string json_summary(const example::Options& options, const mf::SgdOptions& sgd,
                         const std::string& data_name, const std::vector<FoldResult>& folds,
                         double total_seconds) {
    std::vector<std::string> names;
    std::vector<double> mse;
    std::vector<double> rmse;
    std::vector<double> mae;
    std::vector<std::size_t> train_ratings;
    std::vector<std::size_t> test_ratings;
    std::vector<std::string> files;
    double train_seconds = 0.0;
    for (const FoldResult& fold : folds) {
        names.push_back(fold.name);
        mse.push_back(fold.metrics.mse);
        rmse.push_back(fold.metrics.rmse);
        mae.push_back(fold.metrics.mae);
        train_ratings.push_back(fold.train_ratings);
        test_ratings.push_back(fold.test_ratings);
        for (const fs::path& file : fold.files) {
            files.push_back(file.string());
        }
        train_seconds += fold.train_seconds;
    }

    example::JsonLine json;
    json.add("preset", options.preset)
        .add("split", options.split)
        .add("data", data_name)
        .add("seed", options.seed)
        .add("factors", sgd.factors)
        .add("epochs", sgd.epochs)
        .add("learning_rate", sgd.learning_rate)
        .add("reg_factors", sgd.reg_factors);
    if (!options.predefined_split()) {
        json.add("test_fraction", options.holdout_fraction());
    }
    json.add("train_ratings", train_ratings.front())
        .add("test_ratings", test_ratings.front())
        .add("test_mse", mean(mse))
        .add("test_rmse", mean(rmse))
        .add("test_mae", mean(mae));
    if (folds.size() > 1) {
        json.add("folds", names)
            .add("fold_mse", mse)
            .add("fold_rmse", rmse)
            .add("fold_mae", mae)
            .add("fold_train_ratings", train_ratings)
            .add("fold_test_ratings", test_ratings)
            .add("test_rmse_mean", mean(rmse));
    }
    json.add("train_seconds", train_seconds)
        .add("total_seconds", total_seconds)
        .add("files", files);
    return json.str();
}

int run(const example::Options& options, Clock::time_point program_start) {
    const std::optional<fs::path> dir =
        options.synthetic ? std::nullopt
                          : example::find_movielens(options.data, MF_MOVIELENS_DOWNLOAD_DIR);
    if (!dir && options.predefined_split()) {
        throw std::runtime_error("--split " + options.split
                                 + " reads the split files of ml-100k, which was not found; "
                                   "name its folder with --data DIR or MF_DATA_DIR=DIR");
    }
    const Report report(!dir);
    if (!dir && !options.synthetic) {
        explain_missing_data(report);
    }

    // All the ratings, with the maps from raw ids to indices and the rating scale.
    mf::Dataset data = dir ? mf::movielens::read_ratings(*dir / "u.data")
                           : mf::synthetic_ratings(mf::SyntheticOptions{});
    const Titles titles = dir ? mf::movielens::read_titles(*dir / "u.item") : Titles{};
    report.line() << "data: "
                  << (dir ? dir->string() : "synthetic ratings shaped like MovieLens 100k") << ", "
                  << data.ratings.size() << " ratings of " << data.users.size() << " users for "
                  << data.items.size() << " items\n";

    const mf::SgdOptions sgd = example::training_options(options);
    // The notebook never clamped its predictions; reproducing it means not clamping either.
    const bool clamp = options.preset == "default";
    report.line() << "model: " << options.preset << " preset, " << sgd.factors << " factors, "
                  << (sgd.biases ? "with" : "without") << " biases, " << sgd.epochs
                  << " epochs, seed " << sgd.seed << '\n';
    report.line() << "       learning rate " << sgd.learning_rate << " (decay "
                  << sgd.learning_rate_decay << " an epoch), regularisation " << sgd.reg_factors
                  << ", predictions " << (clamp ? "clamped" : "not clamped") << '\n';
    report.line() << '\n';

    const ChartSetup charts{dir ? "MovieLens 100k" : "synthetic data", options.preset, options.out,
                            dir ? "" : "synthetic_"};
    // Before any training, so that an --out that cannot be used costs nothing.
    std::error_code ec;
    fs::create_directories(options.out, ec);
    if (ec || !fs::is_directory(options.out)) {
        throw std::runtime_error("--out: cannot create the folder '" + options.out.string()
                                 + "': " + (ec ? ec.message() : "a file of that name exists"));
    }

    std::vector<FoldResult> folds;
    const std::vector<std::string> names = options.folds();
    for (const std::string& name : names) {
        const mf::TrainTest split = make_split(options, name, dir, data);
        const std::string suffix = names.size() > 1 ? "_" + name : "";
        folds.push_back(run_fold(name, split, sgd, clamp, data, titles, charts, suffix, report));
    }

    if (folds.size() > 1) {
        std::vector<double> mse;
        std::vector<double> rmse;
        std::string per_fold;
        for (const FoldResult& fold : folds) {
            mse.push_back(fold.metrics.mse);
            rmse.push_back(fold.metrics.rmse);
            per_fold += "  " + fold.name + " " + fixed(fold.metrics.rmse, 4);
        }
        report.line() << "test RMSE per fold:" << per_fold << '\n';
        report.line() << "mean test RMSE over " << folds.size()
                      << " folds: " << fixed(mean(rmse), 4) << " (mean test MSE "
                      << fixed(mean(mse), 4) << ")\n";
    }
    const double total_seconds = seconds_since(program_start);
    report.line() << "total time " << fixed(total_seconds, 2) << " s\n";
    if (options.json) {
        const std::string data_name = dir ? dir->string() : "synthetic";
        std::cout << json_summary(options, sgd, data_name, folds, total_seconds) << '\n';
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const auto program_start = Clock::now();
    example::Options options;
    try {
        options = example::parse_command_line(argc, argv);
    } catch (const example::UsageError& e) {
        std::cerr << "movielens_100k: " << e.what() << "; see movielens_100k --help\n";
        return 2;
    }
    if (options.help) {
        std::cout << example::usage(MF_MOVIELENS_DOWNLOAD_DIR);
        return 0;
    }
    try {
        return run(options, program_start);
    } catch (const std::exception& e) {
        // mf throws mf::error (io_error, parse_error: "FILE:LINE: what", training_error) and
        // mf::invalid_argument; both derive from std::exception, as do this program's own.
        std::cerr << "movielens_100k: error: " << e.what() << '\n';
        return 1;
    }
}
