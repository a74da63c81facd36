// Compromised service nodes from the scenario: the exposure they give, from ground truth, against
// the closed forms of spec anonymity §3 (uniform selection), with confidence intervals.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/adversary/exposure.hpp"
#include "sim/scenario/world.hpp"
#include "sim/scenario/yaml_loader.hpp"

namespace sessionsim::scenario {
namespace {

ScenarioSpec compromised_spec(const std::string& adversary, std::vector<std::string> more = {}) {
    more.push_back("adversaries=[{type: compromised_nodes, " + adversary + "}]");
    return load_scenario(std::filesystem::path(SCENARIO_TEST_DIR) / "e2e_small.yaml", more);
}

/// |hits/n − p| within z = 3.29 standard errors (99.9%) of a binomial(n, p).
void expect_share_near(std::uint64_t hits, std::uint64_t n, double p, const char* what) {
    ASSERT_GT(n, 0u) << what;
    EXPECT_NEAR(static_cast<double>(hits) / static_cast<double>(n), p, 3.29 * std::sqrt(p * (1 - p) / static_cast<double>(n)))
        << what << ": " << hits << " of " << n;
}

TEST(WorldCompromised, GuardsAndSwarmsAreExposedAsUniformSelectionPredicts) {
    // 30 of 150 nodes; each client picks 2 guards uniformly from its pool (desktop), and the swarm
    // assignment spreads nodes over swarms at random.
    World w(compromised_spec("fraction: 0.2", {"service_nodes.count=150", "clients.count=300", "duration=90s",
                                               "crypto.mode=sampled", "crypto.fraction=0"}));
    w.run();
    const auto c = w.summary().at("compromised");
    EXPECT_EQ(c.at("nodes"), 30u);
    const auto with_guards = c.at("clients_with_guards").get<std::uint64_t>();
    EXPECT_GT(with_guards, 250u);
    expect_share_near(c.at("clients_with_compromised_guard").get<std::uint64_t>(), with_guards,
                      adversary::bad_guard_probability_exact(150, 30, 2), "clients with a compromised guard");
    std::size_t members = 0;
    for (const auto& [id, m] : w.registry().swarms()) members += m.size();
    const auto swarms = c.at("swarms").get<std::uint64_t>();
    const auto mean_size = static_cast<std::size_t>(std::lround(static_cast<double>(members) / static_cast<double>(swarms)));
    expect_share_near(c.at("swarms_with_adversary").get<std::uint64_t>(), swarms,
                      adversary::swarm_compromise_probability_exact(150, 30, mean_size), "swarms with an adversary");
    EXPECT_GT(c.at("observations").get<std::uint64_t>(), 0u);
}

TEST(WorldCompromised, NoAdversaryNoExposureAndEveryNodeFullExposure) {
    World none(compromised_spec("count: 0"));
    none.run();
    const auto n = none.summary().at("compromised");
    EXPECT_EQ(n.at("swarms_with_adversary"), 0u);
    EXPECT_EQ(n.at("clients_with_compromised_guard"), 0u);
    EXPECT_EQ(n.at("messages_sender_and_recipient_seen"), 0u);
    World all(compromised_spec("fraction: 1"));
    all.run();
    const auto a = all.summary().at("compromised");
    EXPECT_EQ(a.at("swarms_with_adversary"), a.at("swarms"));
    EXPECT_EQ(a.at("clients_with_compromised_guard"), a.at("clients_with_guards"));
    // Every confirmed store went through a compromised guard (unless its path was gone since).
    EXPECT_GT(a.at("messages_sender_and_recipient_seen").get<std::uint64_t>(),
              a.at("messages_stored").get<std::uint64_t>() * 9 / 10);
}

TEST(WorldCompromised, TheTimingCorrelatorFindsTheSenderAmongThoseItsGuardsSaw) {
    // Every node compromised: every store is seen, every sender entered at an adversary guard.
    World all(compromised_spec("fraction: 1", {"duration=4min"}));
    all.run();
    const auto c = all.summary().at("compromised").at("correlation");
    const auto targets = c.at("targets").get<std::uint64_t>();
    ASSERT_GT(targets, 20u);
    // The true sender is always among the candidates (its onion request entered an adversary
    // guard within the window before the store), and the adversary learned something.
    EXPECT_EQ(c.at("targets_with_truth_scored").get<std::uint64_t>(), targets);
    EXPECT_LT(c.at("mean_entropy_bits").get<double>(), c.at("max_entropy_bits").get<double>() - 0.5);
    EXPECT_GT(c.at("top1_accuracy").get<double>(), 1.0 / c.at("mean_anonymity_set_size").get<double>() - 1e-9);

    // A fraction: whenever the store's path began at a compromised guard, the truth is scored.
    World some(compromised_spec("fraction: 0.3", {"duration=4min"}));
    some.run();
    const auto s = some.summary().at("compromised").at("correlation");
    EXPECT_EQ(s.at("targets_via_compromised_guard_with_truth_scored"), s.at("targets_via_compromised_guard"));
    EXPECT_LE(s.at("targets").get<std::uint64_t>(), targets);

    World none(compromised_spec("count: 0", {"duration=4min"}));
    none.run();
    EXPECT_EQ(none.summary().at("compromised").at("correlation").at("targets"), 0u);
}

TEST(WorldCompromised, ARegionIsEveryNodeInIt) {
    World w(compromised_spec("region: eu-central", {"service_nodes.regions={eu-central: 1, na-east: 1}"}));
    std::size_t in_region = 0;
    const auto region = net::Topology::world().find("eu-central");
    for (std::size_t i = 0; i < w.service_node_count(); ++i) {
        const bool inside = w.network().region(w.service_node_host(i)) == *region;
        in_region += inside ? 1 : 0;
        EXPECT_EQ(w.compromised(w.service_node(i).ed25519()), inside) << i;
    }
    EXPECT_GT(in_region, 0u);
    EXPECT_LT(in_region, w.service_node_count());
}

}  // namespace
}  // namespace sessionsim::scenario
