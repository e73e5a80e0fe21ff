// The program every packaging test builds, as a user's program would be: it
// includes only <mf/mf.hpp>, trains a tiny model and fails unless training
// lowered the error.
#include <mf/mf.hpp>

int main() {
    mf::SyntheticOptions shape;
    shape.users = 40;
    shape.items = 30;
    shape.ratings = 600;
    shape.min_per_user = 5;
    const mf::Dataset data = mf::synthetic_ratings(shape);

    mf::SgdOptions options;
    options.factors = 4;
    options.epochs = 20;
    mf::MatrixFactorization<float> model;
    const mf::TrainingHistory history = mf::SgdTrainer(options).fit(model, data.ratings);

    return history.size() == options.epochs
                   && history.back().train_mse < 0.9 * history.front().train_mse
               ? 0
               : 1;
}
