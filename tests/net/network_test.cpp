#include "sim/net/network.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/stats.hpp"

namespace sessionsim::net {
namespace {

using namespace std::chrono_literals;

Bytes bytes(std::size_t n, std::byte fill = std::byte{0xAB}) { return Bytes(n, fill); }

/// Two regions 40 ms apart (one way), 2 ms inside each.
Topology two_regions() {
    return Topology({{"here", 2ms}, {"there", 2ms}}, {{"here", "there", 40ms}});
}

struct Received {
    SimTime at;
    Datagram datagram;
};

class NetworkTest : public ::testing::Test {
  protected:
    Engine engine{1};
    Topology topology = two_regions();
    Network network{engine, topology};
    std::vector<Received> received;

    HostId host(RegionId region, AccessLink link = {}) {
        return network.add_host(HostSpec{region, link, std::nullopt}, [this](Datagram&& d) {
            received.push_back(Received{engine.now(), std::move(d)});
        });
    }
};

TEST_F(NetworkTest, DeliveryTimeFollowsTheFormula) {
    AccessLink a_link;
    a_link.up_bps = 8e6;  // 1 MB/s: 1,000 bytes take 1 ms
    a_link.access_delay = 3ms;
    AccessLink b_link;
    b_link.down_bps = 4e6;  // 2 ms per 1,000 bytes
    b_link.access_delay = 7ms;
    const HostId a = host(RegionId{0}, a_link);
    const HostId b = host(RegionId{1}, b_link);
    engine.schedule_at(SIM_EPOCH + 1s, [&] { network.send(Datagram{a, b, bytes(1000)}); });
    engine.run();
    ASSERT_EQ(received.size(), 1u);
    // serialisation up 1 ms + base 40 ms + access 3 + 7 ms + serialisation down 2 ms
    EXPECT_EQ(received[0].at, SIM_EPOCH + 1s + 1ms + 40ms + 10ms + 2ms);
    EXPECT_EQ(network.propagation(a, b), 50ms);
    EXPECT_EQ(received[0].datagram.from, a);
    EXPECT_EQ(received[0].datagram.payload.size(), 1000u);
    EXPECT_EQ(network.stats().delivered, 1u);
    EXPECT_EQ(network.stats().bytes_delivered, 1000u);
    EXPECT_EQ(network.stats().in_flight(), 0u);
}

TEST_F(NetworkTest, ANewConnectionWaitsForItsHandshakeRoundTrips) {
    // A datagram that opens a TCP + TLS connection (2 round trips) leaves after them: each adds
    // twice the 50 ms propagation.
    AccessLink a_link;
    a_link.access_delay = 3ms;
    a_link.up_bps = 0;  // unlimited: no serialisation
    AccessLink b_link;
    b_link.access_delay = 7ms;
    b_link.down_bps = 0;
    const HostId a = host(RegionId{0}, a_link);
    const HostId b = host(RegionId{1}, b_link);
    engine.schedule_at(SIM_EPOCH + 1s, [&] {
        network.send(Datagram{a, b, bytes(10), 2});
        network.send(Datagram{a, b, bytes(10), 0});
    });
    engine.run();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].at, SIM_EPOCH + 1s + 50ms);              // the open connection
    EXPECT_EQ(received[1].at, SIM_EPOCH + 1s + 2 * 100ms + 50ms);  // the new one
}

TEST_F(NetworkTest, SameRegionUsesTheIntraRegionLatency) {
    AccessLink unlimited;
    unlimited.up_bps = unlimited.down_bps = 0;
    const HostId a = host(RegionId{0}, unlimited);
    const HostId b = host(RegionId{0}, unlimited);
    network.send(Datagram{a, b, bytes(10)});
    engine.run();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].at, SIM_EPOCH + 2ms);
}

TEST_F(NetworkTest, UplinkIsAFifoQueue) {
    AccessLink slow;
    slow.up_bps = 8e6;  // 1 ms per 1,000 bytes
    slow.down_bps = 0;
    AccessLink fast;
    fast.up_bps = fast.down_bps = 0;
    const HostId a = host(RegionId{0}, slow);
    const HostId b = host(RegionId{1}, fast);
    for (int i = 0; i < 3; ++i) network.send(Datagram{a, b, bytes(1000 * (i + 1))});
    engine.run();
    ASSERT_EQ(received.size(), 3u);
    // Departures at 1, 1+2 and 1+2+3 ms; each then 40 ms of propagation.
    EXPECT_EQ(received[0].at, SIM_EPOCH + 1ms + 40ms);
    EXPECT_EQ(received[1].at, SIM_EPOCH + 3ms + 40ms);
    EXPECT_EQ(received[2].at, SIM_EPOCH + 6ms + 40ms);
    // A later send after the queue drained starts at once.
    engine.schedule_at(SIM_EPOCH + 1s, [&] { network.send(Datagram{a, b, bytes(1000)}); });
    engine.run();
    EXPECT_EQ(received[3].at, SIM_EPOCH + 1s + 1ms + 40ms);
}

TEST_F(NetworkTest, DownlinkQueuesInOrderOfArrival) {
    AccessLink sender;
    sender.up_bps = sender.down_bps = 0;
    AccessLink receiver;
    receiver.up_bps = 0;
    receiver.down_bps = 8e6;  // 1 ms per 1,000 bytes
    const HostId far = host(RegionId{1}, sender);
    const HostId near = host(RegionId{0}, sender);
    const HostId r = host(RegionId{0}, receiver);
    network.send(Datagram{far, r, bytes(1000)});   // arrives at 40 ms
    network.send(Datagram{near, r, bytes(1000)});  // arrives at 2 ms, sent second
    engine.run();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].datagram.from, near);
    EXPECT_EQ(received[0].at, SIM_EPOCH + 2ms + 1ms);
    EXPECT_EQ(received[1].at, SIM_EPOCH + 40ms + 1ms);
    // Two arriving together: the second waits for the first.
    received.clear();
    engine.schedule_at(SIM_EPOCH + 1s, [&] {
        network.send(Datagram{near, r, bytes(1000)});
        network.send(Datagram{near, r, bytes(1000)});
    });
    engine.run();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].at, SIM_EPOCH + 1s + 2ms + 1ms);
    EXPECT_EQ(received[1].at, SIM_EPOCH + 1s + 2ms + 2ms);
}

TEST_F(NetworkTest, DropTailBeyondTheQueueLimitIsCounted) {
    AccessLink limited;
    limited.up_bps = 8e6;
    limited.queue_limit_bytes = 2500;
    const HostId a = host(RegionId{0}, limited);
    const HostId b = host(RegionId{1});
    for (int i = 0; i < 5; ++i) network.send(Datagram{a, b, bytes(1000)});
    engine.run();
    EXPECT_EQ(received.size(), 2u);  // 1000 + 1000 fit, the third would make 3000 > 2500
    EXPECT_EQ(network.stats().dropped_queue_full, 3u);
    EXPECT_EQ(network.stats().in_flight(), 0u);
}

TEST_F(NetworkTest, PayloadMovesWithoutCopy) {
    const HostId a = host(RegionId{0});
    const HostId b = host(RegionId{1});
    Bytes payload = bytes(4096);
    const std::byte* original = payload.data();
    network.send(Datagram{a, b, std::move(payload)});
    engine.run();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].datagram.payload.data(), original);
}

TEST_F(NetworkTest, LossRateMatchesBothLinks) {
    AccessLink lossy_a;
    lossy_a.loss = 0.1;
    AccessLink lossy_b;
    lossy_b.loss = 0.05;
    const HostId a = host(RegionId{0}, lossy_a);
    const HostId b = host(RegionId{1}, lossy_b);
    constexpr std::size_t N = 100'000;
    for (std::size_t i = 0; i < N; ++i) {
        engine.schedule_at(SIM_EPOCH + std::chrono::microseconds(i * 100), [&] { network.send(Datagram{a, b, bytes(1)}); });
    }
    engine.run();
    const double p = 0.9 * 0.95;
    const double ratio = static_cast<double>(received.size()) / N;
    EXPECT_NEAR(ratio, p, testing::mean_tolerance(std::sqrt(p * (1 - p)), N));
    EXPECT_EQ(network.stats().lost + network.stats().delivered, N);
}

TEST_F(NetworkTest, JitterAddsItsMeanDelay) {
    AccessLink jittery;
    jittery.up_bps = jittery.down_bps = 0;
    jittery.jitter = Distribution::exponential(10.0);
    AccessLink steady;
    steady.up_bps = steady.down_bps = 0;
    const HostId a = host(RegionId{0}, jittery);
    const HostId b = host(RegionId{1}, steady);
    constexpr std::size_t N = 50'000;
    std::vector<SimTime> sent_at;
    for (std::size_t i = 0; i < N; ++i) {
        const SimTime at = SIM_EPOCH + std::chrono::milliseconds(i);
        sent_at.push_back(at);
        engine.schedule_at(at, [&network = network, a, b] { network.send(Datagram{a, b, Bytes(1)}); });
    }
    engine.run();
    ASSERT_EQ(received.size(), N);
    // Jitter may reorder datagrams, so compare sums: sum(arrival) - sum(send) - N * base.
    SimDuration minimum = SimDuration::max();
    double sum_arrival = 0, sum_send = 0;
    for (const auto& r : received) {
        sum_arrival += to_seconds(r.at);
        minimum = std::min(minimum, r.at - SIM_EPOCH);
    }
    for (const auto& s : sent_at) sum_send += to_seconds(s);
    const double extra_sum = sum_arrival - sum_send - static_cast<double>(N) * 0.040;
    const double mean_extra_ms = extra_sum / N * 1e3;
    EXPECT_NEAR(mean_extra_ms, 10.0, testing::mean_tolerance(10.0, N));
    EXPECT_GE(minimum, 40ms);
}

TEST_F(NetworkTest, DetachDropsInFlightDatagramsEvenAfterReattach) {
    const HostId a = host(RegionId{0});
    const HostId b = host(RegionId{1});
    network.send(Datagram{a, b, bytes(100)});                                   // in flight to b
    engine.schedule_at(SIM_EPOCH + 10ms, [&] { network.detach(b); });
    engine.schedule_at(SIM_EPOCH + 20ms, [&] {
        network.attach(b, [this](Datagram&& d) { received.push_back(Received{engine.now(), std::move(d)}); });
        network.send(Datagram{a, b, bytes(200)});                               // to the new b
    });
    engine.run();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].datagram.payload.size(), 200u);
    EXPECT_EQ(network.stats().dropped_detached, 1u);
    EXPECT_EQ(network.address(b), network.address(b));
    // A detached host cannot send.
    network.detach(a);
    network.send(Datagram{a, b, bytes(1)});
    EXPECT_EQ(network.stats().dropped_sender_detached, 1u);
    EXPECT_FALSE(network.online(a));
}

TEST_F(NetworkTest, AReceiverMayDetachItsOwnHost) {
    const HostId a = host(RegionId{0});
    HostId b{};
    int calls = 0;
    b = network.add_host(HostSpec{RegionId{1}, {}, std::nullopt}, [&](Datagram&&) {
        ++calls;
        network.detach(b);
        network.attach(b, [&](Datagram&&) { calls += 100; });
    });
    network.send(Datagram{a, b, bytes(1)});
    engine.run();
    network.send(Datagram{a, b, bytes(1)});
    engine.run();
    EXPECT_EQ(calls, 101);
}

struct Recorder : Interceptor {
    std::vector<std::string> seen;
    Verdict verdict = Verdict::deliver;
    SimDuration delay{};
    bool tamper = false;
    Verdict on_send(InFlight& p) override {
        seen.push_back("send " + p.from_address.to_string() + ">" + p.to_address.to_string() + " " +
                       std::to_string(p.datagram.payload.size()) + " at " + format_time(p.now));
        p.extra_delay += delay;
        if (tamper) p.datagram.payload[0] = std::byte{0};
        return verdict;
    }
    void on_deliver(SimTime now, const Datagram& d) override {
        seen.push_back("deliver " + std::to_string(d.payload.size()) + " at " + format_time(now));
    }
};

TEST_F(NetworkTest, InterceptorsSeeDelayAlterAndDrop) {
    AccessLink unlimited;
    unlimited.up_bps = unlimited.down_bps = 0;
    const HostId a = host(RegionId{0}, unlimited);
    const HostId b = host(RegionId{1}, unlimited);
    Recorder tap;
    tap.delay = 5ms;
    tap.tamper = true;
    network.add_interceptor(tap);
    network.send(Datagram{a, b, bytes(64)});
    engine.run();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].at, SIM_EPOCH + 40ms + 5ms);
    EXPECT_EQ(received[0].datagram.payload[0], std::byte{0});
    const std::string from = network.address(a).to_string(), to = network.address(b).to_string();
    EXPECT_EQ(tap.seen, (std::vector<std::string>{"send " + from + ">" + to + " 64 at 0.000000000",
                                                  "deliver 64 at 0.045000000"}));
    Recorder dropper;
    dropper.verdict = Verdict::drop;
    Recorder after;
    network.add_interceptor(dropper);
    network.add_interceptor(after);
    network.send(Datagram{a, b, bytes(8)});
    engine.run();
    EXPECT_EQ(received.size(), 1u);
    EXPECT_EQ(network.stats().dropped_by_interceptor, 1u);
    EXPECT_TRUE(after.seen.empty());  // a drop ends the chain
    network.remove_interceptor(dropper);
    network.send(Datagram{a, b, bytes(8)});
    engine.run();
    EXPECT_EQ(received.size(), 2u);
}

TEST_F(NetworkTest, SendToUnknownHostIsCounted) {
    const HostId a = host(RegionId{0});
    network.send(Datagram{a, HostId{999}, bytes(1)});
    EXPECT_EQ(network.stats().dropped_unknown_host, 1u);
    EXPECT_EQ(network.stats().in_flight(), 0u);
}

TEST_F(NetworkTest, HostsGetAddressesInTheirRegionsBlock) {
    std::set<std::uint32_t> seen;
    for (int i = 0; i < 600; ++i) {
        const RegionId region{static_cast<std::uint32_t>(i % 2)};
        const HostId h = host(region);
        const Ipv4Address addr = network.address(h);
        EXPECT_TRUE(seen.insert(addr.value).second) << addr.to_string();
        EXPECT_EQ(AddressAllocator::region_of(addr), region);
        EXPECT_EQ(network.host_at(addr), h);
    }
    // 300 hosts per region spread over several /24s.
    std::set<std::uint32_t> subnets;
    for (auto v : seen) subnets.insert(Ipv4Address{v}.subnet24().prefix);
    EXPECT_GT(subnets.size(), 20u);
    EXPECT_THROW(network.add_host(HostSpec{RegionId{7}, {}, std::nullopt}, [](Datagram&&) {}), TopologyError);
    const Ipv4Address taken = network.address(HostId{0});
    EXPECT_THROW(network.add_host(HostSpec{RegionId{0}, {}, taken}, [](Datagram&&) {}), AddressError);
}

std::string run_for_fingerprint(std::uint64_t seed) {
    Engine engine(seed);
    const Topology topology = Topology::world();
    Network network(engine, topology);
    AccessLink link;
    link.jitter = Distribution::lognormal(5, 0.5);
    link.loss = 0.01;
    std::vector<HostId> hosts;
    for (std::uint32_t i = 0; i < 50; ++i) {
        hosts.push_back(network.add_host(HostSpec{RegionId{i % 11}, link, std::nullopt}, [&](Datagram&& d) {
            engine.fingerprint().add_value(d.payload.size());
            if (d.payload.size() > 1) network.send(Datagram{d.to, d.from, Bytes(d.payload.size() - 1)});
        }));
    }
    for (std::uint32_t i = 0; i < 50; ++i) network.send(Datagram{hosts[i], hosts[(i * 7 + 3) % 50], Bytes(100)});
    engine.run_until(SIM_EPOCH + 60s);
    return engine.fingerprint().hex() + "/" + std::to_string(network.stats().delivered);
}

TEST(NetworkDeterminism, SameSeedSameRunDifferentSeedDifferentRun) {
    const std::string a = run_for_fingerprint(11);
    EXPECT_EQ(a, run_for_fingerprint(11));
    EXPECT_NE(a, run_for_fingerprint(12));
}

}  // namespace
}  // namespace sessionsim::net
