#pragma once
// The headline figures of the simulated world, as summary.json holds them (scenarios/README.md,
// "summary.json"); each adversary adds its own part beside them (sim/scenario/simulation.hpp).
#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/stats/sample_statistics.hpp"

namespace sessionsim::world {

class World;

/// A sample set's summary as summary.json writes it: count, mean, p50, p90, p99, max.
nlohmann::json sample_summary_json(const stats::SampleSummary& summary);

/// The top-level keys world_summary writes (an adversary's name may not be one of them).
inline constexpr std::array<std::string_view, 27> WORLD_SUMMARY_KEYS{
    "blocks", "clients", "counters", "cpu", "crypto", "delivery_ratio", "e2e_latency_ms", "events", "fingerprint",
    "messages_awaiting_recipient", "messages_awaiting_sender", "messages_delivered", "messages_lost",
    "messages_pending_at_end", "messages_sent", "messages_stored", "network", "onion_failure_rate",
    "onion_latency_ms", "path_rebuilds", "profiles", "replication_coverage", "service_nodes", "storage_bytes_per_node",
    "storage_dead_bytes", "storage_dead_share", "swarms"};
constexpr bool is_world_summary_key(std::string_view key) noexcept {
    for (const auto k : WORLD_SUMMARY_KEYS) {
        if (k == key) return true;
    }
    return false;
}

/// Per client profile: clients, polls and retrieves per client-minute, stores per message, sync
/// copies, guard tests per client.
nlohmann::json profiles_summary(const World& world);
/// The service nodes' processors (service_nodes.cpu): utilisation, queueing, drops, and the
/// network's onion requests per simulated second. Null when the nodes have no processor model.
nlohmann::json cpu_summary(const World& world);
/// The world's figures: the same bytes for two runs with one seed.
nlohmann::json world_summary(const World& world);

}  // namespace sessionsim::world
