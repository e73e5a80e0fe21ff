// The program every packaging test builds, as a user's program would be: it
// includes only <mf/mf.hpp>, trains a tiny model and fails unless training
// lowered the error. It also reads a gzip file, which must work where mf comes
// with zlib (MF_WITH_ZLIB), so that route must link zlib too, and must be
// refused with an mf::io_error that names MF_WITH_ZLIB where it does not.
#include <mf/mf.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace {

// `printf '1 1 5\n1 2 3\n2 1 4\n' | gzip -n -9`: three LIBMF ratings.
const unsigned char ratings_gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
                                    0x03, 0x33, 0x54, 0x30, 0x54, 0x30, 0xe5, 0x32, 0x54,
                                    0x30, 0x52, 0x30, 0xe6, 0x32, 0x02, 0xb2, 0x4d, 0xb8,
                                    0x00, 0xc8, 0x6d, 0x13, 0xfc, 0x12, 0x00, 0x00, 0x00};

bool reads_gzip() {
    // In the working folder, which each route's test has to itself.
    const std::filesystem::path file = "consumer_ratings.gz";
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(ratings_gz), sizeof ratings_gz);
#if defined(MF_WITH_ZLIB) && MF_WITH_ZLIB
    const mf::Dataset data = mf::read_ratings(file, mf::Format::libmf);
    return data.ratings.size() == 3 && data.users.size() == 2 && data.items.size() == 2;
#else
    try {
        mf::read_ratings(file, mf::Format::libmf);
        return false;
    } catch (const mf::io_error& e) {
        return std::strstr(e.what(), "MF_WITH_ZLIB") != nullptr;
    }
#endif
}

}  // namespace

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
                   && history.back().train_mse < 0.9 * history.front().train_mse && reads_gzip()
               ? 0
               : 1;
}
