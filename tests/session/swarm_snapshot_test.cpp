// The shared service-node list every node reads after a block.
#include <gtest/gtest.h>

#include "models/session/node/swarm_snapshot.hpp"

namespace sessionproto {
namespace {

SnodeRecord rec(std::uint8_t key, std::uint32_t ip, std::uint64_t swarm) {
    SnodeRecord r;
    r.ed25519.data[0] = std::byte{key};
    r.x25519.data[0] = std::byte{key};
    r.address = PeerAddress{ip, STORAGE_HTTPS_PORT};
    r.swarm_id = swarm;
    return r;
}

TEST(SwarmSnapshot, IndexesNodesIpsSwarmsAndMembers) {
    const SwarmSnapshot s({rec(9, 30, 200), rec(1, 10, 100), rec(5, 10, 200), rec(3, 20, 100),
                           rec(7, 40, INVALID_SWARM_ID.value), rec(5, 99, 300)});
    // Sorted by key; the first of two records with one key is kept.
    ASSERT_EQ(s.nodes().size(), 5u);
    for (std::size_t i = 1; i < s.nodes().size(); ++i) EXPECT_LT(s.nodes()[i - 1].ed25519, s.nodes()[i].ed25519);
    ASSERT_NE(s.find(rec(5, 0, 0).ed25519), nullptr);
    EXPECT_EQ(s.find(rec(5, 0, 0).ed25519)->address.ipv4, 10u);
    EXPECT_EQ(s.find(rec(2, 0, 0).ed25519), nullptr);
    EXPECT_TRUE(s.has_ip(10));
    EXPECT_TRUE(s.has_ip(40));
    EXPECT_FALSE(s.has_ip(99));
    EXPECT_FALSE(s.has_ip(11));
    EXPECT_EQ(s.swarm_ids(), (std::vector<SwarmId>{SwarmId(100), SwarmId(200)}));
    const auto a = s.members(SwarmId(100));
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[0].ed25519, rec(1, 0, 0).ed25519);
    EXPECT_EQ(a[1].ed25519, rec(3, 0, 0).ed25519);
    EXPECT_EQ(s.members(SwarmId(200)).size(), 2u);
    EXPECT_TRUE(s.members(SwarmId(300)).empty());
    EXPECT_TRUE(s.members(INVALID_SWARM_ID).empty());
}

TEST(SwarmSnapshot, CopiesOfAnUpdateShareOneSnapshot) {
    const SwarmUpdate u = make_swarm_update(7, {rec(1, 10, 100)});
    const SwarmUpdate copy = u;
    EXPECT_EQ(copy.height, 7u);
    EXPECT_EQ(copy.snapshot.get(), u.snapshot.get());
    EXPECT_TRUE(empty_swarm_snapshot()->nodes().empty());
}

}  // namespace
}  // namespace sessionproto
