#pragma once
// Service-node churn (DESIGN.md §7; spec anonymity §4, session-network §1.5-1.6): each service
// node alternates between up periods (its session time) and down periods; a down node is voted
// out by an obligation quorum (oxend's timing, or a fixed detection delay) — decommissioned when
// it has the credit (decommission_credit.hpp), deregistered otherwise — and recommissioned, as a
// new assignment, after it comes back while decommissioned. New nodes join at a Poisson rate. The
// registry ("oxend") applies each change at the next block and the swarms re-form by the
// assignment rules; the service nodes move data exactly as Session does (spec §2.6). The World
// (sim/scenario) drives it; this header is the configuration.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/adversary/churn/churn_trace.hpp"
#include "sim/adversary/churn/decommission_credit.hpp"
#include "sim/adversary/churn/obligation_quorum.hpp"
#include "sim/core/distribution.hpp"

namespace sessionsim::adversary {

struct ChurnConfig {
    /// How long a service node stays up (from the start, and after each return).
    Distribution session = Distribution::exponential(24.0 * 3600'000);
    /// How long it stays down before it comes back; `none`: it never comes back.
    Distribution downtime = Distribution::exponential(3600'000);
    /// How the quorum comes to vote (scenarios/README.md, churn `decommission`):
    ///   oxend (the default): oxend's obligation quorums (obligation_quorum.hpp): a down node
    ///     fails once its last uptime proof is older than 2 h 5 min or the validators have seen
    ///     its storage server failing for 65 min, and is voted out when drawn as a block's worker;
    ///     a returned node is recommissioned when drawn again and passing;
    ///   fixed: a down node is voted out exactly `detection` after it went down, and a returned
    ///     decommissioned node is recommissioned at the next block (accelerated churn studies).
    enum class Decommission : std::uint8_t { oxend, fixed };
    Decommission decommission = Decommission::oxend;
    /// fixed only: how long a down node stays listed before its quorum votes (65 min: an SS is
    /// counted unreachable after VALIDITY − FREQUENCY = 2 h 5 min − 1 h, spec §1.5).
    SimDuration detection = minutes(65);
    OxendRules oxend;
    /// How long each initial node has been registered at the start (its credit grows with it).
    Distribution age{};
    /// New registrations per hour (a Poisson process); they join at the next block.
    double joins_per_hour = 0;
    CreditRules credit;
    /// How long after a block each service node's storage server applies the new list (drawn per
    /// node and block), and how long a storage server that starts (a return, a join) waits for
    /// its first list; `none` (the default): at once. Session's storage server polls oxend on
    /// each block notification; one without a list yet refuses every node's push
    /// (oxen-storage-server PR #507's "might reject messages from a node it doesn't recognize").
    Distribution list_lag{};
    /// oxen-storage-server PR #507's fix (ServiceNodeConfig::push_waits_for_data_ready): existing
    /// members ask a new member `snode.data_ready` every ~30 s until it answers OK, then push.
    /// Off by default (c3b96a2: the push goes at once, once; a new member that is unreachable or
    /// does not list the pusher as a service node misses it).
    bool data_ready = false;
    /// How often to check whether nodes that entered a swarm hold its data yet (summary.json churn
    /// new_members). Zero (the default): at each metrics bucket (a minute), adding no event.
    SimDuration new_member_check = SimDuration::zero();
    /// Replayed instead of session, downtime and joins_per_hour when `traced` (churn_trace.hpp):
    /// each down, up and join at its time. The quorum's verdicts and the credit still apply.
    bool traced = false;
    std::string trace_file;  ///< the file as resolved (for messages)
    std::vector<ChurnTraceEvent> trace;
};

}  // namespace sessionsim::adversary
