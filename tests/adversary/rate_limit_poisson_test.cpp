// The storage server's per-IP token bucket against a Poisson sender (spam from one IP): the
// simulated admission rate against the closed form derived in models/session/node/README.md,
// "Rate limiting" (oxenss rpc/rate_limiter.cpp, c3b96a2). Fixed seeds; no wall-clock time.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

#include "models/session/node/token_bucket.hpp"
#include "sim/core/random.hpp"
#include "sim/stats/intervals.hpp"

namespace sessionsim {
namespace {

using sessionproto::BucketTime;
using sessionproto::TokenBucketMap;

/// Admitted requests per second of a Poisson sender at `lambda` per second in the steady state,
/// for a bucket with token period `period_s`: lambda below the threshold ln 2 / P (the bucket
/// never drains); else 1 / (1/lambda + P (1 - 2q) / (1 - q)), q = exp(-lambda P).
double admitted_rate(double lambda, double period_s) {
    const double q = std::exp(-lambda * period_s);
    if (q >= 0.5) return lambda;
    return 1.0 / (1.0 / lambda + period_s * (1.0 - 2.0 * q) / (1.0 - q));
}

/// One batch: a fresh bucket, `warmup_s` to reach the steady state, then the admitted rate over
/// `measure_s`. Arrival times are whole microseconds, as oxenss's clock.
struct Counts {
    std::uint64_t sent = 0;
    std::uint64_t admitted = 0;
};

Counts simulate(RandomStream& rng, double lambda, double warmup_s, double measure_s) {
    TokenBucketMap bucket(300, 600, 10);
    const BucketTime t0{std::chrono::seconds(1'000'000)};
    double t = 0;
    Counts c;
    while (true) {
        t += rng.exponential(lambda);
        if (t >= warmup_s + measure_s) break;
        const auto at = t0 + std::chrono::microseconds(static_cast<std::int64_t>(std::floor(t * 1e6)));
        const bool admitted = bucket.admit(0x0A000001, at);
        if (t < warmup_s) continue;
        ++c.sent;
        c.admitted += admitted ? 1 : 0;
    }
    return c;
}

struct Batches {
    stats::Interval ci;  ///< 99 % Student-t interval of the batch means
};

Batches run(double lambda, std::uint64_t seed) {
    RandomStream rng = RandomStreams::derive(seed, "rate_limit_poisson");
    std::vector<double> rates;
    for (int i = 0; i < 30; ++i) rates.push_back(static_cast<double>(simulate(rng, lambda, 20.0, 60.0).admitted) / 60.0);
    return {stats::mean_interval(rates, 0.99)};
}

TEST(RateLimitPoisson, TheClosedFormAdmitsEverythingUpTo300Ln2AndOnePerPeriodFarAbove) {
    // The closed form the simulation is checked against (admitted_rate, above), at its limits.
    // The rate a Poisson sender sustains without losses: lambda P = ln 2 with P = 3333 us.
    const double period = 3333e-6;
    EXPECT_NEAR(std::log(2.0) / period, 207.96, 0.01);
    EXPECT_DOUBLE_EQ(admitted_rate(std::log(2.0) / period, period), std::log(2.0) / period);
    // Far above it, one token per period: 1 / P = 300.03/s.
    EXPECT_NEAR(admitted_rate(1e7, period), 1.0 / period, 0.05);
}

TEST(RateLimitPoisson, AdmittedRateMatchesTheClosedForm) {
    const double period = 3333e-6;
    for (const double lambda : {300.0, 1000.0, 5000.0}) {
        const Batches b = run(lambda, 20261206);
        const double expected = admitted_rate(lambda, period);
        std::printf("Poisson sender at %.0f/s: admitted %.2f/s [%.2f, %.2f] (99%%, 30 x 60 s), closed form %.2f/s\n",
                    lambda, b.ci.estimate, b.ci.lo, b.ci.hi, expected);
        EXPECT_LE(b.ci.lo, expected) << "lambda " << lambda << ": mean " << b.ci.estimate;
        EXPECT_GE(b.ci.hi, expected) << "lambda " << lambda << ": mean " << b.ci.estimate;
        EXPECT_LT(b.ci.hi - b.ci.lo, 0.01 * expected) << "lambda " << lambda;  // the test has power
        // Well below 300/s: the bucket's nominal rate is not what a Poisson flood gets.
        EXPECT_LT(b.ci.hi, 300.0);
    }
}

TEST(RateLimitPoisson, BelowTheThresholdEverythingIsAdmitted) {
    // At 150/s (and at 200/s, just under ln 2 / P) the bucket drifts up to full and stays there.
    for (const double lambda : {150.0, 200.0}) {
        RandomStream rng = RandomStreams::derive(20261206, "rate_limit_poisson/below");
        const Counts c = simulate(rng, lambda, 20.0, 600.0);
        EXPECT_GT(c.sent, 0u);
        EXPECT_EQ(c.admitted, c.sent) << "lambda " << lambda;
    }
}

}  // namespace
}  // namespace sessionsim
