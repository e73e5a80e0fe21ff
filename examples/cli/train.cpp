// mf train: reads a ratings file, trains a model and reports its error after
// each epoch, cold users and items of the test file included.
#include <cmath>
#include <cstddef>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tool.hpp"

namespace cli {

namespace {

struct TrainOptions {
    bool help = false;
    std::filesystem::path train;
    std::optional<std::filesystem::path> test;
    DataOptions data;
    mf::SgdOptions sgd = default_sgd();
    std::optional<std::filesystem::path> model;  ///< --model: where the model is saved
    std::string model_format = "mf";             ///< --model-format: mf or libmf
    bool json = false;
};

std::string train_usage() {
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
         << DataOptions::usage(true)
         << "\n"
            "Model (the defaults are mf::SgdOptions{}):\n"
         << sgd_usage(default_sgd())
         << "\n"
            "Output:\n"
            "  --model FILE         save the trained model there: written whole or not at\n"
            "                       all, for mf predict, recommend and evaluate\n"
            "  --model-format NAME  mf (default): mf's binary format (docs/model-format.md);\n"
            "                       libmf: LIBMF's text format, for LIBMF's mf-predict;\n"
            "                       its rows are numbered by id, so ids must be integers\n"
            "  --evaluate-train     compute the RMSE on the whole training set after each\n"
            "                       epoch (a third of an epoch's time); without it the\n"
            "                       train column is the RMSE of the epoch's own steps\n"
            "  --json               end with one line of JSON holding the results\n"
            "  --help               show this text\n";
    return text.str();
}

TrainOptions parse_train(int argc, const char* const* argv) {
    TrainOptions options;
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
            options.sgd.evaluate_train = true;
        } else if (option == "--test") {
            options.test = parse_file(option, arguments);
        } else if (option == "--model") {
            options.model = parse_file(option, arguments);
        } else if (option == "--model-format") {
            options.model_format =
                example::parse_choice(option, arguments.value(), {"mf", "libmf"});
        } else if (!options.data.parse(option, arguments)
                   && !parse_sgd_option(option, arguments, options.sgd)
                   && !parse_positional_file(arguments, "TRAIN", options.train)) {
            throw arguments.unexpected();
        }
    }
    if (options.train.empty()) {
        throw UsageError("no TRAIN file given");
    }
    if (options.model_format != "mf" && !options.model) {
        throw UsageError("--model-format needs --model");
    }
    if (options.model) {
        // Before training rather than after it: a model that cannot be saved
        // would cost the whole run.
        check_output_file("--model", *options.model,
                          {&options.train, options.test ? &*options.test : nullptr},
                          "a ratings file");
        std::error_code ec;
        // The model is written whole through a renamed temporary file, which
        // would put a regular file in place of a folder, a pipe or a device.
        const auto status = std::filesystem::symlink_status(*options.model, ec);
        if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)
            && !std::filesystem::is_symlink(status)) {
            throw UsageError("--model " + options.model->string()
                             + (std::filesystem::is_directory(status)
                                    ? ": it is a folder"
                                    : ": it is not a regular file"));
        }
    }
    options.data.validate(options.test.has_value());
    check_sgd(options.sgd);
    return options;
}

int run_train(const TrainOptions& options) {
    const auto start = Clock::now();
    Loaded train;
    Loaded test;
    std::size_t n_users = 0;
    std::size_t n_items = 0;
    std::size_t new_users = 0;
    std::size_t new_items = 0;
    // The training file's ids, kept for a model file to be saved with.
    mf::IdMap train_users;
    mf::IdMap train_items;
    {
        // Training needs only the indices: the id maps go once both files are read.
        mf::IdMap users;
        mf::IdMap items;
        train = load(options.train, options.data.read, users, items);
        print_loaded("train", options.train, train, options.data.read, false);
        n_users = users.size();
        n_items = items.size();
        if (options.model) {
            train_users = users;
            train_items = items;
        }
        if (options.test) {
            // Through the training maps, so an id means the same user or item in
            // both. Ids the training file lacks get indices beyond its dimensions,
            // which the training set keeps: the model does not grow by them, and
            // predicts their ratings by its fallback.
            const mf::ReadOptions test_read = options.data.test_options(train.report);
            test = load(*options.test, test_read, users, items);
            print_loaded(
                "test", *options.test, test, test_read,
                !options.data.test_format && options.data.read.format == mf::Format::automatic);
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
              << schedule_name(sgd.schedule) << " schedule, learning rate " << sgd.learning_rate
              << " (decay " << sgd.learning_rate_decay << "), regularisation " << sgd.reg_factors
              << " (biases " << sgd.reg_biases << "), seed " << sgd.seed
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
    if (options.model) {
        const auto save_start = Clock::now();
        if (options.model_format == "libmf") {
            mf::write_libmf_model(*options.model, model, train_users, train_items);
        } else {
            mf::save_model(options.model->string(), model, train_users, train_items, sgd);
        }
        std::cout << "saved the model to " << options.model->string() << " ("
                  << (options.model_format == "libmf" ? "LIBMF text" : "mf binary") << ") in "
                  << fixed(seconds_since(save_start), 3) << " s\n";
    }

    if (options.json) {
        example::JsonLine json;
        json.add("command", std::string("train"))
            .add("train_file", options.train.string())
            .add("test_file", options.test ? options.test->string() : std::string());
        add_read_report(json, "", train.report);
        json.add("train_ratings", train_ratings)
            .add("test_ratings", test.ratings.size())
            .add("users", n_users)
            .add("items", n_items);
        if (options.test) {
            add_read_report(json, "test_", test.report);
            json.add("cold_users", tested.cold_users)
                .add("cold_items", tested.cold_items)
                .add("cold_ratings", tested.cold_ratings);
        }
        // test_unseen is cold_ratings under its old name, for scripts written before.
        json.add("test_unseen", tested.cold_ratings);
        add_sgd_options(json, sgd);
        json.add("load_seconds", load_seconds)
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

}  // namespace

int train_command(int argc, const char* const* argv) {
    const TrainOptions options = parse_train(argc, argv);
    if (options.help) {
        std::cout << train_usage();
        return 0;
    }
    return run_train(options);
}

}  // namespace cli
