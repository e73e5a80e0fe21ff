// Training: the per-rating update kernels on factor rows held in cache, and
// whole SGD epochs of mf::SgdTrainer on MovieLens 100k and on ten million
// synthetic ratings, with one and two threads.
//
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMF_BUILD_BENCHMARKS=ON
//   cmake --build build-bench --target mf_benchmarks
//   MF_DATA_DIR=/path/to/ml-100k build-bench/benchmarks/mf_benchmarks --benchmark_min_time=0.2
//
// Without MF_DATA_DIR the MovieLens benchmarks report "MF_DATA_DIR not set".
#include <benchmark/benchmark.h>

#include <mf/detail/kernels.hpp>
#include <mf/detail/random.hpp>
#include <mf/mf.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "bench_data.hpp"

namespace {

// ---------------------------------------------------------------------------
// Kernels: one step of a rating of user u and item i, with e = r − p_u · q_i,
// over 1024 user rows and 256 item rows, small enough to stay in cache, so
// the arithmetic is timed and not the memory. The (u, i, r) triplets are a
// fixed pseudo-random sequence, drawn before timing and visited in a cycle.

constexpr std::size_t kernel_users = 1024;
constexpr std::size_t kernel_items = 256;
constexpr std::size_t kernel_steps = 4096;  // a power of 2, for the cycle's mask

template <class Scalar>
struct KernelData {
    struct Step {
        std::uint32_t user;
        std::uint32_t item;
        Scalar rating;
    };

    explicit KernelData(std::size_t k)
        : P(kernel_users * k), Q(kernel_items * k), steps(kernel_steps) {
        mf::detail::Rng rng(2024);
        for (auto* factors : {&P, &Q}) {
            for (Scalar& x : *factors) {
                x = static_cast<Scalar>(0.1 * rng.normal());
            }
        }
        for (Step& step : steps) {
            step.user = static_cast<std::uint32_t>(rng.below(kernel_users));
            step.item = static_cast<std::uint32_t>(rng.below(kernel_items));
            step.rating = static_cast<Scalar>(1 + rng.below(5));
        }
    }

    std::vector<Scalar> P, Q;
    std::vector<Step> steps;
};

// The library's defaults, η = 0.02 and λ = 0.09, keep the factors bounded over
// any number of steps.
template <class Scalar>
constexpr Scalar kernel_eta = Scalar(0.02);
template <class Scalar>
constexpr Scalar kernel_lambda = Scalar(0.09);

template <class Scalar>
void BM_SgdStep(benchmark::State& state) {
    const auto k = static_cast<std::size_t>(state.range(0));
    KernelData<Scalar> data(k);
    std::size_t j = 0;
    for (auto _ : state) {
        const auto& step = data.steps[j];
        j = (j + 1) & (kernel_steps - 1);
        Scalar* const p = data.P.data() + std::size_t{step.user} * k;
        Scalar* const q = data.Q.data() + std::size_t{step.item} * k;
        const Scalar e = step.rating - mf::detail::dot(p, q, k);
        mf::detail::sgd_step(p, q, k, kernel_eta<Scalar>, e, kernel_lambda<Scalar>);
        benchmark::DoNotOptimize(e);
    }
    benchmark::DoNotOptimize(data.P.data());
    benchmark::DoNotOptimize(data.Q.data());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_SgdStep, float)
    ->Name("SgdStep/float")
    ->ArgName("k")
    ->RangeMultiplier(2)
    ->Range(8, 128);
BENCHMARK_TEMPLATE(BM_SgdStep, double)
    ->Name("SgdStep/double")
    ->ArgName("k")
    ->RangeMultiplier(2)
    ->Range(8, 128);

// AdaGrad keeps one running sum of squared gradients per factor row.
template <class Scalar>
void BM_AdagradStep(benchmark::State& state) {
    const auto k = static_cast<std::size_t>(state.range(0));
    KernelData<Scalar> data(k);
    std::vector<Scalar> user_sums(kernel_users, Scalar(1));
    std::vector<Scalar> item_sums(kernel_items, Scalar(1));
    std::size_t j = 0;
    for (auto _ : state) {
        const auto& step = data.steps[j];
        j = (j + 1) & (kernel_steps - 1);
        Scalar* const p = data.P.data() + std::size_t{step.user} * k;
        Scalar* const q = data.Q.data() + std::size_t{step.item} * k;
        const Scalar e = step.rating - mf::detail::dot(p, q, k);
        mf::detail::adagrad_step(p, q, user_sums[step.user], item_sums[step.item], k,
                                 kernel_eta<Scalar>, e, kernel_lambda<Scalar>);
        benchmark::DoNotOptimize(e);
    }
    benchmark::DoNotOptimize(data.P.data());
    benchmark::DoNotOptimize(data.Q.data());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_AdagradStep, float)->Name("AdagradStep/float")->ArgName("k")->Arg(32);
BENCHMARK_TEMPLATE(BM_AdagradStep, double)->Name("AdagradStep/double")->ArgName("k")->Arg(32);

// ---------------------------------------------------------------------------
// Epochs: SgdTrainer::fit with float factors, the default options otherwise,
// and no training MSE after each epoch. Each fit() trains `epochs` epochs and
// counts as that many iterations; the time is the sum of their
// EpochStats::seconds, the SGD passes alone. The rest of fit(), copying the
// ratings into the block grid, initialising the model and freeing the grid,
// is reported apart as setup_ms, the mean per fit(); the CPU column includes it.

template <class Scalar>
void epochs_of(benchmark::State& state, const mf::Ratings& train, std::size_t epochs) {
    mf::SgdOptions options;
    options.factors = static_cast<std::size_t>(state.range(0));
    options.threads = static_cast<std::size_t>(state.range(1));
    options.epochs = epochs;
    options.evaluate_train = false;
    const mf::SgdTrainer trainer(options);
    mf::MatrixFactorization<Scalar> model;

    double setup_seconds = 0.0;
    std::size_t fits = 0;
    while (state.KeepRunningBatch(static_cast<benchmark::IterationCount>(epochs))) {
        const auto start = std::chrono::steady_clock::now();
        const mf::TrainingHistory history = trainer.fit(model, train);
        const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
        benchmark::DoNotOptimize(model.user_factors().data());

        double sgd_seconds = 0.0;
        for (const mf::EpochStats& epoch : history) {
            sgd_seconds += epoch.seconds;
        }
        state.SetIterationTime(sgd_seconds);
        setup_seconds += wall.count() - sgd_seconds;
        ++fits;
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(train.size()));
    if (fits > 0) {
        state.counters["setup_ms"] = 1e3 * setup_seconds / static_cast<double>(fits);
    }
}

void BM_Epoch_MovieLens100k(benchmark::State& state) {
    if (const mf::Dataset* data = bench::movielens_100k(state)) {
        epochs_of<float>(state, data->ratings, 10);
    }
}
BENCHMARK(BM_Epoch_MovieLens100k)
    ->Name("Epoch/movielens_100k")
    ->ArgNames({"k", "threads"})
    ->Args({32, 1})
    ->Args({32, 2})
    ->Args({100, 1})
    ->Args({100, 2})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Trains on the 9,000,000 training ratings of the split. An epoch takes a few
// tenths of a second, so fits of two epochs are long enough to time.
void BM_Epoch_Synthetic10M(benchmark::State& state) {
    epochs_of<float>(state, bench::synthetic_10m().train, 2);
}
BENCHMARK(BM_Epoch_Synthetic10M)
    ->Name("Epoch/synthetic_10M")
    ->ArgNames({"k", "threads"})
    ->Args({32, 1})
    ->Args({32, 2})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
