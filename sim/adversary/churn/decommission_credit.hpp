#pragma once
// Oxen's decommission credit (spec session-network §1.6; oxen-core service_node_rules.h and
// service_node_quorum_cop.cpp): what the obligation quorum does with a service node that fails
// its checks. A node with at least 2 h of credit is decommissioned (it leaves its swarm at once
// and keeps its registration); with less it is deregistered. Credit starts at 2 h, grows 24 h per
// 30 days active, up to 48 h; it drains while decommissioned, and on recommission the node keeps
// max(0, credit at decommission − 2 × time decommissioned).
#include "sim/core/time.hpp"

namespace sessionsim::adversary {

struct CreditRules {
    SimDuration initial = hours(2);
    SimDuration per_30_days = hours(24);
    SimDuration cap = hours(48);
    SimDuration minimum_to_decommission = hours(2);
};

enum class QuorumVerdict { decommission, deregister };

/// Credit of a node that has been active for `active` since it last had `base` credit.
SimDuration credit_after(const CreditRules& rules, SimDuration base, SimDuration active);
/// What the quorum votes when a node with `credit` fails.
QuorumVerdict verdict_for(const CreditRules& rules, SimDuration credit);
/// Credit left on recommission after `decommissioned_for` (the decommission drained twice as fast).
SimDuration credit_on_recommission(SimDuration credit_at_decommission, SimDuration decommissioned_for);

}  // namespace sessionsim::adversary
