// Moments and goodness of fit of our distributions, against closed forms, with tolerances
// derived from the sample size (tests/support/stats.hpp), at fixed seeds.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "sim/core/discrete_distributions.hpp"
#include "sim/core/random.hpp"
#include "tests/support/stats.hpp"

namespace sessionsim {
namespace {

using testing::chi_square;
using testing::chi_square_critical;
using testing::mean_tolerance;
using testing::sample_moments;
using testing::variance_tolerance;

constexpr std::size_t N = 400'000;

TEST(Distributions, UniformRealMoments) {
    RandomStream rng(101);
    const auto m = sample_moments(N, [&] { return rng.uniform_real(); });
    EXPECT_NEAR(m.mean, 0.5, mean_tolerance(std::sqrt(1.0 / 12), N));
    EXPECT_NEAR(m.variance, 1.0 / 12, variance_tolerance(1.0 / 12, 1.0 / 80, N));
}

TEST(Distributions, UniformIntIsUniform) {
    RandomStream rng(102);
    constexpr std::size_t K = 37;  // not a power of two: exercises the rejection step
    std::vector<std::size_t> counts(K, 0);
    for (std::size_t i = 0; i < N; ++i) ++counts[rng.uniform_int(0, K - 1)];
    const std::vector<double> p(K, 1.0 / K);
    EXPECT_LT(chi_square(counts, p, N), chi_square_critical(K - 1));
}

TEST(Distributions, BernoulliRate) {
    RandomStream rng(103);
    const double p = 0.3;
    const auto m = sample_moments(N, [&] { return rng.bernoulli(p) ? 1.0 : 0.0; });
    EXPECT_NEAR(m.mean, p, mean_tolerance(std::sqrt(p * (1 - p)), N));
    EXPECT_FALSE(rng.bernoulli(0.0));
    EXPECT_TRUE(rng.bernoulli(1.0));
}

TEST(Distributions, ExponentialMoments) {
    RandomStream rng(104);
    const double rate = 2.5;
    const auto m = sample_moments(N, [&] { return rng.exponential(rate); });
    const double var = 1 / (rate * rate);
    EXPECT_NEAR(m.mean, 1 / rate, mean_tolerance(std::sqrt(var), N));
    EXPECT_NEAR(m.variance, var, variance_tolerance(var, 9 * var * var, N));
}

TEST(Distributions, ExponentialDurationMean) {
    RandomStream rng(105);
    const auto mean = std::chrono::milliseconds(250);
    const auto m = sample_moments(N, [&] { return static_cast<double>(rng.exponential_duration(mean).count()); });
    const double mu = 250e6;
    EXPECT_NEAR(m.mean, mu, mean_tolerance(mu, N));
}

TEST(Distributions, NormalMoments) {
    RandomStream rng(106);
    const double mu = -3, sigma = 2;
    const auto m = sample_moments(N, [&] { return rng.normal(mu, sigma); });
    const double var = sigma * sigma;
    EXPECT_NEAR(m.mean, mu, mean_tolerance(sigma, N));
    EXPECT_NEAR(m.variance, var, variance_tolerance(var, 3 * var * var, N));
}

TEST(Distributions, LognormalMoments) {
    RandomStream rng(107);
    const double mu = 0.2, sigma = 0.5;
    const auto m = sample_moments(N, [&] { return rng.lognormal(mu, sigma); });
    const double mean = std::exp(mu + sigma * sigma / 2);
    const double var = (std::exp(sigma * sigma) - 1) * std::exp(2 * mu + sigma * sigma);
    EXPECT_NEAR(m.mean, mean, mean_tolerance(std::sqrt(var), N));
    // Median of a lognormal is e^mu: the share of draws below it is 1/2.
    const auto below = sample_moments(N, [&] { return rng.lognormal(mu, sigma) < std::exp(mu) ? 1.0 : 0.0; });
    EXPECT_NEAR(below.mean, 0.5, mean_tolerance(0.5, N));
}

TEST(Distributions, WeibullMoments) {
    RandomStream rng(108);
    const double k = 1.5, lambda = 3.0;
    const auto m = sample_moments(N, [&] { return rng.weibull(k, lambda); });
    const double mean = lambda * std::tgamma(1 + 1 / k);
    const double var = lambda * lambda * (std::tgamma(1 + 2 / k) - std::pow(std::tgamma(1 + 1 / k), 2));
    EXPECT_NEAR(m.mean, mean, mean_tolerance(std::sqrt(var), N));
    // CDF at the scale: 1 - 1/e.
    const auto below = sample_moments(N, [&] { return rng.weibull(k, lambda) < lambda ? 1.0 : 0.0; });
    const double p = 1 - std::exp(-1.0);
    EXPECT_NEAR(below.mean, p, mean_tolerance(std::sqrt(p * (1 - p)), N));
}

TEST(Distributions, ParetoMoments) {
    RandomStream rng(109);
    const double alpha = 5, xm = 2;
    const auto m = sample_moments(N, [&] { return rng.pareto(alpha, xm); });
    const double mean = alpha * xm / (alpha - 1);
    const double var = xm * xm * alpha / ((alpha - 1) * (alpha - 1) * (alpha - 2));
    EXPECT_NEAR(m.mean, mean, mean_tolerance(std::sqrt(var), N));
    // Survival at 2 xm: 2^-alpha; and nothing below xm.
    double smallest = 1e300;
    const auto above = sample_moments(N, [&] {
        const double x = rng.pareto(alpha, xm);
        smallest = std::min(smallest, x);
        return x > 2 * xm ? 1.0 : 0.0;
    });
    const double p = std::pow(2.0, -alpha);
    EXPECT_NEAR(above.mean, p, mean_tolerance(std::sqrt(p * (1 - p)), N));
    EXPECT_GE(smallest, xm);
}

TEST(Distributions, ZipfFitsItsProbabilities) {
    RandomStream rng(110);
    constexpr std::size_t K = 50;
    const ZipfDistribution zipf(K, 1.2);
    double h = 0;
    for (std::size_t k = 1; k <= K; ++k) h += std::pow(static_cast<double>(k), -1.2);
    std::vector<std::size_t> counts(K, 0);
    std::vector<double> p(K);
    for (std::size_t k = 1; k <= K; ++k) {
        p[k - 1] = std::pow(static_cast<double>(k), -1.2) / h;  // closed form
        EXPECT_NEAR(zipf.probability(k), p[k - 1], 1e-12);
    }
    for (std::size_t i = 0; i < N; ++i) {
        const std::size_t r = zipf.sample(rng);
        ASSERT_GE(r, 1u);
        ASSERT_LE(r, K);
        ++counts[r - 1];
    }
    EXPECT_LT(chi_square(counts, p, N), chi_square_critical(K - 1));
}

TEST(Distributions, WeightedChoiceFitsItsWeightsAndNeverPicksZeroWeight) {
    RandomStream rng(111);
    const std::vector<double> w{5, 0, 1, 3, 0, 1};
    const WeightedChoice choice(w);
    std::vector<std::size_t> counts(w.size(), 0);
    for (std::size_t i = 0; i < N; ++i) ++counts[choice.sample(rng)];
    EXPECT_EQ(counts[1], 0u);
    EXPECT_EQ(counts[4], 0u);
    const std::vector<std::size_t> nonzero{counts[0], counts[2], counts[3], counts[5]};
    const std::vector<double> p{0.5, 0.1, 0.3, 0.1};
    EXPECT_LT(chi_square(nonzero, p, N), chi_square_critical(3));
}

TEST(Distributions, WeightedChoiceRejectsBadWeights) {
    EXPECT_THROW(WeightedChoice(std::vector<double>{}), std::invalid_argument);
    EXPECT_THROW(WeightedChoice(std::vector<double>{1, -1}), std::invalid_argument);
    EXPECT_THROW(WeightedChoice(std::vector<double>{0, 0}), std::invalid_argument);
    EXPECT_THROW(WeightedChoice(std::vector<double>{1, NAN}), std::invalid_argument);
    EXPECT_THROW(ZipfDistribution(0, 1.0), std::invalid_argument);
    EXPECT_THROW(ZipfDistribution(10, -1.0), std::invalid_argument);
}

TEST(Distributions, ShufflePlacesEachItemUniformly) {
    RandomStream rng(112);
    constexpr std::size_t K = 6, TRIALS = 120'000;
    std::vector<std::size_t> position_of_first(K, 0);
    for (std::size_t t = 0; t < TRIALS; ++t) {
        std::vector<int> v{0, 1, 2, 3, 4, 5};
        shuffle(v, rng);
        for (std::size_t i = 0; i < K; ++i) {
            if (v[i] == 0) ++position_of_first[i];
        }
        std::vector<int> sorted = v;
        std::sort(sorted.begin(), sorted.end());
        ASSERT_EQ(sorted, (std::vector<int>{0, 1, 2, 3, 4, 5}));  // a permutation
    }
    const std::vector<double> p(K, 1.0 / K);
    EXPECT_LT(chi_square(position_of_first, p, TRIALS), chi_square_critical(K - 1));
}

TEST(Distributions, SampleWithoutReplacementIsADistinctUniformSubset) {
    RandomStream rng(113);
    constexpr std::size_t N = 8, M = 3, TRIALS = 80'000;
    std::vector<std::size_t> hits(N, 0);
    for (std::size_t t = 0; t < TRIALS; ++t) {
        auto s = sample_without_replacement(N, M, rng);
        ASSERT_EQ(s.size(), M);
        for (const auto i : s) {
            ASSERT_LT(i, N);
            ++hits[i];
        }
        std::sort(s.begin(), s.end());
        ASSERT_EQ(std::adjacent_find(s.begin(), s.end()), s.end());  // distinct
    }
    // Each index is chosen with probability M/N: the counts over N cells sum to M·TRIALS.
    const std::vector<double> p(N, 1.0 / N);
    EXPECT_LT(chi_square(hits, p, M * TRIALS), chi_square_critical(N - 1));
    EXPECT_EQ(sample_without_replacement(5, 9, rng).size(), 5u);  // m capped at n
    EXPECT_TRUE(sample_without_replacement(5, 0, rng).empty());
}

}  // namespace
}  // namespace sessionsim
