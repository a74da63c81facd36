// End to end, at a fixed seed, on the real protocol path: clients, onion requests, service
// nodes, replication, polling.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "sim/host/randombytes_guard.hpp"
#include "sim/scenario/simulation.hpp"
#include "sim/adversary/churn/churn_adversary.hpp"
#include "sim/adversary/compromised/compromised_adversary.hpp"
#include "sim/adversary/link_observer/link_observer_adversary.hpp"
#include "sim/adversary/spam/spam_adversary.hpp"
#include "sim/scenario/run_outputs.hpp"
#include "sim/scenario/yaml_loader.hpp"

namespace sessionsim::scenario {
namespace {

ScenarioSpec e2e_spec(std::vector<std::string> overrides = {}) {
    return load_scenario(std::filesystem::path(SCENARIO_TEST_DIR) / "e2e_small.yaml", overrides);
}

std::uint64_t counter(const Simulation& world, const char* name) {
    return world.summary().at("counters").at(name).get<std::uint64_t>();
}

TEST(WorldEndToEnd, WithoutFaultsEveryMessageIsDeliveredOnceAndIntact) {
    Simulation world(e2e_spec());
    world.run();
    ASSERT_GT(world.world().messages_created(), 20u);
    // Everything sent a minute before the end has arrived, exactly once, with its content.
    EXPECT_EQ(world.world().undelivered_sent_before(world.world().end_time() - world::LATE_MESSAGE_WINDOW), 0u);
    EXPECT_EQ(counter(world, "deliveries_duplicate"), 0u);
    EXPECT_EQ(counter(world, "deliveries_corrupted"), 0u);
    EXPECT_EQ(counter(world, "deliveries_unrecognised"), 0u);
    const auto s = world.summary();
    EXPECT_EQ(s.at("messages_lost").get<std::uint64_t>(), 0u);
    EXPECT_DOUBLE_EQ(s.at("replication_coverage").get<double>(), 1.0);
    EXPECT_GE(s.at("messages_stored").get<std::uint64_t>(), s.at("messages_delivered").get<std::uint64_t>());
    EXPECT_EQ(host::randombytes_guard_calls(), 0u);  // every key and nonce came from seeded entropy
}

TEST(WorldEndToEnd, AKilledSwarmMemberLosesNothingWhileOthersLive) {
    // Requests through a dead node wait for Session's timeouts (25 s an onion request, 3 strikes
    // before a path is dropped), so give the clients time: 8 minutes, verdict on what was sent
    // more than 3 minutes before the end.
    Simulation world(e2e_spec({"duration=8min"}));
    world.world().engine().run_until(SIM_EPOCH + seconds(60));
    // Kill one member of every swarm.
    std::set<std::uint64_t> hit;
    for (std::size_t i = 0; i < world.world().service_node_count(); ++i) {
        const auto swarm = world.world().service_node(i).swarm_id().value;
        if (hit.insert(swarm).second) world.world().kill_service_node(i);
    }
    world.run();
    EXPECT_GT(world.world().messages_created(), 100u);
    // A stored message is never lost: the swarm's other members hold it. (A sender may still
    // give up on a store after Session's three attempts through dead nodes: counted apart.)
    EXPECT_EQ(world.world().undelivered_stored_before(world.world().end_time() - minutes(3)), 0u) << world.summary().dump(1);
    EXPECT_EQ(counter(world, "deliveries_duplicate"), 0u);
}

TEST(WorldEndToEnd, ClientsArriveOverTheScenariosRampAndDoNothingBefore) {
    // clients.arrival: each client starts at its own draw; before it, it sends and polls nothing.
    Simulation world(e2e_spec({"clients.arrival={dist: uniform, min: 0s, max: 4min}", "duration=5min"}));
    const SimTime check = SIM_EPOCH + minutes(2);
    world.world().engine().run_until(check);
    std::size_t early = 0;
    for (std::size_t i = 0; i < world.world().client_count(); ++i) {
        const SimTime at = world.world().client_started_at(i);
        EXPECT_GE(at, SIM_EPOCH);
        EXPECT_LE(at, SIM_EPOCH + minutes(4));
        const auto& c = world.world().client(i);
        if (at > check) {
            EXPECT_EQ(c.counter("polls"), 0u) << "client " << i << " polled before it started";
            EXPECT_EQ(c.pool_size(), 0u) << "client " << i;
        } else {
            ++early;
            if (at + seconds(30) < check) {
                EXPECT_GT(c.counter("polls"), 0u) << "client " << i;
            }
        }
    }
    // Half of the clients by 2 min of 4 (binomial, 99.9%: z = 3.29).
    const double n = static_cast<double>(world.world().client_count());
    EXPECT_NEAR(static_cast<double>(early) / n, 0.5, 3.29 * std::sqrt(0.25 / n)) << early << " of " << n;
    world.run();
    EXPECT_EQ(counter(world, "deliveries_duplicate"), 0u);
}

TEST(WorldEndToEnd, AMixOfReleasesRunsSideBySideEachAsItsProfileSays) {
    // 60% desktop 2026, 40% Android 2026: exact counts, shuffled over the clients.
    Simulation world(e2e_spec({"clients.profiles={desktop-2026-04: 0.6, android-2026-04: 0.4}", "clients.count=50"}));
    world.run();
    std::map<std::string, int> by_profile;
    for (std::size_t u = 0; u < world.world().client_count(); ++u) ++by_profile[std::string(world.world().client_profile(u).name)];
    EXPECT_EQ(by_profile, (std::map<std::string, int>{{"android-2026-04", 20}, {"desktop-2026-04", 30}}));
    // Not the first 30 and the last 20: the assignment is shuffled.
    std::size_t desktop_first = 0;
    for (std::size_t u = 0; u < 30; ++u) desktop_first += world.world().client_profile(u).name == "desktop-2026-04";
    EXPECT_LT(desktop_first, 30u);
    const auto p = world.summary().at("profiles");
    const auto& desktop = p.at("desktop-2026-04");
    const auto& android = p.at("android-2026-04");
    EXPECT_EQ(desktop.at("clients"), 30u);
    EXPECT_EQ(android.at("clients"), 20u);
    // Desktop: a sync copy per message (stores per message ≈ 2), 2 members per 5 s round (≈ 23
    // polls a minute), guard tests; Android: no sync copies, a poll ~2.1 s apart (≈ 28 a minute),
    // no guard tests. Every poll is a batch of 5 namespaces.
    EXPECT_NEAR(desktop.at("stores_per_message").get<double>(), 2.0, 0.1);
    EXPECT_NEAR(android.at("stores_per_message").get<double>(), 1.0, 0.1);
    // A round lasts about one onion round trip (mean L); clients start within the first 10 s of
    // the 3 minutes and poll after their bootstrap: about 5% of the run is lost (±15%).
    const double l = world.summary().at("onion_latency_ms").at("mean").get<double>() / 1000.0;
    const double running = (180.0 - 10.0) / 180.0;
    EXPECT_NEAR(desktop.at("polls_per_client_minute").get<double>() / (2 * 60.0 / (5.0 + l) * running), 1.0, 0.15);
    EXPECT_NEAR(android.at("polls_per_client_minute").get<double>() / (60.0 / (2.0 + l) * running), 1.0, 0.15);
    for (const auto* k : {"desktop-2026-04", "android-2026-04"}) {
        EXPECT_DOUBLE_EQ(p.at(k).at("retrieves_per_client_minute").get<double>(),
                         5 * p.at(k).at("polls_per_client_minute").get<double>());
    }
    EXPECT_GE(desktop.at("guard_tests_per_client").get<double>(), 2.0);
    EXPECT_EQ(android.at("guard_tests_per_client").get<double>(), 0.0);
    EXPECT_EQ(world.world().undelivered_sent_before(world.world().end_time() - world::LATE_MESSAGE_WINDOW), 0u);
}

TEST(WorldEndToEnd, OneSeedOneSummary) {
    Simulation a(e2e_spec()), b(e2e_spec()), c(e2e_spec({"seed=8"}));
    a.run();
    b.run();
    c.run();
    EXPECT_EQ(a.summary().dump(), b.summary().dump());
    EXPECT_NE(a.summary().at("fingerprint"), c.summary().at("fingerprint"));
}

}  // namespace
}  // namespace sessionsim::scenario

namespace sessionsim::scenario {
namespace {

/// The client with the most contacts (the most messages addressed to it).
std::size_t busiest(const Simulation& world) {
    std::size_t best = 0;
    for (std::uint32_t u = 0; u < world.world().client_count(); ++u) {
        if (world.world().contacts().contacts(u).size() > world.world().contacts().contacts(static_cast<std::uint32_t>(best)).size()) best = u;
    }
    return best;
}

/// Takes the busiest client offline from 20 s to `back`, and counts its messages by fate.
struct OfflineOutcome {
    std::size_t sent_while_away = 0;
    std::size_t delivered_after_return = 0;
    std::size_t delivered_while_away = 0;
};

OfflineOutcome offline_recipient(const std::string& ttl, SimDuration back) {
    Simulation world(e2e_spec({"duration=8min", "workload.ttl=" + ttl, "workload.rate_per_user_per_hour=120"}));
    const std::size_t target = busiest(world);
    world.world().engine().run_until(SIM_EPOCH + seconds(20));
    world.world().set_client_online(target, false);
    world.world().engine().run_until(SIM_EPOCH + back);
    std::vector<bool> delivered_before_return;
    for (const auto& m : world.world().messages()) delivered_before_return.push_back(m.delivered);
    world.world().set_client_online(target, true);
    world.run();
    OfflineOutcome out;
    for (std::size_t i = 0; i < world.world().messages().size(); ++i) {
        const auto& m = world.world().messages()[i];
        if (m.recipient != target || m.sent_at < SIM_EPOCH + seconds(25) || m.sent_at > SIM_EPOCH + back) continue;
        ++out.sent_while_away;
        if (i < delivered_before_return.size() && delivered_before_return[i]) ++out.delivered_while_away;
        if (m.delivered && !(i < delivered_before_return.size() && delivered_before_return[i])) ++out.delivered_after_return;
    }
    return out;
}

TEST(WorldEndToEnd, OfflineRecipientsGetTheirMessagesWhenTheyReturnWithinTheTtl) {
    const auto o = offline_recipient("14d", minutes(4));
    ASSERT_GT(o.sent_while_away, 3u);
    EXPECT_EQ(o.delivered_while_away, 0u);  // an offline client does not poll
    EXPECT_EQ(o.delivered_after_return, o.sent_while_away);
}

TEST(WorldEndToEnd, MessagesExpiredWhileTheRecipientWasAwayAreNotDelivered) {
    // TTL 30 s, away for 4 minutes: what was sent more than 30 s before the return has expired
    // in the swarm (the expiry sweep runs every 10 s) and never arrives.
    Simulation world(e2e_spec({"duration=8min", "workload.ttl=30s", "workload.rate_per_user_per_hour=120"}));
    const std::size_t target = busiest(world);
    world.world().engine().run_until(SIM_EPOCH + seconds(20));
    world.world().set_client_online(target, false);
    world.world().engine().run_until(SIM_EPOCH + minutes(4));
    world.world().set_client_online(target, true);
    world.run();
    std::size_t expired = 0, delivered_expired = 0;
    for (const auto& m : world.world().messages()) {
        if (m.recipient != target || m.sent_at < SIM_EPOCH + seconds(25) ||
            m.sent_at > SIM_EPOCH + minutes(4) - seconds(45)) {
            continue;
        }
        ++expired;
        delivered_expired += m.delivered ? 1 : 0;
    }
    ASSERT_GT(expired, 0u);
    EXPECT_EQ(delivered_expired, 0u);
}

}  // namespace
}  // namespace sessionsim::scenario

namespace sessionsim::scenario {
namespace {

TEST(WorldEndToEnd, RandomSessionsTakeClientsOffAndOnAndMessagesStillArrive) {
    // Clients online for ~2 min, offline for ~1 min (exponential): they come and go during the
    // run; what is sent to an absent client waits in its swarm until it polls again.
    Simulation world(e2e_spec({"duration=12min",
                          "clients.sessions={online: {dist: exponential, mean: 2min}, offline: {dist: exponential, mean: 1min}}"}));
    world.run();
    const auto s = world.summary();
    EXPECT_GT(s.at("counters").at("client_sessions_ended").get<std::uint64_t>(), 20u);
    EXPECT_GT(s.at("counters").at("client_sessions_started").get<std::uint64_t>(), 20u);
    EXPECT_EQ(s.at("counters").at("deliveries_duplicate").get<std::uint64_t>(), 0u);
    EXPECT_EQ(s.at("counters").at("deliveries_corrupted").get<std::uint64_t>(), 0u);
    // Offline periods delay deliveries: the end-to-end tail is longer than any poll interval.
    EXPECT_GT(s.at("e2e_latency_ms").at("max").get<double>(), 30'000.0);
    // Stored messages reach their recipients once they are back: with offline periods of ~1 min,
    // everything stored more than 5 minutes before the end has arrived.
    EXPECT_EQ(world.world().undelivered_stored_before(world.world().end_time() - minutes(5)), 0u) << s.dump(1);
}

}  // namespace
}  // namespace sessionsim::scenario

namespace sessionsim::scenario {
namespace {

/// |observed share − p| within z = 3.29 standard errors (a 99.9% interval) of a binomial(n, p).
void expect_share_near(std::uint64_t hits, std::uint64_t n, double p, const char* what) {
    ASSERT_GT(n, 0u) << what;
    const double share = static_cast<double>(hits) / static_cast<double>(n);
    const double half_width = 3.29 * std::sqrt(p * (1 - p) / static_cast<double>(n));
    EXPECT_NEAR(share, p, half_width) << what << ": " << hits << " of " << n;
}

TEST(WorldEndToEnd, SampledCryptoDoesRealCryptoOnItsShareOfFlowsAndDeliversEverything) {
    Simulation world(e2e_spec({"crypto.mode=sampled", "crypto.fraction=0.3", "duration=6min"}));
    world.run();
    const auto s = world.summary();
    const auto& crypto = s.at("crypto");
    EXPECT_EQ(crypto.at("mode"), "sampled");
    const auto onion_real = crypto.at("onion_requests_real").get<std::uint64_t>();
    const auto onion_all = onion_real + crypto.at("onion_requests_modelled").get<std::uint64_t>();
    expect_share_near(onion_real, onion_all, 0.3, "onion requests with real crypto");
    const auto messages_real = crypto.at("messages_real").get<std::uint64_t>();
    const auto messages_all = messages_real + crypto.at("messages_modelled").get<std::uint64_t>();
    EXPECT_EQ(messages_all, world.world().messages_created());
    expect_share_near(messages_real, messages_all, 0.3, "messages with real crypto");
    // Real and modelled flows alike arrive once, intact (the body is checked on delivery).
    EXPECT_EQ(world.world().undelivered_sent_before(world.world().end_time() - world::LATE_MESSAGE_WINDOW), 0u) << s.dump(1);
    EXPECT_EQ(counter(world, "deliveries_duplicate"), 0u);
    EXPECT_EQ(counter(world, "deliveries_corrupted"), 0u);
    EXPECT_EQ(counter(world, "node_requests_rejected"), 0u);
    // Config pushes and each poll's expiry bump, modelled or real, are accepted by the polled
    // member and by every peer it forwards them to (a modelled flow's forward is marked).
    for (const auto& [name, p] : s.at("profiles").items()) {
        EXPECT_EQ(p.at("config_pushes_failed"), 0u) << name;
        EXPECT_EQ(p.at("config_bumps_failed"), 0u) << name;
        EXPECT_GT(p.at("config_bumps_per_client_minute").get<double>(), 5.0) << name;
    }
    EXPECT_EQ(host::randombytes_guard_calls(), 0u);
}

// service_nodes.cpu: the same world with nodes that answer at once, with two slow cores and
// with one. The work is the same, so one core is twice as busy as two; requests wait more for
// one core, and onion round trips take longer the fewer cores there are.
TEST(WorldEndToEnd, SlowNodeProcessorsQueueRequestsAndOnionLatencyRisesWithTheirLoad) {
    const auto run = [](std::vector<std::string> overrides) {
        overrides.push_back("crypto.mode=sampled");
        overrides.push_back("crypto.fraction=0");
        Simulation world(e2e_spec(overrides));
        world.run();
        EXPECT_EQ(world.world().undelivered_sent_before(world.world().end_time() - world::LATE_MESSAGE_WINDOW), 0u);
        return world.summary();
    };
    const auto instant = run({});
    const auto two = run({"service_nodes.cpu={cores: 2, speed: 0.002}"});
    const auto one = run({"service_nodes.cpu={cores: 1, speed: 0.002}"});
    EXPECT_FALSE(instant.contains("cpu"));
    ASSERT_TRUE(one.contains("cpu"));
    const double u1 = one.at("cpu").at("utilisation").at("mean").get<double>();
    const double u2 = two.at("cpu").at("utilisation").at("mean").get<double>();
    EXPECT_GT(u1, 0.05);
    EXPECT_LT(u1, 0.9);  // below saturation: nothing dropped
    EXPECT_NEAR(u1 / u2, 2.0, 0.2);
    EXPECT_EQ(one.at("cpu").at("inputs_dropped").get<std::uint64_t>(), 0u);
    EXPECT_GT(one.at("cpu").at("waited_share").get<double>(), two.at("cpu").at("waited_share").get<double>());
    const auto p50 = [](const nlohmann::json& s) { return s.at("onion_latency_ms").at("p50").get<double>(); };
    EXPECT_LT(p50(instant), p50(two));
    EXPECT_LT(p50(two), p50(one));
    EXPECT_GT(one.at("cpu").at("onion_round_trips_per_s").get<double>(), 0.0);
}

// perf.json's memory section names the engine's share and the cores' queues.
TEST(WorldEndToEnd, PerfMemoryNamesTheEngineAndTheDeepestCoreQueue) {
    for (const bool with_cpu : {false, true}) {
        std::vector<std::string> overrides{"crypto.mode=sampled", "crypto.fraction=0", "duration=1min"};
        if (with_cpu) overrides.push_back("service_nodes.cpu={cores: 1, speed: 0.002}");
        Simulation sim(e2e_spec(overrides));
        sim.run();
        PerfFigures perf;
        fill_memory_figures(perf, sim);
        const auto memory = perf_json(perf).at("memory");
        EXPECT_EQ(memory.at("engine_bytes_at_end").get<std::uint64_t>(), sim.world().engine().memory_bytes());
        EXPECT_GT(memory.at("engine_bytes_at_end").get<std::uint64_t>(), 0u);
        std::uint64_t deepest = 0;
        for (std::size_t i = 0; i < sim.world().service_node_count(); ++i) {
            if (const auto* st = sim.world().service_node_host(i).cpu_stats()) deepest = std::max(deepest, st->peak_queue);
        }
        EXPECT_EQ(memory.at("cpu_waiting_peak_inputs").get<std::uint64_t>(), deepest);
        if (with_cpu) {
            EXPECT_GT(deepest, 0u);
        } else {
            EXPECT_EQ(deepest, 0u);
        }
    }
}

// perf.json's memory.structures: the parts add up to the total, each follows the state it
// accounts (stored messages, store records, paths held), and the peak is never below the end.
TEST(WorldEndToEnd, PerfMemoryStructuresAddUpAndFollowTheState) {
    Simulation sim(e2e_spec({"crypto.mode=sampled", "crypto.fraction=0", "duration=3min"}));
    sim.run();
    PerfFigures perf;
    fill_memory_figures(perf, sim);
    const auto structures = perf_json(perf).at("memory").at("structures");
    const auto at_end = structures.at("at_end");
    std::uint64_t sum = 0;
    for (const auto& [name, bytes] : at_end.at("bytes").items()) sum += bytes.get<std::uint64_t>();
    EXPECT_EQ(sum, at_end.at("total_bytes").get<std::uint64_t>());
    EXPECT_GE(structures.at("at_peak").at("total_bytes").get<std::uint64_t>(), sum);
    // The World sampled its memory once per metrics bucket (60 s) while it ran: the peak it kept
    // is a sample taken on a bucket, after the start.
    const world::MemoryBreakdown& sampled = sim.world().memory_at_peak();
    EXPECT_GT(sampled.total(), 0u);
    EXPECT_GT(sampled.at_s, 0);
    EXPECT_EQ(sampled.at_s % 60, 0);
    EXPECT_GT(sampled.engine, 0u);
    const auto part = [&](const char* name) { return at_end.at("bytes").at(name).get<std::uint64_t>(); };

    const world::World& w = sim.world();
    std::uint64_t data = 0, messages = 0, path_records = 0;
    for (std::size_t i = 0; i < w.service_node_count(); ++i) {
        data += w.service_node(i).store().total_bytes();
        messages += w.service_node(i).store().message_count();
    }
    for (std::size_t i = 0; i < w.client_count(); ++i) {
        for (const auto& path : w.client(i).paths()) path_records += path.nodes.size();
    }
    ASSERT_GT(messages, 0u);
    ASSERT_GT(path_records, 0u);
    EXPECT_EQ(part("messages"), data);
    // Each stored message has a record, a hash and index entries beyond its data.
    EXPECT_GE(part("stores"), messages * (sizeof(sessionproto::StoredMessage) + 64));
    EXPECT_GE(part("paths"), path_records * sizeof(sessionproto::SnodeRecord));
    EXPECT_GE(part("pools"), w.service_node_count() * sizeof(sessionproto::SnodeRecord));  // at least one shared list
    EXPECT_EQ(part("engine"), w.engine().memory_bytes());
    EXPECT_GE(part("client_other"), w.client_count() * sizeof(sessionproto::Client));
    const std::uint64_t client_parts =
        part("pools") + part("paths") + part("swarms") + part("requests") + part("polls") + part("client_other");
    EXPECT_EQ(at_end.at("per_client_bytes").get<std::uint64_t>(), client_parts / w.client_count());
    EXPECT_EQ(at_end.at("per_service_node_bytes").get<std::uint64_t>(),
              (part("stores") + part("node_pending") + part("node_other")) / w.service_node_count());
}

TEST(WorldEndToEnd, SampledAtZeroDoesNoRealCryptoAndRealModeNoModelledCrypto) {
    Simulation none(e2e_spec({"crypto.mode=sampled", "crypto.fraction=0"}));
    none.run();
    const auto n = none.summary();
    EXPECT_EQ(n.at("crypto").at("onion_requests_real"), 0u);
    EXPECT_EQ(n.at("crypto").at("messages_real"), 0u);
    EXPECT_GT(n.at("crypto").at("onion_requests_modelled").get<std::uint64_t>(), 100u);
    EXPECT_EQ(none.world().undelivered_sent_before(none.world().end_time() - world::LATE_MESSAGE_WINDOW), 0u);
    EXPECT_EQ(counter(none, "deliveries_corrupted"), 0u);

    Simulation real(e2e_spec());
    real.run();
    const auto r = real.summary();
    EXPECT_EQ(r.at("crypto").at("mode"), "real");
    EXPECT_EQ(r.at("crypto").at("onion_requests_modelled"), 0u);
    EXPECT_EQ(r.at("crypto").at("messages_modelled"), 0u);
    // Same workload either way: the crypto mode changes the cost, not what the users do.
    EXPECT_EQ(n.at("messages_sent"), r.at("messages_sent"));
}

}  // namespace
}  // namespace sessionsim::scenario

namespace sessionsim::scenario {
namespace {

TEST(WorldEndToEnd, NodesObserveWhatTheyReallyLearnAndNothingMore) {
    Simulation world(e2e_spec());
    std::vector<std::tuple<SimTime, std::size_t, sessionproto::Observation>> seen;
    world.world().bus().subscribe<world::NodeObserved>([&seen](const world::NodeObserved& o) {
        seen.emplace_back(o.at, o.node, o.observation);
    });
    world.run();
    ASSERT_FALSE(seen.empty());
    std::set<sessionproto::Ed25519Pubkey> nodes;
    for (std::size_t i = 0; i < world.world().service_node_count(); ++i) nodes.insert(world.world().service_node(i).ed25519());
    std::set<sessionproto::SessionId> stored_for, retrieved_for;
    SimTime last = SIM_EPOCH;
    for (const auto& [at, node, o] : seen) {
        EXPECT_GE(at, last);  // in event order
        last = at;
        EXPECT_LT(node, world.world().service_node_count());
        using Kind = sessionproto::Observation::Kind;
        // A relay knows its next hop and not the recipient; a store, a retrieve or a swarm lookup
        // (get_swarm: a guard test, or a lookup's destination) knows the Account ID.
        EXPECT_EQ(o.next.has_value(), o.kind == Kind::relayed);
        if (o.next) {
            EXPECT_TRUE(nodes.contains(*o.next));
        }
        EXPECT_EQ(o.recipient.has_value(),
                  o.kind == Kind::stored || o.kind == Kind::retrieved || o.kind == Kind::looked_up);
        if (o.kind == Kind::stored) stored_for.insert(*o.recipient);
        if (o.kind == Kind::retrieved) retrieved_for.insert(*o.recipient);
        EXPECT_GT(o.size, 0u);
    }
    // Every delivered message's recipient was seen in a store, and polled.
    for (const auto& m : world.world().messages()) {
        if (!m.delivered) continue;
        const auto id = world.world().client(m.recipient).account_id().as_session_id();
        EXPECT_TRUE(stored_for.contains(id));
        EXPECT_TRUE(retrieved_for.contains(id));
    }
}

}  // namespace
}  // namespace sessionsim::scenario
