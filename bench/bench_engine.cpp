// Engine benchmarks: PHOLD on the engine against a bare std::priority_queue loop that makes the
// same random draws per event with the same generator, at (N=1000, M=10) and (N=10000, M=10).
// The ratio PHOLD / bare heap is printed at the end (target >= 0.8). Also: bytes of memory per
// queued event, measured two ways (see BM_MemoryPerQueuedEvent).
#include <benchmark/benchmark.h>

#include <cmath>
#include <functional>
#include <queue>
#include <tuple>
#include <vector>

#include "bench/ratio_reporter.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/phold.hpp"
#include "tests/support/allocation_counter.hpp"

namespace sessionsim {
namespace {

constexpr double SIM_SECONDS_PER_ITERATION = 20.0;

PholdConfig config_for(const benchmark::State& state) {
    PholdConfig c;
    c.lps = static_cast<std::uint32_t>(state.range(0));
    c.events_per_lp = static_cast<std::uint32_t>(state.range(1));
    c.seed = 1;
    return c;
}

// PHOLD on the engine. Each iteration advances the simulation by 20 simulated seconds
// (about N*M*18 events); set-up of the initial events is outside the timed loop.
void BM_Phold(benchmark::State& state) {
    const PholdConfig config = config_for(state);
    Engine engine(config.seed);
    Phold model(engine, config);
    model.start();
    std::uint64_t events = 0;
    SimTime until = SIM_EPOCH;
    for (auto _ : state) {
        until += from_seconds(SIM_SECONDS_PER_ITERATION);
        events += engine.run_until(until).events_processed;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
    state.counters["heap_allocated_actions"] = static_cast<double>(engine.heap_allocated_actions());
    benchmark::DoNotOptimize(engine.fingerprint().value());
}
BENCHMARK(BM_Phold)->Args({1000, 10})->Args({10000, 10})->Unit(benchmark::kMillisecond)->UseRealTime();

// The reference: a bare binary heap of (time, sequence, lp) with the same draws per event
// (destination by uniform_int, delay = lookahead + Exp(1 s) rounded to ns) and the same generator.
void BM_BareHeap(benchmark::State& state) {
    const PholdConfig config = config_for(state);
    using Item = std::tuple<std::int64_t, std::uint64_t, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    RandomStream rng = RandomStreams::derive(config.seed, "phold");
    const std::int64_t lookahead = config.lookahead.count();
    const double mean_ns = static_cast<double>(config.mean_delay.count());
    auto delay = [&] { return lookahead + std::llround(rng.exponential(1.0) * mean_ns); };
    std::uint64_t seq = 0;
    for (std::uint32_t lp = 0; lp < config.lps; ++lp) {
        for (std::uint32_t k = 0; k < config.events_per_lp; ++k) heap.emplace(delay(), seq++, lp);
    }
    std::uint64_t events = 0;
    std::int64_t until = 0;
    std::uint64_t checksum = 0;
    for (auto _ : state) {
        until += static_cast<std::int64_t>(SIM_SECONDS_PER_ITERATION * 1e9);
        while (std::get<0>(heap.top()) <= until) {
            const auto [now, s, lp] = heap.top();
            heap.pop();
            ++events;
            checksum += lp;
            const auto destination = static_cast<std::uint32_t>(rng.uniform_int(0, config.lps - 1));
            heap.emplace(now + delay(), seq++, destination);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
    benchmark::DoNotOptimize(checksum);
}
BENCHMARK(BM_BareHeap)->Args({1000, 10})->Args({10000, 10})->Unit(benchmark::kMillisecond)->UseRealTime();

// Memory per queued event, two ways, with 1,000,000 PHOLD events pending:
//  - engine_bytes_per_event: Engine::memory_bytes() (queue capacity + slot pool) / events;
//  - heap_bytes_per_event: bytes requested through operator new while scheduling them / events.
void BM_MemoryPerQueuedEvent(benchmark::State& state) {
    for (auto _ : state) {
        PholdConfig config;
        config.lps = 100'000;
        config.events_per_lp = 10;
        const std::size_t before = testing::allocated_bytes();
        Engine engine(1);
        Phold model(engine, config);
        model.start();
        const double bytes = static_cast<double>(testing::allocated_bytes() - before);
        const double events = static_cast<double>(engine.pending());
        state.counters["engine_bytes_per_event"] = static_cast<double>(engine.memory_bytes()) / events;
        state.counters["heap_bytes_per_event"] = bytes / events;
        state.counters["queued_events"] = events;
    }
}
BENCHMARK(BM_MemoryPerQueuedEvent)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sessionsim

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    sessionsim::bench::RatioReporter reporter({
        {"BM_Phold/1000/10/real_time", "BM_BareHeap/1000/10/real_time"},
        {"BM_Phold/10000/10/real_time", "BM_BareHeap/10000/10/real_time"},
    });
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
