#pragma once
// The spam adversary's configuration (adversaries: [{type: spam, ...}], scenarios/README.md):
// flooders (flooder.hpp) on their own IPs aimed at chosen users, random swarms or single service
// nodes, and the defences as switches. The World builds and drives them.
#include <cstdint>
#include <optional>

#include "sim/adversary/spam/flooder.hpp"
#include "sim/core/time.hpp"
#include "sim/net/access_link.hpp"

namespace sessionsim::adversary {

struct SpamConfig {
    enum class TargetKind : std::uint8_t { users, swarms, nodes };
    std::uint64_t flooders = 1;          ///< attacker hosts, one IPv4 address each
    std::optional<net::AccessLink> link; ///< the flooders' access link (default: the clients')
    double rate_per_second = 100;        ///< total over all flooders
    TargetKind target = TargetKind::users;
    std::uint64_t target_count = 1;      ///< how many users, swarms or service nodes
    Distribution message_size_bytes = Distribution::constant(1000);
    SimDuration ttl = days(14);
    SimDuration start{};                 ///< when the flood begins
    std::optional<ProofOfWork> pow;      ///< legacy proof of work: the attacker's cost (and rate cap)
    /// `content: messages`: real Session messages from the flooders' throwaway identities (users
    /// targets only); `random` (the default): random bytes no client can open.
    bool session_messages = false;
    // Defences.
    bool token_bucket = true;            ///< the per-IP bucket on client requests (300/s, burst 600)
    std::optional<std::uint64_t> storage_cap_bytes;  ///< per service node; default Session's 3.5 GB
    bool message_requests = true;        ///< clients hold messages from non-contacts apart (as deployed)
};

}  // namespace sessionsim::adversary
