#pragma once
// Ground-truth audits of what the service nodes store, against the registry's swarms: figures no
// node can compute alone (summary.json, and the churn plug-in's levels over time).
#include <cstdint>
#include <utility>

namespace sessionsim::world {

class World;

/// Share of stored messages present on every member of their owner's swarm (1 when none).
double replication_coverage(const World& world);

/// Bytes stored on service nodes that are not in their owner's swarm: dead data that stays until
/// it expires (after a swarm switch, oxen-storage-server#470), and all bytes stored.
std::pair<std::uint64_t, std::uint64_t> dead_and_total_storage(const World& world);

}  // namespace sessionsim::world
