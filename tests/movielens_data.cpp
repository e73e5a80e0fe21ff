// The MovieLens 100k pipeline on the real data, for the folder named by the
// environment variable MF_DATA_DIR. Without it the program says that it
// skipped and exits with 77, which CTest reports as a skipped test; a folder
// named there that holds no u.data is an error.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <mf/mf.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace {

std::filesystem::path data_dir() {
    return std::getenv("MF_DATA_DIR");
}

double per_user_test_mse(const mf::SgdOptions& options, bool clamp) {
    const mf::Dataset data = mf::movielens::read_ratings(data_dir() / "u.data");
    const mf::TrainTest split = mf::per_user_holdout(data.ratings, 0.2, 42);
    mf::MatrixFactorization<float> model;
    mf::SgdTrainer(options).fit(model, split.train);
    if (clamp) {
        model.set_rating_scale(mf::movielens::scale);
    }
    return mf::evaluate(model, split.test).mse;
}

}  // namespace

TEST_CASE("movielens.u.data has 100,000 ratings of 943 users for 1682 items") {
    const mf::Dataset data = mf::movielens::read_ratings(data_dir() / "u.data");
    CHECK(data.ratings.size() == 100000);
    CHECK(data.users.size() == 943);
    CHECK(data.items.size() == 1682);
    const auto titles = mf::movielens::read_titles(data_dir() / "u.item");
    CHECK(titles.size() == 1682);
    CHECK(titles.at("1") == "Toy Story (1995)");
}

TEST_CASE("movielens.ua and ub hold out ten ratings of every user") {
    for (const char* fold : {"ua", "ub"}) {
        mf::IdMap users;
        mf::IdMap items;
        const mf::TrainTest split = mf::movielens::read_fold(data_dir(), fold, users, items);
        std::vector<std::size_t> per_user(users.size(), 0);
        for (std::size_t j = 0; j < split.test.size(); ++j) {
            ++per_user[split.test.user(j)];
        }
        INFO(std::string(fold));
        CHECK(split.train.size() + split.test.size() == 100000);
        CHECK(per_user == std::vector<std::size_t>(943, 10));
    }
}

TEST_CASE("movielens.the notebook preset reaches the notebook's test MSE") {
    const double mse = per_user_test_mse(mf::SgdOptions::notebook(), false);
    MESSAGE("notebook preset, per-user split: test MSE " << mse);
    CHECK(mse >= 0.86);
    CHECK(mse <= 0.96);
}

TEST_CASE("movielens.the default preset reaches test MSE 0.840 on the per-user split") {
    const double mse = per_user_test_mse(mf::SgdOptions{}, true);
    MESSAGE("default preset, per-user split: test MSE " << mse);
    CHECK(mse <= 0.840);
}

TEST_CASE("movielens.the default preset reaches mean RMSE 0.912 over u1..u5") {
    double sum = 0.0;
    for (const char* fold : {"u1", "u2", "u3", "u4", "u5"}) {
        mf::IdMap users;
        mf::IdMap items;
        const mf::TrainTest split = mf::movielens::read_fold(data_dir(), fold, users, items);
        mf::MatrixFactorization<float> model;
        mf::SgdTrainer().fit(model, split.train);
        model.set_rating_scale(mf::movielens::scale);
        const double rmse = mf::evaluate(model, split.test).rmse;
        MESSAGE(std::string(fold) << ": test RMSE " << rmse);
        sum += rmse;
    }
    MESSAGE("mean test RMSE over u1..u5: " << sum / 5);
    CHECK(sum / 5 <= 0.912);
}

int main(int argc, char** argv) {
    const char* dir = std::getenv("MF_DATA_DIR");
    if (dir == nullptr || *dir == '\0') {
        std::cout << "SKIPPED: MF_DATA_DIR is not set; point it at the ml-100k folder to run "
                     "the MovieLens tests\n";
        return 77;
    }
    if (!std::filesystem::exists(std::filesystem::path(dir) / "u.data")) {
        std::cerr << "MF_DATA_DIR is '" << dir << "', which holds no u.data\n";
        return 1;
    }
    doctest::Context context(argc, argv);
    return context.run();
}
