// One SGD epoch of mf::SgdTrainer with the default options (biased model), for
// k = 5, 32 and 100 latent factors, in float and double, on synthetic ratings
// shaped like MovieLens 100k and on MovieLens 100k itself.
//
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMF_BUILD_BENCHMARKS=ON
//   cmake --build build-bench --target mf_benchmarks
//   MF_DATA_DIR=/path/to/ml-100k build-bench/benchmarks/mf_benchmarks --benchmark_min_time=0.2
//
// Without MF_DATA_DIR the MovieLens benchmarks report "MF_DATA_DIR not set".
#include <benchmark/benchmark.h>

#include <mf/mf.hpp>

#include <cstddef>
#include <cstdint>

#include "bench_data.hpp"

namespace {

constexpr std::size_t epochs_per_fit = 5;

// fit() also initialises the model and computes the training MSE after every
// epoch, which adds about a third to each epoch. So the time taken is the
// trainer's own EpochStats::seconds (the shuffle and the SGD pass), summed over
// several epochs and divided by their number: Time is one epoch, while the CPU
// column is a whole fit() of epochs_per_fit epochs, initialisation and MSEs included.
template <class Scalar>
void sgd_epoch(benchmark::State& state, const mf::Ratings& ratings) {
    mf::SgdOptions options;
    options.factors = static_cast<std::size_t>(state.range(0));
    options.epochs = epochs_per_fit;
    const mf::SgdTrainer trainer(options);
    mf::MatrixFactorization<Scalar> model;
    for (auto _ : state) {
        const mf::TrainingHistory history = trainer.fit(model, ratings);
        double seconds = 0.0;
        for (const mf::EpochStats& epoch : history) {
            seconds += epoch.seconds;
        }
        benchmark::DoNotOptimize(history.data());
        benchmark::DoNotOptimize(model.user_factors().data());
        state.SetIterationTime(seconds / static_cast<double>(history.size()));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ratings.size()));
}

void factor_counts(benchmark::internal::Benchmark* b) {
    b->ArgName("k")->Arg(5)->Arg(32)->Arg(100)->UseManualTime()->Unit(benchmark::kMillisecond);
}

template <class Scalar>
void BM_SgdEpoch_Synthetic100k(benchmark::State& state) {
    sgd_epoch<Scalar>(state, bench::synthetic_100k().ratings);
}
BENCHMARK_TEMPLATE(BM_SgdEpoch_Synthetic100k, float)->Apply(factor_counts);
BENCHMARK_TEMPLATE(BM_SgdEpoch_Synthetic100k, double)->Apply(factor_counts);

template <class Scalar>
void BM_SgdEpoch_MovieLens100k(benchmark::State& state) {
    if (const mf::Dataset* data = bench::movielens_100k(state)) {
        sgd_epoch<Scalar>(state, data->ratings);
    }
}
BENCHMARK_TEMPLATE(BM_SgdEpoch_MovieLens100k, float)->Apply(factor_counts);
BENCHMARK_TEMPLATE(BM_SgdEpoch_MovieLens100k, double)->Apply(factor_counts);

}  // namespace
