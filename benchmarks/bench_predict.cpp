// Batch prediction, MatrixFactorization::predict(ratings), for the 100,000
// (user, item) pairs of the synthetic MovieLens-shaped set.
#include <benchmark/benchmark.h>

#include <mf/mf.hpp>

#include <cstddef>
#include <cstdint>

#include "bench_data.hpp"

namespace {

template <class Scalar>
void BM_PredictBatch_100k(benchmark::State& state) {
    const mf::Ratings& pairs = bench::synthetic_100k().ratings;
    mf::SgdOptions options;
    options.factors = static_cast<std::size_t>(state.range(0));
    // Prediction does not depend on how well the model is trained, only on its shape.
    options.epochs = 1;
    mf::MatrixFactorization<Scalar> model;
    mf::SgdTrainer(options).fit(model, pairs);

    for (auto _ : state) {
        const auto predicted = model.predict(pairs);
        benchmark::DoNotOptimize(predicted.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pairs.size()));
}

void factor_counts(benchmark::internal::Benchmark* b) {
    b->ArgName("k")->Arg(5)->Arg(32)->Arg(100)->Unit(benchmark::kMicrosecond);
}

BENCHMARK_TEMPLATE(BM_PredictBatch_100k, float)
    ->Name("PredictBatch/synthetic_100k/float")
    ->Apply(factor_counts);
BENCHMARK_TEMPLATE(BM_PredictBatch_100k, double)
    ->Name("PredictBatch/synthetic_100k/double")
    ->Apply(factor_counts);

}  // namespace
