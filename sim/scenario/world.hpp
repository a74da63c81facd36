#pragma once
// A built scenario: the engine, the topology and network, the registry ("oxend") producing a
// block every 2 minutes, and the service nodes, each a real sessionproto::ServiceNode behind a
// NodeHost. Every key, address and draw follows from the scenario's seed.
//
// Clients are real sessionproto::Clients behind NodeHosts too: they bootstrap from seed nodes
// (the first service nodes), build onion paths, send the workload's messages to their contacts
// and poll their swarms; the World only issues the workload's commands and records what happens.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "models/session/node/client.hpp"
#include "models/session/node/service_node.hpp"
#include "models/session/registry/service_node_list.hpp"
#include <nlohmann/json.hpp>

#include "sim/core/engine.hpp"
#include "sim/metrics/run_metrics.hpp"
#include "sim/adversary/active_compromise.hpp"
#include "sim/adversary/flooder.hpp"
#include "sim/adversary/link_observer.hpp"
#include "sim/host/node_host.hpp"
#include "sim/host/sim_entropy.hpp"
#include "sim/net/network.hpp"
#include "sim/net/topology.hpp"
#include "sim/scenario/scenario_spec.hpp"
#include "sim/workload/contact_graph.hpp"
#include "sim/workload/message_schedule.hpp"
#include "sim/workload/online_schedule.hpp"

namespace sessionsim::scenario {

/// A message not delivered by the end of the run counts as lost when it was sent at least this
/// long before the end, and as pending otherwise (a poll period, retries and onion timeouts).
inline constexpr SimDuration LATE_MESSAGE_WINDOW = seconds(60);

/// How far before a store the timing correlator looks for the sender's entry (a path's latency,
/// with room: onion round trips take a few hundred ms).
inline constexpr SimDuration CORRELATION_WINDOW = seconds(2);

/// The poll correlator's δ (sim/adversary/poll_correlator.hpp): the chance that a poll the
/// adversary saw retrieved did not enter at one of its guards. 1/2: desktop clients keep 2 guards.
inline constexpr double POLL_MISS_PROBABILITY = 0.5;

/// A sample set's summary as summary.json writes it: count, mean, p50, p90, p99, max.
nlohmann::json sample_summary_json(const metrics::SampleSummary& summary);

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

    /// What service node `node` saw at `at` (models/session/node/io.hpp, Observation): the
    /// neutral trace adversaries and the observations output read. Set before running.
    using ObservationSink = std::function<void(SimTime at, std::size_t node, const sessionproto::Observation&)>;
    void set_observation_sink(ObservationSink sink) { observation_sink_ = std::move(sink); }

    /// Runs to the scenario's duration, calling `progress` about every 100,000 events.
    void run(const std::function<void(const RunProgress&)>& progress = {});

    Engine& engine() noexcept { return engine_; }
    const net::Network& network() const noexcept { return network_; }
    const sessionproto::ServiceNodeList& registry() const noexcept { return registry_; }
    std::size_t service_node_count() const noexcept { return nodes_.size(); }
    const sessionproto::ServiceNode& service_node(std::size_t i) const { return nodes_.at(i)->host->protocol(); }
    net::HostId service_node_host(std::size_t i) const { return nodes_.at(i)->host->id(); }
    std::uint64_t blocks() const noexcept { return blocks_; }
    std::size_t client_count() const noexcept { return clients_.size(); }
    const sessionproto::Client& client(std::size_t i) const { return clients_.at(i)->host->protocol(); }
    net::HostId client_host(std::size_t i) const { return clients_.at(i)->host->id(); }
    const workload::ContactGraph& contacts() const noexcept { return contacts_; }
    /// One message of the workload, as the World follows it.
    struct MessageRecord {
        SimTime sent_at;
        std::uint32_t sender;
        std::uint32_t recipient;
        std::uint32_t size;
        bool stored = false;
        bool delivered = false;
        SimTime stored_at{};  ///< when the sender's store was confirmed (if stored)
        bool stored_via_compromised_guard = false;  ///< the confirmed store's path began at one
        SimTime delivered_at{};  ///< when its recipient decrypted it (if delivered)
    };
    /// How long client `i` was online within [from, end of run].
    SimDuration online_time_after(std::size_t i, SimTime from) const;
    const std::vector<MessageRecord>& messages() const noexcept { return messages_; }
    /// Takes a client offline (no polls, no sends) or back online, as its user would.
    void set_client_online(std::size_t i, bool online);
    /// Messages the workload created so far, and how many reached their recipient.
    std::uint64_t messages_created() const noexcept { return messages_.size(); }
    std::uint64_t messages_delivered() const noexcept { return delivered_; }
    /// Messages sent at or before `t` that were not delivered.
    std::uint64_t undelivered_sent_before(SimTime t) const;
    /// Messages sent at or before `t` whose store was confirmed but that were not delivered.
    std::uint64_t undelivered_stored_before(SimTime t) const;
    /// Takes a service node off the network for good (a crash; its registration stays).
    void kill_service_node(std::size_t i) { nodes_.at(i)->host->go_offline(); }
    /// A service node's churn (world_churn.cpp): up or down, and its listing with the registry.
    struct ChurnState {
        enum class Listing : std::uint8_t { active, decommissioned, deregistered };
        bool up = true;
        Listing listing = Listing::active;
        std::uint64_t episode = 0;         ///< down periods so far (stale events are ignored)
        SimDuration credit_base{};         ///< decommission credit at credit_since
        SimTime credit_since{};
        SimDuration credit_at_decommission{};
        SimTime decommissioned_at{};
        SimTime deregistered_at{};
        // A new membership (world_churn.cpp): the swarm the registry listed the node in at the
        // last block, and whether it entered it and does not yet hold all of that swarm's data.
        std::uint64_t swarm = sessionproto::INVALID_SWARM_ID.value;
        bool entering = false;
        SimTime entered_at{};
        std::uint64_t list_block = 0;  ///< the block whose list it applied last (list_lag)
    };
    const ChurnState& churn_state(std::size_t i) const { return nodes_.at(i)->churn; }
    /// The service nodes the adversary holds (compromised_nodes).
    bool compromised(const sessionproto::Ed25519Pubkey& node) const { return compromised_.contains(node); }
    /// The clients whose inboxes a spam adversary floods.
    const std::vector<std::uint32_t>& spam_victims() const noexcept { return spam_victims_; }
    /// The link observer (nullptr without one).
    const adversary::LinkObserver* link_observer() const noexcept { return link_observer_.get(); }
    const metrics::RunMetrics& metrics() const noexcept { return metrics_; }
    SimTime end_time() const noexcept { return SIM_EPOCH + spec_.duration; }
    /// The headline figures of the simulated world (scenarios/README.md, "summary.json"): the
    /// same bytes for two runs with one seed.
    nlohmann::json summary() const;
    /// Share of stored messages present on every member of their owner's swarm (1 when none).
    double replication_coverage() const;
    /// Bytes stored on service nodes that are not in their owner's swarm: dead data that stays
    /// until it expires (after a swarm switch, oxen-storage-server#470), and all bytes stored.
    std::pair<std::uint64_t, std::uint64_t> dead_and_total_storage() const;

  private:
    struct ClientSlot {
        explicit ClientSlot(RandomStream stream) : entropy(stream) {}
        host::SimEntropy entropy;
        std::optional<host::NodeHost<sessionproto::Client>> host;
        bool online = false;  ///< until started
        std::vector<std::pair<SimTime, bool>> history;  ///< (time, online) at every change
    };
    void record_online(std::uint32_t user, bool online);
    struct NodeSlot {
        NodeSlot(RandomStream stream, RandomStream churn_stream) : entropy(stream), churn_rng(churn_stream) {}
        host::SimEntropy entropy;  // the node keeps a reference: the slot never moves
        std::optional<host::NodeHost<sessionproto::ServiceNode>> host;
        RandomStream churn_rng;
        ChurnState churn;
        bool compromised = false;  ///< held by the adversary (compromised_nodes)
    };

    static net::Topology load_topology(const ScenarioSpec& spec);
    net::RegionId pick_region(const RegionWeights& weights, RandomStream& rng) const;
    void build_service_nodes();
    /// Builds service node `i` (its keys and streams named by `i`) and registers it.
    void add_service_node(std::size_t i, RandomStream& placement);
    // Churn (world_churn.cpp; sim/adversary/churn.hpp).
    void start_churn();
    void start_node_churn(std::size_t i, SimDuration age);
    void node_down(std::size_t i);
    void node_detected(std::size_t i, std::uint64_t episode);
    void node_drained(std::size_t i, std::uint64_t episode);
    void node_up(std::size_t i, std::uint64_t episode);
    void join_node();
    nlohmann::json churn_summary() const;
    /// New memberships: notes who entered a swarm at this block and who left one incomplete.
    void track_memberships();
    /// Marks complete the entering nodes that now hold their swarm's data (at each sample), and
    /// samples the membership and partial-history levels.
    void check_memberships();
    /// The same marking alone; returns how many are still incomplete.
    std::size_t complete_memberships();
    /// Every churn new_member_check, when set (a finer resolution for the time to complete).
    void membership_tick();
    /// Hands a block's list to every node that is up, each after its list_lag when configured.
    void deliver_swarm_update(const sessionproto::SwarmUpdate& update);
    /// Partial histories (oxen-storage-server#494): over account IDs with messages in a swarm and
    /// the swarm's members that are up, {pairs, pairs where the member holds only part, owners
    /// with at least one such member, owners}.
    std::array<std::uint64_t, 4> partial_histories() const;
    std::optional<RandomStream> list_lag_rng_;  ///< churn list_lag draws
    // Compromised nodes (world_compromised.cpp; sim/adversary/compromised_nodes.hpp).
    void pick_compromised();
    nlohmann::json compromised_summary() const;
    /// By client: whether its swarm (at the end) has a compromised member, which stores what it gets.
    std::vector<bool> swarms_with_adversary_by_client() const;
    nlohmann::json active_compromise_summary() const;
    nlohmann::json correlation_summary() const;
    nlohmann::json poll_correlation_summary() const;
    nlohmann::json first_compromise_summary() const;
    /// Whether what service node `node` observed came from one of its swarm peers (a replica of a
    /// store, not the sender's store itself).
    bool from_swarm_peer(std::size_t node, const sessionproto::Observation& o) const;
    // Link observers (world_observers.cpp; sim/adversary/link_observer.hpp).
    void build_link_observer();
    void on_store_for_observer(SimTime at, std::size_t node, const sessionproto::Observation& o);
    nlohmann::json link_observer_summary() const;
    // Spam (world_spam.cpp; sim/adversary/spam.hpp).
    void build_spam();
    nlohmann::json spam_summary() const;
    void build_clients();
    void start_workload();
    void send_next(std::uint32_t user, SimTime after);
    void toggle_online(std::uint32_t user);
    void on_client_event(SimTime at, std::uint32_t client, const sessionproto::AppEvent& event);
    void on_block();
    void sample_levels();
    void on_node_event(SimTime at, const sessionproto::AppEvent& event);

    ScenarioSpec spec_;
    Engine engine_;
    net::Topology topology_;
    net::Network network_;
    sessionproto::ServiceNodeList registry_;
    std::vector<std::unique_ptr<NodeSlot>> nodes_;
    std::map<sessionproto::Ed25519Pubkey, std::size_t> node_by_key_;  ///< nodes_ index by identity
    std::vector<std::unique_ptr<ClientSlot>> clients_;
    std::vector<std::unique_ptr<host::NodeHost<adversary::Flooder>>> flooders_;
    std::vector<std::uint32_t> spam_victims_;  ///< clients whose inboxes are flooded
    std::set<sessionproto::Ed25519Pubkey> compromised_;  ///< the adversary's service nodes
    std::uint64_t compromised_observations_ = 0;
    /// Drops, delays and tampering of the compromised nodes (set when their behaviour is active).
    std::unique_ptr<adversary::ActiveCompromise> active_compromise_;
    /// What the compromised nodes saw, for the timing correlator (world_compromised.cpp).
    void on_compromised_observation(SimTime at, std::size_t node, const sessionproto::Observation& o);
    std::vector<std::pair<SimTime, std::uint32_t>> adversary_entries_;                ///< (time, client)
    std::vector<std::pair<SimTime, sessionproto::SessionId>> adversary_stores_;       ///< (time, recipient)
    std::vector<std::pair<SimTime, sessionproto::SessionId>> adversary_retrieves_;    ///< (time, polled ID)
    std::map<std::uint32_t, std::uint32_t> client_by_ip_;
    std::unique_ptr<adversary::LinkObserver> link_observer_;
    struct ObservedStore {  ///< a sender's store whose datagram into the swarm member a tap saw
        SimTime at;
        sessionproto::SessionId recipient;
        std::uint32_t size;
    };
    std::vector<ObservedStore> observed_stores_;
    std::uint64_t stores_total_ = 0;  ///< senders' stores (not replicas) while an observer runs
    std::shared_ptr<sessionproto::PoolCache> pools_ = std::make_shared<sessionproto::PoolCache>();
    workload::ContactGraph contacts_;
    std::optional<workload::MessageSchedule> schedule_;
    std::optional<workload::OnlineSchedule> online_;
    std::vector<MessageRecord> messages_;  // index = message id
    std::uint64_t delivered_ = 0;
    RandomStream block_rng_;
    RandomStream placement_rng_;
    RandomStream join_rng_;
    std::uint64_t blocks_ = 0;
    metrics::RunMetrics metrics_;
    ObservationSink observation_sink_;
};

}  // namespace sessionsim::scenario
