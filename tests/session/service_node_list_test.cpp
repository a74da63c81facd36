#include <gtest/gtest.h>

#include "models/session/node/swarm_snapshot.hpp"
#include "models/session/registry/service_node_list.hpp"

namespace sessionproto {
namespace {

SnodeRecord record(Entropy& entropy, std::uint32_t ip) {
    const auto id = ed25519_generate(entropy);
    return SnodeRecord{id.pub, x25519_from_ed25519(id).pub, PeerAddress{ip, STORAGE_HTTPS_PORT}, 0};
}

BlockHash hash_of(std::uint64_t height) {
    BlockHash h{};
    DeterministicEntropy e(height, "block");
    e.fill(h);
    return h;
}

TEST(ServiceNodeList, RegistrationsTakeEffectAtTheNextBlockAndFormSwarms) {
    DeterministicEntropy entropy(1, "snl");
    ServiceNodeList list;
    std::vector<SnodeRecord> nodes;
    for (std::uint32_t i = 0; i < 50; ++i) {
        nodes.push_back(record(entropy, 0x0B000001 + i));
        ASSERT_TRUE(list.register_node(nodes.back()).ok());
    }
    EXPECT_EQ(list.register_node(nodes[0]).error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(list.active_count(), 0u);
    EXPECT_TRUE(list.swarms().empty());
    ASSERT_TRUE(*list.apply_block(1, hash_of(1)));
    EXPECT_EQ(list.active_count(), 50u);
    std::size_t members = 0;
    for (const auto& [id, m] : list.swarms()) {
        EXPECT_GE(m.size(), MIN_SWARM_SIZE) << id.value;
        members += m.size();
    }
    EXPECT_EQ(members, 50u);
    // Every node in the update carries the swarm it is listed in.
    const SwarmUpdate update = list.swarm_update();
    ASSERT_EQ(update.snapshot->nodes().size(), 50u);
    for (const auto& n : update.snapshot->nodes()) {
        const auto& m = list.swarms().at(SwarmId{n.swarm_id});
        EXPECT_NE(std::find(m.begin(), m.end(), n.ed25519), m.end());
    }
    // A block without changes keeps the swarms; heights must increase.
    EXPECT_FALSE(*list.apply_block(2, hash_of(2)));
    EXPECT_EQ(list.apply_block(2, hash_of(2)).error().code, ErrorCode::invalid_argument);
}

TEST(ServiceNodeList, DecommissionDeregisterAndRecommission) {
    DeterministicEntropy entropy(2, "snl");
    ServiceNodeList list;
    std::vector<SnodeRecord> nodes;
    for (std::uint32_t i = 0; i < 30; ++i) {
        nodes.push_back(record(entropy, 0x0B000001 + i));
        ASSERT_TRUE(list.register_node(nodes.back()).ok());
    }
    ASSERT_TRUE(*list.apply_block(1, hash_of(1)));
    ASSERT_TRUE(list.decommission(nodes[3].ed25519).ok());
    ASSERT_TRUE(list.deregister_node(nodes[4].ed25519).ok());
    EXPECT_EQ(list.deregister_node(record(entropy, 1).ed25519).error().code, ErrorCode::not_found);
    ASSERT_TRUE(*list.apply_block(2, hash_of(2)));
    EXPECT_EQ(list.active_count(), 28u);
    EXPECT_EQ(list.registered_count(), 29u);
    EXPECT_EQ(list.find(nodes[3].ed25519)->swarm_id, INVALID_SWARM_ID.value);
    EXPECT_FALSE(list.find(nodes[4].ed25519).has_value());
    for (const auto& [id, m] : list.swarms()) {
        EXPECT_EQ(std::find(m.begin(), m.end(), nodes[3].ed25519), m.end());
        EXPECT_EQ(std::find(m.begin(), m.end(), nodes[4].ed25519), m.end());
    }
    ASSERT_TRUE(list.recommission(nodes[3].ed25519).ok());
    ASSERT_TRUE(*list.apply_block(3, hash_of(3)));
    EXPECT_NE(list.find(nodes[3].ed25519)->swarm_id, INVALID_SWARM_ID.value);
}

TEST(ServiceNodeList, PubkeysMapToTheClosestSwarmAndRunsAreReproducible) {
    auto build = [](std::uint64_t block_seed) {
        DeterministicEntropy entropy(3, "snl");
        ServiceNodeList list;
        for (std::uint32_t i = 0; i < 80; ++i) (void)list.register_node(record(entropy, 0x0B000001 + i));
        (void)list.apply_block(1, hash_of(block_seed));
        return list;
    };
    const ServiceNodeList a = build(1), b = build(1), c = build(2);
    EXPECT_EQ(a.swarms(), b.swarms());
    EXPECT_NE(a.swarms(), c.swarms());
    DeterministicEntropy users(4, "users");
    for (int i = 0; i < 100; ++i) {
        const auto user = AccountId::from_ed25519(ed25519_generate(users).pub);
        const SessionId id = user->as_session_id();
        const auto swarm = a.swarm_for(id);
        ASSERT_TRUE(swarm.has_value());
        // The chosen swarm is at least as close (mod 2^64, either way) as every other.
        const std::uint64_t x = pubkey_to_swarm_space(id);
        auto distance = [x](std::uint64_t s) { return std::min(s - x, x - s); };
        for (const auto& [other, m] : a.swarms()) EXPECT_LE(distance(swarm->value), distance(other.value));
        const auto members = a.swarm_members_for(id);
        EXPECT_EQ(members.size(), a.swarms().at(*swarm).size());
        for (const auto& m : members) EXPECT_EQ(m.swarm_id, swarm->value);
    }
}

}  // namespace
}  // namespace sessionproto
