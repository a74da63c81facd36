#include "sim/adversary/churn/decommission_credit.hpp"

#include <algorithm>

namespace sessionsim::adversary {

SimDuration credit_after(const CreditRules& rules, SimDuration base, SimDuration active) {
    // 24 h per 30 days, accrued continuously (0.8 h a day).
    const auto earned = SimDuration(static_cast<SimDuration::rep>(
        static_cast<double>(rules.per_30_days.count()) * static_cast<double>(active.count()) /
        static_cast<double>(days(30).count())));
    return std::min(rules.cap, base + std::max(SimDuration::zero(), earned));
}

QuorumVerdict verdict_for(const CreditRules& rules, SimDuration credit) {
    return credit >= rules.minimum_to_decommission ? QuorumVerdict::decommission : QuorumVerdict::deregister;
}

SimDuration credit_on_recommission(SimDuration credit_at_decommission, SimDuration decommissioned_for) {
    return std::max(SimDuration::zero(), credit_at_decommission - 2 * decommissioned_for);
}

}  // namespace sessionsim::adversary
