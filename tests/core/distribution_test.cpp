// Distribution: each kind draws with the RandomStream formula written in its header, as a number
// and as a duration, and takes exactly as many draws from the stream (none and constant: none).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"

namespace sessionsim {
namespace {

using Kind = Distribution::Kind;
using Unit = Distribution::Unit;

/// Draws `d` as a number and as a duration from one stream, and `expected` from a copy of it: the
/// values and the streams' states afterwards must be equal.
template <class Expected>
void expect_draws(const Distribution& d, Expected expected) {
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        RandomStream rng(seed), reference(seed);
        const double x = d.sample(rng);
        const double want = expected(reference);
        EXPECT_EQ(x, want) << Distribution::kind_name(d.kind) << " seed " << seed;
        EXPECT_EQ(rng.state(), reference.state()) << Distribution::kind_name(d.kind);
        RandomStream as_time(seed);
        const SimDuration t = d.sample_duration(as_time);
        EXPECT_EQ(t, want > 0 ? from_milliseconds(want) : SimDuration::zero()) << Distribution::kind_name(d.kind);
        EXPECT_EQ(as_time.state(), reference.state()) << Distribution::kind_name(d.kind);
    }
}

TEST(Distribution, EachKindDrawsItsFormula) {
    expect_draws(Distribution::none(), [](RandomStream&) { return 0.0; });
    expect_draws(Distribution::constant(7.5), [](RandomStream&) { return 7.5; });
    expect_draws(Distribution::uniform(2, 9), [](RandomStream& r) { return r.uniform_real(2, 9); });
    expect_draws(Distribution::exponential(40), [](RandomStream& r) { return r.exponential(1.0) * 40; });
    expect_draws(Distribution::normal(1, 3), [](RandomStream& r) { return std::max(0.0, r.normal(1, 3)); });
    expect_draws(Distribution::lognormal(5, 0.5), [](RandomStream& r) { return r.lognormal(std::log(5.0), 0.5); });
    expect_draws(Distribution::weibull(0.7, 20), [](RandomStream& r) { return r.weibull(0.7, 20); });
    expect_draws(Distribution::pareto(3, 1.5), [](RandomStream& r) { return r.pareto(1.5, 3); });
}

TEST(Distribution, NormalIsCutAtZero) {
    const auto d = Distribution::normal(-50, 1);  // a duration may have a negative mean
    EXPECT_EQ(d.problem(Unit::milliseconds), "");
    RandomStream rng(3);
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(d.sample(rng), 0.0);
        EXPECT_EQ(d.sample_duration(rng), SimDuration::zero());
    }
}

TEST(Distribution, ZipfDrawsRanksThroughTheSampler) {
    const DistributionSampler sampler(Distribution::zipf(1.0), 100);
    RandomStream rng(9), reference(9);
    const ZipfDistribution zipf(100, 1.0);
    for (int i = 0; i < 200; ++i) EXPECT_EQ(sampler.sample(rng), static_cast<double>(zipf.sample(reference)));
    EXPECT_THROW(DistributionSampler(Distribution::zipf(1.0)), std::invalid_argument);  // no n, no population
    EXPECT_THROW(DistributionSampler(Distribution::uniform(5, 1)), std::invalid_argument);
}

TEST(Distribution, ProblemsAsNumbersAndAsDurations) {
    EXPECT_EQ(Distribution::uniform(5, 1).problem(), "uniform needs 0 <= min <= max");
    EXPECT_EQ(Distribution::uniform(5, 1).problem(Unit::milliseconds), "uniform delay needs 0 <= min <= max");
    EXPECT_EQ(Distribution::normal(-1, 1).problem(), "normal needs a mean >= 0 and sd >= 0");
    EXPECT_EQ(Distribution::normal(1, -1).problem(Unit::milliseconds), "normal delay needs a standard deviation >= 0");
    EXPECT_EQ(Distribution::zipf(-1).problem(), "zipf needs an exponent s >= 0 and a whole n >= 0");
    EXPECT_EQ(Distribution::zipf(1).problem(Unit::milliseconds), "zipf is not a distribution of durations");
    EXPECT_EQ(Distribution::constant(std::numeric_limits<double>::infinity()).problem(),
              "parameters must be finite numbers");
    EXPECT_EQ(Distribution::none().problem(Unit::milliseconds), "");
}

TEST(Distribution, Means) {
    EXPECT_EQ(Distribution::none().mean(), 0.0);
    EXPECT_EQ(Distribution::uniform(2, 4).mean(), 3.0);
    EXPECT_DOUBLE_EQ(Distribution::lognormal(10, 0.5).mean(), 10 * std::exp(0.125));
    EXPECT_EQ(Distribution::pareto(1, 1).mean(), std::numeric_limits<double>::infinity());
    EXPECT_DOUBLE_EQ(Distribution::zipf(0).mean(9), 5.0);  // uniform over 1..9
}

}  // namespace
}  // namespace sessionsim
