// Microbenchmarks of the SGD trainer, prediction and the MovieLens reader.
//
//   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMF_BUILD_BENCHMARKS=ON
//   cmake --build build --target mf_benchmarks
//   MF_DATA_DIR=/path/to/ml-100k build/benchmarks/mf_benchmarks
//
// Rates are ratings per second (items_per_second) or bytes per second. The
// benchmarks that read MovieLens report an error unless MF_DATA_DIR is set.
#include <benchmark/benchmark.h>

#include <mf/mf.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

const mf::Dataset& synthetic_100k() {
    static const mf::Dataset data = mf::synthetic_ratings(mf::SyntheticOptions{});
    return data;
}

const char* data_dir() {
    const char* dir = std::getenv("MF_DATA_DIR");
    return dir != nullptr && *dir != '\0' ? dir : nullptr;
}

// SGD passes over `ratings` with k = state.range(0), timed by the trainer's own
// per-epoch clock, so that initialisation and the per-epoch MSE are left out.
template <class Scalar>
void sgd_epochs(benchmark::State& state, const mf::Ratings& ratings) {
    mf::SgdOptions options;
    options.factors = static_cast<std::size_t>(state.range(0));
    options.epochs = 5;
    const mf::SgdTrainer trainer(options);
    mf::MatrixFactorization<Scalar> model;
    for (auto _ : state) {
        double seconds = 0.0;
        for (const mf::EpochStats& epoch : trainer.fit(model, ratings)) {
            seconds += epoch.seconds;
        }
        benchmark::DoNotOptimize(model.user_factors().data());
        state.SetIterationTime(seconds);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(options.epochs)
                            * static_cast<std::int64_t>(ratings.size()));
}

template <class Scalar>
void BM_SgdEpoch_Synthetic100k(benchmark::State& state) {
    sgd_epochs<Scalar>(state, synthetic_100k().ratings);
}
BENCHMARK_TEMPLATE(BM_SgdEpoch_Synthetic100k, float)->Arg(5)->Arg(32)->Arg(100)->UseManualTime();
BENCHMARK_TEMPLATE(BM_SgdEpoch_Synthetic100k, double)->Arg(5)->Arg(32)->Arg(100)->UseManualTime();

void BM_SgdEpoch_MovieLens100k(benchmark::State& state) {
    if (data_dir() == nullptr) {
        state.SkipWithError("MF_DATA_DIR is not set");
        return;
    }
    const mf::Dataset data =
        mf::movielens::read_ratings(std::filesystem::path(data_dir()) / "u.data");
    sgd_epochs<float>(state, data.ratings);
}
BENCHMARK(BM_SgdEpoch_MovieLens100k)->Arg(5)->Arg(100)->UseManualTime();

void BM_ReadUData_MovieLens100k(benchmark::State& state) {
    if (data_dir() == nullptr) {
        state.SkipWithError("MF_DATA_DIR is not set");
        return;
    }
    const std::filesystem::path file = std::filesystem::path(data_dir()) / "u.data";
    for (auto _ : state) {
        mf::Dataset data = mf::movielens::read_ratings(file);
        benchmark::DoNotOptimize(data.ratings.values().data());
    }
    state.SetBytesProcessed(state.iterations()
                            * static_cast<std::int64_t>(std::filesystem::file_size(file)));
}
BENCHMARK(BM_ReadUData_MovieLens100k)->Unit(benchmark::kMillisecond);

void BM_PredictBatch_100k(benchmark::State& state) {
    mf::SgdOptions options;
    options.factors = static_cast<std::size_t>(state.range(0));
    options.epochs = 1;
    mf::MatrixFactorization<float> model;
    mf::SgdTrainer(options).fit(model, synthetic_100k().ratings);
    for (auto _ : state) {
        const auto predicted = model.predict(synthetic_100k().ratings);
        benchmark::DoNotOptimize(predicted.data());
    }
    state.SetItemsProcessed(state.iterations()
                            * static_cast<std::int64_t>(synthetic_100k().ratings.size()));
}
BENCHMARK(BM_PredictBatch_100k)->Arg(5)->Arg(100);

}  // namespace
