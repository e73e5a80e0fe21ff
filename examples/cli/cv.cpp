// mf cv: k-fold cross-validation of the training that `mf train` runs.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "tool.hpp"

namespace cli {

namespace {

struct CvOptions {
    bool help = false;
    std::filesystem::path train;
    DataOptions data;
    mf::SgdOptions sgd = default_sgd();
    std::size_t folds = 5;
    std::uint64_t fold_seed = 1;
    bool json = false;
};

std::string cv_usage() {
    std::ostringstream text;
    text << "Usage: mf cv TRAIN [--folds N] [OPTIONS]\n"
            "\n"
            "Cuts the ratings in TRAIN into N folds at random, trains a model on all folds\n"
            "but one and tests it on that one, in turn. Prints each fold's RMSE and MAE,\n"
            "then the mean and the sample standard deviation (n - 1) of the folds' own\n"
            "figures, and the RMSE of all test ratings pooled.\n"
            "\n"
            "Folds:\n"
            "  --folds N            how many folds, at least 2 (default 5)\n"
            "  --fold-seed N        seeds the cut into folds (default 1); --seed seeds the\n"
            "                       training\n"
            "\n"
            "Data:\n"
         << DataOptions::usage(false)
         << "\n"
            "Model (the defaults are mf::SgdOptions{}):\n"
         << sgd_usage(default_sgd())
         << "\n"
            "Output:\n"
            "  --json               end with one line of JSON holding the results\n"
            "  --help               show this text\n";
    return text.str();
}

CvOptions parse_cv(int argc, const char* const* argv) {
    CvOptions options;
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
        } else if (option == "--folds") {
            options.folds = example::parse_count(option, arguments.value(), 2);
        } else if (option == "--fold-seed") {
            options.fold_seed = example::parse_seed(option, arguments.value());
        } else if (!options.data.parse(option, arguments)
                   && !parse_sgd_option(option, arguments, options.sgd)
                   && !parse_positional_file(arguments, "TRAIN", options.train)) {
            throw arguments.unexpected();
        }
    }
    if (options.train.empty()) {
        throw UsageError("no TRAIN file given");
    }
    options.data.validate(false);
    check_sgd(options.sgd);
    return options;
}

int run_cv(const CvOptions& options) {
    const auto start = Clock::now();
    Loaded loaded;
    mf::Dataset data = mf::read_ratings(options.train, options.data.read, &loaded.report);
    loaded.seconds = seconds_since(start);
    print_loaded("data", options.train, loaded, options.data.read, false);
    if (options.folds > data.ratings.size()) {
        throw UsageError("--folds " + std::to_string(options.folds) + " is more than the "
                         + count_of(data.ratings.size(), "rating") + " of "
                         + options.train.string());
    }
    const mf::SgdOptions& sgd = options.sgd;
    std::cout << options.folds << " folds (fold seed " << options.fold_seed
              << "); model: " << sgd.factors << " factors, " << sgd.epochs << " epochs, "
              << schedule_name(sgd.schedule) << " schedule, seed " << sgd.seed
              << (data.scale ? ", predictions clamped to " + scale_text(*data.scale)
                             : std::string())
              << '\n';
    std::cout << " fold     train      test        RMSE         MAE  cold ratings   seconds"
              << std::endl;
    const auto print_fold = [](const mf::FoldResult& fold) {
        std::cout << std::setw(5) << fold.fold + 1 << std::setw(10) << fold.train_ratings
                  << std::setw(10) << fold.test_ratings << std::setw(12) << fixed(fold.test.rmse, 6)
                  << std::setw(12) << fixed(fold.test.mae, 6) << std::setw(14)
                  << fold.test.cold_ratings << std::setw(10) << fixed(fold.train_seconds, 3)
                  << std::endl;
    };
    const mf::CrossValidation cv =
        mf::cross_validate(data, sgd, options.folds, options.fold_seed, print_fold);
    std::cout << "mean over folds: RMSE " << fixed(cv.mean_rmse, 4) << " ± "
              << fixed(cv.std_rmse, 4) << ", MAE " << fixed(cv.mean_mae, 4) << " ± "
              << fixed(cv.std_mae, 4) << " (sample standard deviation); pooled RMSE "
              << fixed(cv.pooled_rmse, 4) << '\n';

    if (options.json) {
        std::vector<double> fold_rmse;
        std::vector<double> fold_mae;
        std::vector<std::size_t> cold;
        for (const mf::FoldResult& fold : cv.folds) {
            fold_rmse.push_back(fold.test.rmse);
            fold_mae.push_back(fold.test.mae);
            cold.push_back(fold.test.cold_ratings);
        }
        example::JsonLine json;
        json.add("command", std::string("cv")).add("train_file", options.train.string());
        add_read_report(json, "", loaded.report);
        json.add("ratings", data.ratings.size())
            .add("users", data.users.size())
            .add("items", data.items.size())
            .add("folds", options.folds)
            .add("fold_seed", options.fold_seed);
        add_sgd_options(json, sgd);
        json.add("aggregate", std::string("mean and sample standard deviation of the folds"))
            .add("fold_rmse", fold_rmse)
            .add("fold_mae", fold_mae)
            .add("fold_cold_ratings", cold)
            .add("mean_rmse", cv.mean_rmse)
            .add("std_rmse", cv.std_rmse)
            .add("mean_mae", cv.mean_mae)
            .add("std_mae", cv.std_mae)
            .add("pooled_rmse", cv.pooled_rmse)
            .add("load_seconds", loaded.seconds)
            .add("total_seconds", seconds_since(start))
            .add("peak_rss_mb", peak_rss_mib());
        std::cout << json.str() << '\n';
    }
    return 0;
}

}  // namespace

int cv_command(int argc, const char* const* argv) {
    const CvOptions options = parse_cv(argc, argv);
    if (options.help) {
        std::cout << cv_usage();
        return 0;
    }
    return run_cv(options);
}

}  // namespace cli
