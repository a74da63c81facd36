#pragma once
// Service-node churn (DESIGN.md §7; spec anonymity §4, session-network §1.5-1.6): each service
// node alternates between up periods (its session time) and down periods; a node down for longer
// than the detection delay is voted out by its obligation quorum — decommissioned when it has the
// credit (decommission_credit.hpp), deregistered otherwise — and recommissioned, as a new
// assignment, when it comes back while decommissioned. New nodes join at a Poisson rate. The
// registry ("oxend") applies each change at the next block and the swarms re-form by the
// assignment rules; the service nodes move data exactly as Session does (spec §2.6). The World
// (sim/scenario) drives it; this header is the configuration.
#include "sim/adversary/decommission_credit.hpp"
#include "sim/net/delay_distribution.hpp"

namespace sessionsim::adversary {

struct ChurnConfig {
    /// How long a service node stays up (from the start, and after each return).
    net::DelayDistribution session = net::DelayDistribution::exponential(24.0 * 3600'000);
    /// How long it stays down before it comes back; `none`: it never comes back.
    net::DelayDistribution downtime = net::DelayDistribution::exponential(3600'000);
    /// How long a down node stays listed before its quorum votes: 65 min (an SS is counted
    /// unreachable after VALIDITY − FREQUENCY = 2 h 5 min − 1 h, spec §1.5).
    SimDuration detection = minutes(65);
    /// How long each initial node has been registered at the start (its credit grows with it).
    net::DelayDistribution age{};
    /// New registrations per hour (a Poisson process); they join at the next block.
    double joins_per_hour = 0;
    CreditRules credit;
};

}  // namespace sessionsim::adversary
