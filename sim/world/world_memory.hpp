#pragma once
// Where a world's memory goes, by structure (perf.json "memory.structures"): the estimated heap
// bytes of each kind of state, summed over the hosts that hold it. Estimates count element storage
// and container nodes (models/session/common/memory_estimate.hpp), not malloc's own headers or
// freed memory the allocator keeps: the process's RSS (perf.json "peak_rss_bytes") is the
// measured total, this is the map of it. The World samples it once per metrics bucket and keeps
// the sample with the largest total (the peak); the run measures it again at the end.
#include <cstdint>
#include <nlohmann/json.hpp>

namespace sessionsim::world {

class World;

struct MemoryBreakdown {
    std::uint64_t engine = 0;          ///< the event queue and its action slots
    std::uint64_t network = 0;         ///< the network's host table, flight slots and address index
    std::uint64_t queues = 0;          ///< payloads in flight (links and their queues) and inputs waiting for a core
    std::uint64_t messages = 0;        ///< stored messages' data, all service nodes
    std::uint64_t stores = 0;          ///< the stores' records, hashes and indexes
    std::uint64_t node_pending = 0;    ///< service nodes' relays, fan-outs, batches, peer requests, timers
    std::uint64_t node_other = 0;      ///< service node objects, swarm peers, counters, rate limiters
    std::uint64_t pools = 0;           ///< shared pool snapshots and replies, and each client's own pool state
    std::uint64_t paths = 0;           ///< clients' guards and onion paths
    std::uint64_t swarms = 0;          ///< clients' cached swarms and lookups
    std::uint64_t requests = 0;        ///< clients' requests in flight or waiting, timers, queued sends
    std::uint64_t polls = 0;           ///< clients' last hashes and seen-message dedupe
    std::uint64_t client_other = 0;    ///< client objects, contacts, counters, connections
    std::uint64_t ledger = 0;          ///< the ground-truth message ledger
    std::uint64_t service_nodes = 0;
    std::uint64_t clients = 0;
    std::int64_t at_s = 0;             ///< simulated seconds since the start when it was taken

    std::uint64_t total() const noexcept;
    /// The service nodes' share without stored messages (the budget's "per service node").
    std::uint64_t per_service_node() const noexcept;
    /// The clients' share, with the pool snapshots they share (the budget's "per client").
    std::uint64_t per_client() const noexcept;
    /// {"total_bytes", "per_service_node_bytes", "per_client_bytes", "at_s", "bytes": {structure: n}}
    nlohmann::json to_json() const;
};

/// The breakdown of `world` now. O(hosts + stored messages + clients' seen messages).
MemoryBreakdown measure_memory(const World& world);

}  // namespace sessionsim::world
