#pragma once
// When oxend's obligation quorums vote a failed service node out, and back in (churn's
// `decommission: oxend`, the default). Facts (spec session-network §1.5-1.6 and
// session-clients-2026 "Service nodes and the network"), checked in oxen-io/oxen-core b208672:
//   - uptime proofs every UPTIME_PROOF_FREQUENCY = 1 h, the first 30 s after start; a node fails
//     once its last proof is older than UPTIME_PROOF_VALIDITY = 2 h 5 min (network_config/
//     mainnet.h; cryptonote_core/service_node_quorum_cop.cpp check_service_node), so 65-125 min
//     after it goes down depending on the proof's phase; on recommission the proof's effective
//     timestamp is the recommission time ("to fend off instant obligation checks",
//     service_node_list.h proof_info::effective_timestamp);
//   - the storage server fails the reachability check once the validator has seen it failing
//     for VALIDITY - FREQUENCY = 65 min with no pass in between (check_service_node,
//     service_node_list.cpp proof_info::reachable_stats::unreachable_for);
//   - each block (TARGET_BLOCK_TIME = 2 min) draws STATE_CHANGE_QUORUM_SIZE = 10 validators among
//     the active nodes and min(rem, max(STATE_CHANGE_MIN_NODES_TO_TEST = 50,
//     rem / STATE_CHANGE_NTH_OF_THE_NETWORK_TO_TEST = 100)) workers among the others, active and
//     decommissioned, rem = active + decommissioned - validators (service_node_list.cpp
//     generate_other_quorums; service_node_rules.h); a node is only tested as a worker, and 7 of
//     the 10 votes change its state (STATE_CHANGE_MIN_VOTES_TO_CHANGE_STATE).
// How a validator comes to see a down storage server failing (oxen-storage-server c3b96a2
// snode/reachability_testing.h): its own storage server tests one random peer every ~10 s from a
// shuffled queue of all nodes, so it first tests a given down node at a time uniform over its
// cycle of n x 10 s, then retests it at most every 2 min (a failure stays "recent", < 5 min,
// REACHABLE_MAX_FAILURE_VALIDITY). Simplifications, each stated in README.md: a block's 10
// validators are fresh, independent views (their first failed tests of the node, uniform over
// the cycle, drawn at the test); a node that is up is reachable (a validator retests a failing
// node within 2 min, one block); lokinet reachability, missed votes, time sync and L2 height are
// not modelled; a validator that is itself down still votes.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/time.hpp"

namespace sessionsim::adversary {

struct OxendRules {
    SimDuration proof_interval = hours(1);                    ///< UPTIME_PROOF_FREQUENCY
    SimDuration proof_validity = hours(2) + minutes(5);       ///< UPTIME_PROOF_VALIDITY
    SimDuration first_proof_delay = seconds(30);              ///< the first proof after start
    SimDuration unreachable_threshold = minutes(65);          ///< VALIDITY - FREQUENCY
    SimDuration reachability_test_interval = seconds(10);     ///< a storage server's random test, mean
    std::size_t quorum_size = 10;                             ///< STATE_CHANGE_QUORUM_SIZE
    std::size_t min_votes = 7;                                ///< STATE_CHANGE_MIN_VOTES_TO_CHANGE_STATE
    std::size_t min_workers = 50;                             ///< STATE_CHANGE_MIN_NODES_TO_TEST
    std::size_t nth_of_network = 100;                         ///< STATE_CHANGE_NTH_OF_THE_NETWORK_TO_TEST
};

/// min(rem, max(min_workers, rem / nth_of_network)), rem = nodes - validators (the validators
/// being min(active, quorum_size)).
std::size_t obligation_workers(const OxendRules& rules, std::size_t active, std::size_t decommissioned);

/// One node's uptime proofs and outage, as the network's validators see them.
class ProofClock {
  public:
    /// A node that has been up a long time at `now`, its last proof sent `phase` before now
    /// (0 <= phase < proof_interval).
    ProofClock(SimTime now, SimDuration phase, const OxendRules& rules);
    void down(SimTime now);
    void up(SimTime now);
    /// A recommission at `now`: the proof's effective timestamp.
    void recommissioned(SimTime now) { effective_ = now; }
    /// The latest proof (or effective timestamp) the validators hold at `now`.
    SimTime last_proof(SimTime now) const;
    bool is_up() const noexcept { return up_; }
    SimTime down_since() const noexcept { return down_since_; }

  private:
    SimDuration interval_;
    SimDuration first_delay_;
    SimTime anchor_{};       ///< proofs at anchor + k x interval while up
    SimTime before_{};       ///< the last proof before anchor (stale until the first new one)
    SimTime effective_{};
    SimTime down_since_{};
    bool up_ = true;
};

/// The checks of oxend's check_service_node that an outage fails.
class ObligationChecks {
  public:
    explicit ObligationChecks(OxendRules rules) : rules_(rules) {}
    const OxendRules& rules() const noexcept { return rules_; }

    bool proof_too_old(const ProofClock& node, SimTime now) const;
    /// Whether at least min_votes of the block's quorum_size validators have seen the node's
    /// storage server failing for the threshold, in a network of `listed` nodes (their test cycle).
    bool unreachable(const ProofClock& node, SimTime now, std::size_t listed, RandomStream& rng) const;
    /// Fails any check (what the quorum votes on).
    bool fails(const ProofClock& node, SimTime now, std::size_t listed, RandomStream& rng) const;

    /// The block's workers: quorum_size validators drawn from `active`, then
    /// obligation_workers(...) drawn from the rest of `active` and `decommissioned`. Inputs and
    /// output are node indexes; the output is sorted.
    std::vector<std::size_t> draw_workers(std::span<const std::size_t> active,
                                          std::span<const std::size_t> decommissioned, RandomStream& rng) const;

  private:
    OxendRules rules_;
};

}  // namespace sessionsim::adversary
