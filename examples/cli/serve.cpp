// The commands that use a saved model: mf predict, mf recommend and mf evaluate.
// A model file is either mf's binary format (mf::save_model) or LIBMF's text
// format (mf::write_libmf_model, or LIBMF's own mf-train), told apart by its
// first bytes.
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "tool.hpp"

namespace cli {

namespace {

/// A model ready to serve raw ids.
template <class Scalar>
struct Served {
    mf::MatrixFactorization<Scalar> model;
    mf::IdMap users;
    mf::IdMap items;
    std::optional<mf::SgdOptions> options;  ///< how it was trained; unknown for LIBMF's
    std::string kind;                       ///< "mf" or "libmf"
    double seconds = 0.0;                   ///< the time it took to load
};

/// Whether `file` starts as mf's binary model files do; false for anything
/// else, LIBMF's text among it. The first byte is not looked at, so that a
/// copy that lost its eighth bit still reaches load_model, which says so. A
/// file that cannot be read is left to the loader, whose error names it.
bool is_mf_model_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    char start[4] = {};
    in.read(start, sizeof start);
    return in.gcount() == 4 && start[1] == 'M' && start[2] == 'F' && start[3] == 'M';
}

/// Loads the model in `file` and runs `use` with it, as a Served<float> or a
/// Served<double> as the file holds; returns what `use` returns. With `scale`,
/// predictions are clamped to it instead of the scale saved with the model.
template <class Use>
int with_model(const std::filesystem::path& file, const std::optional<mf::RatingScale>& scale,
               Use use) {
    // The model is looked at twice (its first bytes, then the whole), which a
    // pipe cannot give.
    std::error_code ec;
    if (std::filesystem::exists(file, ec) && !std::filesystem::is_regular_file(file, ec)) {
        throw UsageError("--model " + file.string() + ": a model is read from a regular file");
    }
    const auto start = Clock::now();
    const auto serve = [&](auto served) {
        if (scale) {
            served.model.set_rating_scale(*scale);
        }
        served.seconds = seconds_since(start);
        return use(served);
    };
    if (!is_mf_model_file(file)) {
        mf::LibmfModel<float> libmf = mf::read_libmf_model<float>(file);
        return serve(Served<float>{std::move(libmf.model), std::move(libmf.users),
                                   std::move(libmf.items), std::nullopt, "libmf"});
    }
    if (mf::inspect_model(file.string()).scalar_bytes == 8) {
        mf::SavedModel<double> saved = mf::load_model<double>(file.string());
        return serve(Served<double>{std::move(saved.model), std::move(saved.users),
                                    std::move(saved.items), saved.options, "mf"});
    }
    mf::SavedModel<float> saved = mf::load_model<float>(file.string());
    return serve(Served<float>{std::move(saved.model), std::move(saved.users),
                               std::move(saved.items), saved.options, "mf"});
}

template <class Scalar>
void print_model(const std::filesystem::path& file, const Served<Scalar>& served) {
    const auto& model = served.model;
    std::cout << "model: " << file.string() << " ("
              << (served.kind == "libmf" ? "LIBMF text" : "mf binary") << ", "
              << (sizeof(Scalar) == 4 ? "float" : "double") << "): " << model.n_users()
              << " users, " << model.n_items() << " items, " << model.n_factors() << " factors"
              << (model.biased() ? ", biased" : "")
              << (model.rating_scale()
                      ? ", predictions clamped to " + scale_text(*model.rating_scale())
                      : std::string())
              << ", read in " << fixed(served.seconds, 3) << " s\n";
}

/// The JSON keys of the model: its shape and, when known, its training options.
template <class Scalar>
void add_model(example::JsonLine& json, const std::filesystem::path& file,
               const Served<Scalar>& served) {
    json.add("model_file", file.string())
        .add("model_format", served.kind)
        .add("users", served.model.n_users())
        .add("items", served.model.n_items());
    if (served.options) {
        mf::SgdOptions options = *served.options;
        options.factors = served.model.n_factors();  // the model's own, whatever was saved
        add_sgd_options(json, options);
    } else {
        json.add("factors", served.model.n_factors());
    }
}

/// The options every command with a model and a ratings file takes.
struct ServeOptions {
    bool help = false;
    std::filesystem::path model;
    std::filesystem::path file;  ///< TEST for predict and evaluate
    std::optional<std::filesystem::path> train;
    DataOptions data;
    bool json = false;
};

/// Takes the options ServeOptions holds; false for any other.
bool parse_serve_option(std::string_view option, Arguments& arguments, ServeOptions& options,
                        bool takes_file) {
    if (option == "--help" || option == "-h") {
        arguments.flag();
        options.help = true;
    } else if (option == "--json") {
        arguments.flag();
        options.json = true;
    } else if (option == "--model") {
        options.model = parse_file(option, arguments);
    } else if (option == "--train") {
        options.train = parse_file(option, arguments);
    } else if (!options.data.parse(option, arguments)
               && (!takes_file || !parse_positional_file(arguments, "TEST", options.file))) {
        return false;
    }
    return true;
}

/// `test_format`: whether --test-format may name TEST's format apart from the
/// training file's.
void check_serve_options(const ServeOptions& options, bool takes_file, bool test_format = false) {
    if (options.model.empty()) {
        throw UsageError("no --model given");
    }
    if (takes_file && options.file.empty()) {
        throw UsageError("no TEST file given");
    }
    options.data.validate(test_format);
}

/// A file read through the model's id maps: an id the model lacks gets an
/// index beyond it, and is cold.
template <class Scalar>
Loaded load_through(const std::filesystem::path& file, const mf::ReadOptions& read,
                    Served<Scalar>& served) {
    Loaded loaded = load(file, read, served.users, served.items);
    // Ratings beyond the model's rows keep their indices; the rating set is
    // as wide as the model at least, so that its users and items line up.
    loaded.ratings.set_dimensions(std::max(loaded.ratings.n_users(), served.model.n_users()),
                                  std::max(loaded.ratings.n_items(), served.model.n_items()));
    return loaded;
}

void print_errors(const mf::ErrorMetrics& e) {
    std::cout << "RMSE " << fixed(e.rmse, 4) << ", MAE " << fixed(e.mae, 4) << " on "
              << count_of(e.count, "rating") << "; " << count_of(e.cold_ratings, "cold rating")
              << " (of " << count_of(e.cold_users, "user") << " and "
              << count_of(e.cold_items, "item")
              << " the model lacks) predicted by the mean and the known bias\n";
}

void add_errors(example::JsonLine& json, const mf::ErrorMetrics& e) {
    json.add("test_ratings", e.count)
        .add("test_rmse", e.rmse)
        .add("test_mae", e.mae)
        .add("cold_users", e.cold_users)
        .add("cold_items", e.cold_items)
        .add("cold_ratings", e.cold_ratings);
}

std::string model_usage() {
    return "  --model FILE         the model: mf's binary format (mf train --model) or\n"
           "                       LIBMF's text format, told apart by its first bytes\n";
}

// ---------------------------------------------------------------------------
// mf predict

std::string predict_usage() {
    return "Usage: mf predict --model FILE TEST [--out FILE] [OPTIONS]\n"
           "\n"
           "Predicts the ratings of TEST with a saved model and reports the error. Ids\n"
           "are read through the model's id maps; users and items the model lacks are\n"
           "cold, predicted by the mean rating and the known side's bias.\n"
           "\n"
           "Model and output:\n"
           + model_usage()
           + "  --out FILE           write the predictions there, a line each: user id, item\n"
             "                       id, prediction, tab-separated, in TEST's order; - for\n"
             "                       standard output\n"
             "  --json               end with one line of JSON holding the results\n"
             "  --help               show this text\n"
             "\n"
             "Data:\n"
           + DataOptions::usage(false);
}

}  // namespace

int predict_command(int argc, const char* const* argv) {
    ServeOptions options;
    std::optional<std::filesystem::path> out;
    Arguments arguments(argc, argv, 2);
    while (arguments.next() && !options.help) {
        const std::string_view option = arguments.option();
        if (option == "--out") {
            out = parse_file(option, arguments);
        } else if (option == "--train" || !parse_serve_option(option, arguments, options, true)) {
            throw arguments.unexpected();
        }
    }
    if (options.help) {
        std::cout << predict_usage();
        return 0;
    }
    check_serve_options(options, true);

    // "-" is standard output. A file is checked now, so that a bad one stops
    // the command before the work, and opened only once the predictions are
    // ready, so that a failure before leaves it as it was.
    const bool to_stdout = out && *out == "-";
    if (out && !to_stdout) {
        check_output_file("--out", *out, {&options.model, &options.file}, "a file");
    }
    return with_model(options.model, options.data.read.scale, [&](auto& served) {
        print_model(options.model, served);
        const Loaded test = load_through(options.file, options.data.read, served);
        print_loaded("test", options.file, test, options.data.read, false);
        const auto predict_start = Clock::now();
        const auto predictions = served.model.predict(test.ratings);
        const double predict_seconds = seconds_since(predict_start);
        const mf::ErrorMetrics errors = mf::evaluate(served.model, test.ratings, predictions);
        print_errors(errors);
        if (out) {
            // Each line names its pair: the ratings read are TEST's lines less
            // the dropped duplicates and skipped lines.
            using Scalar = typename std::decay_t<decltype(served.model)>::value_type;
            const int digits = std::numeric_limits<Scalar>::max_digits10;
            std::cout.flush();  // the report so far comes first on standard output
            std::unique_ptr<std::FILE, int (*)(std::FILE*)> opened(
                to_stdout ? nullptr : std::fopen(out->c_str(), "w"), std::fclose);
            std::FILE* const file = to_stdout ? stdout : opened.get();
            if (file == nullptr) {
                throw mf::io_error("cannot write '" + out->string() + "': " + std::strerror(errno));
            }
            for (std::size_t j = 0; j < predictions.size(); ++j) {
                std::fprintf(file, "%s\t%s\t%.*g\n", served.users.raw(test.ratings.user(j)).c_str(),
                             served.items.raw(test.ratings.item(j)).c_str(), digits,
                             static_cast<double>(predictions(j)));
            }
            if (std::fflush(file) != 0 || std::ferror(file)
                || (opened && std::fclose(opened.release()) != 0)) {
                throw mf::io_error("cannot write '" + out->string() + "': " + std::strerror(errno));
            }
            std::cout << "wrote " << predictions.size() << " predictions to "
                      << (to_stdout ? std::string("standard output") : out->string()) << '\n';
        }
        if (options.json) {
            example::JsonLine json;
            json.add("command", std::string("predict")).add("test_file", options.file.string());
            add_read_report(json, "", test.report);
            add_model(json, options.model, served);
            add_errors(json, errors);
            json.add("load_seconds", served.seconds + test.seconds)
                .add("predict_seconds", predict_seconds)
                .add("peak_rss_mb", peak_rss_mib());
            std::cout << json.str() << '\n';
        }
        return 0;
    });
}

// ---------------------------------------------------------------------------
// mf recommend

namespace {

std::string recommend_usage() {
    return "Usage: mf recommend --model FILE --user ID [--user ID ...] [-n N]\n"
           "                    (--train FILE | --include-seen) [--titles FILE] [OPTIONS]\n"
           "\n"
           "Prints the N items with the highest predicted scores for each user, best\n"
           "first, leaving out the items the user rated in the training file. A user\n"
           "the model lacks gets the items with the highest item bias.\n"
           "\n"
           "Options:\n"
           + model_usage()
           + "  --user ID            a user's id, as in the training file; may be repeated\n"
             "  -n N                 how many items (default 10)\n"
             "  --train FILE         the training ratings: each user's items there are left\n"
             "                       out (read with the data options below)\n"
             "  --include-seen       leave out nothing: without --train, say this\n"
             "  --titles FILE        MovieLens u.item, to print each item's title\n"
             "  --json               end with one line of JSON holding the lists\n"
             "  --help               show this text\n"
             "\n"
             "Data:\n"
           + DataOptions::usage(false);
}

}  // namespace

int recommend_command(int argc, const char* const* argv) {
    ServeOptions options;
    std::vector<std::string> users;
    std::size_t n = 10;
    bool include_seen = false;
    std::optional<std::filesystem::path> titles_file;
    Arguments arguments(argc, argv, 2);
    while (arguments.next() && !options.help) {
        const std::string_view option = arguments.option();
        if (option == "--user") {
            users.push_back(arguments.value());
            if (users.back().empty()) {
                throw UsageError("--user expects an id, got ''");
            }
        } else if (option == "-n") {
            n = example::parse_count(option, arguments.value());
        } else if (option == "--include-seen") {
            arguments.flag();
            include_seen = true;
        } else if (option == "--titles") {
            titles_file = parse_file(option, arguments);
        } else if (!parse_serve_option(option, arguments, options, false)) {
            throw arguments.unexpected();
        }
    }
    if (options.help) {
        std::cout << recommend_usage();
        return 0;
    }
    check_serve_options(options, false);
    if (users.empty()) {
        throw UsageError("no --user given");
    }
    if (!options.train && !include_seen) {
        throw UsageError(
            "--train FILE is needed to leave out the items each user rated; "
            "--include-seen leaves out nothing");
    }
    if (options.train && include_seen) {
        throw UsageError("--train and --include-seen do not go together");
    }

    return with_model(options.model, options.data.read.scale, [&](auto& served) {
        print_model(options.model, served);
        std::unordered_map<std::string, std::string> titles;
        if (titles_file) {
            titles = mf::movielens::read_titles(*titles_file);
        }
        mf::Ratings train;
        if (options.train) {
            const Loaded loaded = load_through(*options.train, options.data.read, served);
            print_loaded("train", *options.train, loaded, options.data.read, false);
            train = loaded.ratings;
        }
        const mf::Recommender recommender(served.model, train);
        std::vector<std::vector<std::string>> json_lists;
        for (const std::string& raw : users) {
            // An id in neither the model nor --train gets an index of its own,
            // beyond every other, with no training items.
            const std::optional<mf::index_type> user = served.users.find(raw);
            const std::size_t index = user ? *user : served.users.size();
            const bool known = served.model.is_known_user(index);
            const auto list = recommender.recommend(index, n, !include_seen);
            std::cout << "user " << raw;
            if (!known) {
                std::cout << (served.model.biased()
                                  ? " (unknown to the model: ranked by item bias)"
                                  : " (unknown to the model, which has no biases: every item "
                                    "scores the mean, in the order of the model's items)");
            }
            std::cout << ":\n";
            std::vector<std::string> items;
            for (std::size_t r = 0; r < list.size(); ++r) {
                const std::string& item = served.items.raw(list[r].item);
                std::cout << std::setw(4) << r + 1 << "  " << std::setw(8) << item << "  "
                          << fixed(list[r].score, 4);
                const auto title = titles.find(item);
                if (title != titles.end()) {
                    std::cout << "  " << title->second;
                }
                std::cout << '\n';
                items.push_back(item);
            }
            json_lists.push_back(std::move(items));
        }
        if (options.json) {
            example::JsonLine json;
            json.add("command", std::string("recommend"));
            add_model(json, options.model, served);
            json.add("n", n).add("users_asked", users).add("recommendations", json_lists);
            std::cout << json.str() << '\n';
        }
        return 0;
    });
}

// ---------------------------------------------------------------------------
// mf evaluate

namespace {

std::string evaluate_usage() {
    return "Usage: mf evaluate --model FILE TEST [--train FILE] [-k N] [OPTIONS]\n"
           "\n"
           "Measures a saved model on TEST: RMSE and MAE, cold ratings counted; with\n"
           "--train, also the ranking metrics at k (precision, recall, NDCG, MAP, hit\n"
           "rate; docs/metrics.md) of the model's top-k lists, training items left out,\n"
           "beside those of a popularity baseline made from the same training file.\n"
           "\n"
           "Options:\n"
           + model_usage()
           + "  --train FILE         the training ratings, for the ranking metrics\n"
             "  --test-format NAME   TEST's format, as --format names them (default: the\n"
             "                       format found for the training file, with its options)\n"
             "  -k N                 length of the lists (default 10)\n"
             "  --threshold X        a test rating of at least X is relevant (default 4)\n"
             "  --threads N          threads that make the lists (default 1)\n"
             "  --json               end with one line of JSON holding the results\n"
             "  --help               show this text\n"
             "\n"
             "\n"
             "Data (for the training file, and for TEST unless --test-format is given):\n"
           + DataOptions::usage(false);
}

void print_ranking(const char* what, const mf::RankingMetrics& m) {
    std::cout << what << ": precision@" << m.k << ' ' << fixed(m.precision, 4) << ", recall@" << m.k
              << ' ' << fixed(m.recall, 4) << ", NDCG@" << m.k << ' ' << fixed(m.ndcg, 4)
              << ", MAP@" << m.k << ' ' << fixed(m.map, 4) << ", hit rate " << fixed(m.hit_rate, 4)
              << '\n';
}

void add_ranking(example::JsonLine& json, const std::string& prefix, const mf::RankingMetrics& m) {
    json.add(prefix + "precision_at_k", m.precision)
        .add(prefix + "recall_at_k", m.recall)
        .add(prefix + "ndcg_at_k", m.ndcg)
        .add(prefix + "map_at_k", m.map)
        .add(prefix + "hit_rate", m.hit_rate);
}

}  // namespace

int evaluate_command(int argc, const char* const* argv) {
    ServeOptions options;
    mf::RankingOptions ranking;
    Arguments arguments(argc, argv, 2);
    while (arguments.next() && !options.help) {
        const std::string_view option = arguments.option();
        if (option == "-k") {
            ranking.k = example::parse_count(option, arguments.value());
        } else if (option == "--threshold") {
            ranking.relevance_threshold = example::parse_real(option, arguments.value());
        } else if (option == "--threads") {
            ranking.threads = example::parse_count(option, arguments.value());
        } else if (!parse_serve_option(option, arguments, options, true)) {
            throw arguments.unexpected();
        }
    }
    if (options.help) {
        std::cout << evaluate_usage();
        return 0;
    }
    check_serve_options(options, true, true);
    try {
        mf::validate(ranking);
    } catch (const mf::invalid_argument& e) {
        throw UsageError(e.what());
    }

    return with_model(options.model, options.data.read.scale, [&](auto& served) {
        print_model(options.model, served);
        std::optional<Loaded> train;
        if (options.train) {
            train = load_through(*options.train, options.data.read, served);
            print_loaded("train", *options.train, *train, options.data.read, false);
        }
        mf::ReadOptions test_read = options.data.read;
        if (train) {
            test_read = options.data.test_options(train->report);
        } else if (options.data.test_format) {
            test_read.format = *options.data.test_format;
        }
        Loaded test = load_through(options.file, test_read, served);
        print_loaded("test", options.file, test, test_read,
                     train.has_value() && !options.data.test_format
                         && options.data.read.format == mf::Format::automatic);
        const mf::ErrorMetrics errors = mf::evaluate(served.model, test.ratings);
        print_errors(errors);

        std::optional<mf::RankingMetrics> model_ranking;
        std::optional<mf::RankingMetrics> popular_ranking;
        if (train) {
            // Both rating sets as wide as the ids read so far, so that every
            // index of one is valid in the other.
            const std::size_t users = served.users.size();
            const std::size_t items = served.items.size();
            train->ratings.set_dimensions(users, items);
            test.ratings.set_dimensions(users, items);
            const mf::Recommender recommender(served.model, train->ratings);
            model_ranking = mf::evaluate_ranking(recommender, test.ratings, ranking);
            const mf::PopularityRecommender popular(train->ratings);
            popular_ranking = mf::evaluate_ranking(popular, test.ratings, ranking);
            std::cout << "ranking: " << model_ranking->users << " users with a test rating of "
                      << ranking.relevance_threshold << " or more, top " << ranking.k
                      << " lists without training items\n";
            print_ranking("model", *model_ranking);
            print_ranking("popularity", *popular_ranking);
        } else {
            std::cout << "ranking metrics: give --train FILE, so that each user's training "
                         "items are left out of the lists\n";
        }
        if (options.json) {
            example::JsonLine json;
            json.add("command", std::string("evaluate")).add("test_file", options.file.string());
            add_read_report(json, "test_", test.report);
            add_model(json, options.model, served);
            add_errors(json, errors);
            if (model_ranking) {
                json.add("train_file", options.train->string())
                    .add("train_ratings", train->ratings.size())
                    .add("k", ranking.k)
                    .add("relevance_threshold", ranking.relevance_threshold)
                    .add("ranking_users", model_ranking->users)
                    .add("ranking_skipped_users", model_ranking->skipped_users);
                add_ranking(json, "", *model_ranking);
                add_ranking(json, "popularity_", *popular_ranking);
            }
            json.add("load_seconds", served.seconds + test.seconds + (train ? train->seconds : 0.0))
                .add("peak_rss_mb", peak_rss_mib());
            std::cout << json.str() << '\n';
        }
        return 0;
    });
}

}  // namespace cli
