// oxend's decommission timing (sim/adversary/churn/obligation_quorum.hpp; oxen-core b208672
// service_node_quorum_cop.cpp check_service_node, service_node_list.cpp generate_other_quorums):
// the rules one by one, then the time from a failure to the quorum's vote at 100 and 2,000 nodes
// against the closed form derived in sim/adversary/README.md ("Decommission timing"), at a fixed
// seed with a 99 % interval.
#include <cmath>
#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

#include "sim/adversary/churn/obligation_quorum.hpp"
#include "sim/core/random.hpp"
#include "sim/stats/intervals.hpp"

namespace sessionsim::adversary {
namespace {

const SimTime T0 = SimTime{} + hours(100);

TEST(ObligationQuorum, WorkersPerBlock) {
    const OxendRules r;
    EXPECT_EQ(obligation_workers(r, 100, 0), 50u);      // rem 90: max(50, 0)
    EXPECT_EQ(obligation_workers(r, 40, 0), 30u);       // rem 30 < 50: everyone
    EXPECT_EQ(obligation_workers(r, 2000, 0), 50u);     // rem 1990: max(50, 19)
    EXPECT_EQ(obligation_workers(r, 7000, 10), 70u);    // rem 7000: 7000 / 100
    EXPECT_EQ(obligation_workers(r, 5, 2), 2u);         // 5 validators, 2 decommissioned left
}

TEST(ObligationQuorum, TheUptimeProofFailsAfterTwoHoursFiveMinutes) {
    const OxendRules r;
    const ObligationChecks checks(r);
    ProofClock clock(T0, minutes(20), r);  // last proof 20 min ago
    clock.down(T0);
    EXPECT_FALSE(checks.proof_too_old(clock, T0 + minutes(105)));  // proof 2 h 5 min old: still valid
    EXPECT_TRUE(checks.proof_too_old(clock, T0 + minutes(105) + seconds(1)));
    clock.up(T0 + hours(3));
    EXPECT_TRUE(checks.proof_too_old(clock, T0 + hours(3) + seconds(29)));   // its first proof: 30 s after start
    EXPECT_FALSE(checks.proof_too_old(clock, T0 + hours(3) + seconds(30)));
    EXPECT_EQ(clock.last_proof(T0 + hours(5)), T0 + hours(4) + seconds(30));  // then hourly
    // A recommission is an effective proof.
    ProofClock back(T0, minutes(0), r);
    back.down(T0);
    back.recommissioned(T0 + hours(3));
    EXPECT_FALSE(checks.proof_too_old(back, T0 + hours(4)));
}

TEST(ObligationQuorum, ReachabilityNeedsSixtyFiveMinutesOfFailuresInSevenViews) {
    const OxendRules r;
    const ObligationChecks checks(r);
    RandomStream rng(7);
    ProofClock clock(T0, minutes(0), r);
    clock.down(T0);
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(checks.unreachable(clock, T0 + minutes(65) - seconds(1), 100, rng));
    // 100 nodes: a validator's test cycle is 1000 s; 1000 s after 65 min every view has failed.
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(checks.unreachable(clock, T0 + minutes(65) + seconds(1000), 100, rng));
    ProofClock up(T0, minutes(0), r);
    EXPECT_FALSE(checks.unreachable(up, T0 + hours(5), 100, rng));  // up: reachable
    // Halfway through the cycle each of the 10 validators has seen 65 min of failures with
    // probability 1/2: the vote needs 7 of them, P = (C(10,7)+C(10,8)+C(10,9)+C(10,10)) / 2^10
    // = 176/1024. 20,000 draws, 99.9% Wilson interval.
    const std::uint64_t draws = 20'000;
    std::uint64_t voted = 0;
    for (std::uint64_t i = 0; i < draws; ++i) voted += checks.unreachable(clock, T0 + minutes(65) + seconds(500), 100, rng);
    const auto ci = stats::wilson_interval(voted, draws, 3.29);
    EXPECT_LE(ci.lo, 176.0 / 1024.0) << voted;
    EXPECT_GE(ci.hi, 176.0 / 1024.0) << voted;
}

TEST(ObligationQuorum, WorkersAreDrawnFromTheNonValidators) {
    const ObligationChecks checks{OxendRules{}};
    RandomStream rng(11);
    std::vector<std::size_t> active, decommissioned = {200, 201};
    for (std::size_t i = 0; i < 100; ++i) active.push_back(i);
    std::vector<int> drawn(202, 0);
    const int blocks = 9000;
    for (int b = 0; b < blocks; ++b) {
        const auto w = checks.draw_workers(active, decommissioned, rng);
        ASSERT_EQ(w.size(), 50u);
        for (std::size_t k = 1; k < w.size(); ++k) ASSERT_LT(w[k - 1], w[k]);
        for (const auto i : w) ++drawn[i];
    }
    // Each of the 92 non-validator slots: 50 / 92 per block for a decommissioned node; an active
    // node is a validator with 10 / 100 first, so (90 / 100) (50 / 92) (= 50 / 102 overall).
    const double p_decomm = 50.0 / 92.0, p_active = 0.9 * 50.0 / 92.0;
    for (const std::size_t i : {std::size_t{200}, std::size_t{201}}) {
        EXPECT_NEAR(drawn[i] / double(blocks), p_decomm, 4 * std::sqrt(p_decomm * (1 - p_decomm) / blocks));
    }
    double active_total = 0;
    for (std::size_t i = 0; i < 100; ++i) active_total += drawn[i];
    EXPECT_NEAR(active_total / (100.0 * blocks), p_active, 0.005);
}

/// P(Binomial(n, p) >= k).
double binomial_tail(std::size_t n, double p, std::size_t k) {
    double total = 0;
    for (std::size_t j = k; j <= n; ++j) {
        total += std::exp(std::lgamma(n + 1.0) - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0)) * std::pow(p, double(j)) *
                 std::pow(1 - p, double(n - j));
    }
    return total;
}

/// The closed form (sim/adversary/README.md): E[T], T from going down to the vote, for a node
/// that stays down in a network of `n` active nodes. Blocks at theta + k tau after the failure,
/// theta ~ U(0, tau]; at each the node is a worker with w = (1 - 10 / n) W / (n - 10) = W / n (it
/// is not a validator, then drawn among the n - 10 others), and fails if t > D_u
/// (D_u = 2 h 5 min - psi, psi ~ U[0, 1 h) the proof's phase) or with r(t) = P(Bin(10, p(t)) >= 7),
/// p(t) = clamp((t - 65 min) / (n x 10 s), 0, 1). E over theta and psi by the midpoint rule.
double expected_down_to_vote_s(std::size_t n) {
    const OxendRules r;
    const double tau = 120.0, w = double(obligation_workers(r, n, 0)) / double(n);
    const double cycle = double(n) * 10.0, threshold = 65 * 60.0, validity = 125 * 60.0;
    const int theta_steps = 40, psi_steps = 120;
    double total = 0;
    for (int a = 0; a < theta_steps; ++a) {
        const double theta = tau * (a + 0.5) / theta_steps;
        for (int b = 0; b < psi_steps; ++b) {
            const double d_u = validity - 3600.0 * (b + 0.5) / psi_steps;
            double survive = 1, mean = 0;
            for (int k = 0; survive > 1e-12; ++k) {
                const double t = theta + k * tau;
                const double p = std::clamp((t - threshold) / cycle, 0.0, 1.0);
                const double f = t > d_u ? 1.0 : (t >= threshold ? binomial_tail(10, p, 7) : 0.0);
                mean += t * survive * w * f;
                survive *= 1 - w * f;
            }
            total += mean;
        }
    }
    return total / (theta_steps * psi_steps);
}

/// The same with the simulator's classes: `trials` failures at a fixed seed.
std::vector<double> simulated_down_to_vote_s(std::size_t n, int trials, std::uint64_t seed) {
    const OxendRules r;
    const ObligationChecks checks(r);
    RandomStream rng = RandomStreams::derive(seed, "obligation_quorum_test");
    std::vector<std::size_t> active;
    for (std::size_t i = 0; i < n; ++i) active.push_back(i);
    std::vector<double> out;
    for (int trial = 0; trial < trials; ++trial) {
        const SimDuration phase = from_seconds(rng.uniform_real() * 3600.0);
        ProofClock clock(T0, phase, r);
        clock.down(T0);
        SimTime block = T0 + from_seconds(120.0 * (1.0 - rng.uniform_real()));  // (0, 2 min]
        while (true) {
            const auto workers = checks.draw_workers(active, {}, rng);
            if (std::binary_search(workers.begin(), workers.end(), std::size_t{0}) && checks.fails(clock, block, n, rng)) break;
            block += minutes(2);
        }
        out.push_back(to_seconds(block - T0));
    }
    return out;
}

void check_against_closed_form(std::size_t n, int trials) {
    const double expected = expected_down_to_vote_s(n);
    const auto samples = simulated_down_to_vote_s(n, trials, 20261206);
    const stats::Interval ci = stats::mean_interval(samples, 0.99);
    std::printf("down to vote at %zu nodes: simulated %.1f min [%.1f, %.1f] (99%%, %d failures), closed form %.1f min\n",
                n, ci.estimate / 60, ci.lo / 60, ci.hi / 60, trials, expected / 60);
    EXPECT_LE(ci.lo, expected) << n;
    EXPECT_GE(ci.hi, expected) << n;
    EXPECT_LT(ci.hi - ci.lo, 0.05 * expected) << n;
    for (const double s : samples) EXPECT_GT(s, 65 * 60.0 - 1e-9) << n;  // never before 65 min
}

TEST(ObligationQuorum, DownToVoteAt100NodesMatchesTheClosedForm) { check_against_closed_form(100, 4000); }

TEST(ObligationQuorum, DownToVoteAt2000NodesMatchesTheClosedForm) { check_against_closed_form(2000, 3000); }

}  // namespace
}  // namespace sessionsim::adversary
