// Service-node churn from the scenario, on the real protocol path: Oxen's verdicts, the registry,
// the swarms and Session's data movement.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "sim/adversary/churn/churn_metrics.hpp"
#include "sim/world/world_metrics.hpp"
#include "sim/scenario/simulation.hpp"
#include "sim/adversary/churn/churn_adversary.hpp"
#include "sim/adversary/compromised/compromised_adversary.hpp"
#include "sim/adversary/link_observer/link_observer_adversary.hpp"
#include "sim/adversary/spam/spam_adversary.hpp"
#include "sim/scenario/yaml_loader.hpp"
#include "tests/support/scenario_problems.hpp"

namespace sessionsim::scenario {
namespace {

ScenarioSpec churn_spec(const std::string& churn, std::vector<std::string> more = {}) {
    more.push_back("adversaries=[{type: churn, " + churn + "}]");
    return load_scenario(std::filesystem::path(SCENARIO_TEST_DIR) / "e2e_small.yaml", more);
}

std::uint64_t churn_counter(const Simulation& w, const char* name) {
    return w.summary().at("churn").at(name).get<std::uint64_t>();
}

TEST(WorldChurn, DecommissionByOxendTiming) {
    // The default model (decommission: oxend, sim/adversary/churn/obligation_quorum.hpp): a down
    // node is voted out no earlier than 65 min after it went down (the proof's 2 h 5 min validity
    // less its hour, or 65 min of failed reachability tests) and only when a block draws it; a
    // returned one is recommissioned at a block that draws it once its first proof (30 s) is out.
    // At 30 nodes every non-validator is a worker of every block (min(rem, 50) = rem = 20).
    Simulation w(churn_spec("session: {dist: exponential, mean: 8h}, downtime: {dist: constant, value: 3h}, age: 60d",
                            {"duration=6h", "clients.count=2", "workload.rate_per_user_per_hour=1"}));
    w.run();
    const nlohmann::json summary = w.summary();
    const auto& c = summary.at("churn");
    EXPECT_EQ(c.at("decommission").get<std::string>(), "oxend");
    ASSERT_GT(c.at("decommissions").get<std::uint64_t>(), 3u);
    const auto& votes = w.world().metrics().samples(adversary::churn_metric::down_to_vote_s);
    ASSERT_EQ(votes.size(), c.at("decommissions").get<std::uint64_t>());
    for (const double s : votes) {
        EXPECT_GE(s, 65 * 60.0) << s;
        EXPECT_LE(s, 125 * 60.0 + 120.0 * 2) << s;  // the proof fails by 125 min; the next block tests it
    }
    ASSERT_GT(c.at("recommissions").get<std::uint64_t>(), 0u);
    for (const double s : w.world().metrics().samples(adversary::churn_metric::up_to_recommission_s)) {
        EXPECT_GE(s, 30.0) << s;
        EXPECT_LE(s, 30.0 + 120.0) << s;
    }
}

TEST(WorldChurn, WithoutCreditEveryDetectedNodeIsDeregisteredAndLeavesForGood) {
    // 1 h of initial credit (< the 2 h minimum): the quorum deregisters; a deregistered node never
    // returns. Every down period therefore ends in exactly one of: back before detection, or
    // deregistered.
    Simulation w(churn_spec("session: {dist: exponential, mean: 6min}, downtime: {dist: exponential, mean: 3min}, "
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
    for (std::size_t i = 0; i < w.world().service_node_count(); ++i) {
        const auto& c = w.adversary<adversary::ChurnAdversary>().node(i);
        down_and_listed += (!c.up && c.listing == adversary::ChurnNodeState::Listing::active) ? 1 : 0;
        if (c.listing == adversary::ChurnNodeState::Listing::deregistered) {
            EXPECT_FALSE(c.up) << i;
        }
    }
    EXPECT_EQ(downs, ups + deregistered + down_and_listed);
    // The registry dropped them: a node deregistered more than a block before the end is unlisted.
    std::size_t checked = 0;
    for (std::size_t i = 0; i < w.world().service_node_count(); ++i) {
        const auto& c = w.adversary<adversary::ChurnAdversary>().node(i);
        if (c.listing != adversary::ChurnNodeState::Listing::deregistered || c.deregistered_at + world::BLOCK_TIME >= w.world().end_time()) {
            continue;
        }
        EXPECT_FALSE(w.world().registry().find(w.world().service_node(i).ed25519()).has_value()) << i;
        ++checked;
    }
    EXPECT_GT(checked, 0u);
}

TEST(WorldChurn, WithCreditNodesAreDecommissionedLeaveTheirSwarmAndComeBackRecommissioned) {
    // Registered 60 days before the start: 48 h of credit (the cap), which 4-minute outages
    // (drained twice: 6 minutes each) cannot exhaust.
    Simulation w(churn_spec("session: {dist: exponential, mean: 5min}, downtime: {dist: constant, value: 4min}, "
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
    for (std::size_t i = 0; i < w.world().service_node_count(); ++i) {
        const auto& c = w.adversary<adversary::ChurnAdversary>().node(i);
        if (c.listing != adversary::ChurnNodeState::Listing::decommissioned) continue;
        if (c.decommissioned_at + world::BLOCK_TIME >= w.world().end_time()) continue;
        const auto rec = w.world().registry().find(w.world().service_node(i).ed25519());
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
    Simulation w(churn_spec("session: {dist: exponential, mean: 4min}, downtime: {dist: constant, value: 4min}, "
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
    Simulation w(churn_spec("session: {dist: constant, value: 10h}, downtime: none, joins_per_hour: 120",
                       {"duration=10min"}));
    w.run();
    const auto joins = churn_counter(w, "joins");
    EXPECT_NEAR(static_cast<double>(joins), 20.0, 3.29 * std::sqrt(20.0));  // a 99.9% interval
    EXPECT_EQ(w.world().service_node_count(), 30u + joins);
    // Joined nodes that were registered a block before the end are in a swarm, and those whose
    // swarm held messages received them (pushed by the existing members, spec §2.6).
    std::size_t with_swarm = 0, with_data = 0;
    for (std::size_t i = 30; i < w.world().service_node_count(); ++i) {
        with_swarm += w.world().service_node(i).swarm_id() != sessionproto::INVALID_SWARM_ID ? 1 : 0;
        with_data += w.world().service_node(i).store().message_count() > 0 ? 1 : 0;
    }
    EXPECT_GT(with_swarm, 0u);
    EXPECT_GT(with_data, 0u);
}

TEST(WorldChurn, OneSeedOneChurn) {
    const std::string churn = "session: {dist: weibull, shape: 0.6, scale: 5min}, downtime: {dist: pareto, min: 1min, "
                              "shape: 1.5}, detection: 2min, joins_per_hour: 10";
    Simulation a(churn_spec(churn, {"duration=8min"})), b(churn_spec(churn, {"duration=8min"}));
    a.run();
    b.run();
    EXPECT_EQ(a.summary().dump(), b.summary().dump());
    EXPECT_GT(churn_counter(a, "node_downs"), 0u);
}

nlohmann::json new_members(const Simulation& w) { return w.summary().at("churn").at("new_members"); }

TEST(WorldChurn, NewMembersHoldTheirSwarmsDataSoonAfterThePush) {
    // Joins only (no node goes down): each join is a new membership, and so is every node the
    // registry moves at a block (new swarms, dissolutions). The existing members push once (spec
    // §2.6); with nothing lost on 1 Gb/s links the new members hold everything within a push
    // timeout (5 s) and a check interval (2 s) of their block.
    Simulation w(churn_spec("session: {dist: constant, value: 10h}, downtime: none, joins_per_hour: 120, "
                       "new_member_check: 2s",
                       {"duration=10min"}));
    w.run();
    const auto nm = new_members(w);
    const auto count = nm.at("count").get<std::uint64_t>();
    const auto complete = nm.at("complete").get<std::uint64_t>();
    ASSERT_GT(count, 5u);
    EXPECT_EQ(complete + nm.at("never_complete").get<std::uint64_t>(), count);
    EXPECT_EQ(nm.at("never_complete").get<std::uint64_t>(),
              nm.at("left_incomplete").get<std::uint64_t>() + nm.at("incomplete_at_end").get<std::uint64_t>());
    // Only a membership begun at the last block can still be waiting at the end; none is lost.
    EXPECT_EQ(nm.at("left_incomplete").get<std::uint64_t>(), 0u);
    std::uint64_t waiting = 0;
    for (std::size_t i = 0; i < w.world().service_node_count(); ++i) {
        const auto& c = w.adversary<adversary::ChurnAdversary>().node(i);
        if (!c.entering) continue;
        ++waiting;
        EXPECT_GE(c.entered_at + world::BLOCK_TIME, w.world().end_time()) << i;
    }
    EXPECT_EQ(waiting, nm.at("incomplete_at_end").get<std::uint64_t>());
    EXPECT_DOUBLE_EQ(nm.at("check_interval_s").get<double>(), 2.0);
    const auto t = nm.at("time_to_complete_s");
    EXPECT_EQ(t.at("count").get<std::uint64_t>(), complete);
    const auto& times = w.world().metrics().samples(adversary::churn_metric::new_member_complete_s);
    ASSERT_EQ(times.size(), complete);
    for (const double s : times) {
        EXPECT_GE(s, 0.0);
        EXPECT_LE(s, 7.0);  // 5 s push timeout + one 2 s check
    }
    EXPECT_EQ(w.summary().at("churn").at("pushes_refused_unknown_sender").get<std::uint64_t>(), 0u);
}

TEST(WorldChurn, ThePushRaceOfPR507LeavesNewMembersWithoutTheirData) {
    // Each node applies a block's list after its own lag. At c3b96a2 the existing members push
    // once, at once (omq.cpp handle_sn_data accepts any listed service node); a new member that
    // is unreachable or does not list the pusher yet misses it for good. With PR #507's fix
    // (data_ready) they ask first, every 30 s, and push once it answers OK.
    const std::string base = "session: {dist: constant, value: 10h}, downtime: none, joins_per_hour: 120, "
                             "new_member_check: 2s, list_lag: {dist: exponential, mean: 20s}";
    Simulation racy(churn_spec(base, {"duration=10min"}));
    Simulation fixed(churn_spec(base + ", data_ready: true", {"duration=10min"}));
    racy.run();
    fixed.run();
    const nlohmann::json racy_summary = racy.summary(), fixed_summary = fixed.summary();
    const auto& rc = racy_summary.at("churn");
    const auto& fc = fixed_summary.at("churn");
    EXPECT_GT(rc.at("pushes_refused_unknown_sender").get<std::uint64_t>() + rc.at("pushes_timed_out").get<std::uint64_t>(),
              0u);
    EXPECT_GT(fc.at("data_ready").at("asked").get<std::uint64_t>(), 0u);
    EXPECT_GT(fc.at("data_ready").at("not_ready").get<std::uint64_t>(), 0u);  // asked before it knew
    EXPECT_EQ(fc.at("pushes_refused_unknown_sender").get<std::uint64_t>(), 0u);
    // The race leaves some new members without their data; the fix never leaves more.
    EXPECT_GT(new_members(racy).at("never_complete").get<std::uint64_t>(), 0u) << racy_summary.dump();
    EXPECT_LE(new_members(fixed).at("never_complete").get<std::uint64_t>(),
              new_members(racy).at("never_complete").get<std::uint64_t>());
}

TEST(WorldChurn, ChurnModelOptionsAreValidated) {
    const std::string minimal = "name: t\nduration: 1min\nservice_nodes: {count: 10}\nclients: {count: 5}\n";
    auto problems = [&](const std::string& churn) {
        return test_support::problems_of_text(minimal + "adversaries: [{type: churn, " + churn + "}]\n");
    };
    EXPECT_EQ(problems("new_member_check: 100ms"),
              (std::vector<std::string>{"t.yaml:5:47: adversaries[0].new_member_check: expected 0 (at each metrics "
                                        "bucket) or a check interval of at least 1s, got '100ms'"}));
    const auto bad_bool = problems("data_ready: maybe");
    ASSERT_EQ(bad_bool.size(), 1u);
    EXPECT_NE(bad_bool[0].find("adversaries[0].data_ready: expected"), std::string::npos) << bad_bool[0];
    EXPECT_NE(bad_bool[0].find("'maybe'"), std::string::npos) << bad_bool[0];
    // The old switch is gone, with a message that says why and what replaces it.
    const auto removed = problems("push_requires_peer: true");
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_NE(removed[0].find("t.yaml:5:"), std::string::npos) << removed[0];
    EXPECT_NE(removed[0].find("adversaries[0].push_requires_peer: expected no push_requires_peer"), std::string::npos)
        << removed[0];
    const auto spec = load_scenario_text(
        minimal + "adversaries: [{type: churn, list_lag: {dist: uniform, min: 1s, max: 3s}, data_ready: true}]\n",
        "t.yaml");
    EXPECT_EQ(first_adversary<adversary::ChurnConfig>(spec)->list_lag.kind, Distribution::Kind::uniform);
    EXPECT_TRUE(first_adversary<adversary::ChurnConfig>(spec)->data_ready);
    EXPECT_EQ(first_adversary<adversary::ChurnConfig>(spec)->new_member_check, SimDuration::zero());
    // decommission: oxend by default, fixed with an explicit detection; both at once is an error.
    using Decommission = adversary::ChurnConfig::Decommission;
    EXPECT_EQ(first_adversary<adversary::ChurnConfig>(spec)->decommission, Decommission::oxend);
    const auto fixed = load_scenario_text(minimal + "adversaries: [{type: churn, detection: 10min}]\n", "t.yaml");
    EXPECT_EQ(first_adversary<adversary::ChurnConfig>(fixed)->decommission, Decommission::fixed);
    EXPECT_EQ(first_adversary<adversary::ChurnConfig>(fixed)->detection, minutes(10));
    const auto both = problems("decommission: oxend, detection: 10min");
    ASSERT_EQ(both.size(), 1u);
    EXPECT_NE(both[0].find("t.yaml:5:"), std::string::npos) << both[0];
    EXPECT_NE(both[0].find("adversaries[0].detection: expected no detection with decommission: oxend"), std::string::npos)
        << both[0];
    const auto bad = problems("decommission: sometimes");
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_NE(bad[0].find("adversaries[0].decommission: expected one of oxend, fixed"), std::string::npos) << bad[0];
    const auto typo = problems("decommission: oxnd, detection: 10min");
    ASSERT_EQ(typo.size(), 1u);  // the typo only, not also the detection rule
    EXPECT_NE(typo[0].find("did you mean 'oxend'"), std::string::npos) << typo[0];
    EXPECT_NE(bad[0].find("'sometimes'"), std::string::npos) << bad[0];
}

std::filesystem::path write_trace(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / "sessionsim_churn_trace_test";
    std::filesystem::create_directories(dir);
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

TEST(WorldChurn, ATraceReplaysExactlyItsDownsUpsAndJoins) {
    // e2e_small has 30 service nodes; the join becomes node 30. Detection (30 min) is beyond the
    // run: no verdict, so every listed down and up happens as written, and nothing else does.
    const auto trace = write_trace("replay.csv",
                                   "time,node,event\n1min,2,down\n2min,5,down\n3min,2,up\n4min,,join\n"
                                   "5min,30,down\n6min,5,up\n7min,7,down\n");
    Simulation w(churn_spec("trace: " + trace.string() + ", detection: 30min", {"duration=8min"}));
    w.run();
    EXPECT_EQ(churn_counter(w, "node_downs"), 4u);
    EXPECT_EQ(churn_counter(w, "node_ups"), 2u);
    EXPECT_EQ(churn_counter(w, "joins"), 1u);
    EXPECT_EQ(churn_counter(w, "decommissions") + churn_counter(w, "deregistrations"), 0u);
    ASSERT_EQ(w.world().service_node_count(), 31u);
    for (std::size_t i = 0; i < w.world().service_node_count(); ++i) {
        EXPECT_EQ(w.adversary<adversary::ChurnAdversary>().node(i).up, i != 30 && i != 7) << i;
        EXPECT_EQ(w.adversary<adversary::ChurnAdversary>().node(i).episode, (i == 2 || i == 5 || i == 30 || i == 7) ? 1u : 0u) << i;
    }
}

TEST(WorldChurn, ATraceWithProblemsIsRejectedWithFileAndLine) {
    const auto bad = write_trace("bad.csv", "time,node,event\n1min,2,down\n30s,3,down\n2min,2,sideways\n");
    const std::string minimal = "name: t\nduration: 1min\nservice_nodes: {count: 10}\nclients: {count: 5}\n";
    auto out = test_support::problems_of_text(minimal + "adversaries: [{type: churn, trace: " + bad.string() +
                                              ", session: {dist: exponential, mean: 1h}}]\n");
    ASSERT_EQ(out.size(), 3u);
    EXPECT_NE(out[0].find("adversaries[0].trace: " + bad.string() +
                          ":3: expected a time >= 1min (line 2; rows are in time order), got '30s'"),
              std::string::npos)
        << out[0];
    EXPECT_NE(out[1].find(bad.string() + ":4: expected an event up, down or join, got 'sideways'"), std::string::npos)
        << out[1];
    EXPECT_NE(out[2].find("adversaries[0].session: expected no session with a trace"), std::string::npos) << out[2];
    // A missing file, relative to the scenario's folder.
    out = test_support::problems_of_text(minimal + "adversaries: [{type: churn, trace: nowhere.csv}]\n");
    EXPECT_EQ(out, (std::vector<std::string>{"t.yaml:5:36: adversaries[0].trace: expected the path of a CSV churn "
                                             "trace (relative to the scenario), got 'nowhere.csv' (no such file)"}));
}

}  // namespace
}  // namespace sessionsim::scenario
