#pragma once
// A built scenario: the engine, the topology and network, the registry ("oxend") producing a
// block every 2 minutes, and the service nodes, each a real sessionproto::ServiceNode behind a
// NodeHost. Every key, address and draw follows from the scenario's seed.
//
// Partial: clients and the workload are not wired in yet (see the closing notes of the
// end-to-end network issue); a World today runs the service-node network and its registry.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "models/session/node/service_node.hpp"
#include "models/session/registry/service_node_list.hpp"
#include <nlohmann/json.hpp>

#include "sim/core/engine.hpp"
#include "sim/metrics/run_metrics.hpp"
#include "sim/host/node_host.hpp"
#include "sim/host/sim_entropy.hpp"
#include "sim/net/network.hpp"
#include "sim/net/topology.hpp"
#include "sim/scenario/scenario_spec.hpp"

namespace sessionsim::scenario {

/// Oxen's block time (spec session-network §1.2: TARGET_BLOCK_TIME = 2 min).
inline constexpr SimDuration BLOCK_TIME = minutes(2);

struct RunProgress {
    SimTime now;
    SimTime end;
    std::uint64_t events;
    double wall_seconds;
};

class World {
  public:
    /// Builds everything. Throws net::TopologyError / std::runtime_error naming the problem when
    /// the scenario cannot be built (a GraphML file that does not load, a region with no room).
    explicit World(const ScenarioSpec& spec);
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    /// Runs to the scenario's duration, calling `progress` about every 100,000 events.
    void run(const std::function<void(const RunProgress&)>& progress = {});

    Engine& engine() noexcept { return engine_; }
    const net::Network& network() const noexcept { return network_; }
    const sessionproto::ServiceNodeList& registry() const noexcept { return registry_; }
    std::size_t service_node_count() const noexcept { return nodes_.size(); }
    const sessionproto::ServiceNode& service_node(std::size_t i) const { return nodes_.at(i)->host->protocol(); }
    net::HostId service_node_host(std::size_t i) const { return nodes_.at(i)->host->id(); }
    std::uint64_t blocks() const noexcept { return blocks_; }
    const metrics::RunMetrics& metrics() const noexcept { return metrics_; }
    SimTime end_time() const noexcept { return SIM_EPOCH + spec_.duration; }
    /// The headline figures of the simulated world (scenarios/README.md, "summary.json"): the
    /// same bytes for two runs with one seed.
    nlohmann::json summary() const;

  private:
    struct NodeSlot {
        explicit NodeSlot(RandomStream stream) : entropy(stream) {}
        host::SimEntropy entropy;  // the node keeps a reference: the slot never moves
        std::optional<host::NodeHost<sessionproto::ServiceNode>> host;
    };

    static net::Topology load_topology(const ScenarioSpec& spec);
    net::RegionId pick_region(const RegionWeights& weights, RandomStream& rng) const;
    void build_service_nodes();
    void on_block();
    void on_node_event(SimTime at, const sessionproto::AppEvent& event);

    ScenarioSpec spec_;
    Engine engine_;
    net::Topology topology_;
    net::Network network_;
    sessionproto::ServiceNodeList registry_;
    std::vector<std::unique_ptr<NodeSlot>> nodes_;
    RandomStream block_rng_;
    std::uint64_t blocks_ = 0;
    metrics::RunMetrics metrics_;
};

}  // namespace sessionsim::scenario
