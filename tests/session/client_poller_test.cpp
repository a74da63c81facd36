// Poller alone (models/session/node/client/poller.hpp): desktop and Android schedules, last_hash
// per node, dedupe, and what a 421 does to the own swarm.
#include "models/session/node/client/poller.hpp"

#include <gtest/gtest.h>

#include "client_parts.hpp"
#include "models/session/storage/rpc.hpp"

namespace sessionproto {
namespace {

using std::chrono::milliseconds;
using test::FakeContext;
using test::PART_T0;

struct Fixture : test::PoolFixture {
    Ed25519Keypair me;
    SessionId own;
    SwarmCache swarms;
    Poller poller;

    explicit Fixture(ClientProfile profile = ClientProfile::desktop)
        : me(ed25519_generate(ctx.entropy())),
          own(AccountId(x25519_from_ed25519(me).pub).as_session_id()),
          poller(own, profile, ClientConfig{}.android_all_tried_delay_ms) {
        config.profile = profile;
    }
    void know_swarm(int from, int to) {
        swarms.replace_from(own, get_swarm_reply(slice(from, to), SwarmId{1}), ctx.entropy());
    }
    /// Sends one poll; returns the node it went to.
    Ed25519Pubkey poll(Timestamp now) {
        poller.try_poll(now, me, swarms, pool, config, ctx);
        EXPECT_FALSE(ctx.sent.empty());
        return ctx.sent.back().to.ed25519;
    }
    std::string reply(const std::vector<std::string>& hashes) {
        RetrieveReply r;
        for (const auto& h : hashes) r.messages.push_back(RetrievedMessage{h, 1, unix_ms(PART_T0) + 60'000, to_bytes("x")});
        return to_json(r).dump();
    }
};

std::string hash_of(char c) { return std::string(43, c); }

TEST(ClientPollerTest, NothingIsDueBeforeStartAndThePollWaitsForTheOwnSwarm) {
    Fixture f;
    EXPECT_FALSE(f.poller.wants_poll());
    f.poller.start();
    EXPECT_TRUE(f.poller.wants_poll());
    f.poller.try_poll(PART_T0, f.me, f.swarms, f.pool, f.config, f.ctx);
    EXPECT_TRUE(f.ctx.sent.empty());
    EXPECT_EQ(f.swarms.idle().size(), 1u);  // a lookup for the own swarm
    f.know_swarm(0, 5);
    const auto node = f.poll(PART_T0);
    EXPECT_FALSE(f.poller.wants_poll());
    EXPECT_EQ(f.ctx.counter(client_counter::polls), 1u);
    auto request = parse_rpc_request(f.ctx.sent.back().body);
    ASSERT_TRUE(request.ok());
    const auto& r = std::get<RetrieveRequest>(*request);
    EXPECT_EQ(r.pubkey, f.own);
    EXPECT_TRUE(r.authenticated);
    EXPECT_TRUE(!r.last_hash || r.last_hash->empty());
    EXPECT_TRUE(contains_node(f.swarms.cached(f.own), node));
}

TEST(ClientPollerTest, DesktopRearmsFiveSecondsAfterEachRoundAndSendsTheLastHashPerNode) {
    Fixture f;
    f.poller.start();
    f.know_swarm(7, 8);  // one member
    const auto node = f.poll(PART_T0);
    std::vector<std::string> delivered;
    auto deliver = [&](const RetrievedMessage& m) { delivered.push_back(m.hash); };
    const Timestamp t1 = PART_T0 + milliseconds(50);
    f.poller.on_reply(t1, node, OnionOutcome{true, 200, f.reply({hash_of('a'), hash_of('b')}), 1}, f.swarms, f.pool,
                      f.config, f.ctx, deliver);
    EXPECT_EQ(delivered, (std::vector<std::string>{hash_of('a'), hash_of('b')}));
    EXPECT_EQ(f.poller.last_hash(node), hash_of('b'));
    const auto t = f.ctx.timers.back();
    EXPECT_EQ(t.kind, ClientTimer::poll);
    EXPECT_EQ(t.at, t1 + milliseconds(f.config.desktop_poll_interval_ms));
    f.poller.on_timer(t.at, f.config, f.ctx);
    EXPECT_TRUE(f.poller.wants_poll());
    f.poll(t.at);
    auto request = parse_rpc_request(f.ctx.sent.back().body);
    EXPECT_EQ(std::get<RetrieveRequest>(*request).last_hash.value_or(""), hash_of('b'));
    // The same messages again (a node ignoring last_hash): duplicates, not delivered.
    f.poller.on_reply(t.at, node, OnionOutcome{true, 200, f.reply({hash_of('b'), hash_of('c')}), 1}, f.swarms, f.pool,
                      f.config, f.ctx, deliver);
    EXPECT_EQ(delivered.size(), 3u);
    EXPECT_EQ(f.ctx.counter(client_counter::duplicate_message), 1u);
}

TEST(ClientPollerTest, OfflineTheDesktopLoopKeepsTickingWithoutPolling) {
    Fixture f;
    f.ctx.online = false;
    f.poller.on_timer(PART_T0, f.config, f.ctx);
    EXPECT_FALSE(f.poller.wants_poll());
    ASSERT_EQ(f.ctx.timers.size(), 1u);
    EXPECT_EQ(f.ctx.timers[0].at, PART_T0 + milliseconds(f.config.desktop_poll_interval_ms));
    f.poller.done(PART_T0, true, f.swarms, f.pool, f.config, f.ctx);  // armed already: no second timer
    EXPECT_EQ(f.ctx.timers.size(), 1u);
}

TEST(ClientPollerTest, FailedRoundsAreCountedAndA421ReplacesTheOwnSwarm) {
    Fixture f;
    f.poller.start();
    f.know_swarm(0, 5);
    auto node = f.poll(PART_T0);
    const auto right = f.slice(10, 15);
    f.poller.on_reply(PART_T0, node, OnionOutcome{true, 421, get_swarm_reply(right, SwarmId{2}), 1}, f.swarms, f.pool,
                      f.config, f.ctx, [](const RetrievedMessage&) { FAIL(); });
    EXPECT_EQ(f.ctx.counter(client_counter::wrong_swarm), 1u);
    EXPECT_EQ(f.ctx.counter(client_counter::polls_failed), 1u);
    for (const auto& n : f.swarms.cached(f.own)) EXPECT_EQ(n.swarm_id, 2u);
    // An unparsable 421 drops the answering node from the cached swarm.
    f.poller.on_timer(PART_T0, f.config, f.ctx);
    node = f.poll(PART_T0);
    f.poller.on_reply(PART_T0, node, OnionOutcome{true, 421, "garbage", 1}, f.swarms, f.pool, f.config, f.ctx,
                      [](const RetrievedMessage&) { FAIL(); });
    EXPECT_EQ(f.swarms.cached(f.own).size(), 4u);
    EXPECT_FALSE(contains_node(f.swarms.cached(f.own), node));
    f.poller.on_timer(PART_T0, f.config, f.ctx);
    node = f.poll(PART_T0);
    f.poller.on_reply(PART_T0, node, OnionOutcome{true, 200, "{\"messages\": 3}", 1}, f.swarms, f.pool, f.config,
                      f.ctx, [](const RetrievedMessage&) { FAIL(); });
    EXPECT_EQ(f.ctx.counter(client_counter::bad_retrieve_reply), 1u);
    EXPECT_EQ(f.ctx.counter(client_counter::polls_failed), 3u);
}

TEST(ClientPollerTest, AndroidPollsOneMemberBackToBackAndBacksOffWhenAllFailed) {
    Fixture f(ClientProfile::android);
    f.poller.start();
    f.know_swarm(0, 3);
    const auto first = f.poll(PART_T0);
    f.poller.on_reply(PART_T0, first, OnionOutcome{true, 200, f.reply({}), 1}, f.swarms, f.pool, f.config, f.ctx,
                      [](const RetrievedMessage&) {});
    EXPECT_EQ(f.ctx.timers.back().at, PART_T0);  // back-to-back
    for (int i = 0; i < 5; ++i) {
        f.poller.on_timer(PART_T0, f.config, f.ctx);
        EXPECT_EQ(f.poll(PART_T0), first);
        f.poller.on_reply(PART_T0, first, OnionOutcome{true, 200, f.reply({}), 1}, f.swarms, f.pool, f.config, f.ctx,
                          [](const RetrievedMessage&) {});
    }
    // Errors: every member once (immediately), then 2 s, growing ×1.2 per exhausted round.
    std::vector<std::int64_t> waits;
    std::set<Ed25519Pubkey> tried;
    Timestamp now = PART_T0;
    for (int round = 0; round < 9; ++round) {
        f.poller.on_timer(now, f.config, f.ctx);
        const auto node = f.poll(now);
        tried.insert(node);
        f.poller.on_reply(now, node, OnionOutcome{}, f.swarms, f.pool, f.config, f.ctx, [](const RetrievedMessage&) {});
        const auto at = f.ctx.timers.back().at;
        waits.push_back(unix_ms(at) - unix_ms(now));
        now = at;
    }
    EXPECT_EQ(tried.size(), 3u);
    EXPECT_EQ(waits, (std::vector<std::int64_t>{0, 0, 2'000, 0, 0, 2'400, 0, 0, 2'880}));
}

TEST(ClientPollerTest, AndroidBackoffIsCappedAndResetBySuccess) {
    Fixture f(ClientProfile::android);
    f.poller.start();
    f.know_swarm(4, 5);  // one member: every failure exhausts the round
    Timestamp now = PART_T0;
    std::int64_t last = 0;
    for (int round = 0; round < 20; ++round) {
        f.poller.on_timer(now, f.config, f.ctx);
        const auto node = f.poll(now);
        f.poller.on_reply(now, node, OnionOutcome{}, f.swarms, f.pool, f.config, f.ctx, [](const RetrievedMessage&) {});
        last = unix_ms(f.ctx.timers.back().at) - unix_ms(now);
        now = f.ctx.timers.back().at;
    }
    EXPECT_EQ(last, f.config.android_max_delay_ms);
    f.poller.on_timer(now, f.config, f.ctx);
    const auto node = f.poll(now);
    f.poller.on_reply(now, node, OnionOutcome{true, 200, f.reply({}), 1}, f.swarms, f.pool, f.config, f.ctx,
                      [](const RetrievedMessage&) {});
    f.poller.on_timer(now, f.config, f.ctx);
    f.poll(now);
    f.poller.on_reply(now, node, OnionOutcome{}, f.swarms, f.pool, f.config, f.ctx, [](const RetrievedMessage&) {});
    EXPECT_EQ(unix_ms(f.ctx.timers.back().at) - unix_ms(now), f.config.android_all_tried_delay_ms);
}

}  // namespace
}  // namespace sessionproto
