#include "sim/core/phold.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/stats.hpp"

namespace sessionsim {
namespace {

PholdConfig small(std::uint64_t seed) {
    PholdConfig c;
    c.lps = 200;
    c.events_per_lp = 5;
    c.end = seconds(200);
    c.seed = seed;
    return c;
}

TEST(Phold, SameSeedSameFingerprintDifferentSeedDifferent) {
    const PholdResult a = run_phold(small(1));
    const PholdResult b = run_phold(small(1));
    const PholdResult c = run_phold(small(2));
    EXPECT_EQ(a.fingerprint, b.fingerprint);
    EXPECT_EQ(a.events_processed, b.events_processed);
    EXPECT_NE(a.fingerprint, c.fingerprint);
    EXPECT_EQ(a.heap_allocated_actions, 0u);
}

TEST(Phold, EventRateMatchesTheModel) {
    // Each of the N*M circulating events renews after 0.1 s + Exp(1 s): an ordinary renewal
    // process with mean mu = 1.1 s and variance s2 = 1 s^2, so by T each chain has run
    // T/mu + (s2 - mu^2)/(2 mu^2) events on average, with variance T*s2/mu^3 (renewal theorem).
    const PholdConfig c = small(5);
    const PholdResult r = run_phold(c);
    const double chains = static_cast<double>(c.lps) * c.events_per_lp;
    const double t = to_seconds(c.end);
    const double mean_interval = 1.1, var_interval = 1.0;
    const double mu2 = mean_interval * mean_interval;
    const double expected = chains * (t / mean_interval + (var_interval - mu2) / (2 * mu2));
    const double sd = std::sqrt(chains * t * var_interval / std::pow(mean_interval, 3));
    EXPECT_NEAR(static_cast<double>(r.events_processed), expected, testing::Z * sd);
}

}  // namespace
}  // namespace sessionsim
