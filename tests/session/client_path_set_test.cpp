// PathSet alone (models/session/node/client/path_set.hpp): guard tests, path building rules,
// the choice of a path, path strikes, node drops and the build retries.
#include "models/session/node/client/path_set.hpp"

#include <gtest/gtest.h>

#include <set>

#include "client_parts.hpp"

namespace sessionproto {
namespace {

using std::chrono::milliseconds;
using test::FakeContext;
using test::PART_T0;

const SessionId OWN = *SessionId::parse("05" + std::string(64, 'b'));

/// Answers every guard test in flight with `ok`.
void answer_guard_tests(PathSet& paths, const NodePool& pool, const ClientConfig& config, FakeContext& ctx,
                        std::size_t from, bool ok) {
    const auto sent = ctx.sent;
    for (std::size_t i = from; i < sent.size(); ++i) {
        if (sent[i].kind == ClientRequest::guard_test) paths.on_guard_reply(sent[i].to, ok, pool, config, ctx);
    }
}

struct Built {
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    std::vector<SnodeRecord> nodes;
    NodePool pool{nullptr};
    PathSet paths{OWN};

    explicit Built(int n, std::uint64_t seed = 1, std::string_view profile = "desktop-2024-12")
        : ctx(seed), nodes(test::test_nodes(n)) {
        config.profile = *find_client_profile(profile).profile;
        pool = test::bootstrapped_pool(nodes, config, ctx);
        ctx.sent.clear();
        if (config.profile.guard_tests) {
            EXPECT_EQ(paths.ensure(PART_T0, pool, config, ctx), PathSet::Progress::building);
            answer_guard_tests(paths, pool, config, ctx, 0, true);
        }
        EXPECT_EQ(paths.ensure(PART_T0, pool, config, ctx), PathSet::Progress::ready);
    }
    Built(int n, std::string_view profile) : Built(n, 1, profile) {}
};

TEST(ClientPathSetTest, GuardsAreTestedTwoAtATimeWithADirectGetSwarm) {
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    NodePool pool = test::bootstrapped_pool(test::test_nodes(16), config, ctx);
    ctx.sent.clear();
    PathSet paths(OWN);
    EXPECT_EQ(paths.ensure(PART_T0, pool, config, ctx), PathSet::Progress::building);
    ASSERT_EQ(ctx.sent.size(), GUARD_TEST_BATCH);
    for (const auto& s : ctx.sent) {
        EXPECT_EQ(s.kind, ClientRequest::guard_test);
        EXPECT_FALSE(s.onion);
        EXPECT_EQ(s.body, get_swarm_request(OWN));
        EXPECT_EQ(s.timeout_ms, config.profile.guard_test_timeout_ms);
    }
    EXPECT_NE(ctx.sent[0].to.ed25519, ctx.sent[1].to.ed25519);
    // While tests are in flight, nothing more leaves.
    EXPECT_EQ(paths.ensure(PART_T0, pool, config, ctx), PathSet::Progress::building);
    EXPECT_EQ(ctx.sent.size(), 2u);
    // One fails: one guard, and the next round tests two more.
    paths.on_guard_reply(ctx.sent[0].to, false, pool, config, ctx);
    paths.on_guard_reply(ctx.sent[1].to, true, pool, config, ctx);
    EXPECT_EQ(paths.guards().size(), 1u);
    EXPECT_EQ(ctx.counter(client_counter::guard_test_failed), 1u);
    paths.ensure(PART_T0, pool, config, ctx);
    EXPECT_EQ(ctx.sent.size(), 4u);
}

TEST(ClientPathSetTest, PathsUseDistinctNodesInDistinctSubnetsAndAnnounceThemselves) {
    for (std::uint64_t seed = 1; seed < 6; ++seed) {
        Built b(16, seed);
        ASSERT_EQ(b.paths.paths().size(), 2u);
        EXPECT_EQ(b.paths.built(), 2u);
        std::set<Ed25519Pubkey> used;
        for (const auto& path : b.paths.paths()) {
            ASSERT_EQ(path.nodes.size(), 3u);
            EXPECT_TRUE(contains_node(b.paths.guards(), path.nodes[0].ed25519));
            std::set<std::uint32_t> subnets;
            for (const auto& n : path.nodes) {
                EXPECT_TRUE(used.insert(n.ed25519).second);
                subnets.insert(subnet24(n));
            }
            EXPECT_EQ(subnets.size(), 3u);
        }
        const auto built = b.ctx.events_of<app::PathBuilt>();
        ASSERT_EQ(built.size(), 2u);
        EXPECT_EQ(built[0].path, b.paths.paths()[0].id);
        ASSERT_EQ(built[0].nodes.size(), 3u);
        for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(built[0].nodes[k], b.paths.paths()[0].nodes[k].ed25519);
    }
}

TEST(ClientPathSetTest, ChooseNeverTakesAPathThroughTheDestination) {
    Built b(16);
    Entropy& e = b.ctx.entropy();
    const auto& first = b.paths.paths()[0];
    for (int i = 0; i < 20; ++i) {
        const OnionPath* p = b.paths.choose(first.nodes[1].ed25519, e);
        ASSERT_NE(p, nullptr);
        EXPECT_NE(p->id, first.id);
    }
    PathSet none(OWN);
    EXPECT_EQ(none.choose(first.nodes[1].ed25519, e), nullptr);
    EXPECT_EQ(b.paths.guard_of(first.id), first.nodes[0].ed25519);
    EXPECT_EQ(b.paths.guard_of(999'999), std::nullopt);
}

TEST(ClientPathSetTest, ThreeStrikesDropAPathAndItsGuard) {
    Built b(16);
    const OnionPath path = b.paths.paths()[0];
    EXPECT_FALSE(b.paths.strike(path.id, "timeout", b.ctx));
    EXPECT_FALSE(b.paths.strike(path.id, "timeout", b.ctx));
    const auto nodes = b.paths.strike(path.id, "timeout", b.ctx);
    ASSERT_TRUE(nodes);
    EXPECT_EQ(nodes->size(), 3u);
    EXPECT_EQ(nodes->front().ed25519, path.nodes[0].ed25519);
    EXPECT_EQ(b.paths.paths().size(), 1u);
    EXPECT_FALSE(contains_node(b.paths.guards(), path.nodes[0].ed25519));
    EXPECT_EQ(b.paths.dropped(), 1u);
    const auto dropped = b.ctx.events_of<app::PathDropped>();
    ASSERT_EQ(dropped.size(), 1u);
    EXPECT_EQ(dropped[0].path, path.id);
    EXPECT_EQ(dropped[0].reason, "timeout");
    EXPECT_FALSE(b.paths.strike(path.id, "timeout", b.ctx));  // gone
    // A consensus refresh forgets the other path's strikes.
    const auto other = b.paths.paths()[0].id;
    b.paths.strike(other, "x", b.ctx);
    b.paths.reset_strikes();
    EXPECT_EQ(b.paths.paths()[0].failures, 0u);
}

TEST(ClientPathSetTest, ADroppedMiddleNodeIsReplacedAndADroppedGuardTakesItsPath) {
    Built b(16);
    const OnionPath first = b.paths.paths()[0];
    const Ed25519Pubkey middle = first.nodes[1].ed25519;
    b.pool.drop(middle);
    b.paths.drop_node(middle, b.pool, b.ctx);
    ASSERT_EQ(b.paths.paths().size(), 2u);
    const auto& replaced = b.paths.paths()[0];
    EXPECT_EQ(replaced.id, first.id);
    EXPECT_FALSE(contains_node(replaced.nodes, middle));
    EXPECT_EQ(replaced.nodes.size(), 3u);
    const Ed25519Pubkey guard = b.paths.paths()[1].nodes[0].ed25519;
    b.pool.drop(guard);
    b.paths.drop_node(guard, b.pool, b.ctx);
    EXPECT_EQ(b.paths.paths().size(), 1u);
    EXPECT_FALSE(contains_node(b.paths.guards(), guard));
}

TEST(ClientPathSetTest, PathsWhoseNodesLeftThePoolAreDroppedAndRebuilt) {
    // Desktop buildNewOnionPathsWorker: after a drop every path is built again, fresh relays.
    Built b(16);
    const OnionPath first = b.paths.paths()[0];
    b.pool.exclude(first.nodes[2].ed25519);
    EXPECT_EQ(b.paths.ensure(PART_T0, b.pool, b.config, b.ctx), PathSet::Progress::ready);
    EXPECT_EQ(b.paths.paths().size(), 2u);
    EXPECT_EQ(b.paths.built(), 4u);
    const auto dropped = b.ctx.events_of<app::PathDropped>();
    ASSERT_EQ(dropped.size(), 2u);
    EXPECT_EQ(dropped[0].reason, "left pool");
    EXPECT_EQ(dropped[1].reason, "rebuild");
}

TEST(ClientPathSetTest, DesktopChoosesAWholeNewGuardPairWhenOneIsLost) {
    // getGuardNodeOrSelectNewOnes: fewer than 2 guards left, selectGuardNodes picks a new pair
    // (tested again); Android keeps the survivor and draws the missing one untested.
    Built b(16);
    const Ed25519Pubkey guard = b.paths.guards()[0].ed25519;
    b.pool.drop(guard);
    b.paths.drop_node(guard, b.pool, b.ctx);
    b.ctx.sent.clear();
    EXPECT_EQ(b.paths.ensure(PART_T0, b.pool, b.config, b.ctx), PathSet::Progress::building);
    EXPECT_TRUE(b.paths.guards().empty());
    EXPECT_TRUE(b.paths.paths().empty());
    ASSERT_EQ(b.ctx.sent.size(), GUARD_TEST_BATCH);
    for (const auto& s : b.ctx.sent) EXPECT_EQ(s.kind, ClientRequest::guard_test);

    Built a(16, "android-2026-04");
    const Ed25519Pubkey lost = a.paths.guards()[0].ed25519;
    const Ed25519Pubkey kept = a.paths.guards()[1].ed25519;
    a.pool.drop(lost);
    a.paths.drop_node(lost, a.pool, a.ctx);
    a.ctx.sent.clear();
    EXPECT_EQ(a.paths.ensure(PART_T0, a.pool, a.config, a.ctx), PathSet::Progress::ready);
    EXPECT_TRUE(a.ctx.sent.empty());
    ASSERT_EQ(a.paths.guards().size(), 2u);
    EXPECT_EQ(a.paths.guards()[0].ed25519, kept);
}

TEST(ClientPathSetTest, AndroidRebuildsOnlyTheMissingPath) {
    // Android PathManager.kt rebuildPaths: the remaining good paths stay.
    Built b(16, "android-2026-04");
    const OnionPath first = b.paths.paths()[0];
    const OnionPath second = b.paths.paths()[1];
    b.pool.exclude(first.nodes[2].ed25519);
    EXPECT_EQ(b.paths.ensure(PART_T0, b.pool, b.config, b.ctx), PathSet::Progress::ready);
    EXPECT_EQ(b.paths.built(), 3u);
    EXPECT_EQ(b.paths.paths()[0].id, second.id);
}

TEST(ClientPathSetTest, WithoutEnoughSubnetsBuildsRetryThenGiveUp) {
    // Every node in one /24: no path of 3 distinct subnets exists.
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    auto nodes = test::test_nodes(8);
    for (std::size_t i = 0; i < nodes.size(); ++i) nodes[i].address.ipv4 = 0x0A000100u + static_cast<std::uint32_t>(i + 1);
    NodePool pool = test::bootstrapped_pool(nodes, config, ctx);
    PathSet paths(OWN);
    paths.ensure(PART_T0, pool, config, ctx);
    answer_guard_tests(paths, pool, config, ctx, 0, true);
    ASSERT_EQ(paths.guards().size(), 2u);
    PathSet::Progress last = PathSet::Progress::building;
    for (std::size_t attempt = 0; attempt < PATH_BUILD_ATTEMPTS; ++attempt) {
        last = paths.ensure(PART_T0, pool, config, ctx);
        if (last == PathSet::Progress::gave_up) break;
        EXPECT_EQ(ctx.timers.back().kind, ClientTimer::path_retry);
        EXPECT_EQ(ctx.timers.back().at, PART_T0 + milliseconds(PATH_BUILD_RETRY_MS));
        EXPECT_EQ(paths.ensure(PART_T0, pool, config, ctx), PathSet::Progress::building);  // armed: waits
        paths.on_retry_timer();
    }
    EXPECT_EQ(last, PathSet::Progress::gave_up);
    EXPECT_EQ(ctx.counter(client_counter::path_build_failed), PATH_BUILD_ATTEMPTS);
    EXPECT_TRUE(paths.paths().empty());
}

}  // namespace
}  // namespace sessionproto
