// SendQueue alone (models/session/node/client/send_queue.hpp): a job waits for its recipient's
// swarm, stores to a member, and follows MessageSender's retry schedule.
#include "models/session/node/client/send_queue.hpp"

#include <gtest/gtest.h>

#include "client_parts.hpp"
#include "models/session/storage/rpc.hpp"

namespace sessionproto {
namespace {

using std::chrono::milliseconds;
using test::FakeContext;
using test::PART_T0;

struct Fixture : test::PoolFixture {
    SwarmCache swarms;
    PathSet paths{*SessionId::parse("05" + std::string(64, 'b'))};
    SendQueue queue;
    AccountId bob = *AccountId::parse("05" + std::string(64, 'c'));

    Fixture() {
        SendJob job{bob, "m1", to_bytes("sealed"), unix_ms(PART_T0)};
        queue.add(500, std::move(job));
    }
    void know_bobs_swarm() {
        swarms.replace_from(bob.as_session_id(), get_swarm_reply(slice(10, 15), SwarmId{2}), ctx.entropy());
    }
};

TEST(ClientSendQueueTest, AJobWaitsForTheRecipientsSwarmThenStoresToAMember) {
    Fixture f;
    EXPECT_EQ(f.queue.ready(), (std::vector<std::uint64_t>{500}));
    f.queue.try_send(PART_T0, 500, f.swarms, f.pool, f.config, f.ctx);
    EXPECT_TRUE(f.ctx.sent.empty());
    EXPECT_TRUE(f.queue.ready().empty());  // waiting for the lookup
    ASSERT_EQ(f.swarms.idle().size(), 1u);
    f.know_bobs_swarm();
    f.queue.resume(500);
    f.queue.try_send(PART_T0, 500, f.swarms, f.pool, f.config, f.ctx);
    ASSERT_EQ(f.ctx.sent.size(), 1u);
    const auto& s = f.ctx.sent[0];
    EXPECT_EQ(s.kind, ClientRequest::store);
    EXPECT_EQ(s.ref, 500u);
    EXPECT_EQ(s.timeout_ms, f.config.profile.onion_timeout_ms);
    EXPECT_TRUE(contains_node(f.swarms.cached(f.bob.as_session_id()), s.to.ed25519));
    auto request = parse_rpc_request(s.body);
    ASSERT_TRUE(request.ok());
    const auto& store = std::get<StoreRequest>(*request);
    EXPECT_EQ(store.pubkey, f.bob.as_session_id());
    EXPECT_EQ(store.data, to_bytes("sealed"));
    EXPECT_EQ(store.expiry_ms - store.timestamp_ms, f.config.message_ttl_ms);
    const auto sent = f.ctx.events_of<app::MessageSent>();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].hash, "m1");
    EXPECT_EQ(sent[0].attempt, 1u);
    EXPECT_EQ(sent[0].owner, f.bob.as_session_id());
}

TEST(ClientSendQueueTest, WithoutAPathTheJobStaysReady) {
    Fixture f;
    f.know_bobs_swarm();
    f.ctx.paths_available = false;
    f.queue.try_send(PART_T0, 500, f.swarms, f.pool, f.config, f.ctx);
    EXPECT_EQ(f.queue.ready(), (std::vector<std::uint64_t>{500}));
    EXPECT_TRUE(f.ctx.events.empty());
}

TEST(ClientSendQueueTest, FailedAttemptsRetryAHundredMillisecondsApartThreeTimes) {
    // Desktop MessageSender.send: pRetry {retries: 2, factor: 1, minTimeout: 100}.
    Fixture f;
    f.know_bobs_swarm();
    Timestamp now = PART_T0;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        f.queue.try_send(now, 500, f.swarms, f.pool, f.config, f.ctx);
        f.queue.on_store_reply(now, 500, OnionOutcome{true, 500, "boom", 1}, f.paths, f.config, f.ctx);
        if (attempt < 3) {
            EXPECT_EQ(f.ctx.timers.back().kind, ClientTimer::store_retry);
            EXPECT_EQ(f.ctx.timers.back().at, now + milliseconds(100));
            EXPECT_TRUE(f.queue.ready().empty());
            now = f.ctx.timers.back().at;
            f.queue.resume(500);
        }
    }
    const auto sent = f.ctx.events_of<app::MessageSent>();
    ASSERT_EQ(sent.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(sent[i].attempt, i + 1);
    const auto failed = f.ctx.events_of<app::StoreFailed>();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].attempts, 3u);
    EXPECT_EQ(failed[0].reason, "status 500");
    EXPECT_EQ(f.queue.size(), 0u);
}

TEST(ClientSendQueueTest, ConfirmationNamesTheGuardAndClockErrorsAbortAtOnce) {
    Fixture f;
    f.know_bobs_swarm();
    f.queue.try_send(PART_T0, 500, f.swarms, f.pool, f.config, f.ctx);
    f.queue.on_store_reply(PART_T0 + milliseconds(80), 500, OnionOutcome{true, 200, "{}", 42}, f.paths, f.config, f.ctx);
    const auto confirmed = f.ctx.events_of<app::StoreConfirmed>();
    ASSERT_EQ(confirmed.size(), 1u);
    EXPECT_EQ(confirmed[0].latency_ms, 80);
    EXPECT_EQ(confirmed[0].hash, "m1");
    EXPECT_EQ(confirmed[0].guard, std::nullopt);  // path 42 is not one of `paths`
    EXPECT_EQ(f.queue.size(), 0u);

    f.queue.add(501, SendJob{f.bob, "m2", to_bytes("x"), unix_ms(PART_T0)});
    f.queue.try_send(PART_T0, 501, f.swarms, f.pool, f.config, f.ctx);
    f.queue.on_store_reply(PART_T0, 501, OnionOutcome{true, 425, "", 1}, f.paths, f.config, f.ctx);
    const auto failed = f.ctx.events_of<app::StoreFailed>();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].reason, "clock error");
    EXPECT_EQ(failed[0].hash, "m2");
    EXPECT_EQ(failed[0].attempts, 1u);
    EXPECT_FALSE(f.queue.recipient(501));
}

TEST(ClientSendQueueTest, AnOnionFailureAndA421AreFailedAttempts) {
    Fixture f;
    f.know_bobs_swarm();
    EXPECT_EQ(f.queue.recipient(500), f.bob.as_session_id());
    f.queue.try_send(PART_T0, 500, f.swarms, f.pool, f.config, f.ctx);
    f.queue.on_store_reply(PART_T0, 500, OnionOutcome{}, f.paths, f.config, f.ctx);
    f.queue.resume(500);
    f.queue.try_send(PART_T0, 500, f.swarms, f.pool, f.config, f.ctx);
    f.queue.on_store_reply(PART_T0, 500, OnionOutcome{true, 421, "", 1}, f.paths, f.config, f.ctx);
    f.queue.resume(500);
    f.queue.try_send(PART_T0, 500, f.swarms, f.pool, f.config, f.ctx);
    f.queue.attempt_failed(PART_T0, 500, "get_swarm failed", f.config, f.ctx);
    const auto failed = f.ctx.events_of<app::StoreFailed>();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].reason, "get_swarm failed");
    EXPECT_EQ(f.ctx.timers_of(ClientTimer::store_retry).size(), 2u);
}

}  // namespace
}  // namespace sessionproto
