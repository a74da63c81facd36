// Active compromised service nodes from the scenario (sim/adversary/compromised/active_compromise.hpp): the
// loader's keys, and on the real code path (real crypto) what dropping, delaying and tampering do:
// tampering is caught by the crypto (nothing corrupted is ever delivered), drops are the network's
// interceptor drops, delays add up per compromised hop, and a passive behaviour changes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

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

using Lines = std::vector<std::string>;

ScenarioSpec active_spec(const std::string& adversary, std::vector<std::string> more = {}) {
    more.push_back("adversaries=[{type: compromised_nodes, " + adversary + "}]");
    return load_scenario(std::filesystem::path(SCENARIO_TEST_DIR) / "e2e_small.yaml", more);
}

nlohmann::json run(const std::string& adversary, std::vector<std::string> more = {}) {
    Simulation w(active_spec(adversary, std::move(more)));
    w.run();
    return w.summary();
}

std::uint64_t u64(const nlohmann::json& j) { return j.get<std::uint64_t>(); }

// ----- loader -----

const std::string MINIMAL = "name: t\nduration: 1min\nservice_nodes: {count: 10}\nclients: {count: 5}\n";

using test_support::problems_of_text;

TEST(ActiveCompromiseLoader, ReadsDropDelayTamperTarget) {
    const auto s = load_scenario_text(
        MINIMAL + "adversaries: [{type: compromised_nodes, fraction: 0.1, drop: 0.5, delay: {dist: constant, value: 200ms}, "
                  "tamper: 0.01, target: relays}]\n",
        "t.yaml");
    ASSERT_TRUE(first_adversary<adversary::CompromisedNodesConfig>(s) != nullptr);
    const auto& a = first_adversary<adversary::CompromisedNodesConfig>(s)->active;
    EXPECT_DOUBLE_EQ(a.drop, 0.5);
    EXPECT_DOUBLE_EQ(a.tamper, 0.01);
    EXPECT_EQ(a.delay.kind, Distribution::Kind::constant);
    EXPECT_DOUBLE_EQ(a.delay.a, 200.0);
    EXPECT_EQ(a.target, adversary::ActiveBehaviour::Target::relays);
    EXPECT_TRUE(a.active());
    // Defaults: passive.
    const auto p = load_scenario_text(MINIMAL + "adversaries: [{type: compromised_nodes, fraction: 0.1}]\n", "t.yaml");
    EXPECT_FALSE(first_adversary<adversary::CompromisedNodesConfig>(p)->active.active());
    EXPECT_EQ(first_adversary<adversary::CompromisedNodesConfig>(p)->active.target, adversary::ActiveBehaviour::Target::all);
    // A delay as a plain duration, and a key set from the command line.
    const auto d = load_scenario_text(MINIMAL + "adversaries: [{type: compromised_nodes, count: 2, delay: 50ms}]\n", "t.yaml",
                                      {"adversaries[0].drop=0.25"});
    EXPECT_DOUBLE_EQ(first_adversary<adversary::CompromisedNodesConfig>(d)->active.delay.mean(), 50.0);
    EXPECT_DOUBLE_EQ(first_adversary<adversary::CompromisedNodesConfig>(d)->active.drop, 0.25);
}

TEST(ActiveCompromiseLoader, BadValuesNameTheKey) {
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: compromised_nodes, fraction: 0.1, drop: 1.5}]\n"),
              Lines{"t.yaml:5:62: adversaries[0].drop: expected a number in [0, 1], got '1.5'"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: compromised_nodes, fraction: 0.1, tamper: -0.1}]\n"),
              Lines{"t.yaml:5:64: adversaries[0].tamper: expected a number in [0, 1], got '-0.1'"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: compromised_nodes, fraction: 0.1, target: relay}]\n"),
              Lines{"t.yaml:5:64: adversaries[0].target: expected one of all, clients, relays, got 'relay' (did you "
                    "mean 'relays'?)"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: compromised_nodes, fraction: 0.1, delay: 5}]\n"),
              Lines{"t.yaml:5:63: adversaries[0].delay: expected 'none', a duration (a constant) or a mapping with "
                    "'dist' (constant, uniform, exponential, normal, lognormal, pareto, weibull), got '5'"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: compromised_nodes, fraction: 0.1, drops: 1}]\n"),
              Lines{"t.yaml:5:56: adversaries[0].drops: unknown key (did you mean 'drop'?)"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: compromised_nodes, fraction: 0.1}]\n", {"adversaries[0].drop=2"}),
              Lines{"--set adversaries[0].drop=2: adversaries[0].drop: expected a number in [0, 1], got '2'"});
}

TEST(ActiveCompromiseLoader, TamperingNeedsRealCryptoOnEveryFlow) {
    const std::string sampled = MINIMAL + "crypto: {mode: sampled, fraction: 0.1}\n";
    EXPECT_EQ(problems_of_text(sampled + "adversaries: [{type: compromised_nodes, fraction: 0.1, tamper: 0.01}]\n"),
              Lines{"t.yaml:6:64: adversaries[0].tamper: expected tamper 0 with crypto.mode sampled and fraction < 1 "
                    "(modelled flows have no cipher or MAC to detect tampering; use crypto.mode real), got '0.01'"});
    EXPECT_TRUE(problems_of_text(sampled + "adversaries: [{type: compromised_nodes, fraction: 0.1, tamper: 0, drop: 1}]\n").empty());
    EXPECT_TRUE(problems_of_text(MINIMAL + "crypto: {mode: sampled, fraction: 1}\n"
                                           "adversaries: [{type: compromised_nodes, fraction: 0.1, tamper: 0.5}]\n")
                    .empty());
}

// ----- the World -----

TEST(WorldActiveCompromise, PassiveOrHoldingNothingChangesNothing) {
    const auto passive = run("fraction: 0.2");
    const auto zeros = run("fraction: 0.2, drop: 0, tamper: 0, delay: none");
    EXPECT_EQ(passive.at("fingerprint"), zeros.at("fingerprint"));
    EXPECT_EQ(passive.at("compromised").at("active").at("enabled"), false);
    EXPECT_EQ(u64(passive.at("compromised").at("active").at("datagrams_seen")), 0u);
    // Active, but the adversary holds no node: nothing is seen and nothing is drawn.
    const auto none = run("count: 0");
    const auto none_active = run("count: 0, drop: 1, tamper: 1, delay: 1s");
    EXPECT_EQ(none.at("fingerprint"), none_active.at("fingerprint"));
    EXPECT_EQ(none_active.at("compromised").at("active").at("enabled"), true);
    EXPECT_EQ(u64(none_active.at("compromised").at("active").at("datagrams_seen")), 0u);
}

TEST(WorldActiveCompromise, TamperingEverywhereIsCaughtAndNothingIsDelivered) {
    const auto s = run("fraction: 1, tamper: 1");
    const auto& a = s.at("compromised").at("active");
    EXPECT_GT(u64(s.at("messages_sent")), 20u);
    EXPECT_EQ(u64(s.at("messages_delivered")), 0u);
    EXPECT_EQ(u64(s.at("messages_stored")), 0u);
    EXPECT_EQ(u64(s.at("counters").at("deliveries_corrupted")), 0u);
    EXPECT_GT(u64(a.at("datagrams_seen")), 1000u);
    EXPECT_EQ(a.at("datagrams_tampered"), a.at("datagrams_seen"));
    // Caught: the next hop cannot open the layer (bad_onion, counted as a rejected request) and
    // no onion request completes.
    EXPECT_GT(u64(a.at("node_rejections").at("bad_onion")), 100u);
    EXPECT_GT(u64(s.at("counters").at("node_requests_rejected")), 100u);
    EXPECT_EQ(s.at("counters").at("node_requests_rejected"), a.at("node_requests_rejected"));
    EXPECT_EQ(s.at("onion_failure_rate").get<double>(), 1.0);
    EXPECT_EQ(u64(s.at("onion_latency_ms").at("count")), 0u);
}

TEST(WorldActiveCompromise, TamperingOnAFractionNeverCorruptsADelivery) {
    const auto passive = run("fraction: 0.5");
    const auto half = run("fraction: 0.5, tamper: 1");
    const auto light = run("fraction: 0.3, tamper: 0.2");
    for (const auto* s : {&half, &light}) {
        EXPECT_EQ(u64(s->at("counters").at("deliveries_corrupted")), 0u);
        EXPECT_EQ(u64(s->at("counters").at("deliveries_unrecognised")), 0u);
        const auto& a = s->at("compromised").at("active");
        EXPECT_GT(u64(a.at("datagrams_tampered")), 100u);
        const std::uint64_t caught = u64(a.at("node_rejections").at("bad_onion")) + u64(a.at("client_rejections").at("bad_onion_reply"));
        EXPECT_GT(caught, 100u);
        EXPECT_GT(s->at("onion_failure_rate").get<double>(), 0.1);
    }
    EXPECT_EQ(passive.at("onion_failure_rate").get<double>(), 0.0);
    // Half the nodes altering everything they send: few stores get through.
    EXPECT_LT(u64(half.at("messages_delivered")) * 4, u64(passive.at("messages_delivered")));
    EXPECT_LE(u64(light.at("messages_delivered")), u64(passive.at("messages_delivered")));
}

TEST(WorldActiveCompromise, DroppingEverythingDeliversNothing) {
    const auto s = run("fraction: 1, drop: 1");
    const auto& a = s.at("compromised").at("active");
    EXPECT_EQ(u64(s.at("messages_delivered")), 0u);
    EXPECT_GT(u64(a.at("datagrams_dropped")), 100u);
    EXPECT_EQ(a.at("datagrams_dropped"), a.at("datagrams_seen"));
    EXPECT_EQ(s.at("network").at("dropped_by_interceptor"), a.at("datagrams_dropped"));
}

TEST(WorldActiveCompromise, TheDroppedShareIsBinomial) {
    constexpr double P = 0.2;
    const auto s = run("fraction: 0.3, drop: 0.2");
    const auto& a = s.at("compromised").at("active");
    const std::uint64_t seen = u64(a.at("datagrams_seen")), dropped = u64(a.at("datagrams_dropped"));
    ASSERT_GT(seen, 1000u);
    EXPECT_EQ(s.at("network").at("dropped_by_interceptor"), a.at("datagrams_dropped"));
    // 99.9%: z = 3.29.
    EXPECT_NEAR(static_cast<double>(dropped) / static_cast<double>(seen), P, 3.29 * std::sqrt(P * (1 - P) / static_cast<double>(seen)))
        << dropped << " of " << seen;
    EXPECT_EQ(u64(s.at("counters").at("deliveries_corrupted")), 0u);
}

TEST(WorldActiveCompromise, DelayAddsItsValueAtEveryCompromisedHop) {
    // An onion round trip is client -> guard -> relay -> relay -> destination and back: seven
    // datagrams sent by service nodes. Every node compromised with a constant delay D adds 7·D to
    // every round trip, to the millisecond, and 2·D more to a recursive one, whose destination
    // answers only once its swarm peers did (a store; a poll that bumps its configs' expiry:
    // service_node_batch.cpp). So the mean grows by 7·D + 2·D × the recursive share, measured
    // from the run's own clients; on half the nodes, about half of that.
    // Android clients: their guards are drawn untested at start (SnodeDirectory.getGuardSnodes),
    // so the three runs share their paths; desktop guard tests are answered by the (delayed)
    // nodes, which changes which candidates pass first and so the fastest path of a run.
    constexpr double D = 200;
    const std::vector<std::string> android{"clients.profile=android-2026-04"};
    Simulation base(active_spec("fraction: 1", android));
    base.run();
    Simulation all(active_spec("fraction: 1, delay: {dist: constant, value: 200ms}", android));
    all.run();
    Simulation half(active_spec("fraction: 0.5, delay: 200ms", android));
    half.run();
    auto min_and_mean = [](const Simulation& w) {
        const auto& v = w.world().metrics().samples(world::metric::onion_latency_ms);
        EXPECT_GT(v.size(), 500u);
        return std::make_pair(*std::min_element(v.begin(), v.end()),
                              std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()));
    };
    const auto [base_min, base_mean] = min_and_mean(base);
    const auto [all_min, all_mean] = min_and_mean(all);
    const auto [half_min, half_mean] = min_and_mean(half);
    // The recursive share: polls that carried a bump and the stores (messages and config pushes),
    // over every onion request the clients sent.
    auto recursive_share = [](const Simulation& w) {
        std::uint64_t recursive = 0, onions = 0;
        for (std::size_t i = 0; i < w.world().client_count(); ++i) {
            const auto& c = w.world().client(i);
            recursive += c.counter("config_bumps") + c.counter("stores") + c.counter("config_pushes");
            onions += c.counter("onion_real") + c.counter("onion_modelled");
        }
        return static_cast<double>(recursive) / static_cast<double>(onions);
    };
    const double share = recursive_share(all);
    EXPECT_GT(share, 0.5);  // most polls bump: Android pushes its configs at start
    const double expected = 7 * D + 2 * D * share;
    EXPECT_GE(all_min, base_min + 7 * D - 1);
    EXPECT_GE(all_mean - base_mean, expected - 50);
    EXPECT_LE(all_mean - base_mean, expected + 100);
    EXPECT_GT(half_mean - base_mean, 0.25 * expected);
    EXPECT_LT(half_mean - base_mean, 0.75 * expected);
    EXPECT_GE(half_min, base_min);
    const auto a = all.summary().at("compromised").at("active");
    EXPECT_EQ(a.at("datagrams_delayed"), a.at("datagrams_seen"));
    EXPECT_DOUBLE_EQ(a.at("delay_added_ms_mean").get<double>(), D);
    EXPECT_EQ(all.summary().at("counters").at("deliveries_corrupted"), 0u);
}

TEST(WorldActiveCompromise, OneSeedOneRun) {
    const std::string adversary = "fraction: 0.3, drop: 0.1, tamper: 0.1, delay: {dist: exponential, mean: 20ms}";
    const auto a = run(adversary);
    const auto b = run(adversary);
    EXPECT_EQ(a.dump(), b.dump());
    const auto c = run(adversary, {"seed=8"});
    EXPECT_NE(a.at("fingerprint"), c.at("fingerprint"));
}

}  // namespace
}  // namespace sessionsim::scenario
