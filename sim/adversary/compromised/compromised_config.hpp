#pragma once
// Compromised service nodes (DESIGN.md §7; spec anonymity §3): the adversary runs (or has
// taken over) a set of service nodes, chosen by fraction, by count, by region or by stake, and keeps what
// they observe (models/session/node/io.hpp, Observation). By default they stay honest on the wire
// (passive). With an `ActiveBehaviour` they also drop, delay or tamper with the datagrams they
// send (sim/adversary/compromised/active_compromise.hpp; tampering must be caught by the real crypto
// downstream). The World picks them and reports the exposure they give: swarms with an adversary
// member, clients with a compromised guard, messages whose sender IP and recipient ID the
// adversary both saw, and what the active behaviour did.
#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/distribution.hpp"

namespace sessionsim::adversary {

/// What compromised nodes do to each datagram they send (all off by default: passive).
struct ActiveBehaviour {
    /// Which of their datagrams they act on: all, those to workload clients (the guard's replies,
    /// a seed node's answers), or those to anyone else (other service nodes: relayed onion
    /// layers, replies back along a path, replication and pushes).
    enum class Target : std::uint8_t { all, clients, relays };
    double drop = 0;                ///< probability that a datagram is dropped
    Distribution delay;   ///< extra one-way delay added to each datagram (none: no delay)
    double tamper = 0;              ///< probability that one payload byte is altered (XOR, non-zero)
    Target target = Target::all;

    bool active() const noexcept { return drop > 0 || tamper > 0 || delay.kind != Distribution::Kind::none; }
};

const char* to_string(ActiveBehaviour::Target target) noexcept;

struct CompromisedNodesConfig {
    enum class Selection : std::uint8_t { fraction, count, region, stake };
    Selection selection = Selection::fraction;
    double fraction = 0.1;    ///< share of the initial service nodes (rounded to the nearest count)
    std::uint64_t count = 0;
    std::string region;       ///< every service node of this region
    /// By stake (spec session-network §1.2): tokens the adversary stakes; it runs
    /// floor(stake / (operator_share · staking_requirement)) nodes (at most all of them), as their
    /// operator, with others' contributions making up the rest of each node's stake.
    double stake = 0;
    double staking_requirement = 25'000;  ///< SENT per node (oxen-core SENT_STAKING_REQUIREMENT)
    double operator_share = 1.0;          ///< the operator's share of a node's stake (>= 0.25, Oxen's minimum)
    ActiveBehaviour active;   ///< passive unless set
};

}  // namespace sessionsim::adversary
