// NodePool alone (models/session/node/client/node_pool.hpp): the seed bootstrap and its backoff,
// the shared snapshot and the removal overlay, strikes, and the refresh's intersection.
#include "models/session/node/client/node_pool.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "client_parts.hpp"

namespace sessionproto {
namespace {

using std::chrono::milliseconds;
using test::FakeContext;
using test::PART_T0;

TEST(ClientNodePoolTest, SeedRequestAsksOneSeedForTheActiveNodes) {
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    NodePool pool(std::make_shared<PoolCache>());
    EXPECT_TRUE(pool.needs_seed());
    pool.request_seed(PART_T0, config, ctx);
    pool.request_seed(PART_T0, config, ctx);  // one at a time
    ASSERT_EQ(ctx.sent.size(), 1u);
    EXPECT_EQ(ctx.sent[0].kind, ClientRequest::seed);
    EXPECT_FALSE(ctx.sent[0].onion);
    EXPECT_EQ(ctx.sent[0].to.address, config.seed_nodes[0]);
    EXPECT_EQ(ctx.sent[0].body, get_service_nodes_request());
    EXPECT_EQ(ctx.sent[0].timeout_ms, 5'000);
}

TEST(ClientNodePoolTest, OfflineOrWithoutSeedsNothingIsAsked) {
    FakeContext ctx;
    ctx.online = false;
    NodePool pool(nullptr);
    pool.request_seed(PART_T0, test::seeded_config(), ctx);
    ctx.online = true;
    pool.request_seed(PART_T0, ClientConfig{}, ctx);
    EXPECT_TRUE(ctx.sent.empty());
}

TEST(ClientNodePoolTest, SeedFailuresBackOffThenStartANewRound) {
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    NodePool pool(std::make_shared<PoolCache>());
    Timestamp now = PART_T0;
    pool.request_seed(now, config, ctx);
    std::vector<std::int64_t> delays;
    for (int attempt = 0; attempt < 4; ++attempt) {
        pool.on_seed_timeout(now, config, ctx);
        pool.request_seed(now, config, ctx);  // a retry is armed: nothing leaves
        const auto t = ctx.timers.back();
        ASSERT_EQ(t.kind, ClientTimer::seed_retry);
        delays.push_back(unix_ms(t.at) - unix_ms(now));
        now = t.at;
        pool.on_seed_retry_timer(now, config, ctx);  // asks again
    }
    // p-retry 1 s, 2 s, 4 s between the 4 tries; then a new round SEED_ROUND_PAUSE_MS later.
    EXPECT_EQ(delays, (std::vector<std::int64_t>{1'000, 2'000, 4'000, SEED_ROUND_PAUSE_MS}));
    EXPECT_EQ(ctx.counter(client_counter::seed_failed), 4u);
    EXPECT_EQ(ctx.sent.size(), 5u);
}

TEST(ClientNodePoolTest, SeedReplyInstallsASharedSnapshotAndArmsTheRefreshOnce) {
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    auto cache = std::make_shared<PoolCache>();
    const auto nodes = test::test_nodes(12);
    NodePool a(cache), b(cache);
    for (NodePool* p : {&a, &b}) {
        p->request_seed(PART_T0, config, ctx);
        p->on_seed_reply(PART_T0, 200, as_bytes(test::pool_reply(nodes)), config, ctx);
    }
    EXPECT_EQ(a.snapshot().get(), b.snapshot().get());
    EXPECT_EQ(a.size(), 12u);
    EXPECT_FALSE(a.needs_seed());
    const auto refresh = ctx.timers_of(ClientTimer::refresh);
    ASSERT_EQ(refresh.size(), 2u);  // one per pool
    EXPECT_EQ(refresh[0].at, PART_T0 + milliseconds(config.profile.pool_first_refresh_ms));
    // A second bootstrap does not arm another refresh.
    a.request_seed(PART_T0, config, ctx);
    a.on_seed_reply(PART_T0, 200, as_bytes(test::pool_reply(nodes)), config, ctx);
    EXPECT_EQ(ctx.timers_of(ClientTimer::refresh).size(), 2u);
}

TEST(ClientNodePoolTest, BadSeedRepliesAreCountedAndRetried) {
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    NodePool pool(std::make_shared<PoolCache>());
    pool.request_seed(PART_T0, config, ctx);
    pool.on_seed_reply(PART_T0, 200, as_bytes(std::string("{\"result\":{}}")), config, ctx);
    EXPECT_EQ(ctx.counter(client_counter::bad_pool_reply), 1u);
    EXPECT_EQ(ctx.counter(client_counter::seed_failed), 1u);
    pool.on_seed_retry_timer(PART_T0, config, ctx);
    pool.on_seed_reply(PART_T0, 503, as_bytes(std::string("busy")), config, ctx);  // not counted as a bad reply
    EXPECT_EQ(ctx.counter(client_counter::bad_pool_reply), 1u);
    EXPECT_EQ(ctx.counter(client_counter::seed_failed), 2u);
    EXPECT_FALSE(pool.snapshot());
}

TEST(ClientNodePoolTest, StrikesDropANodeAtTheThresholdAndTheOverlayLeavesTheSnapshot) {
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    const auto nodes = test::test_nodes(12);
    NodePool pool = test::bootstrapped_pool(nodes, config, ctx);
    const auto& victim = nodes[3].ed25519;
    EXPECT_FALSE(pool.strike(victim));
    EXPECT_FALSE(pool.strike(victim));
    EXPECT_EQ(pool.failures(victim), 2u);
    EXPECT_TRUE(pool.strike(victim));
    EXPECT_TRUE(pool.drop(victim));
    EXPECT_FALSE(pool.drop(victim));  // once
    EXPECT_EQ(pool.failures(victim), 0u);
    EXPECT_FALSE(pool.contains(victim));
    EXPECT_EQ(pool.size(), 11u);
    EXPECT_EQ(pool.snapshot()->size(), 12u);  // the shared snapshot is untouched
    EXPECT_EQ(pool.members().size(), 11u);
    // exclude keeps the strike count.
    pool.strike(nodes[4].ed25519);
    pool.exclude(nodes[4].ed25519);
    EXPECT_FALSE(pool.contains(nodes[4].ed25519));
    EXPECT_EQ(pool.failures(nodes[4].ed25519), 1u);
}

TEST(ClientNodePoolTest, BelowTheMinimumThePoolGoesBackToTheSeed) {
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    const auto nodes = test::test_nodes(10);
    NodePool pool = test::bootstrapped_pool(nodes, config, ctx);
    pool.drop(nodes[0].ed25519);
    pool.drop(nodes[1].ed25519);
    EXPECT_FALSE(pool.needs_seed());  // 8 left
    pool.drop(nodes[2].ed25519);
    EXPECT_TRUE(pool.needs_seed());
    FakeContext small_ctx;
    NodePool small = test::bootstrapped_pool(test::test_nodes(5), config, small_ctx);
    EXPECT_FALSE(small.needs_seed());  // a network smaller than the minimum is not a reason
}

TEST(ClientNodePoolTest, RefreshAsksThreeMembersAndKeepsTheIntersection) {
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    auto nodes = test::test_nodes(30);
    NodePool pool = test::bootstrapped_pool(nodes, config, ctx);
    pool.strike(nodes[0].ed25519);
    ctx.sent.clear();
    EXPECT_FALSE(pool.on_refresh_timer(PART_T0, true, config, ctx));
    ASSERT_EQ(ctx.sent.size(), 3u);
    for (const auto& s : ctx.sent) {
        EXPECT_TRUE(s.onion);
        EXPECT_EQ(s.kind, ClientRequest::refresh);
        // Desktop 2024: the 4 s given to doSnodeBatchRequest is ignored; the guard fetch waits 25 s.
        EXPECT_EQ(s.timeout_ms, 25'000);
    }
    EXPECT_EQ(ctx.timers_of(ClientTimer::refresh).back().at, PART_T0 + milliseconds(config.profile.pool_refresh_interval_ms));
    // Three answers: all 30, all but node 29, all but node 28: 28 in common (≥ 24).
    auto without = [&](int skip) {
        std::vector<SnodeRecord> v;
        for (int i = 0; i < 30; ++i) {
            if (i != skip) v.push_back(nodes[static_cast<std::size_t>(i)]);
        }
        return OnionOutcome{true, 200, test::pool_reply(v), 1};
    };
    EXPECT_FALSE(pool.on_refresh_reply(PART_T0, without(-1), config, ctx));
    EXPECT_FALSE(pool.on_refresh_reply(PART_T0, without(29), config, ctx));
    EXPECT_TRUE(pool.on_refresh_reply(PART_T0, without(28), config, ctx));
    EXPECT_EQ(pool.size(), 28u);
    EXPECT_FALSE(pool.contains(nodes[29].ed25519));
    EXPECT_EQ(pool.failures(nodes[0].ed25519), 0u);  // consensus resets strikes
    EXPECT_EQ(ctx.counter(client_counter::refresh_failed), 0u);
}

TEST(ClientNodePoolTest, RefreshWithoutAgreementOrPathsFallsBackToTheSeed) {
    FakeContext ctx;
    ClientConfig config = test::seeded_config();
    auto nodes = test::test_nodes(30);
    NodePool pool = test::bootstrapped_pool(nodes, config, ctx);
    ctx.sent.clear();
    pool.on_refresh_timer(PART_T0, false, config, ctx);  // no path: the seed
    ASSERT_EQ(ctx.sent.size(), 1u);
    EXPECT_EQ(ctx.sent[0].kind, ClientRequest::seed);
    pool.on_seed_reply(PART_T0, 200, as_bytes(test::pool_reply(nodes)), config, ctx);
    ctx.sent.clear();
    pool.on_refresh_timer(PART_T0, true, config, ctx);
    ASSERT_EQ(ctx.sent.size(), 3u);
    pool.on_refresh_reply(PART_T0, OnionOutcome{true, 200, test::pool_reply(nodes), 1}, config, ctx);
    pool.on_refresh_reply(PART_T0, OnionOutcome{}, config, ctx);  // an onion failure
    EXPECT_FALSE(pool.on_refresh_reply(PART_T0, OnionOutcome{true, 200, test::pool_reply(nodes), 1}, config, ctx));
    EXPECT_EQ(ctx.counter(client_counter::refresh_failed), 1u);
    EXPECT_EQ(ctx.sent.back().kind, ClientRequest::seed);
}

}  // namespace
}  // namespace sessionproto
