// Poller alone (models/session/node/client/poller.hpp) under each shipped profile: the batch of
// namespaces a poll carries, the members a round asks (desktop 2024: 1; desktop 2026: 2, merged;
// Android: a rotation without replacement), the schedules (desktop: 5 s after each round; Android:
// 2 s after a success, 2 s × (failures + 1) capped at 10 s), the last hash per (node, namespace),
// dedupe, and what a 421 does to the own swarm. Sources: PROFILES.md "Polling".
#include "models/session/node/client/poller.hpp"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "client_parts.hpp"
#include "models/session/storage/batch_rpc.hpp"
#include "models/session/storage/rpc.hpp"

namespace sessionproto {
namespace {

using std::chrono::milliseconds;
using test::FakeContext;
using test::PART_T0;

std::string hash_of(char c) { return std::string(43, c); }

struct Fixture : test::PoolFixture {
    Ed25519Keypair me;
    SessionId own;
    SwarmCache swarms;
    Poller poller;

    explicit Fixture(std::string_view profile = "desktop-2024-12")
        : me(ed25519_generate(ctx.entropy())), own(AccountId(x25519_from_ed25519(me).pub).as_session_id()), poller(own) {
        config.profile = *find_client_profile(profile).profile;
    }
    void know_swarm(int from, int to) {
        swarms.replace_from(own, get_swarm_reply(slice(from, to), SwarmId{1}), ctx.entropy());
    }
    /// Starts a round; returns the nodes it went to.
    std::vector<Ed25519Pubkey> round(Timestamp now) {
        const std::size_t before = ctx.sent.size();
        poller.try_poll(now, me, swarms, pool, config, ctx);
        std::vector<Ed25519Pubkey> to;
        for (std::size_t i = before; i < ctx.sent.size(); ++i) to.push_back(ctx.sent[i].to.ed25519);
        return to;
    }
    Ed25519Pubkey poll(Timestamp now) {
        const auto to = round(now);
        EXPECT_EQ(to.size(), 1u);
        return to.empty() ? Ed25519Pubkey{} : to.front();
    }
    /// A node's batch answer: `hashes` in namespace 0, nothing in the config namespaces.
    std::string reply(const std::vector<std::string>& hashes) const {
        std::vector<BatchAnswer> answers;
        for (const auto& pn : config.profile.poll_namespaces) {
            RetrieveReply r;
            if (pn.ns == Namespace::default_ns) {
                for (const auto& h : hashes) r.messages.push_back(RetrievedMessage{h, 1, unix_ms(PART_T0) + 60'000, to_bytes("x")});
            }
            answers.push_back(BatchAnswer{200, to_json(r).dump(), true});
        }
        return batch_reply_body(answers);
    }
    void answer(Timestamp now, const Ed25519Pubkey& node, std::string body,
                const std::function<void(const RetrievedMessage&)>& deliver = [](const RetrievedMessage&) {}) {
        poller.on_reply(now, poller.round(), node, OnionOutcome{true, 200, std::move(body), 1}, swarms, pool, config, ctx,
                        deliver);
    }
    void fail(Timestamp now, const Ed25519Pubkey& node) {
        poller.on_reply(now, poller.round(), node, OnionOutcome{}, swarms, pool, config, ctx, [](const RetrievedMessage&) {});
    }
    /// The retrieves of the last poll sent, in order.
    std::vector<RetrieveRequest> last_retrieves() const {
        const auto j = nlohmann::json::parse(ctx.sent.back().body);
        EXPECT_EQ(j.at("method"), "batch");
        auto subs = parse_batch_params(j.at("params"));
        EXPECT_TRUE(subs.ok());
        std::vector<RetrieveRequest> out;
        for (const auto& s : *subs) {
            EXPECT_EQ(s.method, "retrieve");
            auto r = parse_rpc_params(s.method, s.params);
            EXPECT_TRUE(r.ok());
            out.push_back(std::get<RetrieveRequest>(*r));
        }
        return out;
    }
};

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
    EXPECT_EQ(f.ctx.counter(client_counter::retrieves), 5u);
    EXPECT_TRUE(contains_node(f.swarms.cached(f.own), node));
}

TEST(ClientPollerTest, EachPollIsABatchOverTheProfilesNamespacesWithTheirMaxSizes) {
    // Desktop swarmPolling.ts getUserNamespacesPolled: 0, 2, 3, 5, 4; Android Poller.kt: 0, 2, 3,
    // 4, 5; max_size -2 for messages, -8 for configs (namespaces.ts maxSizeMap, RetrieveMessageApi.kt).
    const std::vector<std::pair<const char*, std::vector<int>>> cases{
        {"desktop-2024-12", {0, 2, 3, 5, 4}}, {"desktop-2026-04", {0, 2, 3, 5, 4}}, {"android-2026-04", {0, 2, 3, 4, 5}}};
    for (const auto& [profile, order] : cases) {
        Fixture f(profile);
        f.poller.start();
        f.know_swarm(0, 5);
        f.round(PART_T0);
        const auto retrieves = f.last_retrieves();
        ASSERT_EQ(retrieves.size(), order.size()) << profile;
        for (std::size_t i = 0; i < order.size(); ++i) {
            EXPECT_EQ(to_int(retrieves[i].ns), order[i]) << profile;
            EXPECT_EQ(retrieves[i].max_size, i == 0 ? -2 : -8) << profile;
            EXPECT_EQ(retrieves[i].pubkey, f.own);
            EXPECT_TRUE(retrieves[i].authenticated);
            EXPECT_TRUE(validate(retrieves[i], unix_ms(PART_T0)).ok());  // each signed for its namespace
        }
    }
}

TEST(ClientPollerTest, OnceTheConfigsAreStoredEachPollEndsWithAnExpireOfTheirHashes) {
    // Desktop swarmPolling.ts: expire(currentHashes / activeHashes) to now + 30 days, no flag,
    // after the retrieves; Android Poller.kt: AlterTtl to now + 14 days with extend = true.
    const std::vector<std::string> hashes{hash_of('p'), hash_of('c'), hash_of('v'), hash_of('g')};
    const std::vector<std::tuple<const char*, std::int64_t, ExpireMode>> cases{
        {"desktop-2024-12", 30LL * 86'400'000, ExpireMode::set},
        {"desktop-2026-04", 30LL * 86'400'000, ExpireMode::set},
        {"android-2026-04", 14LL * 86'400'000, ExpireMode::extend}};
    for (const auto& [profile, ahead_ms, mode] : cases) {
        Fixture f(profile);
        f.poller.start();
        f.know_swarm(0, 5);
        f.poller.try_poll(PART_T0, f.me, f.swarms, f.pool, f.config, f.ctx, {});
        auto subs = parse_batch_params(nlohmann::json::parse(f.ctx.sent.back().body).at("params"));
        ASSERT_TRUE(subs.ok());
        EXPECT_EQ(subs->size(), f.config.profile.poll_namespaces.size()) << profile;  // nothing stored: no bump
        EXPECT_EQ(f.ctx.counter(client_counter::config_bumps), 0u);

        for (const auto& sent : f.ctx.sent) f.answer(PART_T0, sent.to.ed25519, f.reply({}));
        const Timestamp t = PART_T0 + milliseconds(10'000);
        f.poller.on_timer(t, f.config, f.ctx);
        const std::size_t before = f.ctx.sent.size();
        f.poller.try_poll(t, f.me, f.swarms, f.pool, f.config, f.ctx, hashes);
        ASSERT_GT(f.ctx.sent.size(), before) << profile;
        subs = parse_batch_params(nlohmann::json::parse(f.ctx.sent.back().body).at("params"));
        ASSERT_TRUE(subs.ok());
        ASSERT_EQ(subs->size(), f.config.profile.poll_namespaces.size() + 1) << profile;
        EXPECT_EQ(subs->back().method, "expire") << profile;
        auto expire = parse_rpc_params("expire", subs->back().params);
        ASSERT_TRUE(expire.ok());
        const auto& e = std::get<ExpireRequest>(*expire);
        EXPECT_EQ(e.messages, hashes);
        ASSERT_EQ(e.expiry_ms.size(), 1u);
        EXPECT_EQ(e.expiry_ms[0], unix_ms(t) + ahead_ms) << profile;
        EXPECT_EQ(e.mode, mode) << profile;
        EXPECT_TRUE(validate_expire(e, unix_ms(t)).ok()) << profile;  // signed by the account
        EXPECT_EQ(f.ctx.counter(client_counter::config_bumps), f.ctx.sent.size() - before);

        // The answer carries one more result; a failed expire is counted, the poll is not failed.
        std::vector<BatchAnswer> answers;
        for (std::size_t i = 0; i < f.config.profile.poll_namespaces.size(); ++i) {
            answers.push_back(BatchAnswer{200, to_json(RetrieveReply{}).dump(), true});
        }
        answers.push_back(BatchAnswer{401, "bad signature", false});
        const auto failed_before = f.ctx.counter(client_counter::polls_failed);
        for (std::size_t i = before; i < f.ctx.sent.size(); ++i) {
            f.answer(t, f.ctx.sent[i].to.ed25519, batch_reply_body(answers));
        }
        EXPECT_EQ(f.ctx.counter(client_counter::config_bumps_failed), f.ctx.sent.size() - before) << profile;
        EXPECT_EQ(f.ctx.counter(client_counter::polls_failed), failed_before) << profile;
        EXPECT_EQ(f.ctx.counter(client_counter::bad_retrieve_reply), 0u) << profile;
    }
}

TEST(ClientPollerTest, Desktop2024RearmsFiveSecondsAfterEachRoundAndSendsTheLastHashPerNode) {
    Fixture f;
    f.poller.start();
    f.know_swarm(7, 8);  // one member
    const auto node = f.poll(PART_T0);
    std::vector<std::string> delivered;
    auto deliver = [&](const RetrievedMessage& m) { delivered.push_back(m.hash); };
    const Timestamp t1 = PART_T0 + milliseconds(50);
    f.answer(t1, node, f.reply({hash_of('a'), hash_of('b')}), deliver);
    EXPECT_EQ(delivered, (std::vector<std::string>{hash_of('a'), hash_of('b')}));
    EXPECT_EQ(f.poller.last_hash(node), hash_of('b'));
    EXPECT_FALSE(f.poller.last_hash(node, Namespace::contacts));  // nothing in namespace 3
    const auto t = f.ctx.timers.back();
    EXPECT_EQ(t.kind, ClientTimer::poll);
    EXPECT_EQ(t.at, t1 + milliseconds(5'000));
    f.poller.on_timer(t.at, f.config, f.ctx);
    EXPECT_TRUE(f.poller.wants_poll());
    f.poll(t.at);
    EXPECT_EQ(f.last_retrieves()[0].last_hash.value_or(""), hash_of('b'));
    EXPECT_EQ(f.last_retrieves()[1].last_hash.value_or(""), "");
    // The same messages again (a node ignoring last_hash): duplicates, not delivered.
    f.answer(t.at, node, f.reply({hash_of('b'), hash_of('c')}), deliver);
    EXPECT_EQ(delivered.size(), 3u);
    EXPECT_EQ(f.ctx.counter(client_counter::duplicate_message), 1u);
}

TEST(ClientPollerTest, Desktop2026AsksTwoDistinctMembersAndMergesTheirAnswers) {
    Fixture f("desktop-2026-04");
    f.poller.start();
    f.know_swarm(0, 5);
    const auto to = f.round(PART_T0);
    ASSERT_EQ(to.size(), 2u);
    EXPECT_NE(to[0], to[1]);
    EXPECT_EQ(f.ctx.counter(client_counter::polls), 2u);
    std::vector<std::string> delivered;
    auto deliver = [&](const RetrievedMessage& m) { delivered.push_back(m.hash); };
    f.answer(PART_T0 + milliseconds(40), to[0], f.reply({hash_of('a'), hash_of('b')}), deliver);
    EXPECT_TRUE(f.ctx.timers_of(ClientTimer::poll).empty());  // the round waits for its second member
    f.answer(PART_T0 + milliseconds(90), to[1], f.reply({hash_of('b'), hash_of('c')}), deliver);
    EXPECT_EQ(delivered, (std::vector<std::string>{hash_of('a'), hash_of('b'), hash_of('c')}));  // merged by hash
    ASSERT_EQ(f.ctx.timers_of(ClientTimer::poll).size(), 1u);
    EXPECT_EQ(f.ctx.timers_of(ClientTimer::poll)[0].at, PART_T0 + milliseconds(90 + 5'000));
    EXPECT_EQ(f.poller.last_hash(to[0]), hash_of('b'));
    EXPECT_EQ(f.poller.last_hash(to[1]), hash_of('c'));
}

TEST(ClientPollerTest, Desktop2026PollsNothingWithFewerThanTwoCachedMembers) {
    Fixture f("desktop-2026-04");
    f.poller.start();
    f.know_swarm(3, 4);
    EXPECT_TRUE(f.round(PART_T0).empty());
    EXPECT_EQ(f.ctx.counter(client_counter::polls_failed), 1u);
    EXPECT_EQ(f.ctx.timers_of(ClientTimer::poll).size(), 1u);
    // The 2024 release asks the one member there is.
    Fixture old;
    old.poller.start();
    old.know_swarm(3, 4);
    EXPECT_EQ(old.round(PART_T0).size(), 1u);
}

TEST(ClientPollerTest, Desktop2024DrawsItsMemberUniformly) {
    // pollOnceForKey: sample(swarmSnodes), with replacement across rounds: over 5 members each
    // is drawn 1/5 of the time. 2,000 rounds: each count within 4 sd of 400 (sd = sqrt(2000·0.2·0.8)).
    Fixture f;
    f.poller.start();
    f.know_swarm(0, 5);
    std::map<Ed25519Pubkey, int> counts;
    Timestamp now = PART_T0;
    for (int i = 0; i < 2'000; ++i) {
        const auto node = f.poll(now);
        ++counts[node];
        f.answer(now, node, f.reply({}));
        now = f.ctx.timers.back().at;
        f.poller.on_timer(now, f.config, f.ctx);
    }
    ASSERT_EQ(counts.size(), 5u);
    for (const auto& [node, n] : counts) EXPECT_NEAR(n, 400, 4 * 17.9);
}

TEST(ClientPollerTest, Desktop2024EndsARoundAfterTenSecondsAndDropsTheLateAnswer) {
    // retrieveNextMessages: Promise.race([sleepFor(10 s), the request]); the request (up to 4
    // onion tries of 25 s) may still answer later, and its result is abandoned.
    Fixture f;
    f.poller.start();
    f.know_swarm(0, 5);
    const auto node = f.poll(PART_T0);
    const std::uint64_t round = f.poller.round();
    const auto timers = f.ctx.timers_of(ClientTimer::poll_round);
    ASSERT_EQ(timers.size(), 1u);
    EXPECT_EQ(timers[0].at, PART_T0 + milliseconds(10'000));
    f.poller.on_round_timeout(timers[0].at, timers[0].ref, f.config, f.ctx);
    EXPECT_EQ(f.ctx.counter(client_counter::poll_rounds_timed_out), 1u);
    EXPECT_EQ(f.ctx.counter(client_counter::polls_failed), 1u);
    EXPECT_EQ(f.ctx.timers_of(ClientTimer::poll).back().at, PART_T0 + milliseconds(15'000));
    f.poller.on_reply(PART_T0 + milliseconds(30'000), round, node, OnionOutcome{true, 200, f.reply({hash_of('z')}), 1},
                      f.swarms, f.pool, f.config, f.ctx, [](const RetrievedMessage&) { FAIL(); });
    EXPECT_EQ(f.ctx.counter(client_counter::late_poll_replies), 1u);
    EXPECT_FALSE(f.poller.last_hash(node));
    // Android has no such race: its round waits for the answer.
    EXPECT_EQ(find_client_profile("android-2026-04").profile->poll_round_timeout_ms, 0);
}

TEST(ClientPollerTest, OfflineTheDesktopLoopKeepsTickingWithoutPolling) {
    Fixture f;
    f.ctx.online = false;
    f.poller.on_timer(PART_T0, f.config, f.ctx);
    EXPECT_FALSE(f.poller.wants_poll());
    ASSERT_EQ(f.ctx.timers.size(), 1u);
    EXPECT_EQ(f.ctx.timers[0].at, PART_T0 + milliseconds(5'000));
    f.poller.done(PART_T0, true, f.config, f.ctx);  // armed already: no second timer
    EXPECT_EQ(f.ctx.timers.size(), 1u);
}

TEST(ClientPollerTest, FailedRoundsAreCountedAndA421ReplacesTheOwnSwarm) {
    Fixture f;
    f.poller.start();
    f.know_swarm(0, 5);
    auto node = f.poll(PART_T0);
    const auto right = f.slice(10, 15);
    // A 421 inside the batch (each sub-request is checked on its own: service_node_batch.cpp).
    std::vector<BatchAnswer> wrong;
    for (std::size_t i = 0; i < 5; ++i) wrong.push_back(BatchAnswer{421, get_swarm_reply(right, SwarmId{2}), true});
    f.answer(PART_T0, node, batch_reply_body(wrong), [](const RetrievedMessage&) { FAIL(); });
    EXPECT_GE(f.ctx.counter(client_counter::wrong_swarm), 1u);
    EXPECT_EQ(f.ctx.counter(client_counter::polls_failed), 1u);
    for (const auto& n : f.swarms.cached(f.own)) EXPECT_EQ(n.swarm_id, 2u);
    // A top-level 421 whose body does not parse drops the answering node from the cached swarm.
    f.poller.on_timer(PART_T0, f.config, f.ctx);
    node = f.poll(PART_T0);
    f.poller.on_reply(PART_T0, f.poller.round(), node, OnionOutcome{true, 421, "garbage", 1}, f.swarms, f.pool, f.config, f.ctx,
                      [](const RetrievedMessage&) { FAIL(); });
    EXPECT_EQ(f.swarms.cached(f.own).size(), 4u);
    EXPECT_FALSE(contains_node(f.swarms.cached(f.own), node));
    // A batch reply with the wrong number of results, and one that is not JSON.
    f.poller.on_timer(PART_T0, f.config, f.ctx);
    node = f.poll(PART_T0);
    f.answer(PART_T0, node, R"({"results":[{"code":200,"body":{"messages":[]}}]})", [](const RetrievedMessage&) { FAIL(); });
    f.poller.on_timer(PART_T0, f.config, f.ctx);
    node = f.poll(PART_T0);
    f.answer(PART_T0, node, "not json", [](const RetrievedMessage&) { FAIL(); });
    EXPECT_EQ(f.ctx.counter(client_counter::bad_retrieve_reply), 2u);
    EXPECT_EQ(f.ctx.counter(client_counter::polls_failed), 4u);
}

TEST(ClientPollerTest, AndroidRotatesMembersWithoutReplacement) {
    // SwarmSnodeSelector.kt: a member not yet used, until all were; then a new rotation.
    Fixture f("android-2026-04");
    f.poller.start();
    f.know_swarm(0, 5);
    Timestamp now = PART_T0;
    for (int rotation = 0; rotation < 20; ++rotation) {
        std::set<Ed25519Pubkey> used;
        for (int i = 0; i < 5; ++i) {
            const auto node = f.poll(now);
            EXPECT_TRUE(used.insert(node).second);
            f.answer(now, node, f.reply({}));
            now = f.ctx.timers.back().at;
            f.poller.on_timer(now, f.config, f.ctx);
        }
        EXPECT_EQ(used.size(), 5u);
    }
}

TEST(ClientPollerTest, AndroidWaitsTwoSecondsAfterASuccessAndBacksOffLinearlyToTenSeconds) {
    // BasePoller.kt: 2 s after a success; (2 × (failures + 1)) s after failures, at most 10 s.
    Fixture f("android-2026-04");
    f.poller.start();
    f.know_swarm(0, 3);
    Timestamp now = PART_T0;
    auto wait_after = [&](bool ok) {
        const auto node = f.poll(now);
        if (ok) {
            f.answer(now, node, f.reply({}));
        } else {
            f.fail(now, node);
        }
        const auto at = f.ctx.timers.back().at;
        const std::int64_t wait = unix_ms(at) - unix_ms(now);
        now = at;
        f.poller.on_timer(now, f.config, f.ctx);
        return wait;
    };
    EXPECT_EQ(wait_after(true), 2'000);
    std::vector<std::int64_t> waits;
    for (int i = 0; i < 6; ++i) waits.push_back(wait_after(false));
    EXPECT_EQ(waits, (std::vector<std::int64_t>{4'000, 6'000, 8'000, 10'000, 10'000, 10'000}));
    EXPECT_EQ(wait_after(true), 2'000);  // a success resets the count
    EXPECT_EQ(wait_after(false), 4'000);
}

TEST(ClientPollerTest, AndroidCountsAnyFailedNamespaceAsAFailedPoll) {
    // Poller.kt result.getOrThrow(): one namespace failing fails the poll (desktop keeps it).
    for (const auto* profile : {"android-2026-04", "desktop-2024-12"}) {
        Fixture f(profile);
        f.poller.start();
        f.know_swarm(0, 5);
        const auto node = f.poll(PART_T0);
        std::vector<BatchAnswer> answers;
        for (std::size_t i = 0; i < 5; ++i) {
            answers.push_back(i == 3 ? BatchAnswer{500, "boom", false} : BatchAnswer{200, R"({"messages":[]})", true});
        }
        f.answer(PART_T0, node, batch_reply_body(answers));
        EXPECT_EQ(f.ctx.counter(client_counter::polls_failed), std::string_view(profile) == "android-2026-04" ? 1u : 0u)
            << profile;
    }
}

TEST(ClientPollerTest, AndroidPollsOnlyInTheForeground) {
    Fixture f("android-2026-04");
    f.poller.start();
    f.know_swarm(0, 3);
    const auto node = f.poll(PART_T0);
    f.answer(PART_T0, node, f.reply({}));
    f.ctx.online = false;  // the app went to the background
    f.poller.on_timer(PART_T0 + milliseconds(2'000), f.config, f.ctx);
    EXPECT_EQ(f.ctx.timers_of(ClientTimer::poll).size(), 1u);  // no timer re-armed while away
    EXPECT_TRUE(f.round(PART_T0 + milliseconds(2'000)).empty());
    f.ctx.online = true;
    f.poller.on_online(f.config);
    EXPECT_TRUE(f.poller.wants_poll());
    EXPECT_EQ(f.round(PART_T0 + milliseconds(60'000)).size(), 1u);
}

}  // namespace
}  // namespace sessionproto
