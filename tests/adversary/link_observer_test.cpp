// The link observer's taps: which datagrams a tapped region (with and without transit), a tapped
// inter-region link or a tapped access link sees, on a line topology a - b - c - d.
#include "sim/adversary/link_observer/link_tap.hpp"

#include <gtest/gtest.h>

#include "sim/core/engine.hpp"
#include "sim/net/network.hpp"

namespace sessionsim::adversary {
namespace {

using namespace std::chrono_literals;

struct Line {
    Line()
        : topology({{"a", 1ms}, {"b", 1ms}, {"c", 1ms}, {"d", 1ms}},
                   {{"a", "b", 10ms}, {"b", "c", 10ms}, {"c", "d", 10ms}}),
          network(engine, topology) {
        for (const char* name : {"a", "b", "c", "d"}) {
            hosts.push_back(network.add_host(net::HostSpec{*topology.find(name), {}, std::nullopt},
                                             [this](net::Datagram&& d) { received.push_back(d.payload.size()); }));
        }
    }
    net::RegionId r(const char* name) const { return *topology.find(name); }
    Engine engine{1};
    net::Topology topology;
    net::Network network;
    std::vector<net::HostId> hosts;  // one per region, in order a, b, c, d
    std::vector<std::size_t> received;
};

TEST(LinkObserver, ARegionSeesWhatStartsOrEndsThereAndWithTransitWhatCrossesIt) {
    Line w;
    const LinkObserver transit(w.network, {w.r("b")}, true, {});
    const LinkObserver local(w.network, {w.r("b")}, false, {});
    const auto& h = w.hosts;
    EXPECT_TRUE(transit.observes(h[0], h[2]));   // a -> c crosses b
    EXPECT_TRUE(transit.observes(h[3], h[0]));   // d -> a crosses b
    EXPECT_FALSE(transit.observes(h[2], h[3]));  // c -> d does not
    EXPECT_TRUE(local.observes(h[0], h[1]));     // ends in b
    EXPECT_FALSE(local.observes(h[0], h[2]));    // only crosses b
    EXPECT_FALSE(local.observes(h[2], h[2]));
}

TEST(LinkObserver, ALinkSeesTheRoutesOverItInBothDirections) {
    Line w;
    const LinkObserver link(w.network, {}, true, {{w.r("d"), w.r("c")}});
    const auto& h = w.hosts;
    EXPECT_TRUE(link.observes(h[0], h[3]));
    EXPECT_TRUE(link.observes(h[3], h[1]));
    EXPECT_FALSE(link.observes(h[0], h[2]));
    EXPECT_FALSE(link.observes(h[3], h[3]));  // inside d: no inter-region link
}

TEST(LinkObserver, AnAccessTapSeesOnlyItsHostAndRecordsItsEntriesWithSizes) {
    Line w;
    LinkObserver tap(w.network, {}, true, {});
    const auto& h = w.hosts;
    tap.tap_host(h[0]);
    tap.tap_host(h[0]);  // counted once
    tap.set_candidate(h[0], 7);
    tap.set_candidate(h[2], 9);  // a candidate whose link is not tapped
    EXPECT_EQ(tap.hosts_tapped(), 1u);
    EXPECT_TRUE(tap.observes(h[0], h[3]));
    EXPECT_TRUE(tap.observes(h[3], h[0]));
    EXPECT_FALSE(tap.observes(h[2], h[3]));
    w.network.add_interceptor(tap);
    w.network.send(net::Datagram{h[0], h[3], net::Bytes(100)});
    w.engine.run();
    EXPECT_EQ(tap.last_delivery().size, 100u);
    EXPECT_TRUE(tap.last_delivery().observed);
    w.network.send(net::Datagram{h[2], h[3], net::Bytes(50)});
    w.engine.run();
    EXPECT_EQ(tap.last_delivery().size, 50u);  // not seen, but still the last one delivered
    EXPECT_FALSE(tap.last_delivery().observed);
    w.network.send(net::Datagram{h[3], h[0], net::Bytes(30)});
    w.engine.run();
    ASSERT_EQ(w.received.size(), 3u);  // observing never drops
    EXPECT_EQ(tap.datagrams_seen(), 3u);
    EXPECT_EQ(tap.datagrams_observed(), 2u);
    EXPECT_EQ(tap.bytes_observed(), 130u);
    ASSERT_EQ(tap.entries().size(), 1u);  // h[3] is no candidate; h[2]'s send was not seen
    EXPECT_EQ(tap.entries()[0].candidate, 7u);
    EXPECT_EQ(tap.entries()[0].size, 100u);
    EXPECT_EQ(tap.last_delivery().size, 30u);
    EXPECT_TRUE(tap.last_delivery().observed);
}

TEST(LinkObserver, RejectsRegionsOutsideTheTopology) {
    Line w;
    EXPECT_THROW(LinkObserver(w.network, {net::RegionId{4}}, true, {}), std::invalid_argument);
    EXPECT_THROW(LinkObserver(w.network, {}, true, {{net::RegionId{0}, net::RegionId{9}}}), std::invalid_argument);
}

}  // namespace
}  // namespace sessionsim::adversary
