#pragma once
// The simulated network without any adversary: the engine, the topology and network, the
// registry ("oxend", a block every 2 minutes), the service nodes and clients (real
// sessionproto::ServiceNode and Client behind NodeHosts), the workload, and the message ledger
// (ground truth: who sent which message to whom, when it was stored and delivered). Every key,
// address and draw follows from the spec's seed. What it sees happen goes out on its bus
// (world_events.hpp); plug-ins (world_plugin.hpp) adjust it while it is built.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/session/node/client.hpp"
#include "models/session/node/service_node.hpp"
#include "models/session/registry/service_node_list.hpp"
#include "sim/core/engine.hpp"
#include "sim/host/node_host.hpp"
#include "sim/host/sim_entropy.hpp"
#include "sim/metrics/run_metrics.hpp"
#include "sim/net/network.hpp"
#include "sim/net/topology.hpp"
#include "sim/workload/contact_graph.hpp"
#include "sim/workload/message_schedule.hpp"
#include "sim/workload/online_schedule.hpp"
#include "sim/world/message_ledger.hpp"
#include "sim/world/world_events.hpp"
#include "sim/world/world_memory.hpp"
#include "sim/world/world_plugin.hpp"
#include "sim/world/world_spec.hpp"

namespace sessionsim::world {

/// Oxen's block time (spec session-network §1.2: TARGET_BLOCK_TIME = 2 min).
inline constexpr SimDuration BLOCK_TIME = minutes(2);

/// How many service nodes act as the seed nodes clients bootstrap from (Session has three,
/// seed1-3.getsession.org, spec session-network §1.3).
inline constexpr std::size_t SEED_NODES = 3;

/// The body of a workload message of `size` bytes: `size` x's (at least one). Its content carries
/// nothing: the ledger follows messages by their storage hash.
std::string message_body(std::uint32_t size);

struct RunProgress {
    SimTime now;
    SimTime end;
    std::uint64_t events;
    double wall_seconds;
};

class World {
  public:
    using ServiceNodeHost = host::NodeHost<sessionproto::ServiceNode>;
    using ClientHost = host::NodeHost<sessionproto::Client>;

    /// Builds everything, calling the plug-ins at their points. Throws net::TopologyError /
    /// std::runtime_error naming the problem when the world cannot be built.
    explicit World(const WorldSpec& spec, const std::vector<WorldPlugin*>& plugins = {});
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    /// Runs to the spec's duration, calling `progress` 200 times along the way.
    void run(const std::function<void(const RunProgress&)>& progress = {});

    const WorldSpec& spec() const noexcept { return spec_; }
    Engine& engine() noexcept { return engine_; }
    const Engine& engine() const noexcept { return engine_; }
    net::Network& network() noexcept { return network_; }
    const net::Network& network() const noexcept { return network_; }
    const net::Topology& topology() const noexcept { return topology_; }
    sessionproto::ServiceNodeList& registry() noexcept { return registry_; }
    const sessionproto::ServiceNodeList& registry() const noexcept { return registry_; }
    metrics::RunMetrics& metrics() noexcept { return metrics_; }
    const metrics::RunMetrics& metrics() const noexcept { return metrics_; }
    WorldBus& bus() noexcept { return bus_; }
    SimTime end_time() const noexcept { return SIM_EPOCH + spec_.duration; }
    /// The memory breakdown sampled with the largest total so far (world_memory.hpp; sampled
    /// once per metrics bucket).
    const MemoryBreakdown& memory_at_peak() const noexcept { return memory_peak_; }
    /// The pool snapshots and decoded pool replies the clients share.
    const sessionproto::PoolCache& pools() const noexcept { return *pools_; }
    std::uint64_t blocks() const noexcept { return blocks_; }
    /// A region drawn by `weights` (throws naming a region the topology lacks).
    net::RegionId pick_region(const RegionWeights& weights, RandomStream& rng) const;

    // ---- Service nodes ----------------------------------------------------------------------
    std::size_t service_node_count() const noexcept { return nodes_.size(); }
    const sessionproto::ServiceNode& service_node(std::size_t i) const { return nodes_.at(i)->host->protocol(); }
    ServiceNodeHost& service_node_host(std::size_t i) { return *nodes_.at(i)->host; }
    const ServiceNodeHost& service_node_host(std::size_t i) const { return *nodes_.at(i)->host; }
    /// The index of the service node with this identity.
    std::optional<std::size_t> service_node_index(const sessionproto::Ed25519Pubkey& node) const;
    /// Builds and registers a new service node (a join), placed with `placement`; its keys and
    /// streams are named by its index. Returns the index.
    std::size_t add_service_node(RandomStream& placement);
    /// Takes a service node off the network for good (a crash; its registration stays).
    void kill_service_node(std::size_t i) { nodes_.at(i)->host->go_offline(); }
    /// Whether what service node `node` observed came from one of its swarm peers (a replica of a
    /// store, not the sender's store itself).
    bool from_swarm_peer(std::size_t node, const sessionproto::Observation& o) const;
    /// How a block's list reaches the nodes; by default every node gets it at once.
    using SwarmUpdateDelivery = std::function<void(const sessionproto::SwarmUpdate&)>;
    void set_swarm_update_delivery(SwarmUpdateDelivery delivery);

    // ---- Clients ----------------------------------------------------------------------------
    std::size_t client_count() const noexcept { return clients_.size(); }
    const sessionproto::Client& client(std::size_t i) const { return clients_.at(i)->host->protocol(); }
    /// The release client `i` runs (its profile, after the scenario's overrides).
    const sessionproto::ClientProfile& client_profile(std::size_t i) const;
    /// How many profiles the mix has; client_profile_index(i) is client i's (spec.clients.profiles order).
    std::size_t profile_count() const noexcept { return client_configs_.size(); }
    std::size_t client_profile_index(std::size_t i) const { return client_profile_.at(i); }
    ClientHost& client_host(std::size_t i) { return *clients_.at(i)->host; }
    const ClientHost& client_host(std::size_t i) const { return *clients_.at(i)->host; }
    /// The client whose host has this IPv4 address.
    std::optional<std::uint32_t> client_at(std::uint32_t ipv4) const;
    const workload::ContactGraph& contacts() const noexcept { return contacts_; }
    /// Takes a client offline (no polls, no sends) or back online, as its user would.
    void set_client_online(std::size_t i, bool online);
    /// How long client `i` was online within [from, end of run].
    SimDuration online_time_after(std::size_t i, SimTime from) const;

    // ---- The workload's messages (ground truth) ---------------------------------------------
    const std::vector<MessageRecord>& messages() const noexcept { return ledger_.records(); }
    const MessageLedger& ledger() const noexcept { return ledger_; }
    std::uint64_t messages_created() const noexcept { return ledger_.size(); }
    std::uint64_t messages_delivered() const noexcept { return ledger_.delivered(); }
    /// When client `i` starts (bootstraps): clients.arrival's draw, or within the first 10 s.
    SimTime client_started_at(std::size_t i) const { return clients_.at(i)->started_at; }
    /// Messages sent at or before `t` that were not delivered.
    std::uint64_t undelivered_sent_before(SimTime t) const;
    /// Messages whose store was confirmed at or before `t` but that were not delivered (a message
    /// a sender kept retrying is judged from its store, not from when it was written).
    std::uint64_t undelivered_stored_before(SimTime t) const;

  private:
    struct NodeSlot {
        explicit NodeSlot(RandomStream stream) : entropy(stream) {}
        host::SimEntropy entropy;  // the node keeps a reference: the slot never moves
        std::optional<ServiceNodeHost> host;
    };
    struct ClientSlot {
        explicit ClientSlot(RandomStream stream) : entropy(stream) {}
        host::SimEntropy entropy;
        std::optional<ClientHost> host;
        bool online = false;  ///< until started
        SimTime started_at{};  ///< when it starts (clients.arrival)
        std::vector<std::pair<SimTime, bool>> history;  ///< (time, online) at every change
    };

    static net::Topology load_topology(const WorldSpec& spec);
    void build_service_nodes();
    void build_clients();
    /// Which profile each client runs (spec.clients.profiles, exact shares).
    void assign_profiles();
    void start_workload();
    void send_next(std::uint32_t user, SimTime after);
    void toggle_online(std::uint32_t user);
    void record_online(std::uint32_t user, bool online);
    void on_client_event(SimTime at, std::uint32_t client, const sessionproto::AppEvent& event);
    void on_message_received(SimTime at, std::uint32_t client, const sessionproto::app::MessageReceived& e);
    void on_node_event(SimTime at, const sessionproto::AppEvent& event);
    void on_block();
    void sample_levels();

    WorldSpec spec_;
    Engine engine_;
    net::Topology topology_;
    net::Network network_;
    sessionproto::ServiceNodeList registry_;
    sessionproto::ServiceNodeConfig node_config_;
    std::vector<sessionproto::ClientConfig> client_configs_;  ///< one per profile of spec.clients.profiles
    std::vector<std::uint8_t> client_profile_;                ///< by client: its index in client_configs_
    std::vector<std::unique_ptr<NodeSlot>> nodes_;
    std::map<sessionproto::Ed25519Pubkey, std::size_t> node_by_key_;  ///< nodes_ index by identity
    std::vector<std::unique_ptr<ClientSlot>> clients_;
    std::map<std::uint32_t, std::uint32_t> client_by_ip_;
    std::shared_ptr<sessionproto::PoolCache> pools_ = std::make_shared<sessionproto::PoolCache>();
    workload::ContactGraph contacts_;
    std::optional<workload::MessageSchedule> schedule_;
    std::optional<workload::OnlineSchedule> online_;
    MessageLedger ledger_;
    RandomStream block_rng_;
    RandomStream placement_rng_;
    std::uint64_t blocks_ = 0;
    SwarmUpdateDelivery swarm_update_delivery_;
    metrics::RunMetrics metrics_;
    MemoryBreakdown memory_peak_;
    WorldBus bus_;
};

}  // namespace sessionsim::world
