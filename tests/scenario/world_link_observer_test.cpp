// Link observers from the scenario: what the taps see on the real network, that size matching
// never loses the true sender when every link is tapped, and the loader's errors.
#include <gtest/gtest.h>

#include <set>

#include "sim/scenario/simulation.hpp"
#include "sim/adversary/churn/churn_adversary.hpp"
#include "sim/adversary/compromised/compromised_adversary.hpp"
#include "sim/adversary/link_observer/link_observer_adversary.hpp"
#include "sim/adversary/spam/spam_adversary.hpp"
#include "sim/scenario/yaml_loader.hpp"

namespace sessionsim::scenario {
namespace {

ScenarioSpec observer_spec(const std::string& adversary, std::vector<std::string> more = {}) {
    more.push_back("adversaries=[{type: link_observer, " + adversary + "}]");
    return load_scenario(std::filesystem::path(SCENARIO_TEST_DIR) / "e2e_small.yaml", more);
}

const char* ALL_REGIONS =
    "regions: [na-east, na-west, sa-east, eu-west, eu-central, eu-east, af-south, ap-south, ap-southeast, "
    "ap-northeast, oceania]";

TEST(WorldLinkObserver, TappingEveryRegionSeesEverythingAndSizeMatchingKeepsTheTruth) {
    Simulation w(observer_spec(ALL_REGIONS));
    w.run();
    const auto s = w.summary()["link_observer"];
    EXPECT_EQ(s["datagrams_observed"], s["datagrams_sent"]);
    EXPECT_EQ(s["stores_observed"], s["stores"]);
    const auto timing = s["timing"], sized = s["timing_and_size"];
    ASSERT_GT(timing["targets"].get<std::uint64_t>(), 20u);
    // Every true sender's onion request entered the network within the window before its store,
    // and it is larger than the store's last hop by exactly the three outer layers: with every
    // link tapped the truth is always scored, by timing alone and with the default size window.
    EXPECT_EQ(timing["targets_with_truth_scored"], timing["targets"]);
    EXPECT_EQ(sized["targets_with_truth_scored"], sized["targets"]);
    // Size matching only removes candidates: smaller sets, no less accuracy on average.
    EXPECT_LT(sized["mean_anonymity_set_size"].get<double>(), timing["mean_anonymity_set_size"].get<double>());
    EXPECT_LT(sized["mean_entropy_bits"].get<double>(), timing["mean_entropy_bits"].get<double>());
    EXPECT_GE(sized["top1_accuracy"].get<double>(), timing["top1_accuracy"].get<double>());
}

TEST(WorldLinkObserver, AWrongSizeWindowLosesTheTruth) {
    // The same world with a window 100 bytes off: no true entry fits, so the truth is never scored.
    Simulation w(observer_spec(std::string(ALL_REGIONS) + ", layers_bytes: [800, 820]"));
    w.run();
    const auto sized = w.summary()["link_observer"]["timing_and_size"];
    ASSERT_GT(sized["targets"].get<std::uint64_t>(), 0u);
    EXPECT_EQ(sized["targets_with_truth_scored"].get<std::uint64_t>(), 0u);
}

TEST(WorldLinkObserver, ATransitRegionSeesRoutesAcrossIt) {
    // The world map's first pair of regions whose shortest route crosses a third: clients in
    // one, service nodes in the other, the tap on the region between.
    const net::Topology world = net::Topology::world();
    std::vector<net::RegionId> route;
    for (std::uint32_t i = 0; i < world.region_count() && route.size() < 3; ++i) {
        for (std::uint32_t j = 0; j < world.region_count() && route.size() < 3; ++j) {
            route = world.route(net::RegionId{i}, net::RegionId{j});
        }
    }
    ASSERT_GE(route.size(), 3u);
    const std::string from = world.name(route.front()), to = world.name(route.back()), via = world.name(route[1]);
    const std::vector<std::string> placement{"clients.regions={" + from + ": 1}", "service_nodes.regions={" + to + ": 1}",
                                             "duration=90s"};
    Simulation transit(observer_spec("regions: " + via + ", transit: true", placement));
    transit.run();
    Simulation local(observer_spec("regions: " + via + ", transit: false", placement));
    local.run();
    const auto t = transit.summary()["link_observer"], l = local.summary()["link_observer"];
    // With transit it sees every client's traffic and nothing among the service nodes.
    EXPECT_GT(t["entries_seen"].get<std::uint64_t>(), 100u) << from << " -> " << via << " -> " << to;
    EXPECT_EQ(t["stores_observed"].get<std::uint64_t>(), 0u);
    EXPECT_LT(t["share_of_datagrams_observed"].get<double>(), 1.0);
    // Without transit nothing starts or ends in the tapped region.
    EXPECT_EQ(l["datagrams_observed"].get<std::uint64_t>(), 0u);
    EXPECT_EQ(l["entries_seen"].get<std::uint64_t>(), 0u);
}

TEST(WorldLinkObserver, AccessTapsSeeExactlyTheirClientsEntries) {
    Simulation w(observer_spec("client_access_share: 0.25"));
    w.run();
    const auto* obs = w.adversary<adversary::LinkObserverAdversary>().tap();
    ASSERT_NE(obs, nullptr);
    EXPECT_EQ(obs->hosts_tapped(), 10u);  // round(0.25 × 40)
    std::set<std::uint32_t> senders;
    for (const auto& e : obs->entries()) senders.insert(e.candidate);
    EXPECT_EQ(senders.size(), 10u);  // every tapped client sent, and no one else was seen
    std::size_t tapped = 0;
    for (std::size_t u = 0; u < w.world().client_count(); ++u) {
        const net::HostId host = w.world().client_host(u).id();
        tapped += obs->host_tapped(host) ? 1 : 0;
        EXPECT_EQ(obs->host_tapped(host), senders.contains(static_cast<std::uint32_t>(u))) << "client " << u;
    }
    EXPECT_EQ(tapped, 10u);
}

TEST(WorldLinkObserver, SameSeedSameFigures) {
    Simulation a(observer_spec("regions: [eu-central], client_access_share: 0.1", {"duration=90s"}));
    a.run();
    Simulation b(observer_spec("regions: [eu-central], client_access_share: 0.1", {"duration=90s"}));
    b.run();
    EXPECT_EQ(a.summary()["link_observer"].dump(), b.summary()["link_observer"].dump());
    EXPECT_EQ(a.world().engine().fingerprint().hex(), b.world().engine().fingerprint().hex());
}

std::string load_error(const std::string& adversary) {
    try {
        (void)observer_spec(adversary);
    } catch (const ScenarioErrors& e) {
        return e.what();
    }
    return "(loaded)";
}

TEST(WorldLinkObserver, TheLoaderNamesBadTaps) {
    EXPECT_NE(load_error("regions: [eu-centrl]").find("did you mean 'eu-central'"), std::string::npos);
    EXPECT_NE(load_error("transit: true").find("expected at least one tap"), std::string::npos);
    EXPECT_NE(load_error("links: [[na-east]]").find("expected a pair of region names"), std::string::npos);
    EXPECT_NE(load_error("regions: eu-west, client_access_share: 2").find("client_access_share"), std::string::npos);
    EXPECT_NE(load_error("regions: eu-west, layers_bytes: [720, 700]").find("expected min <= max"), std::string::npos);
    EXPECT_EQ(load_error("links: [[na-east, eu-west]], window: 1s"), "(loaded)");
}

}  // namespace
}  // namespace sessionsim::scenario

namespace sessionsim::scenario {
namespace {

ScenarioSpec observers_spec(const std::string& adversaries) {
    return load_scenario(std::filesystem::path(SCENARIO_TEST_DIR) / "e2e_small.yaml",
                         {"adversaries=" + adversaries, "duration=2min"});
}

TEST(WorldLinkObserver, TwoObserversRunSideBySideAndEachReportsWhatItAloneWouldHave) {
    // Passive taps change nothing in the world, so two of them in one run see exactly what each
    // sees in a run of its own; each reports under its own name (which also names its random
    // streams: the same name draws the same tapped access links).
    Simulation west(observers_spec("[{type: link_observer, regions: [eu-west]}]"));
    Simulation east(observers_spec("[{type: link_observer, name: east, regions: [na-east], client_access_share: 0.2}]"));
    Simulation both(observers_spec("[{type: link_observer, regions: [eu-west]}, "
                                   "{type: link_observer, name: east, regions: [na-east], client_access_share: 0.2}]"));
    for (Simulation* s : {&west, &east, &both}) s->run();
    const auto w = west.summary(), e = east.summary(), b = both.summary();
    ASSERT_TRUE(b.contains("link_observer"));
    ASSERT_TRUE(b.contains("east"));
    EXPECT_FALSE(b.contains("link_observer_2"));
    EXPECT_EQ(b["link_observer"], w["link_observer"]);
    EXPECT_EQ(b["east"], e["east"]);
    EXPECT_NE(b["link_observer"]["datagrams_observed"], b["east"]["datagrams_observed"]);
    EXPECT_GT(b["east"]["stores_observed"].get<std::uint64_t>(), 0u);
    EXPECT_EQ(b["messages_delivered"], w["messages_delivered"]);
    EXPECT_EQ(both.adversary<adversary::LinkObserverAdversary>(1).name(), "east");
    EXPECT_EQ(both.adversary<adversary::LinkObserverAdversary>(1).tap()->hosts_tapped(),
              east.adversary<adversary::LinkObserverAdversary>().tap()->hosts_tapped());
    // Another name, other streams: another subset of access links.
    Simulation renamed(observers_spec("[{type: link_observer, name: other, regions: [na-east], client_access_share: 0.2}]"));
    renamed.run();
    EXPECT_NE(renamed.summary()["other"]["entries_seen"], e["east"]["entries_seen"]);
}

}  // namespace
}  // namespace sessionsim::scenario
