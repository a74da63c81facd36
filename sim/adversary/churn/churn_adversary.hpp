#pragma once
// Service-node churn (churn_config.hpp) as a World plug-in: up and down periods, the obligation
// quorum's verdicts with Oxen's decommission credit, recommissions and joins. The registry applies
// each change at the next block; swarms re-form and the nodes move data as Session does. It also
// measures what the churn costs the swarms: the time a new member takes to hold its swarm's data,
// and partial histories (new_members.cpp).
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/adversary/adversary.hpp"
#include "sim/adversary/churn/churn_config.hpp"
#include "sim/core/random.hpp"

namespace sessionsim::adversary {

/// One service node's churn: up or down, and its listing with the registry.
struct ChurnNodeState {
    enum class Listing : std::uint8_t { active, decommissioned, deregistered };
    bool up = true;
    Listing listing = Listing::active;
    std::uint64_t episode = 0;         ///< down periods so far (stale events are ignored)
    SimDuration credit_base{};         ///< decommission credit at credit_since
    SimTime credit_since{};
    SimDuration credit_at_decommission{};
    SimTime decommissioned_at{};
    SimTime deregistered_at{};
    SimTime up_since{};
    // A new membership: the swarm the registry listed the node in at the last block, and whether
    // it entered it and does not yet hold all of that swarm's data.
    std::uint64_t swarm = sessionproto::INVALID_SWARM_ID.value;
    bool entering = false;
    SimTime entered_at{};
    std::uint64_t list_block = 0;  ///< the block whose list it applied last (list_lag)
};

class ChurnAdversary final : public Adversary {
  public:
    ChurnAdversary(std::string name, ChurnConfig config, std::uint64_t seed);

    void configure(sessionproto::ServiceNodeConfig& config) const override;
    void on_nodes_built(world::World& world) override;
    void on_started(world::World& world) override;
    nlohmann::json summary(const world::World& world) const override;

    const ChurnNodeState& node(std::size_t i) const { return nodes_.at(i).state; }

  private:
    struct Node {
        RandomStream rng;
        ChurnNodeState state;
        ProofClock proofs;  ///< decommission: oxend
    };
    void add_node(std::size_t i);
    void start_node(std::size_t i, SimDuration age);
    void node_down(std::size_t i);
    void node_detected(std::size_t i, std::uint64_t episode);
    void node_drained(std::size_t i, std::uint64_t episode);
    void node_up(std::size_t i, std::uint64_t episode);
    void join_node();
    /// decommission: oxend. The block's obligation quorum: its workers are tested; a failing
    /// active one is voted out, a passing decommissioned one back in, a failing one without
    /// credit deregistered.
    void obligation_quorum(SimTime now);
    void vote_out(std::size_t i, std::uint64_t episode, SimTime now);
    void recommission(std::size_t i, SimTime now);
    void schedule_join();
    /// Hands a block's list to every node that is up, each after its list_lag when configured.
    void deliver_swarm_update(const sessionproto::SwarmUpdate& update);
    /// A starting storage server's first list (a join, a return), after its list_lag if any.
    void deliver_first_list(std::size_t i);
    void sample_levels(SimTime now);

    // New memberships and partial histories (new_members.cpp).
    /// Notes who entered a swarm at this block and who left one incomplete.
    void track_memberships();
    /// Marks complete the entering nodes that now hold their swarm's data; returns how many are
    /// still incomplete.
    std::size_t complete_memberships();
    /// Every new_member_check, when set (a finer resolution for the time to complete).
    void membership_tick();
    /// Over account IDs with messages in a swarm and the swarm's members that are up: {pairs,
    /// pairs where the member holds only part, owners with at least one such member, owners}
    /// (oxen-storage-server#494).
    std::array<std::uint64_t, 4> partial_histories() const;

    ChurnConfig config_;
    std::uint64_t seed_;
    world::World* world_ = nullptr;
    std::vector<Node> nodes_;
    RandomStream join_rng_;
    std::optional<RandomStream> list_lag_rng_;  ///< list_lag draws
    RandomStream quorum_rng_;                   ///< decommission: oxend (proof phases, quorums, views)
    ObligationChecks checks_;
};

}  // namespace sessionsim::adversary
