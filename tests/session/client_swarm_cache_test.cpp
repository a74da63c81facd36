// SwarmCache alone (models/session/node/client/swarm_cache.hpp): when a cached swarm is usable,
// 421 updates, and the get_swarm lookups with their retry schedule and waiters.
#include "models/session/node/client/swarm_cache.hpp"

#include <gtest/gtest.h>

#include <set>

#include "client_parts.hpp"

namespace sessionproto {
namespace {

using std::chrono::milliseconds;
using test::FakeContext;
using test::PART_T0;

const SessionId BOB = *SessionId::parse("05" + std::string(64, 'c'));

struct Fixture : test::PoolFixture {
    SwarmCache swarms;
};

TEST(ClientSwarmCacheTest, ASwarmIsUsableWhileThreeOfItsMembersAreInThePool) {
    Fixture f;
    EXPECT_FALSE(f.swarms.usable(BOB, f.pool));
    ASSERT_TRUE(f.swarms.replace_from(BOB, get_swarm_reply(f.slice(0, 5), SwarmId{7}), f.ctx.entropy()));
    auto cached = f.swarms.cached(BOB);
    ASSERT_EQ(cached.size(), 5u);
    for (const auto& n : cached) EXPECT_EQ(n.swarm_id, 7u);
    EXPECT_EQ(f.swarms.usable(BOB, f.pool)->size(), 5u);
    f.pool.drop(f.nodes[0].ed25519);
    f.pool.drop(f.nodes[1].ed25519);
    EXPECT_EQ(f.swarms.usable(BOB, f.pool)->size(), 3u);  // only members still in the pool
    f.pool.drop(f.nodes[2].ed25519);
    EXPECT_FALSE(f.swarms.usable(BOB, f.pool));
    // A one-member swarm is usable with its one member.
    const SessionId solo = *SessionId::parse("05" + std::string(64, 'd'));
    f.swarms.replace_from(solo, get_swarm_reply(f.slice(10, 11), SwarmId{9}), f.ctx.entropy());
    EXPECT_EQ(f.swarms.usable(solo, f.pool)->size(), 1u);
}

TEST(ClientSwarmCacheTest, UnparsableRepliesLeaveTheCacheAndForgettingRemovesMembers) {
    Fixture f;
    f.swarms.replace_from(BOB, get_swarm_reply(f.slice(0, 5), SwarmId{7}), f.ctx.entropy());
    EXPECT_FALSE(f.swarms.replace_from(BOB, "not json", f.ctx.entropy()));
    EXPECT_FALSE(f.swarms.replace_from(BOB, R"({"snodes":[]})", f.ctx.entropy()));
    EXPECT_EQ(f.swarms.cached(BOB).size(), 5u);
    f.swarms.forget_member(BOB, f.nodes[0].ed25519);
    EXPECT_EQ(f.swarms.cached(BOB).size(), 4u);
    f.swarms.forget_node(f.nodes[1].ed25519);
    EXPECT_EQ(f.swarms.cached(BOB).size(), 3u);
    EXPECT_FALSE(contains_node(f.swarms.cached(BOB), f.nodes[1].ed25519));
}

TEST(ClientSwarmCacheTest, OneLookupPerPubkeyGoesToARandomPoolNodeAndFillsTheCache) {
    Fixture f;
    f.swarms.wait_job(BOB, 100, f.ctx);
    f.swarms.wait_job(BOB, 101, f.ctx);
    f.swarms.wait_poll(BOB, f.ctx);
    const auto idle = f.swarms.idle();
    ASSERT_EQ(idle.size(), 1u);
    f.swarms.try_fetch(PART_T0, idle[0], f.pool, f.config, f.ctx);
    f.swarms.try_fetch(PART_T0, idle[0], f.pool, f.config, f.ctx);  // in flight: nothing
    ASSERT_EQ(f.ctx.sent.size(), 1u);
    EXPECT_TRUE(f.ctx.sent[0].onion);
    EXPECT_EQ(f.ctx.sent[0].kind, ClientRequest::get_swarm);
    EXPECT_EQ(f.ctx.sent[0].body, get_swarm_request(BOB));
    EXPECT_EQ(f.ctx.sent[0].timeout_ms, f.config.profile.get_swarm_timeout_ms);
    EXPECT_TRUE(f.swarms.idle().empty());
    const auto done =
        f.swarms.on_reply(PART_T0, idle[0], OnionOutcome{true, 200, get_swarm_reply(f.slice(5, 10), SwarmId{1}), 1},
                          f.pool, f.ctx);
    ASSERT_TRUE(done);
    EXPECT_TRUE(done->ok);
    EXPECT_EQ(done->waiting_jobs, (std::vector<std::uint64_t>{100, 101}));
    EXPECT_TRUE(done->poll_waiting);
    EXPECT_EQ(f.swarms.cached(BOB).size(), 5u);
    EXPECT_TRUE(f.swarms.idle().empty());
}

TEST(ClientSwarmCacheTest, FailuresRetryFourTimesOnFourTargetsThenFail) {
    Fixture f;
    f.swarms.wait_job(BOB, 100, f.ctx);
    const std::uint64_t id = f.swarms.idle().at(0);
    Timestamp now = PART_T0;
    std::vector<std::int64_t> delays;
    std::optional<SwarmCache::Finished> done;
    for (int i = 0; i < 16 && !done; ++i) {
        f.swarms.try_fetch(now, id, f.pool, f.config, f.ctx);
        done = f.swarms.on_reply(now, id, OnionOutcome{true, 400, "no", 1}, f.pool, f.ctx);
        if (done) break;
        const auto t = f.ctx.timers.back();
        EXPECT_EQ(t.kind, ClientTimer::swarm_retry);
        EXPECT_EQ(t.ref, id);
        delays.push_back(unix_ms(t.at) - unix_ms(now));
        f.swarms.try_fetch(now, id, f.pool, f.config, f.ctx);  // waiting for the retry: nothing
        now = t.at;
        f.swarms.on_retry_timer(id);
    }
    ASSERT_TRUE(done);
    EXPECT_FALSE(done->ok);
    EXPECT_EQ(f.ctx.sent.size(), 16u);
    EXPECT_EQ(f.ctx.counter(client_counter::swarm_fetch_failed), 1u);
    // Inner: 100, 200, 400 ms; outer: 100, 200, 400 ms between targets.
    const std::vector<std::int64_t> expected{100, 200, 400, 100, 100, 200, 400, 200, 100, 200, 400, 400, 100, 200, 400};
    EXPECT_EQ(delays, expected);
    // Four tries per target, four targets.
    for (std::size_t i = 0; i < 16; i += 4) {
        for (std::size_t k = 1; k < 4; ++k) EXPECT_EQ(f.ctx.sent[i + k].to.ed25519, f.ctx.sent[i].to.ed25519);
    }
}

TEST(ClientSwarmCacheTest, AReplyTooSmallForThePoolIsABadReply) {
    Fixture f;
    f.swarms.wait_poll(BOB, f.ctx);
    const std::uint64_t id = f.swarms.idle().at(0);
    f.swarms.try_fetch(PART_T0, id, f.pool, f.config, f.ctx);
    auto outside = test::test_nodes(3, 0x77);  // not in the pool
    EXPECT_FALSE(f.swarms.on_reply(PART_T0, id, OnionOutcome{true, 200, get_swarm_reply(outside, SwarmId{1}), 1},
                                   f.pool, f.ctx));
    EXPECT_EQ(f.ctx.counter(client_counter::bad_swarm_reply), 1u);
    EXPECT_EQ(f.ctx.timers.back().kind, ClientTimer::swarm_retry);
    const auto finished = f.swarms.finish(id, false, f.ctx);
    ASSERT_TRUE(finished);
    EXPECT_TRUE(finished->poll_waiting);
    EXPECT_FALSE(f.swarms.finish(id, false, f.ctx));
}

}  // namespace
}  // namespace sessionproto
