// A whole scenario on the real protocol path, in onion round trips per wall second, against the
// primitive bound of one onion round trip measured in the same binary (target >= 0.7 in real
// crypto mode). The scenario does more crypto than its onion round trips (1-to-1 encryption,
// signatures, replication), all of which counts against it. Also events/s and peak memory.
//
//   build/bench/bench_scenario [--benchmark_filter=...]      (scenario: SESSIONSIM_BENCH_SCENARIO
//                                                               or scenarios/quickstart.yaml)
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>

#include "bench/onion_primitive_bound.hpp"
#include "bench/ratio_reporter.hpp"
#include "sim/core/allocator_tuning.hpp"
#include "sim/world/world_metrics.hpp"
#include "sim/scenario/run_outputs.hpp"
#include "sim/scenario/simulation.hpp"
#include "sim/scenario/yaml_loader.hpp"

namespace {

std::string scenario_file() {
    if (const char* env = std::getenv("SESSIONSIM_BENCH_SCENARIO")) return env;
    return SESSIONSIM_ROOT_DIR "/scenarios/quickstart.yaml";
}

void BM_Scenario(benchmark::State& state) {
    const auto spec = sessionsim::scenario::load_scenario(scenario_file());
    std::uint64_t trips = 0, events = 0;
    for (auto _ : state) {
        sessionsim::scenario::Simulation simulation(spec);
        simulation.run();
        const auto& world = simulation.world();
        trips += world.metrics().counter(sessionsim::world::metric::onion_round_trips);
        events += world.engine().events_processed();
        state.counters["messages_delivered"] = static_cast<double>(world.messages_delivered());
        state.counters["hosts"] = static_cast<double>(world.service_node_count() + world.client_count());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(trips));
    state.counters["events_per_second"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
    state.counters["peak_rss_bytes"] = static_cast<double>(sessionsim::scenario::peak_rss_bytes());
    state.SetLabel(spec.name);
}
BENCHMARK(BM_Scenario)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

void BM_OnionPrimitiveBound(benchmark::State& state) { sessionproto::bench::onion_primitive_bound(state); }
BENCHMARK(BM_OnionPrimitiveBound)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
    sessionsim::restart_with_allocator_tunables(argv);  // as sessionsim's main does
    sessionsim::tune_allocator_for_simulation();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    sessionsim::bench::RatioReporter reporter(
        std::vector<std::pair<std::string, std::string>>{{"BM_Scenario/iterations:1/real_time", "BM_OnionPrimitiveBound"}});
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
