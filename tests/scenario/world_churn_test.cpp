// Service-node churn from the scenario, on the real protocol path: Oxen's verdicts, the registry,
// the swarms and Session's data movement.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/scenario/world.hpp"
#include "sim/scenario/yaml_loader.hpp"

namespace sessionsim::scenario {
namespace {

ScenarioSpec churn_spec(const std::string& churn, std::vector<std::string> more = {}) {
    more.push_back("adversaries=[{type: churn, " + churn + "}]");
    return load_scenario(std::filesystem::path(SCENARIO_TEST_DIR) / "e2e_small.yaml", more);
}

std::uint64_t churn_counter(const World& w, const char* name) {
    return w.summary().at("churn").at(name).get<std::uint64_t>();
}

TEST(WorldChurn, WithoutCreditEveryDetectedNodeIsDeregisteredAndLeavesForGood) {
    // 1 h of initial credit (< the 2 h minimum): the quorum deregisters; a deregistered node never
    // returns. Every down period therefore ends in exactly one of: back before detection, or
    // deregistered.
    World w(churn_spec("session: {dist: exponential, mean: 6min}, downtime: {dist: exponential, mean: 3min}, "
                       "detection: 90s, credit: {initial: 1h}",
                       {"duration=15min"}));
    w.run();
    const auto downs = churn_counter(w, "node_downs"), ups = churn_counter(w, "node_ups");
    const auto deregistered = churn_counter(w, "deregistrations");
    ASSERT_GT(downs, 10u);
    EXPECT_GT(deregistered, 0u);
    EXPECT_EQ(churn_counter(w, "decommissions"), 0u);
    // Down periods still open at the end were neither; count them from the nodes' states.
    std::uint64_t down_and_listed = 0;
    for (std::size_t i = 0; i < w.service_node_count(); ++i) {
        const auto& c = w.churn_state(i);
        down_and_listed += (!c.up && c.listing == World::ChurnState::Listing::active) ? 1 : 0;
        if (c.listing == World::ChurnState::Listing::deregistered) {
            EXPECT_FALSE(c.up) << i;
        }
    }
    EXPECT_EQ(downs, ups + deregistered + down_and_listed);
    // The registry dropped them: a node deregistered more than a block before the end is unlisted.
    std::size_t checked = 0;
    for (std::size_t i = 0; i < w.service_node_count(); ++i) {
        const auto& c = w.churn_state(i);
        if (c.listing != World::ChurnState::Listing::deregistered || c.deregistered_at + BLOCK_TIME >= w.end_time()) {
            continue;
        }
        EXPECT_FALSE(w.registry().find(w.service_node(i).ed25519()).has_value()) << i;
        ++checked;
    }
    EXPECT_GT(checked, 0u);
}

TEST(WorldChurn, WithCreditNodesAreDecommissionedLeaveTheirSwarmAndComeBackRecommissioned) {
    // Registered 60 days before the start: 48 h of credit (the cap), which 4-minute outages
    // (drained twice: 6 minutes each) cannot exhaust.
    World w(churn_spec("session: {dist: exponential, mean: 5min}, downtime: {dist: constant, value: 4min}, "
                       "detection: 1min, age: 60d",
                       {"duration=15min"}));
    w.run();
    const auto decommissions = churn_counter(w, "decommissions");
    ASSERT_GT(decommissions, 5u);
    EXPECT_EQ(churn_counter(w, "deregistrations"), 0u);
    // Every node that came back after a decommission was recommissioned: downtime (4 min) always
    // exceeds detection (1 min), so every return is a recommission.
    EXPECT_EQ(churn_counter(w, "recommissions"), churn_counter(w, "node_ups"));
    // A node decommissioned more than a block before the end has left its swarm.
    for (std::size_t i = 0; i < w.service_node_count(); ++i) {
        const auto& c = w.churn_state(i);
        if (c.listing != World::ChurnState::Listing::decommissioned) continue;
        if (c.decommissioned_at + BLOCK_TIME >= w.end_time()) continue;
        const auto rec = w.registry().find(w.service_node(i).ed25519());
        ASSERT_TRUE(rec.has_value()) << i;  // still registered
        EXPECT_EQ(rec->swarm_id, sessionproto::INVALID_SWARM_ID.value) << i;
    }
    // Nothing broke on the way: no duplicate or corrupted delivery, and messages still flow.
    const auto s = w.summary();
    EXPECT_EQ(s.at("counters").at("deliveries_duplicate"), 0u);
    EXPECT_EQ(s.at("counters").at("deliveries_corrupted"), 0u);
    EXPECT_GT(s.at("messages_delivered").get<std::uint64_t>(), 50u);
}

TEST(WorldChurn, WithTooLittleCreditLeftARecommissionedNodeIsDeregisteredNextTime) {
    // New nodes have exactly 2 h: a first outage decommissions; the 3 minutes decommissioned cost
    // 6 minutes of credit, so the next outage deregisters (spec §1.6).
    World w(churn_spec("session: {dist: exponential, mean: 4min}, downtime: {dist: constant, value: 4min}, "
                       "detection: 1min",
                       {"duration=20min"}));
    w.run();
    EXPECT_GT(churn_counter(w, "decommissions"), 0u);
    EXPECT_GT(churn_counter(w, "deregistrations"), 0u);
    // Every deregistration followed a recommission of that node (none had less than 2 h before).
    EXPECT_LE(churn_counter(w, "deregistrations"), churn_counter(w, "recommissions"));
}

TEST(WorldChurn, JoinsAddRegisteredNodesThatGetSwarmsAndData) {
    // Poisson joins at 120 an hour for 10 minutes: 20 expected.
    World w(churn_spec("session: {dist: constant, value: 10h}, downtime: none, joins_per_hour: 120",
                       {"duration=10min"}));
    w.run();
    const auto joins = churn_counter(w, "joins");
    EXPECT_NEAR(static_cast<double>(joins), 20.0, 3.29 * std::sqrt(20.0));  // a 99.9% interval
    EXPECT_EQ(w.service_node_count(), 30u + joins);
    // Joined nodes that were registered a block before the end are in a swarm, and those whose
    // swarm held messages received them (pushed by the existing members, spec §2.6).
    std::size_t with_swarm = 0, with_data = 0;
    for (std::size_t i = 30; i < w.service_node_count(); ++i) {
        with_swarm += w.service_node(i).swarm_id() != sessionproto::INVALID_SWARM_ID ? 1 : 0;
        with_data += w.service_node(i).store().message_count() > 0 ? 1 : 0;
    }
    EXPECT_GT(with_swarm, 0u);
    EXPECT_GT(with_data, 0u);
}

TEST(WorldChurn, OneSeedOneChurn) {
    const std::string churn = "session: {dist: weibull, shape: 0.6, scale: 5min}, downtime: {dist: pareto, min: 1min, "
                              "shape: 1.5}, detection: 2min, joins_per_hour: 10";
    World a(churn_spec(churn, {"duration=8min"})), b(churn_spec(churn, {"duration=8min"}));
    a.run();
    b.run();
    EXPECT_EQ(a.summary().dump(), b.summary().dump());
    EXPECT_GT(churn_counter(a, "node_downs"), 0u);
}

}  // namespace
}  // namespace sessionsim::scenario
