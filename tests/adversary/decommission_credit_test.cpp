// Oxen's decommission credit (spec session-network §1.6).
#include <gtest/gtest.h>

#include "sim/adversary/churn/decommission_credit.hpp"

namespace sessionsim::adversary {
namespace {

TEST(DecommissionCredit, StartsAt2hGrows24hPer30DaysAndCapsAt48h) {
    const CreditRules rules;
    EXPECT_EQ(credit_after(rules, rules.initial, SimDuration::zero()), hours(2));
    EXPECT_EQ(credit_after(rules, rules.initial, days(30)), hours(26));
    EXPECT_EQ(credit_after(rules, rules.initial, days(15)), hours(14));  // 0.8 h a day
    EXPECT_EQ(credit_after(rules, rules.initial, days(60)), hours(48)) << "2 + 48 h, capped";
    EXPECT_EQ(credit_after(rules, rules.initial, days(3650)), hours(48));
    EXPECT_EQ(credit_after(rules, SimDuration::zero(), days(5)), hours(4));
}

TEST(DecommissionCredit, TwoHoursOfCreditDecommissionLessDeregisters) {
    const CreditRules rules;
    EXPECT_EQ(verdict_for(rules, hours(2)), QuorumVerdict::decommission);
    EXPECT_EQ(verdict_for(rules, hours(48)), QuorumVerdict::decommission);
    EXPECT_EQ(verdict_for(rules, hours(2) - seconds(1)), QuorumVerdict::deregister);
    EXPECT_EQ(verdict_for(rules, SimDuration::zero()), QuorumVerdict::deregister);
}

TEST(DecommissionCredit, RecommissionKeepsCreditLessTwiceTheTimeDecommissioned) {
    EXPECT_EQ(credit_on_recommission(hours(10), hours(3)), hours(4));
    EXPECT_EQ(credit_on_recommission(hours(10), hours(5)), SimDuration::zero());
    EXPECT_EQ(credit_on_recommission(hours(10), hours(6)), SimDuration::zero());
    EXPECT_EQ(credit_on_recommission(hours(10), SimDuration::zero()), hours(10));
}

}  // namespace
}  // namespace sessionsim::adversary
