// Clients against real service nodes, in virtual time (tests/session/node_harness.hpp, in the
// spirit of quinn-proto's two-endpoint Pair): the seed, guard tests, onion relays, get_swarm,
// stores with replication, retrieves and 421s are all answered by ServiceNode itself.
#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "models/session/node/client.hpp"
#include "models/session/node/swarm_snapshot.hpp"
#include "models/session/wire/envelope.hpp"
#include "node_harness.hpp"

namespace sessionproto {
namespace {

using std::chrono::milliseconds;
using test::NodeHarness;

const Timestamp T0{milliseconds(1'700'000'000'000)};

class ClientPairTest : public ::testing::Test {
  protected:
    static constexpr int NODES = 12;
    DeterministicEntropy node_entropy{41, "client_pair/nodes"};
    DeterministicEntropy alice_entropy{42, "client_pair/alice"};
    DeterministicEntropy bob_entropy{43, "client_pair/bob"};
    std::vector<std::unique_ptr<ServiceNode>> nodes;
    std::shared_ptr<PoolCache> pools = std::make_shared<PoolCache>();
    std::unique_ptr<Client> alice;
    std::unique_ptr<Client> bob;
    NodeHarness net{T0};
    const PeerAddress alice_at{0x0C000001, 40000};
    const PeerAddress bob_at{0x0C000002, 40000};

    void SetUp() override {
        for (int i = 0; i < NODES; ++i) {
            // One /24 per node, so every node can sit in a path.
            const PeerAddress address{0x0A000001u + (static_cast<std::uint32_t>(i) << 8), STORAGE_HTTPS_PORT};
            nodes.push_back(
                std::make_unique<ServiceNode>(ed25519_generate(node_entropy), address, ServiceNodeConfig{}, node_entropy));
            net.add(*nodes.back());
        }
        broadcast(1, {0x1000, 0x1000, 0x1000, 0x1000, 0x5000'0000'0000'0000, 0x5000'0000'0000'0000,
                      0x5000'0000'0000'0000, 0x5000'0000'0000'0000, 0xA000'0000'0000'0000,
                      0xA000'0000'0000'0000, 0xA000'0000'0000'0000, 0xA000'0000'0000'0000});
        ClientConfig config;
        config.seed_nodes = {nodes[0]->address()};
        alice = std::make_unique<Client>(ed25519_generate(alice_entropy), config, pools, alice_entropy);
        bob = std::make_unique<Client>(ed25519_generate(bob_entropy), config, pools, bob_entropy);
        net.add(*alice, alice_at);
        net.add(*bob, bob_at);
    }

    /// A service-node list where node i is in `swarms[i]` (INVALID_SWARM_ID leaves it out).
    void broadcast(std::uint64_t height, const std::vector<std::uint64_t>& swarms) {
        std::vector<SnodeRecord> records;
        for (std::size_t i = 0; i < swarms.size(); ++i) {
            if (swarms[i] == INVALID_SWARM_ID.value) continue;
            records.push_back(SnodeRecord{nodes[i]->ed25519(), nodes[i]->x25519(), nodes[i]->address(), swarms[i]});
        }
        const SwarmUpdate update = make_swarm_update(height, std::move(records));
        for (auto& n : nodes) net.input(*n, update);
    }
    void start_both() {
        net.command(*alice, [&](Client& c) { c.start(net.now()); });
        net.command(*bob, [&](Client& c) { c.start(net.now()); });
        net.run_for(milliseconds(2'000));
    }
    /// The nodes that stored a message (message_stored or message_replicated).
    std::set<PeerAddress> storing_nodes() const {
        std::set<PeerAddress> out;
        for (const auto& n : nodes) {
            if (!net.events_of<app::MessageStored>(n->address()).empty()) out.insert(n->address());
        }
        return out;
    }
};

TEST_F(ClientPairTest, ClientsBootstrapFromARealSeedAndBuildTestedPaths) {
    start_both();
    for (Client* c : {alice.get(), bob.get()}) {
        EXPECT_EQ(c->pool_size(), static_cast<std::size_t>(NODES));
        ASSERT_EQ(c->paths().size(), 2u);
        for (const auto& p : c->paths()) EXPECT_EQ(p.nodes.size(), 3u);
        EXPECT_EQ(c->counter(client_counter::guard_test_failed), 0u);
        EXPECT_EQ(c->counter(client_counter::bad_pool_reply), 0u);
        EXPECT_GE(c->counter(client_counter::polls), 1u);
        EXPECT_EQ(c->counter(client_counter::polls_failed), 0u);
    }
    // Both fetched the same list from the seed: one shared snapshot.
    EXPECT_EQ(alice->pool_snapshot().get(), bob->pool_snapshot().get());
    // The own swarm came from a real get_swarm: four members, all of one swarm.
    const auto own = bob->cached_swarm(bob->account_id().as_session_id());
    ASSERT_EQ(own.size(), 4u);
    for (const auto& n : own) EXPECT_EQ(n.swarm_id, own[0].swarm_id);
    EXPECT_FALSE(net.events_of<app::OnionRoundTrip>(alice_at).empty());
}

TEST_F(ClientPairTest, AMessageIsStoredInTheSwarmReplicatedAndDeliveredOnce) {
    start_both();
    std::optional<std::string> hash;
    net.command(*alice, [&](Client& c) { hash = c.send_message(net.now(), bob->account_id(), "hi bob"); });
    ASSERT_TRUE(hash.has_value());
    net.run_for(milliseconds(12'000));
    const auto confirmed = net.events_of<app::StoreConfirmed>(alice_at);
    ASSERT_EQ(confirmed.size(), 1u);
    EXPECT_EQ(confirmed[0].hash, *hash);
    // Stored at one member and replicated to the other three of bob's swarm; then the sync copy
    // (desktop MessageSentHandler.ts sendSyncMessage) in alice's own swarm, after the first store.
    const auto stored = storing_nodes();
    std::set<PeerAddress> swarms;
    for (const auto& n : bob->cached_swarm(bob->account_id().as_session_id())) swarms.insert(n.address);
    EXPECT_EQ(swarms.size(), 4u);
    for (const auto& n : alice->cached_swarm(alice->account_id().as_session_id())) swarms.insert(n.address);
    EXPECT_EQ(stored, swarms);
    EXPECT_EQ(alice->counter(client_counter::sync_copies), 1u);
    EXPECT_EQ(alice->counter(client_counter::stores), 2u);
    EXPECT_EQ(alice->counter(client_counter::own_messages), 1u);  // alice's poll read its copy back, not shown
    EXPECT_TRUE(net.events_of<app::MessageReceived>(alice_at).empty());
    const auto delivered = net.events_of<app::MessageReceived>(bob_at);
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_EQ(delivered[0].body, "hi bob");
    EXPECT_EQ(delivered[0].sender, alice->account_id());
    EXPECT_EQ(delivered[0].hash, *hash);  // the name the sender's client gave it is the swarm's
    EXPECT_FALSE(delivered[0].held_as_request);
    EXPECT_TRUE(net.events_of<app::MessageReceived>(alice_at).empty());
}

TEST_F(ClientPairTest, AMovedSwarmAnswers421AndTheStoreFollowsIt) {
    start_both();
    // Alice learns bob's swarm, then the network reassigns every node: bob's old members now
    // belong to another swarm and answer 421 with the new one.
    net.command(*alice, [&](Client& c) { c.send_message(net.now(), bob->account_id(), "first"); });
    net.run_for(milliseconds(3'000));
    ASSERT_EQ(net.events_of<app::StoreConfirmed>(alice_at).size(), 1u);
    const auto before = alice->cached_swarm(bob->account_id().as_session_id());
    broadcast(2, {0xA000'0000'0000'0000, 0xA000'0000'0000'0000, 0xA000'0000'0000'0000, 0xA000'0000'0000'0000,
                  0x1000, 0x1000, 0x1000, 0x1000, 0x5000'0000'0000'0000, 0x5000'0000'0000'0000,
                  0x5000'0000'0000'0000, 0x5000'0000'0000'0000});
    std::optional<std::string> second;
    net.command(*alice, [&](Client& c) { second = c.send_message(net.now(), bob->account_id(), "second"); });
    net.run_for(milliseconds(5'000));
    EXPECT_GE(alice->counter(client_counter::wrong_swarm), 1u);
    const auto after = alice->cached_swarm(bob->account_id().as_session_id());
    ASSERT_EQ(after.size(), 4u);
    for (const auto& n : after) EXPECT_FALSE(contains_node(before, n.ed25519));
    const auto confirmed = net.events_of<app::StoreConfirmed>(alice_at);
    ASSERT_EQ(confirmed.size(), 2u);
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(confirmed[1].hash, *second);
}

TEST_F(ClientPairTest, ADeadPathNodeTimesOutStrikesThePathAndIsReplaced) {
    start_both();
    ASSERT_EQ(bob->paths().size(), 2u);
    // Take a middle node of bob's first path off the network: polls through it time out.
    const SnodeRecord middle = bob->paths()[0].nodes[1];
    net.set_down(middle.address);
    net.run_for(milliseconds(10 * 31'000));
    EXPECT_GE(bob->counter(client_counter::onion_timeout), 3u);
    EXPECT_GE(bob->paths_dropped(), 1u);
    EXPECT_EQ(bob->paths().size(), 2u);
    for (const auto& p : bob->paths()) EXPECT_FALSE(contains_node(p.nodes, middle.ed25519));
    const auto dropped = net.events_of<app::PathDropped>(bob_at);
    ASSERT_FALSE(dropped.empty());
    EXPECT_EQ(dropped[0].reason, "timeout");
}

TEST_F(ClientPairTest, ANodeLeftOutOfTheListIsNextNodeNotFoundAndDroppedAtOnce) {
    start_both();
    const SnodeRecord middle = bob->paths()[0].nodes[1];
    std::vector<std::uint64_t> swarms{0x1000, 0x1000, 0x1000, 0x1000, 0x5000'0000'0000'0000, 0x5000'0000'0000'0000,
                                      0x5000'0000'0000'0000, 0x5000'0000'0000'0000, 0xA000'0000'0000'0000,
                                      0xA000'0000'0000'0000, 0xA000'0000'0000'0000, 0xA000'0000'0000'0000};
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i]->ed25519() == middle.ed25519) swarms[i] = INVALID_SWARM_ID.value;
    }
    broadcast(2, swarms);
    net.run_for(milliseconds(30'000));
    EXPECT_GE(bob->counter(client_counter::next_node_not_found), 1u);
    EXPECT_FALSE(bob->in_pool(middle.ed25519));
    for (const auto& p : bob->paths()) EXPECT_FALSE(contains_node(p.nodes, middle.ed25519));
}

TEST_F(ClientPairTest, AnOfflineClientQueuesAndSendsWhenBackOnline) {
    start_both();
    net.command(*alice, [&](Client& c) { c.set_online(net.now(), false); });
    net.run_for(milliseconds(200));
    std::size_t sends_before = 0;
    for (const auto& e : net.emitted) sends_before += e.node == alice_at ? e.effects.sends.size() : 0;
    net.command(*alice, [&](Client& c) { c.send_message(net.now(), bob->account_id(), "later"); });
    net.run_for(milliseconds(20'000));
    std::size_t sends_offline = 0;
    for (const auto& e : net.emitted) sends_offline += e.node == alice_at ? e.effects.sends.size() : 0;
    EXPECT_EQ(sends_offline, sends_before);
    EXPECT_EQ(alice->pending_sends(), 1u);
    EXPECT_TRUE(alice->next_wakeup().has_value());  // the poll loop keeps ticking
    net.command(*alice, [&](Client& c) { c.set_online(net.now(), true); });
    net.run_for(milliseconds(10'000));
    EXPECT_EQ(alice->pending_sends(), 0u);
    EXPECT_EQ(net.events_of<app::StoreConfirmed>(alice_at).size(), 1u);
    EXPECT_EQ(net.events_of<app::MessageReceived>(bob_at).size(), 1u);
}

TEST_F(ClientPairTest, AnAndroid2026ClientPollsEveryTwoSecondsWithABatchOfFiveNamespaces) {
    ClientConfig config;
    config.profile = *find_client_profile("android-2026-04").profile;
    config.seed_nodes = {nodes[0]->address()};
    DeterministicEntropy e(44, "client_pair/android");
    Client android(ed25519_generate(e), config, pools, e);
    const PeerAddress at{0x0C000003, 40000};
    net.add(android, at);
    net.command(android, [&](Client& c) { c.start(net.now()); });
    net.run_for(milliseconds(2'000));
    const auto polls_at_2s = android.counter(client_counter::polls);
    net.run_for(milliseconds(20'000));
    // BasePoller.kt: the next poll 2 s after each success; a round trip crosses 4 hops each way
    // at 10 ms (~80 ms), so 20 s hold 20 / 2.08 ≈ 9.6 polls.
    const auto polls = android.counter(client_counter::polls) - polls_at_2s;
    EXPECT_GE(polls, 9u);
    EXPECT_LE(polls, 10u);
    EXPECT_EQ(android.counter(client_counter::polls_failed), 0u);
    // Poller.kt: namespace 0 and the four user config namespaces in each poll; a real node
    // answers the batch (service_node_batch.cpp).
    EXPECT_EQ(android.counter(client_counter::retrieves), 5 * android.counter(client_counter::polls));
    EXPECT_EQ(android.counter(client_counter::bad_retrieve_reply), 0u);
    // SnodeDirectory.getGuardSnodes: no guard test.
    EXPECT_EQ(android.counter(client_counter::guard_tests), 0u);
}


TEST_F(ClientPairTest, TheAccountsConfigsAreStoredInItsSwarmAndEveryPollBumpsTheirExpiry) {
    // desktop-2024-12: the four user configs 20 s after start (ConfigurationSyncJob), TTL 30 days;
    // then each poll ends with an expire of their hashes to now + 30 days (swarmPolling.ts), which
    // the polled member forwards to its swarm peers.
    start_both();
    net.run_for(milliseconds(17'000));  // 19 s after start: not yet
    EXPECT_EQ(alice->counter(client_counter::config_pushes), 0u);
    net.run_for(milliseconds(3'000));
    EXPECT_EQ(alice->counter(client_counter::config_pushes), 1u);
    ASSERT_EQ(alice->config_hashes().size(), 4u);
    const SessionId own = alice->account_id().as_session_id();
    const auto swarm = alice->cached_swarm(own);
    ASSERT_EQ(swarm.size(), 4u);
    auto expiries_at = [&](std::int64_t now_ms) {
        std::vector<std::int64_t> out;
        for (const auto& member : swarm) {
            for (const auto& n : nodes) {
                if (n->ed25519() != member.ed25519) continue;
                for (const Namespace ns : {Namespace::user_profile, Namespace::contacts, Namespace::convo_info_volatile,
                                           Namespace::user_groups}) {
                    const auto found = n->store().retrieve(own, ns, "", now_ms).messages;
                    EXPECT_EQ(found.size(), 1u) << "namespace " << to_int(ns);
                    for (const auto& m : found) out.push_back(m.expiry_ms);
                }
            }
        }
        return out;
    };
    const std::int64_t pushed_ms = unix_ms(net.now());
    const auto first = expiries_at(pushed_ms);
    ASSERT_EQ(first.size(), 16u);  // four configs on each of four members
    for (const auto e : first) {
        EXPECT_GT(e, pushed_ms + 30LL * 86'400'000 - 2'000);
        EXPECT_LE(e, pushed_ms + 30LL * 86'400'000);
    }
    const auto polls_before = alice->counter(client_counter::polls);
    net.run_for(milliseconds(30'000));
    EXPECT_GE(alice->counter(client_counter::config_bumps), alice->counter(client_counter::polls) - polls_before - 1);
    EXPECT_GE(alice->counter(client_counter::config_bumps), 4u);
    EXPECT_EQ(alice->counter(client_counter::config_bumps_failed), 0u);
    // Every member's copy moved with the bumps: now + 30 days as of a poll in the last 15 s.
    const std::int64_t later_ms = unix_ms(net.now());
    for (const auto e : expiries_at(later_ms)) EXPECT_GT(e, later_ms + 30LL * 86'400'000 - 15'000);
    // Bob's polls keep reading nothing but his own: alice's configs are in her swarm only.
    EXPECT_EQ(bob->counter(client_counter::undecryptable_message), 0u);
}

TEST(ConfigMessage, IsTheConfigSealedToItsOwnerInTwoHundredAndFiftySixBytesOfConfigCiphertext) {
    // libsession config::encrypt pads to 256 bytes with its 40 bytes of nonce and tag; the
    // Content carries it as a SharedConfigMessage, sealed to the owner (protos::wrap_config).
    DeterministicEntropy e(7, "config_message");
    const Ed25519Keypair me = ed25519_generate(e);
    const Ed25519Keypair other = ed25519_generate(e);
    for (const auto kind : {UserConfigKind::user_profile, UserConfigKind::contacts, UserConfigKind::convo_info_volatile,
                            UserConfigKind::user_groups}) {
        auto blob = seal_config_message(me, kind, 3, 1'700'000'000'000);
        ASSERT_TRUE(blob.ok());
        auto opened = open_config_message(me, *blob);
        ASSERT_TRUE(opened.ok()) << opened.error().message;
        EXPECT_EQ(opened->kind, kind);
        EXPECT_EQ(opened->seqno, 3);
        EXPECT_EQ(to_string(opened->dump).substr(0, 7), "d1:#i3e");
        EXPECT_EQ(opened->encrypted_size, 256u);  // padded_size + CONFIG_ENCRYPT_OVERHEAD
        EXPECT_FALSE(open_config_message(other, *blob).ok());  // sealed to its owner only
        // Same inputs, same bytes (encrypt_for_recipient_deterministic, config_encrypt).
        EXPECT_EQ(*seal_config_message(me, kind, 3, 1'700'000'000'000), *blob);
    }
    auto profile = seal_config_message(me, UserConfigKind::user_profile, 1, 1'700'000'000'000);
    auto contacts = seal_config_message(me, UserConfigKind::contacts, 1, 1'700'000'000'000);
    EXPECT_EQ(profile->size(), contacts->size());  // both padded to the same 256-byte config
}

}  // namespace
}  // namespace sessionproto
