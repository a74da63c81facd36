// The active compromised-node interceptor alone (sim/adversary/compromised/active_compromise.hpp): what it
// does to the datagrams of the hosts it holds, its counts, its draws and its determinism, and
// (one test) on a real Network, where its drops are the network's dropped_by_interceptor.
#include "sim/adversary/compromised/active_compromise.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/net/network.hpp"
#include "sim/net/topology.hpp"
#include "tests/support/stats.hpp"

namespace sessionsim::adversary {
namespace {

using net::HostId;

constexpr HostId BAD{3};
constexpr HostId HONEST{1};
constexpr HostId CLIENT{9};

net::Bytes bytes_of(std::size_t n, std::uint8_t fill = 0x5a) { return net::Bytes(n, std::byte{fill}); }

/// One datagram through `interceptor`: the verdict, and the datagram and extra delay as left.
struct Result {
    net::Verdict verdict;
    net::Datagram datagram;
    SimDuration extra;
};
Result send(ActiveCompromise& interceptor, HostId from, HostId to, net::Bytes payload) {
    Result r{net::Verdict::deliver, net::Datagram{from, to, std::move(payload)}, {}};
    net::InFlight packet{SimTime{}, r.datagram, net::Ipv4Address{from.value}, net::Ipv4Address{to.value}, {}};
    r.verdict = interceptor.on_send(packet);
    r.extra = packet.extra_delay;
    return r;
}

ActiveCompromise make(ActiveBehaviour b, std::uint64_t seed = 42) {
    return ActiveCompromise(b, {BAD, HostId{5}}, RandomStream(seed),
                            [](const net::InFlight& p) { return p.datagram.to == CLIENT; });
}

std::size_t bytes_changed(const net::Bytes& a, const net::Bytes& b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i) n += a[i] != b[i] ? 1 : 0;
    return n;
}

TEST(ActiveCompromise, HonestHostsAreUntouchedAndDrawNothing) {
    ActiveBehaviour b;
    b.drop = 1;
    b.tamper = 1;
    b.delay = Distribution::exponential(50);
    auto a = make(b);
    for (int i = 0; i < 100; ++i) {
        const auto r = send(a, HONEST, HostId{2}, bytes_of(64));
        EXPECT_EQ(r.verdict, net::Verdict::deliver);
        EXPECT_EQ(r.extra, SimDuration::zero());
        EXPECT_EQ(bytes_changed(r.datagram.payload, bytes_of(64)), 0u);
    }
    EXPECT_EQ(a.counts().seen, 0u);
    EXPECT_TRUE(a.holds(BAD));
    EXPECT_FALSE(a.holds(HONEST));
    EXPECT_FALSE(a.holds(HostId{1000}));
    // Its stream was not touched: the first compromised datagram sees the same draws as in a
    // fresh interceptor.
    b.drop = 0;
    auto x = make(b), y = make(b);
    for (int i = 0; i < 10; ++i) (void)send(x, HONEST, BAD, bytes_of(8));
    const auto rx = send(x, BAD, HONEST, bytes_of(64));
    const auto ry = send(y, BAD, HONEST, bytes_of(64));
    EXPECT_EQ(rx.extra, ry.extra);
    EXPECT_EQ(rx.datagram.payload, ry.datagram.payload);
}

TEST(ActiveCompromise, TamperAltersExactlyOneByteAtAUniformPosition) {
    ActiveBehaviour b;
    b.tamper = 1;
    auto a = make(b);
    constexpr std::size_t SIZE = 8, N = 8000;
    std::vector<std::size_t> at(SIZE, 0);
    for (std::size_t i = 0; i < N; ++i) {
        const auto r = send(a, BAD, HONEST, bytes_of(SIZE));
        ASSERT_EQ(r.verdict, net::Verdict::deliver);
        ASSERT_EQ(bytes_changed(r.datagram.payload, bytes_of(SIZE)), 1u);
        for (std::size_t k = 0; k < SIZE; ++k) at[k] += r.datagram.payload[k] != std::byte{0x5a} ? 1 : 0;
    }
    EXPECT_EQ(a.counts().seen, N);
    EXPECT_EQ(a.counts().tampered, N);
    const std::vector<double> uniform(SIZE, 1.0 / SIZE);
    EXPECT_LT(testing::chi_square(at, uniform, N), testing::chi_square_critical(SIZE - 1));
    // An empty payload has nothing to alter: seen, not tampered.
    const auto empty = send(a, BAD, HONEST, {});
    EXPECT_EQ(empty.verdict, net::Verdict::deliver);
    EXPECT_EQ(a.counts().seen, N + 1);
    EXPECT_EQ(a.counts().tampered, N);
}

TEST(ActiveCompromise, DropShareIsBinomial) {
    for (const double p : {0.1, 0.5, 0.9}) {
        ActiveBehaviour b;
        b.drop = p;
        auto a = make(b, 7);
        constexpr std::size_t N = 20000;
        std::size_t dropped = 0;
        for (std::size_t i = 0; i < N; ++i) dropped += send(a, BAD, HONEST, bytes_of(16)).verdict == net::Verdict::drop ? 1 : 0;
        EXPECT_EQ(a.counts().dropped, dropped);
        EXPECT_EQ(a.counts().seen, N);
        const double sd = std::sqrt(p * (1 - p) / static_cast<double>(N));
        EXPECT_NEAR(static_cast<double>(dropped) / N, p, testing::Z * sd) << "p = " << p;
    }
}

TEST(ActiveCompromise, DelayIsAddedAndCounted) {
    ActiveBehaviour b;
    b.delay = Distribution::constant(200);
    auto a = make(b);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(send(a, BAD, HONEST, bytes_of(4)).extra, milliseconds(200));
    EXPECT_EQ(a.counts().delayed, 10u);
    EXPECT_EQ(a.counts().delay_added, milliseconds(2000));
    // Added to what an earlier interceptor set.
    net::Datagram d{BAD, HONEST, bytes_of(4)};
    net::InFlight packet{SimTime{}, d, {}, {}, milliseconds(5)};
    a.on_send(packet);
    EXPECT_EQ(packet.extra_delay, milliseconds(205));
}

TEST(ActiveCompromise, TargetSelectsClientsOrRelays) {
    ActiveBehaviour b;
    b.drop = 1;
    b.target = ActiveBehaviour::Target::clients;
    auto to_clients = make(b);
    EXPECT_EQ(send(to_clients, BAD, CLIENT, bytes_of(4)).verdict, net::Verdict::drop);
    EXPECT_EQ(send(to_clients, BAD, HONEST, bytes_of(4)).verdict, net::Verdict::deliver);
    EXPECT_EQ(to_clients.counts().seen, 1u);
    b.target = ActiveBehaviour::Target::relays;
    auto to_relays = make(b);
    EXPECT_EQ(send(to_relays, BAD, CLIENT, bytes_of(4)).verdict, net::Verdict::deliver);
    EXPECT_EQ(send(to_relays, BAD, HONEST, bytes_of(4)).verdict, net::Verdict::drop);
    EXPECT_EQ(to_relays.counts().seen, 1u);
}

TEST(ActiveCompromise, OneSeedOneOutcome) {
    ActiveBehaviour b;
    b.drop = 0.3;
    b.tamper = 0.3;
    b.delay = Distribution::exponential(20);
    auto run = [&](std::uint64_t seed) {
        auto a = make(b, seed);
        std::vector<Result> out;
        for (std::size_t i = 0; i < 500; ++i) out.push_back(send(a, i % 3 == 0 ? HONEST : BAD, HONEST, bytes_of(1 + i % 50)));
        return std::make_pair(out, a.counts());
    };
    const auto [r1, c1] = run(11);
    const auto [r2, c2] = run(11);
    const auto [r3, c3] = run(12);
    ASSERT_EQ(r1.size(), r2.size());
    bool any_difference = false;
    for (std::size_t i = 0; i < r1.size(); ++i) {
        EXPECT_EQ(r1[i].verdict, r2[i].verdict);
        EXPECT_EQ(r1[i].extra, r2[i].extra);
        EXPECT_EQ(r1[i].datagram.payload, r2[i].datagram.payload);
        any_difference = any_difference || r1[i].verdict != r3[i].verdict || r1[i].extra != r3[i].extra;
    }
    EXPECT_EQ(c1.seen, c2.seen);
    EXPECT_EQ(c1.dropped, c2.dropped);
    EXPECT_EQ(c1.tampered, c2.tampered);
    EXPECT_EQ(c1.delayed, c2.delayed);
    EXPECT_EQ(c1.delay_added, c2.delay_added);
    EXPECT_TRUE(any_difference) << "another seed, other draws";
    EXPECT_GT(c1.dropped, 0u);
    EXPECT_GT(c1.tampered, 0u);
    EXPECT_EQ(c1.seen, 333u);  // i % 3 != 0
}

TEST(ActiveCompromise, RejectsBadConfiguration) {
    ActiveBehaviour b;
    b.drop = 1.5;
    EXPECT_THROW(make(b), std::invalid_argument);
    b.drop = 0;
    b.tamper = -0.1;
    EXPECT_THROW(make(b), std::invalid_argument);
    b.tamper = 0;
    b.delay = Distribution::uniform(10, 5);
    EXPECT_THROW(make(b), std::invalid_argument);
    b.delay = {};
    b.target = ActiveBehaviour::Target::relays;
    EXPECT_THROW(ActiveCompromise(b, {BAD}, RandomStream(1)), std::invalid_argument);
}

TEST(ActiveCompromise, OnANetworkItsDropsAreTheNetworksAndTamperedBytesArrive) {
    Engine engine{3};
    const net::Topology topology({{"here", milliseconds(2)}}, {});
    net::Network network{engine, topology};
    std::vector<net::Datagram> received;
    auto receiver = [&](net::Datagram&& d) { received.push_back(std::move(d)); };
    const HostId bad = network.add_host(net::HostSpec{net::RegionId{0}, {}, std::nullopt}, receiver);
    const HostId good = network.add_host(net::HostSpec{net::RegionId{0}, {}, std::nullopt}, receiver);
    ActiveBehaviour b;
    b.drop = 0.5;
    b.tamper = 1;
    ActiveCompromise a(b, {bad}, RandomStream(5));
    network.add_interceptor(a);
    for (int i = 0; i < 400; ++i) {
        network.send(net::Datagram{bad, good, bytes_of(32)});
        network.send(net::Datagram{good, bad, bytes_of(32)});
    }
    engine.run();
    EXPECT_EQ(network.stats().dropped_by_interceptor, a.counts().dropped);
    EXPECT_EQ(a.counts().seen, 400u);
    EXPECT_EQ(received.size(), 800u - a.counts().dropped);
    std::size_t altered = 0;
    for (const auto& d : received) altered += bytes_changed(d.payload, bytes_of(32));
    EXPECT_EQ(altered, a.counts().tampered);
    EXPECT_EQ(a.counts().tampered, 400u - a.counts().dropped);
    network.remove_interceptor(a);
}

}  // namespace
}  // namespace sessionsim::adversary
