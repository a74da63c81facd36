#include "sim/scenario/run_outputs.hpp"

#include <malloc.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <string>

namespace sessionsim::scenario {
namespace {

void write_json(const std::filesystem::path& file, const nlohmann::json& j) {
    std::ofstream out(file);
    if (!out) throw std::runtime_error("cannot write " + file.string());
    out << j.dump(2) << '\n';
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace

nlohmann::json manifest_json(const ScenarioSpec& spec) {
    nlohmann::json m;
    m["scenario"] = spec.name;
    m["scenario_file"] = spec.source;
    m["scenario_hash"] = spec.source_hash;
    m["overrides"] = spec.overrides;
    m["seed"] = spec.seed;
    m["duration_s"] = to_seconds(spec.duration);
    m["epoch_unix_ms"] = spec.epoch_unix_ms;
    m["service_nodes"] = spec.service_nodes.count;
    m["clients"] = spec.clients.count;
    m["labels"] = spec.labels;
    m["crypto_mode"] = to_string(spec.crypto.mode);
    m["crypto_fraction"] = spec.crypto.mode == CryptoMode::real ? 1.0 : spec.crypto.fraction;
    m["version"] = SESSIONSIM_VERSION;
    m["build_type"] = SESSIONSIM_BUILD_TYPE;
    return m;
}

nlohmann::json perf_json(const PerfFigures& perf) {
    nlohmann::json p;
    p["wall_seconds"] = perf.wall_seconds;
    p["events"] = perf.events;
    p["events_per_second"] = perf.wall_seconds > 0 ? static_cast<double>(perf.events) / perf.wall_seconds : 0.0;
    p["onion_round_trips"] = perf.onion_round_trips;
    p["onion_round_trips_per_second"] =
        perf.wall_seconds > 0 ? static_cast<double>(perf.onion_round_trips) / perf.wall_seconds : 0.0;
    p["peak_rss_bytes"] = perf.peak_rss_bytes;
    p["rss_at_end_bytes"] = perf.rss_at_end_bytes;
    const double hosts = static_cast<double>(perf.service_nodes + perf.clients);
    p["memory"] = {{"peak_rss_bytes_per_host", hosts > 0 ? static_cast<double>(perf.peak_rss_bytes) / hosts : 0.0},
                   {"network_in_flight_peak_bytes", perf.network_in_flight_peak_bytes},
                   {"network_in_flight_peak_datagrams", perf.network_in_flight_peak_datagrams},
                   {"engine_bytes_at_end", perf.engine_bytes_at_end},
                   {"cpu_waiting_peak_inputs", perf.cpu_waiting_peak_inputs},
                   {"stored_message_bytes_at_end", perf.stored_message_bytes},
                   {"service_nodes", perf.service_nodes},
                   {"clients", perf.clients},
                   {"structures", perf.structures}};
    return p;
}

std::optional<std::string> writable_folder_problem(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return ec.message();
    const std::filesystem::path probe = dir / ".sessionsim-write-test";
    {
        std::ofstream f(probe);
        if (!f || !(f << "x") || !f.flush()) return std::string("a file cannot be written there");
    }
    std::filesystem::remove(probe, ec);
    return std::nullopt;
}

void fill_memory_figures(PerfFigures& perf, const Simulation& simulation) {
    const world::World& world = simulation.world();
    perf.network_in_flight_peak_bytes = world.network().memory().peak_in_flight_bytes;
    perf.network_in_flight_peak_datagrams = world.network().memory().peak_in_flight_datagrams;
    std::uint64_t stored = 0;
    for (std::size_t i = 0; i < world.service_node_count(); ++i) stored += world.service_node(i).store().total_bytes();
    perf.stored_message_bytes = stored;
    perf.engine_bytes_at_end = world.engine().memory_bytes();
    std::uint64_t waiting = 0;
    for (std::size_t i = 0; i < world.service_node_count(); ++i) {
        if (const host::CpuStats* st = world.service_node_host(i).cpu_stats()) waiting = std::max(waiting, st->peak_queue);
    }
    perf.cpu_waiting_peak_inputs = waiting;
    perf.service_nodes = world.service_node_count();
    perf.clients = world.client_count();
    const world::MemoryBreakdown at_end = world::measure_memory(world);
    const world::MemoryBreakdown& at_peak = world.memory_at_peak().total() > at_end.total() ? world.memory_at_peak() : at_end;
    perf.structures = {{"at_peak", at_peak.to_json()}, {"at_end", at_end.to_json()}};
}

namespace {
/// A field of /proc/self/status in bytes ("VmHWM:  1234 kB"), 0 where unknown.
std::uint64_t status_kib_field(const char* field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::size_t n = std::char_traits<char>::length(field);
    while (std::getline(status, line)) {
        if (line.compare(0, n, field) == 0) return std::stoull(line.substr(n)) * 1024;
    }
    return 0;
}
}  // namespace

std::uint64_t peak_rss_bytes() { return status_kib_field("VmHWM:"); }

std::uint64_t live_rss_bytes() {
    ::malloc_trim(0);  // give freed heap back first: what is left is what the world holds
    return status_kib_field("VmRSS:");
}

nlohmann::json write_run_outputs(const std::filesystem::path& dir, const ScenarioSpec& spec, const Simulation& simulation,
                       const PerfFigures& perf) {
    const world::World& world = simulation.world();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create output folder " + dir.string() + ": " + ec.message());
    write_json(dir / "manifest.json", manifest_json(spec));
    nlohmann::json summary = simulation.summary();
    write_json(dir / "summary.json", summary);
    write_json(dir / "perf.json", perf_json(perf));
    if (spec.outputs.csv) {
        world.metrics().write_series_csv(dir / "series.csv", world.end_time());
        world.metrics().write_samples_csv(dir / "samples.csv");
    }
    return summary;
}

}  // namespace sessionsim::scenario
