#include "sim/net/topology.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "sim/net/address_allocator.hpp"
#include "sim/net/ipv4.hpp"

namespace sessionsim::net {
namespace {

using namespace std::chrono_literals;

TEST(Topology, BaseLatencyIsTheShortestPath) {
    // a --10-- b --20-- c, and a direct a--c link of 50: a->c goes through b (30).
    const Topology t({{"a", 1ms}, {"b", 0ms}, {"c", 0ms}}, {{"a", "b", 10ms}, {"b", "c", 20ms}, {"a", "c", 50ms}});
    const RegionId a = *t.find("a"), b = *t.find("b"), c = *t.find("c");
    EXPECT_EQ(t.latency(a, c), 30ms);
    EXPECT_EQ(t.latency(c, a), 30ms);
    EXPECT_EQ(t.latency(a, b), 10ms);
    EXPECT_EQ(t.latency(a, a), 1ms);  // intra-region
    EXPECT_FALSE(t.find("d").has_value());
}

TEST(Topology, RouteFollowsTheShortestPath) {
    // Same graph: a->c crosses b (30 ms) rather than the direct 50 ms link.
    const Topology t({{"a", 1ms}, {"b", 0ms}, {"c", 0ms}, {"d", 0ms}},
                     {{"a", "b", 10ms}, {"b", "c", 20ms}, {"a", "c", 50ms}, {"c", "d", 5ms}});
    const RegionId a = *t.find("a"), b = *t.find("b"), c = *t.find("c"), d = *t.find("d");
    EXPECT_EQ(t.route(a, c), (std::vector<RegionId>{a, b, c}));
    EXPECT_EQ(t.route(d, a), (std::vector<RegionId>{d, c, b, a}));
    EXPECT_EQ(t.route(b, b), (std::vector<RegionId>{b}));
    // Its latency is the sum of the links it crosses.
    EXPECT_EQ(t.latency(d, a), 35ms);
    EXPECT_THROW((void)t.route(a, RegionId{9}), TopologyError);
}

TEST(Topology, WorldRoutesAreConsistentWithLatencies) {
    const Topology w = Topology::world();
    for (std::uint32_t i = 0; i < w.region_count(); ++i) {
        for (std::uint32_t j = 0; j < w.region_count(); ++j) {
            const auto path = w.route(RegionId{i}, RegionId{j});
            ASSERT_FALSE(path.empty());
            EXPECT_EQ(path.front(), RegionId{i});
            EXPECT_EQ(path.back(), RegionId{j});
            if (i == j) {
                EXPECT_EQ(path.size(), 1u);
                continue;
            }
            SimDuration sum{};
            for (std::size_t k = 1; k < path.size(); ++k) sum += w.latency(path[k - 1], path[k]);
            EXPECT_EQ(sum, w.latency(RegionId{i}, RegionId{j}));
        }
    }
}

TEST(Topology, WorldMapIsConnectedSymmetricAndMetric) {
    const Topology w = Topology::world();
    ASSERT_EQ(w.region_count(), 11u);
    for (std::uint32_t i = 0; i < 11; ++i) {
        for (std::uint32_t j = 0; j < 11; ++j) {
            const SimDuration ij = w.latency(RegionId{i}, RegionId{j});
            EXPECT_EQ(ij, w.latency(RegionId{j}, RegionId{i}));
            if (i != j) {
                EXPECT_GT(ij, 5ms);
                EXPECT_LT(ij, 200ms);  // no pair of regions is more than 400 ms RTT apart
            }
            for (std::uint32_t k = 0; k < 11; ++k) {
                if (i == j || j == k || i == k) continue;
                EXPECT_LE(ij, w.latency(RegionId{i}, RegionId{k}) + w.latency(RegionId{k}, RegionId{j}));
            }
        }
    }
    // Known magnitudes: London-Frankfurt is short, New York-London transatlantic.
    EXPECT_EQ(w.latency(*w.find("eu-west"), *w.find("eu-central")), 7500us);
    EXPECT_EQ(w.latency(*w.find("na-east"), *w.find("eu-west")), 37500us);
}

TEST(Topology, RejectsBadGraphs) {
    EXPECT_THROW(Topology({}, {}), TopologyError);
    EXPECT_THROW(Topology({{"a", 0ms}, {"a", 0ms}}, {}), TopologyError);
    EXPECT_THROW(Topology({{"a", 0ms}}, {{"a", "zz", 1ms}}), TopologyError);
    EXPECT_THROW(Topology({{"a", 0ms}, {"b", 0ms}}, {{"a", "b", -1ms}}), TopologyError);
    try {
        Topology({{"a", 0ms}, {"b", 0ms}, {"c", 0ms}}, {{"a", "b", 1ms}});
        FAIL();
    } catch (const TopologyError& e) {
        EXPECT_NE(std::string(e.what()).find("not connected; no path from 'a' to: c"), std::string::npos) << e.what();
    }
}

constexpr const char* GRAPHML_HEAD = R"(<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="n" for="node" attr.name="name" attr.type="string"/>
  <key id="i" for="node" attr.name="intra_latency_ms" attr.type="double"/>
  <key id="l" for="edge" attr.name="latency_ms" attr.type="double"/>
  <graph id="G" edgedefault="undirected">
)";

TEST(Topology, LoadsGraphml) {
    std::istringstream in(std::string(GRAPHML_HEAD) + R"(
    <node id="v0"><data key="n">AS1</data><data key="i">1.5</data></node>
    <node id="v1"><data key="n">AS2</data></node>
    <node id="v2"><data key="n">AS3</data></node>
    <edge source="v0" target="v1"><data key="l">12.5</data></edge>
    <edge source="v1" target="v2"><data key="l">7</data></edge>
  </graph>
</graphml>)");
    const Topology t = Topology::from_graphml(in, "test.graphml");
    ASSERT_EQ(t.region_count(), 3u);
    EXPECT_EQ(t.latency(*t.find("AS1"), *t.find("AS3")), 19500us);
    EXPECT_EQ(t.latency(*t.find("AS1"), *t.find("AS1")), 1500us);
    EXPECT_EQ(t.latency(*t.find("AS2"), *t.find("AS2")), 0ms);
}

TEST(Topology, GraphmlErrorsNameTheFileAndTheProblem) {
    auto error_of = [](const std::string& body) {
        std::istringstream in(std::string(GRAPHML_HEAD) + body + "</graph></graphml>");
        try {
            Topology::from_graphml(in, "bad.graphml");
        } catch (const TopologyError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error_of(R"(<node id="a"><data key="n">A</data></node><node id="b"><data key="n">B</data></node>
                          <edge source="a" target="b"/>)")
                  .find("bad.graphml: edge A -- B has no latency_ms"),
              std::string::npos);
    EXPECT_NE(error_of(R"(<node id="a"><data key="n">A</data></node><node id="b"><data key="n">B</data></node>)")
                  .find("bad.graphml: topology: not connected"),
              std::string::npos);
    EXPECT_NE(error_of(R"(<node id="a"/>)").find("bad.graphml: vertex 0 has no 'name'"), std::string::npos);
    std::istringstream garbage("this is not xml");
    EXPECT_THROW(Topology::from_graphml(garbage, "g"), TopologyError);
    EXPECT_THROW(Topology::from_graphml("/nonexistent/file.graphml"), TopologyError);
}

TEST(Ipv4, ParseAndFormat) {
    const auto a = Ipv4Address::parse("11.0.7.9");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->value, 0x0B000709u);
    EXPECT_EQ(a->to_string(), "11.0.7.9");
    EXPECT_EQ(a->subnet24().to_string(), "11.0.7.0/24");
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "a.b.c.d", "1..2.3", "1.2.3.0004"}) {
        EXPECT_FALSE(Ipv4Address::parse(bad).has_value()) << bad;
    }
}

TEST(AddressAllocator, RegionBlocksAndSubnets) {
    EXPECT_EQ(AddressAllocator::region_block(RegionId{0}).to_string(), "11.0.0.0");
    EXPECT_EQ(AddressAllocator::region_block(RegionId{257}).to_string(), "12.1.0.0");
    EXPECT_THROW(AddressAllocator::region_block(RegionId{AddressAllocator::MAX_REGIONS}), AddressError);
    EXPECT_EQ(AddressAllocator::region_of(*Ipv4Address::parse("12.1.3.4")), RegionId{257});
    EXPECT_FALSE(AddressAllocator::region_of(*Ipv4Address::parse("10.1.3.4")).has_value());
    AddressAllocator alloc;
    const Subnet24 subnet = Ipv4Address::parse("11.0.5.0")->subnet24();
    for (int i = 0; i < 254; ++i) EXPECT_EQ(alloc.allocate_in(subnet).subnet24(), subnet);
    EXPECT_THROW(alloc.allocate_in(subnet), AddressError);
    RandomStream rng(1);
    for (int i = 0; i < 1000; ++i) {
        const Ipv4Address a = alloc.allocate(RegionId{0}, rng);
        EXPECT_NE(a.subnet24(), subnet);
        EXPECT_EQ(AddressAllocator::region_of(a), RegionId{0});
    }
}

}  // namespace
}  // namespace sessionsim::net
