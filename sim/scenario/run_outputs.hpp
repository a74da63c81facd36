#pragma once
// The files a run leaves in its output folder (scenarios/README.md, "Outputs"):
//   manifest.json  what was run: scenario, hash, seed, overrides, version, build type, crypto mode
//   summary.json   the simulated world's headline figures and each adversary's (byte-identical for one seed)
//   perf.json      wall-clock figures of this run (the one output allowed to differ)
//   series.csv     per-minute time series; samples.csv  the latency samples
#include <filesystem>
#include <optional>
#include <string>
#include <nlohmann/json.hpp>

#include "sim/scenario/scenario_spec.hpp"
#include "sim/scenario/simulation.hpp"

namespace sessionsim::scenario {

struct PerfFigures {
    double wall_seconds = 0;
    std::uint64_t events = 0;
    std::uint64_t onion_round_trips = 0;
    std::uint64_t peak_rss_bytes = 0;
    std::uint64_t rss_at_end_bytes = 0;  ///< resident memory at the end, freed heap returned first
    /// Where the memory went (perf.json "memory"): the payloads of datagrams in flight at their
    /// peak, the engine's event queue and action slots at the end, the inputs waiting for a
    /// service node's core at the most loaded node's peak (service_nodes.cpu; 0 without),
    /// stored messages at the end (bytes of data), hosts.
    std::uint64_t network_in_flight_peak_bytes = 0;
    std::uint64_t network_in_flight_peak_datagrams = 0;
    std::uint64_t engine_bytes_at_end = 0;
    std::uint64_t cpu_waiting_peak_inputs = 0;
    std::uint64_t stored_message_bytes = 0;
    std::uint64_t service_nodes = 0;
    std::uint64_t clients = 0;
    /// The world's memory by structure (sim/world/world_memory.hpp): {"at_peak", "at_end"}.
    nlohmann::json structures = nlohmann::json::object();
};
/// The memory figures of `simulation` at the end of its run (the PerfFigures fields above).
void fill_memory_figures(PerfFigures& perf, const Simulation& simulation);

nlohmann::json manifest_json(const ScenarioSpec& spec);
nlohmann::json perf_json(const PerfFigures& perf);
/// The peak resident memory of this process (VmHWM), 0 where unknown.
std::uint64_t peak_rss_bytes();
/// The resident memory now (VmRSS) after returning freed heap to the system (malloc_trim).
std::uint64_t live_rss_bytes();

/// Creates `dir` (and its parents) and checks that a file can be written in it; what went wrong,
/// or nullopt when it can take the run's outputs.
std::optional<std::string> writable_folder_problem(const std::filesystem::path& dir);

/// Writes manifest.json, summary.json, perf.json and the CSV series into `dir` (created).
/// Throws std::runtime_error naming the file when one cannot be written. Returns the summary it
/// wrote (built once: it audits every node's store).
nlohmann::json write_run_outputs(const std::filesystem::path& dir, const ScenarioSpec& spec, const Simulation& simulation,
                       const PerfFigures& perf);

}  // namespace sessionsim::scenario
