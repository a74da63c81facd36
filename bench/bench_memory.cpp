// Memory per host on the mainnet scenario, shortened: the world's memory by structure
// (sim/world/world_memory.hpp) at its peak, per client and per service node, against the budget
// (64 KiB per client, stored messages excluded; 1 MiB per service node), and the structures that
// make it up. Two sizes of the same network show whether a host's share stays flat as the world
// grows (the "_growth" counters: per-host bytes at the larger size ÷ at the smaller).
// Peak RSS is a process-wide high-water mark, so the per-host figures come from the structures;
// bench/memory_per_host.sh gives the RSS-difference figures on the full scenario.
//
//   build/bench/bench_memory          (scenario: SESSIONSIM_BENCH_MEMORY_SCENARIO or scenarios/mainnet.yaml)
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <string>

#include "sim/core/allocator_tuning.hpp"
#include "sim/scenario/run_outputs.hpp"
#include "sim/scenario/simulation.hpp"
#include "sim/scenario/yaml_loader.hpp"

namespace {

std::string scenario_file() {
    if (const char* env = std::getenv("SESSIONSIM_BENCH_MEMORY_SCENARIO")) return env;
    return SESSIONSIM_ROOT_DIR "/scenarios/mainnet.yaml";
}

constexpr double CLIENT_BUDGET = 64 * 1024;
constexpr double NODE_BUDGET = 1024 * 1024;

/// Per-host bytes by size (clients), for the growth counters.
std::map<std::int64_t, std::pair<double, double>> per_host;

void BM_MemoryPerHost(benchmark::State& state) {
    const auto nodes = state.range(0);
    const auto clients = state.range(1);
    const auto spec = sessionsim::scenario::load_scenario(
        scenario_file(), {"service_nodes.count=" + std::to_string(nodes), "clients.count=" + std::to_string(clients),
                          "duration=10min", "clients.arrival={dist: uniform, min: 0s, max: 2min}",
                          "crypto.mode=sampled", "crypto.fraction=0"});
    for (auto _ : state) {
        sessionsim::scenario::Simulation simulation(spec);
        simulation.run();
        const auto& peak = simulation.world().memory_at_peak();
        const double client = static_cast<double>(peak.per_client());
        const double node = static_cast<double>(peak.per_service_node());
        state.counters["per_client_bytes"] = client;
        state.counters["per_service_node_bytes"] = node;
        state.counters["per_client_vs_budget"] = client / CLIENT_BUDGET;
        state.counters["per_service_node_vs_budget"] = node / NODE_BUDGET;
        for (const auto& [name, bytes] : peak.to_json().at("bytes").items()) {
            state.counters[name + "_bytes"] = bytes.get<double>();
        }
        per_host[clients] = {client, node};
        if (const auto smaller = per_host.find(clients / 2); smaller != per_host.end()) {
            state.counters["per_client_growth"] = client / smaller->second.first;
            state.counters["per_service_node_growth"] = node / smaller->second.second;
        }
    }
    state.SetLabel(spec.name + " " + std::to_string(nodes) + " nodes, " + std::to_string(clients) + " clients, 10 min");
}
// The same network at two sizes (clients x2, nodes x2): a host's share should not grow with it.
BENCHMARK(BM_MemoryPerHost)->Args({250, 2500})->Args({500, 5000})->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
    sessionsim::restart_with_allocator_tunables(argv);  // as sessionsim's main does
    sessionsim::tune_allocator_for_simulation();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
