// Compromised service nodes from the scenario: the exposure they give, from ground truth, against
// the closed forms of spec anonymity §3 (uniform selection), with confidence intervals.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "sim/adversary/exposure.hpp"
#include "sim/stats/sample_statistics.hpp"
#include "sim/scenario/simulation.hpp"
#include "sim/adversary/churn/churn_adversary.hpp"
#include "sim/adversary/compromised/compromised_adversary.hpp"
#include "sim/adversary/link_observer/link_observer_adversary.hpp"
#include "sim/adversary/spam/spam_adversary.hpp"
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
    Simulation w(compromised_spec("fraction: 0.2", {"service_nodes.count=150", "clients.count=300", "duration=90s",
                                               "crypto.mode=sampled", "crypto.fraction=0"}));
    w.run();
    const auto c = w.summary().at("compromised");
    EXPECT_EQ(c.at("nodes"), 30u);
    const auto with_guards = c.at("clients_with_guards").get<std::uint64_t>();
    EXPECT_GT(with_guards, 250u);
    expect_share_near(c.at("clients_with_compromised_guard").get<std::uint64_t>(), with_guards,
                      adversary::bad_guard_probability_exact(150, 30, 2), "clients with a compromised guard");
    std::size_t members = 0;
    for (const auto& [id, m] : w.world().registry().swarms()) members += m.size();
    const auto swarms = c.at("swarms").get<std::uint64_t>();
    const auto mean_size = static_cast<std::size_t>(std::lround(static_cast<double>(members) / static_cast<double>(swarms)));
    expect_share_near(c.at("swarms_with_adversary").get<std::uint64_t>(), swarms,
                      adversary::swarm_compromise_probability_exact(150, 30, mean_size), "swarms with an adversary");
    EXPECT_GT(c.at("observations").get<std::uint64_t>(), 0u);
}

TEST(WorldCompromised, GuardTestsExposeIpAndAccountIdAsTheClosedFormPredicts) {
    // Desktop tests each guard candidate with a direct get_swarm for its own Account ID
    // (onionPath.ts testGuardNode): a held candidate sees IP and ID together. 10% of 200 nodes;
    // a client that tested k distinct candidates is exposed with 1 − C(n−m, k)/C(n, k).
    Simulation w(compromised_spec("fraction: 0.1", {"service_nodes.count=200", "clients.count=400", "duration=60s",
                                               "crypto.mode=sampled", "crypto.fraction=0"}));
    w.run();
    const auto g = w.summary().at("compromised").at("guard_test_exposure");
    const auto tested = g.at("clients_tested").get<std::uint64_t>();
    EXPECT_GT(tested, 390u);
    const double exposed = g.at("clients_exposed").get<double>();
    const double expected = g.at("expected_exposed").get<double>();
    const double sd = g.at("expected_sd").get<double>();
    EXPECT_NEAR(exposed, expected, 3.29 * sd) << g.dump();
    // Most clients tested just their 2 guards: about 1 − 0.9² = 19% of them.
    EXPECT_NEAR(expected / static_cast<double>(tested), adversary::bad_guard_probability_exact(200, 20, 2), 0.03);
    EXPECT_GT(exposed, 0.0);
}

TEST(WorldCompromised, AndroidClientsTestNoGuardsAndAreNotExposedByThem) {
    // SnodeDirectory.getGuardSnodes: Android 2026 draws guards without a test.
    Simulation w(compromised_spec("fraction: 0.5", {"clients.profile=android-2026-04", "duration=60s",
                                               "crypto.mode=sampled", "crypto.fraction=0"}));
    w.run();
    const auto g = w.summary().at("compromised").at("guard_test_exposure");
    EXPECT_EQ(g.at("clients_tested").get<std::uint64_t>(), 0u);
    EXPECT_EQ(g.at("clients_exposed").get<std::uint64_t>(), 0u);
    EXPECT_GT(w.summary().at("compromised").at("clients_with_compromised_guard").get<std::uint64_t>(), 0u);
}

TEST(WorldCompromised, NoAdversaryNoExposureAndEveryNodeFullExposure) {
    Simulation none(compromised_spec("count: 0"));
    none.run();
    const auto n = none.summary().at("compromised");
    EXPECT_EQ(n.at("swarms_with_adversary"), 0u);
    EXPECT_EQ(n.at("clients_with_compromised_guard"), 0u);
    EXPECT_EQ(n.at("messages_sender_and_recipient_seen"), 0u);
    Simulation all(compromised_spec("fraction: 1"));
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
    Simulation all(compromised_spec("fraction: 1", {"duration=4min"}));
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
    Simulation some(compromised_spec("fraction: 0.3", {"duration=4min"}));
    some.run();
    const auto s = some.summary().at("compromised").at("correlation");
    EXPECT_EQ(s.at("targets_via_compromised_guard_with_truth_scored"), s.at("targets_via_compromised_guard"));
    EXPECT_LE(s.at("targets").get<std::uint64_t>(), targets);

    Simulation none(compromised_spec("count: 0", {"duration=4min"}));
    none.run();
    EXPECT_EQ(none.summary().at("compromised").at("correlation").at("targets"), 0u);
}

TEST(WorldCompromised, ThePollCorrelatorFindsOwnersWhenEveryNodeIsCompromised) {
    // Every node compromised: every poll enters an adversary guard and every retrieve is seen, so
    // the owner is always among the candidates of its Account ID (π0 = 0: no owner is unseen).
    Simulation all(compromised_spec("fraction: 1", {"duration=4min", "clients.count=12"}));
    all.run();
    const auto c = all.summary().at("compromised").at("poll_correlation");
    const auto targets = c.at("targets").get<std::uint64_t>();
    EXPECT_EQ(targets, 12u);  // every client polled and was seen
    EXPECT_EQ(c.at("targets_with_truth_seen"), targets);
    EXPECT_EQ(c.at("prior_unseen").get<double>(), 0.0);
    // Polls accumulate: with about 40 retrieves per ID among 12 pollers the owner stands out.
    EXPECT_GT(c.at("retrieves_seen").get<std::uint64_t>(), 30 * targets);
    EXPECT_GE(c.at("top1_accuracy").get<double>(), 0.75);
    EXPECT_LT(c.at("mean_entropy_bits").get<double>(), 1.0);
    EXPECT_LT(c.at("mean_truth_rank").get<double>(), 1.5);
    // The ROC over (ID, IP) pairs: far better than chance.
    const auto roc = c.at("roc");
    EXPECT_EQ(roc.at("pairs"), targets * 12);
    EXPECT_EQ(roc.at("true_links"), targets);
    EXPECT_GT(roc.at("auc").get<double>(), 0.9);
    const double tpr_2 = roc.at("at_fpr").at("1e-2").at("tpr").get<double>();
    EXPECT_GE(tpr_2, roc.at("at_fpr").at("1e-3").at("tpr").get<double>());
    EXPECT_LE(roc.at("at_fpr").at("1e-2").at("fpr").get<double>(), 1e-2);
}

TEST(WorldCompromised, WithoutCompromisedNodesNothingIsCorrelatedOrCompromised) {
    Simulation none(compromised_spec("count: 0"));
    none.run();
    const auto c = none.summary().at("compromised");
    EXPECT_EQ(c.at("poll_correlation").at("targets"), 0u);
    EXPECT_EQ(c.at("poll_correlation").at("retrieves_seen"), 0u);
    EXPECT_TRUE(c.at("poll_correlation").at("roc").empty());
    EXPECT_TRUE(c.at("correlation").at("roc").empty());
    const auto t = c.at("time_to_first_compromise");
    EXPECT_EQ(t.at("users_compromised"), 0u);
    EXPECT_GT(t.at("users_who_sent").get<std::uint64_t>(), 0u);
    EXPECT_FALSE(t.contains("p50_s"));
}

TEST(WorldCompromised, TimeToFirstCompromiseIsTheFirstLinkableSend) {
    // Every node compromised: a user's first linkable send is its first stored message (every
    // store path begins at a compromised guard, every swarm has one).
    Simulation all(compromised_spec("fraction: 1"));
    all.run();
    const auto t = all.summary().at("compromised").at("time_to_first_compromise");
    std::map<std::uint32_t, double> first_stored;
    const auto& adversary = all.adversary<adversary::CompromisedNodesAdversary>();
    const auto& messages = all.world().messages();
    for (std::size_t id = 0; id < messages.size(); ++id) {
        const auto& m = messages[id];
        if (m.stored && adversary.stored_via_held_guard(id)) first_stored.emplace(m.sender, to_seconds(m.sent_at));
    }
    EXPECT_EQ(t.at("users_compromised").get<std::size_t>(), first_stored.size());
    EXPECT_GE(first_stored.size() * 10, t.at("users_with_stored_message").get<std::size_t>() * 9);
    std::vector<double> times;
    for (const auto& [user, at] : first_stored) times.push_back(at);
    std::sort(times.begin(), times.end());
    ASSERT_FALSE(times.empty());
    EXPECT_GE(t.at("p10_s").get<double>(), times.front());
    EXPECT_LE(t.at("p90_s").get<double>(), times.back());
    EXPECT_LE(t.at("p10_s").get<double>(), t.at("p50_s").get<double>());
    EXPECT_LE(t.at("p50_s").get<double>(), t.at("p90_s").get<double>());
    // The quantiles are those of the first linkable sends found here from the messages.
    EXPECT_DOUBLE_EQ(t.at("p10_s").get<double>(), stats::empirical_quantile(times, 0.10));
    EXPECT_DOUBLE_EQ(t.at("p50_s").get<double>(), stats::empirical_quantile(times, 0.50));
    EXPECT_DOUBLE_EQ(t.at("p90_s").get<double>(), stats::empirical_quantile(times, 0.90));
    // The CDF ends at the share compromised, and never decreases.
    const auto cdf = t.at("cdf");
    ASSERT_EQ(cdf.size(), 10u);
    for (std::size_t k = 1; k < cdf.size(); ++k) EXPECT_GE(cdf[k].at("share"), cdf[k - 1].at("share"));
    // Each point: the users first compromised by t, over the users who sent.
    const auto senders = static_cast<double>(t.at("users_who_sent").get<std::size_t>());
    for (const auto& point : cdf) {
        const double at = point.at("t_s").get<double>();
        const auto by_t = std::count_if(times.begin(), times.end(), [at](double x) { return x <= at; });
        EXPECT_DOUBLE_EQ(point.at("share").get<double>(), static_cast<double>(by_t) / senders) << at;
    }
    EXPECT_DOUBLE_EQ(cdf.back().at("share").get<double>(), t.at("share_compromised").get<double>());
}

TEST(WorldCompromised, TimeToFirstCompromiseFollowsGuardsAndSwarms) {
    // spec anonymity §3: a user who sends often is compromised once one of its messages leaves
    // through a bad guard to a covered swarm. With one contact and many sends over both paths,
    // P(compromised) ≈ P_g × P(its contact's swarm is covered): a bad guard (hypergeometric, 2
    // guards) and, given the world, the share of senders whose contact's swarm has an adversary.
    Simulation w(compromised_spec("fraction: 0.2", {"service_nodes.count=150", "clients.count=300", "duration=10min",
                                               "workload.contacts={dist: constant, value: 1}",
                                               "workload.rate_per_user_per_hour=120", "crypto.mode=sampled",
                                               "crypto.fraction=0"}));
    w.run();
    const auto t = w.summary().at("compromised").at("time_to_first_compromise");
    // Senders whose (single) contact's swarm is covered at the end.
    std::map<std::uint32_t, std::set<std::uint32_t>> contacts_of;
    for (const auto& m : w.world().messages()) {
        if (m.stored) contacts_of[m.sender].insert(m.recipient);
    }
    std::size_t senders = 0, covered = 0;
    for (const auto& [sender, recipients] : contacts_of) {
        ++senders;
        bool any = false;
        for (const auto r : recipients) {
            for (const auto& member : w.world().registry().swarm_members_for(w.world().client(r).account_id().as_session_id())) {
                any = any || w.adversary<adversary::CompromisedNodesAdversary>().holds(member.ed25519);
            }
        }
        covered += any ? 1 : 0;
    }
    ASSERT_GT(senders, 200u);
    EXPECT_EQ(t.at("users_with_stored_message").get<std::size_t>(), senders);
    const double p_guard = adversary::bad_guard_probability_exact(150, 30, 2);
    const double expected = p_guard * static_cast<double>(covered) / static_cast<double>(senders);
    expect_share_near(t.at("users_compromised").get<std::uint64_t>(), senders, expected, "users compromised");
}

TEST(WorldCompromised, ARegionIsEveryNodeInIt) {
    Simulation w(compromised_spec("region: eu-central", {"service_nodes.regions={eu-central: 1, na-east: 1}"}));
    std::size_t in_region = 0;
    const auto region = net::Topology::world().find("eu-central");
    for (std::size_t i = 0; i < w.world().service_node_count(); ++i) {
        const bool inside = w.world().network().region(w.world().service_node_host(i).id()) == *region;
        in_region += inside ? 1 : 0;
        EXPECT_EQ(w.adversary<adversary::CompromisedNodesAdversary>().holds(w.world().service_node(i).ed25519()), inside) << i;
    }
    EXPECT_GT(in_region, 0u);
    EXPECT_LT(in_region, w.world().service_node_count());
}

TEST(WorldCompromised, AStakeBuysWholeNodesOrMoreAsAnOperator) {
    // 30 nodes; 25,000 SENT per node (spec session-network §1.2).
    const auto held = [](const Simulation& w) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < w.world().service_node_count(); ++i) n += w.adversary<adversary::CompromisedNodesAdversary>().holds(w.world().service_node(i).ed25519()) ? 1 : 0;
        return n;
    };
    EXPECT_EQ(held(Simulation(compromised_spec("stake: 110000"))), 4u);                         // floor(110000 / 25000)
    EXPECT_EQ(held(Simulation(compromised_spec("stake: 110000, operator_share: 0.25"))), 17u);  // floor(110000 / 6250)
    EXPECT_EQ(held(Simulation(compromised_spec("stake: 100, staking_requirement: 15"))), 6u);   // floor(100 / 15)
    EXPECT_EQ(held(Simulation(compromised_spec("stake: 1e9"))), 30u);                           // at most every node
    try {
        (void)compromised_spec("fraction: 0.1, operator_share: 0.5");
        ADD_FAILURE() << "loaded";
    } catch (const ScenarioErrors& e) {
        EXPECT_NE(std::string(e.what()).find("expected operator_share only with stake"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace sessionsim::scenario
