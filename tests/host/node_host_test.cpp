#include "sim/host/node_host.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "models/session/crypto/session_encrypt.hpp"
#include "models/session/onion/builder.hpp"
#include "sim/host/randombytes_guard.hpp"
#include "sim/host/sim_entropy.hpp"

namespace sessionsim::host {
namespace {

using namespace std::chrono_literals;
using sessionproto::Effects;
using sessionproto::Input;
using sessionproto::Timestamp;

/// A minimal sans-IO node: echoes every datagram back once (prefixed "re:") and, on a "timer"
/// datagram, asks for a timer 250 ms later that emits an event when it fires.
class EchoNode {
  public:
    void handle(Timestamp now, Input input) {
        if (auto* in = std::get_if<sessionproto::Inbound>(&input)) {
            const std::string text = sessionproto::to_string(in->payload);
            if (text == "timer") {
                effects_.timers.push_back({7, now + 250ms});
            } else if (text.rfind("re:", 0) != 0) {
                effects_.sends.push_back({in->from, sessionproto::to_bytes("re:" + text)});
            } else {
                // Any event will do: the text and the protocol time, for the sink to hand on.
                effects_.events.push_back(sessionproto::app::StoreConfirmed{text, sessionproto::unix_ms(now), std::nullopt});
            }
        } else if (auto* t = std::get_if<sessionproto::TimerExpired>(&input)) {
            effects_.events.push_back(sessionproto::app::PathBuilt{t->id, {}});
        }
    }
    Effects take_effects() { return std::exchange(effects_, {}); }
    void send(sessionproto::PeerAddress to, std::string text) {
        effects_.sends.push_back({to, sessionproto::to_bytes(text)});
    }

  private:
    Effects effects_;
};
static_assert(sessionproto::SansIoNode<EchoNode>);

struct Seen {
    SimTime at;
    net::HostId host;
    sessionproto::AppEvent event;
};

TEST(NodeHost, DatagramsTimersAndEventsCrossTheBridge) {
    Engine engine(1);
    const net::Topology topology({{"r", 5ms}}, {});
    net::Network network(engine, topology);
    std::vector<Seen> seen;
    HostSinks sinks{[&](SimTime at, net::HostId h, const sessionproto::AppEvent& e) { seen.push_back({at, h, e}); }, {}};
    net::AccessLink link;
    link.up_bps = link.down_bps = 0;
    NodeHost<EchoNode> a(engine, network, net::HostSpec{net::RegionId{0}, link, std::nullopt}, EchoNode{}, sinks);
    NodeHost<EchoNode> b(engine, network, net::HostSpec{net::RegionId{0}, link, std::nullopt}, EchoNode{}, sinks);

    engine.schedule_at(SIM_EPOCH + 1s, [&] {
        a.protocol().send(b.address(22021), "hello");
        a.protocol().send(b.address(22021), "timer");
        a.apply();
    });
    engine.run();
    // hello reaches b at 1.005 s, the echo reaches a at 1.010 s; the timer fires at 1.255 s at b.
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].at, SIM_EPOCH + 1010ms);
    EXPECT_EQ(seen[0].host, a.id());
    const auto& echo = std::get<sessionproto::app::StoreConfirmed>(seen[0].event);
    EXPECT_EQ(echo.hash, "re:hello");
    EXPECT_EQ(echo.latency_ms, DEFAULT_EPOCH_UNIX_MS + 1010);  // protocol time is Unix ms
    EXPECT_EQ(seen[1].at, SIM_EPOCH + 1255ms);
    EXPECT_EQ(seen[1].host, b.id());
    EXPECT_EQ(std::get<sessionproto::app::PathBuilt>(seen[1].event).path, 7u);
    EXPECT_EQ(a.stats().datagrams_out, 2u);
    EXPECT_EQ(b.stats().datagrams_in, 2u);
    EXPECT_EQ(b.stats().timers_fired, 1u);
}

TEST(NodeHost, OfflineHostsCancelTimersAndSendsToUnknownAddressesAreCounted) {
    Engine engine(2);
    const net::Topology topology({{"r", 5ms}}, {});
    net::Network network(engine, topology);
    std::vector<Seen> seen;
    HostSinks sinks{[&](SimTime at, net::HostId h, const sessionproto::AppEvent& e) { seen.push_back({at, h, e}); }, {}};
    NodeHost<EchoNode> a(engine, network, net::HostSpec{net::RegionId{0}, {}, std::nullopt}, EchoNode{}, sinks);
    a.deliver(sessionproto::Inbound{a.address(1), sessionproto::to_bytes("timer")});
    a.go_offline();
    engine.run();
    EXPECT_TRUE(seen.empty());
    a.go_online();
    a.protocol().send(sessionproto::PeerAddress{0x01020304, 1}, "nobody");
    a.apply();
    EXPECT_EQ(a.stats().sends_to_unknown_address, 1u);
}

TEST(NodeHost, ProtocolTimeFollowsTheEpoch) {
    EXPECT_EQ(sessionproto::unix_ms(to_protocol(SIM_EPOCH + 1500ms + 999us, 1000)), 2500);
    EXPECT_EQ(to_sim(Timestamp{std::chrono::milliseconds{2500}}, 1000), SIM_EPOCH + 1500ms);
}

TEST(RandombytesGuard, CountsDirectUseButNotTheProtocolCore) {
    install_randombytes_guard();
    const auto before = randombytes_guard_calls();
    SimEntropy entropy(RandomStreams::derive(5, "node/1/entropy"));
    const auto alice = sessionproto::ed25519_generate(entropy);
    const auto bob = sessionproto::x25519_generate(entropy);
    (void)sessionproto::encrypt_for_recipient(alice.sec, bob.pub, sessionproto::to_bytes("hi"), entropy);
    const std::vector<sessionproto::SnodeKeys> path{{alice.pub, bob.pub}};
    (void)sessionproto::build_onion_request(sessionproto::to_bytes("{}"), path, path[0], sessionproto::EncType::xchacha20,
                                            entropy);
    EXPECT_EQ(randombytes_guard_calls(), before);
    EXPECT_GT(entropy.bytes_drawn(), 0u);
    unsigned char buf[16];
    randombytes_buf(buf, sizeof buf);  // a bypass
    EXPECT_EQ(randombytes_guard_calls(), before + 1);
}

}  // namespace
}  // namespace sessionsim::host
