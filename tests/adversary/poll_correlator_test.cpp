// The poll-versus-retrieve correlator, alone, against closed forms: a lone poller is certain,
// k pollers at identical times leave log2 k bits, and periodic pollers with distinct phases
// separate from background traffic as retrieves accumulate.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

#include "sim/adversary/anonymity_metrics.hpp"
#include "sim/adversary/compromised/poll_correlator.hpp"
#include "sim/core/random.hpp"

namespace sessionsim::adversary {
namespace {

SimTime at_ms(std::int64_t ms) { return SIM_EPOCH + milliseconds(ms); }

constexpr std::int64_t POLL_MS = 5000;
constexpr std::int64_t PATH_MS = 300;  // guard entry to retrieve at the swarm node

TEST(PollCorrelator, EachRetrieveSplitsOneUnitOverItsWindow) {
    PollCorrelator c(3, milliseconds(500));
    c.add_entry(at_ms(600), 0);
    c.add_entry(at_ms(700), 0);
    c.add_entry(at_ms(1000), 1);
    c.add_entry(at_ms(1200), 2);  // after the first retrieve
    c.add_entry(at_ms(5000), 1);
    c.add_retrieve(at_ms(1000), 7);  // window [500, 1000]: 0, 0, 1 -> 2/3, 1/3
    c.add_retrieve(at_ms(5100), 7);  // window [4600, 5100]: 1 -> 1
    c.add_retrieve(at_ms(3000), 7);  // window empty: counted, no credit
    c.add_retrieve(at_ms(1300), 2);  // another target: [800, 1300]: 1, 2 -> 1/2 each
    const auto e = c.evidence();
    ASSERT_EQ(e.size(), 2u);
    const PollEvidence& seven = e.at(7);
    EXPECT_EQ(seven.retrieves, 3u);
    EXPECT_EQ(seven.retrieves_with_entries, 2u);
    EXPECT_EQ(seven.scores(3), (std::vector<double>{2.0 / 3, 1.0 / 3 + 1.0, 0.0}));
    EXPECT_EQ(e.at(2).scores(3), (std::vector<double>{0.0, 0.5, 0.5}));
    EXPECT_EQ(seven.credit.count(2), 0u);  // zero credit is not stored
    EXPECT_EQ(seven.windows, (std::map<std::size_t, std::size_t>{{0, 1}, {1, 2}}));
    // Rate-based presence: n_i entries over the 4.4 s the entries span, window 0.5 s.
    const auto rate = c.background_presence();
    EXPECT_NEAR(rate[0], 1 - std::exp(-2 * 0.5 / 4.4), 1e-12);
    EXPECT_NEAR(rate[1], 1 - std::exp(-2 * 0.5 / 4.4), 1e-12);
    EXPECT_NEAR(rate[2], 1 - std::exp(-1 * 0.5 / 4.4), 1e-12);
    // Background for target 7: the one other window (target 2's) held 1 and 2, not 0; plus one
    // pseudo-window of the rate-based value.
    const double b0 = (0 + rate[0]) / (1 + 1);
    const double b1 = (1 + rate[1]) / (1 + 1);
    EXPECT_NEAR(seven.background.at(0), b0, 1e-12);
    EXPECT_NEAR(seven.background.at(1), b1, 1e-12);
    // π0 = 0, δ = 1/2, R = 3: L_0 = log((1/2 + b0/2) / b0) + 2 log 1/2, L_1 = 2 log(...b1...) + log 1/2.
    const double present0 = std::log((0.5 + 0.5 * b0) / b0);
    const double present1 = std::log((0.5 + 0.5 * b1) / b1);
    const double l0 = present0 + 2 * std::log(0.5);
    const double l1 = 2 * present1 + std::log(0.5);
    const double absent = 3 * std::log(0.5);
    EXPECT_NEAR(seven.log_weight.at(0), l0, 1e-12);
    EXPECT_NEAR(seven.log_weight.at(1), l1, 1e-12);
    EXPECT_NEAR(seven.absent_log_weight, absent, 1e-12);
    const auto belief = seven.belief(3);
    const double top = std::max({l0, l1, absent});
    EXPECT_NEAR(belief[0], std::exp(l0 - top), 1e-12);
    EXPECT_NEAR(belief[1], std::exp(l1 - top), 1e-12);
    EXPECT_NEAR(belief[2], std::exp(absent - top), 1e-12);
}

TEST(PollCorrelator, PriorUnseenMixesInALikelihoodOfOne) {
    // weight_i = π0 + (1 − π0) exp(L_i), for the same evidence with and without π0.
    const auto evidence_with = [](double prior) {
        PollCorrelator c(3, milliseconds(500), 0.5, prior);
        c.add_entry(at_ms(600), 0);
        c.add_entry(at_ms(1000), 1);
        c.add_entry(at_ms(3000), 1);
        c.add_retrieve(at_ms(1000), 4);
        c.add_retrieve(at_ms(3100), 4);
        return c.evidence().at(4);
    };
    const auto plain = evidence_with(0.0);
    const auto mixed = evidence_with(0.3);
    for (const auto& [candidate, lw] : plain.log_weight) {
        EXPECT_NEAR(std::exp(mixed.log_weight.at(candidate)), 0.3 + 0.7 * std::exp(lw), 1e-12) << candidate;
    }
    EXPECT_NEAR(std::exp(mixed.absent_log_weight), 0.3 + 0.7 * 0.25, 1e-12);  // L = 2 log 1/2
}

TEST(PollCorrelator, MissProbabilityOneLearnsNothing) {
    PollCorrelator c(4, seconds(1), 1.0);
    c.add_entry(at_ms(0), 2);
    c.add_retrieve(at_ms(100), 0);
    EXPECT_EQ(c.evidence().at(0).belief(4), (std::vector<double>{1, 1, 1, 1}));
}

TEST(PollCorrelator, ALonePollerIsFoundWithCertainty) {
    PollCorrelator c(50, seconds(2));
    for (std::int64_t round = 0; round < 20; ++round) {
        c.add_entry(at_ms(round * POLL_MS), 17);
        c.add_retrieve(at_ms(round * POLL_MS + PATH_MS), 17);
    }
    const auto e = c.evidence();
    const auto credit = assess(e.at(17).scores(50), 17);
    EXPECT_EQ(credit.anonymity_set_size, 1u);
    EXPECT_DOUBLE_EQ(credit.entropy_bits, 0.0);
    // The belief keeps a weight of about e^-27 on each IP never seen (20 windows, b = 0.34).
    const auto a = assess(e.at(17).belief(50), 17);
    EXPECT_NEAR(a.entropy_bits, 0.0, 1e-6);
    EXPECT_NEAR(a.truth_probability, 1.0, 1e-9);
    EXPECT_DOUBLE_EQ(a.truth_rank, 1.0);
    EXPECT_TRUE(a.deanonymised());
}

TEST(PollCorrelator, KPollersAtIdenticalTimesLeaveLog2KBits) {
    for (std::size_t k : {2u, 4u, 8u, 16u}) {
        PollCorrelator c(64, seconds(2));
        for (std::int64_t round = 0; round < 40; ++round) {
            for (std::size_t i = 0; i < k; ++i) c.add_entry(at_ms(round * POLL_MS), i * 3);
            c.add_retrieve(at_ms(round * POLL_MS + PATH_MS), 3);  // client 3's Account ID
        }
        const auto e = c.evidence().at(3);
        const auto credit = assess(e.scores(64), 3);
        EXPECT_EQ(credit.anonymity_set_size, k);
        EXPECT_NEAR(credit.entropy_bits, std::log2(static_cast<double>(k)), 1e-12) << k;
        // The belief: the other 64 − k weigh about e^-55 each (40 windows, b = 0.34).
        const auto a = assess(e.belief(64), 3);
        EXPECT_NEAR(a.entropy_bits, std::log2(static_cast<double>(k)), 1e-9) << k;
        EXPECT_NEAR(a.truth_probability, 1.0 / static_cast<double>(k), 1e-12) << k;
        EXPECT_DOUBLE_EQ(a.truth_rank, (static_cast<double>(k) + 1) / 2);  // a tie: the mean rank
    }
}

TEST(PollCorrelator, PeriodicPollersSeparateFromBackgroundOverManyRounds) {
    // Clients 0 and 1 poll every 5 s with phases 0 and 2.5 s; 30 background clients send at
    // random times (about 6 per second), so one window of 2 s holds about a dozen entries. After
    // one round the adversary is unsure; after 100 rounds the pollers stand out.
    constexpr std::size_t CANDIDATES = 32;
    const auto run = [](std::int64_t rounds, std::int64_t seen_every) {
        PollCorrelator c(CANDIDATES, seconds(2));
        RandomStream rng(7);
        std::vector<std::pair<std::int64_t, std::size_t>> entries;
        for (std::int64_t round = 0; round < rounds; ++round) {
            const std::int64_t t = round * POLL_MS;
            if (round % seen_every == 0) {
                entries.emplace_back(t, 0);
                entries.emplace_back(t + POLL_MS / 2, 1);
            }
            for (int j = 0; j < 30; ++j) entries.emplace_back(t + static_cast<std::int64_t>(rng.index(POLL_MS)), 2 + rng.index(30));
            c.add_retrieve(at_ms(t + PATH_MS), 0);
            c.add_retrieve(at_ms(t + POLL_MS / 2 + PATH_MS), 1);
        }
        std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [ms, who] : entries) c.add_entry(at_ms(ms), who);
        return c.evidence();
    };
    const auto one = run(1, 1);
    const auto many = run(100, 1);
    // Only every other poll enters an adversary guard (the client's other guard is honest).
    const auto half = run(100, 2);
    for (std::size_t truth : {0u, 1u}) {
        const auto first = assess(one.at(truth).belief(CANDIDATES), truth);
        const auto last = assess(many.at(truth).belief(CANDIDATES), truth);
        const auto missed = assess(half.at(truth).belief(CANDIDATES), truth);
        EXPECT_GT(first.entropy_bits, 3.0) << truth;  // about a dozen entries in one window
        EXPECT_FALSE(first.deanonymised()) << truth;
        EXPECT_DOUBLE_EQ(last.truth_rank, 1.0) << truth;
        EXPECT_GT(last.truth_probability, 0.99) << truth;
        EXPECT_LT(last.entropy_bits, 0.1) << truth;
        EXPECT_DOUBLE_EQ(missed.truth_rank, 1.0) << truth;
        EXPECT_TRUE(missed.deanonymised()) << truth;
        // The credit (statistical-disclosure mean) ranks the truth first too, without concentrating.
        const auto credit = assess(many.at(truth).scores(CANDIDATES), truth);
        EXPECT_DOUBLE_EQ(credit.truth_rank, 1.0) << truth;
        EXPECT_LT(credit.truth_probability, 0.5) << truth;
        // The other poller's entries never fall in this one's windows (2.5 s apart, 2 s window).
        EXPECT_EQ(many.at(truth).credit.count(1 - truth), 0u) << truth;
    }
}

TEST(PollCorrelator, AnOwnerNeverSeenIsNotPinnedOnAChattyIp) {
    // IP 1 sends all the time (present in every window by its own traffic); the owner, 0, never
    // enters an adversary guard. The background rate makes IP 1's presence worth little, and π0
    // (all the owner's guards honest) keeps the belief near uniform; without π0 the adversary
    // would wrongly be sure of IP 1, the least absent.
    constexpr std::size_t CANDIDATES = 10;
    const auto belief_with = [](double prior) {
        PollCorrelator c(CANDIDATES, seconds(2), 0.5, prior);
        for (std::int64_t ms = 0; ms < 100 * POLL_MS; ms += 200) c.add_entry(at_ms(ms), 1);
        for (std::int64_t round = 0; round < 100; ++round) c.add_retrieve(at_ms(round * POLL_MS + PATH_MS), 0);
        return assess(c.evidence().at(0).belief(CANDIDATES), 0);
    };
    const auto guarded = belief_with(0.8);
    EXPECT_FALSE(guarded.deanonymised());
    EXPECT_LT(guarded.max_probability, 1.5 / CANDIDATES);
    EXPECT_GT(guarded.entropy_bits, std::log2(static_cast<double>(CANDIDATES)) - 0.1);
    const auto unguarded = belief_with(0.0);
    EXPECT_TRUE(unguarded.deanonymised());
    EXPECT_GT(unguarded.truth_rank, 1.0);
}

TEST(PollCorrelator, AnIpInEveryTargetsWindowsIsBackgroundNotEvidence) {
    // IP 5 sends once just before every retrieve of every target (say it polls in step with
    // everyone), rarely otherwise: by its rate alone it would look like the owner of each ID. The
    // measured background (its share of the other targets' windows, about 1) says otherwise.
    // Owners 0 and 1 are never seen; π0 = 0.5.
    constexpr std::size_t CANDIDATES = 8;
    PollCorrelator c(CANDIDATES, seconds(2), 0.5, 0.5);
    for (std::int64_t round = 0; round < 50; ++round) {
        const std::int64_t t = round * 60'000;  // a retrieve a minute: rate-based b_5 ~ 0.07
        c.add_entry(at_ms(t), 5);
        c.add_retrieve(at_ms(t + PATH_MS), round % 2);
    }
    const auto e = c.evidence();
    for (std::size_t owner : {0u, 1u}) {
        EXPECT_GT(e.at(owner).background.at(5), 0.95) << owner;
        const auto a = assess(e.at(owner).belief(CANDIDATES), owner);
        EXPECT_FALSE(a.deanonymised()) << owner;
        // What is left: b_5 = (25 + b_rate) / 26 < 1, so each of its 25 windows still adds
        // log(((1/2) + b_5/2) / b_5) ~ 0.019 nats: weight 1/2 + e^0.46/2 ~ 1.3 against 1/2 for the
        // others, p ~ 0.27 (by the rate alone it would be ~1).
        EXPECT_LT(a.max_probability, 0.3) << owner;
    }
    EXPECT_LT(c.background_presence()[5], 0.1);  // what the rate alone says
}

TEST(PollCorrelator, RejectsBadInput) {
    EXPECT_THROW(PollCorrelator(0, milliseconds(1)), std::invalid_argument);
    EXPECT_THROW(PollCorrelator(2, milliseconds(-1)), std::invalid_argument);
    EXPECT_THROW(PollCorrelator(2, milliseconds(1), 0.0), std::invalid_argument);
    EXPECT_THROW(PollCorrelator(2, milliseconds(1), 1.5), std::invalid_argument);
    EXPECT_THROW(PollCorrelator(2, milliseconds(1), 0.5, 1.0), std::invalid_argument);
    EXPECT_THROW(PollCorrelator(2, milliseconds(1), 0.5, -0.1), std::invalid_argument);
    PollCorrelator c(2, milliseconds(1));
    EXPECT_THROW(c.add_entry(at_ms(0), 2), std::invalid_argument);
    c.add_entry(at_ms(5), 0);
    EXPECT_THROW(c.add_entry(at_ms(4), 0), std::invalid_argument);
    PollEvidence e;
    e.credit[5] = 1.0;
    EXPECT_THROW((void)e.scores(5), std::invalid_argument);
    e.log_weight[5] = 1.0;
    EXPECT_THROW((void)e.belief(5), std::invalid_argument);
}

}  // namespace
}  // namespace sessionsim::adversary
