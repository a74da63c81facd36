// The statistics of a sample set: nearest-rank percentiles, the type-7 empirical quantile, and
// the mean with the unbiased sd (bit for bit Welford's update, which mean_interval builds on).
#include "sim/stats/sample_statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace sessionsim::stats {
namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

TEST(Percentiles, NearestRankDefinition) {
    std::vector<double> v{15, 20, 35, 40, 50};  // the textbook example
    const auto s = summarize(v);
    EXPECT_EQ(s.count, 5u);
    EXPECT_DOUBLE_EQ(s.p50, 35);
    EXPECT_DOUBLE_EQ(s.p90, 50);
    EXPECT_DOUBLE_EQ(s.mean, 32);
    EXPECT_DOUBLE_EQ(s.max, 50);
    std::vector<double> hundred;
    for (int i = 100; i >= 1; --i) hundred.push_back(i);
    const auto h = summarize(hundred);
    EXPECT_DOUBLE_EQ(h.p50, 50);
    EXPECT_DOUBLE_EQ(h.p90, 90);
    EXPECT_DOUBLE_EQ(h.p99, 99);
    EXPECT_EQ(summarize({}).count, 0u);
}

TEST(EmpiricalQuantile, InterpolatesBetweenOrderStatistics) {
    const std::vector<double> samples{4, 1, 3, 2};  // unsorted on purpose
    EXPECT_EQ(empirical_quantile(samples, 0.0), 1.0);
    EXPECT_EQ(empirical_quantile(samples, 1.0), 4.0);
    EXPECT_DOUBLE_EQ(empirical_quantile(samples, 0.5), 2.5);
    EXPECT_DOUBLE_EQ(empirical_quantile(samples, 0.05), 1.15);  // h = 3 * 0.05 = 0.15
    const std::vector<double> single{42.0};
    EXPECT_EQ(empirical_quantile(single, 0.05), 42.0);
    EXPECT_THROW(empirical_quantile(std::vector<double>{}, 0.5), std::invalid_argument);
    EXPECT_THROW(empirical_quantile(samples, 1.5), std::invalid_argument);
    EXPECT_THROW(empirical_quantile(samples, NaN), std::invalid_argument);
}

TEST(MeanAndSd, WelfordInTheOrderGiven) {
    const std::vector<double> samples{2, 4, 4, 4, 5, 5, 7, 9};
    const MeanSd m = mean_and_sd(samples);
    EXPECT_DOUBLE_EQ(m.mean, 5.0);
    EXPECT_DOUBLE_EQ(m.sd, std::sqrt(32.0 / 7.0));
    const std::vector<double> constant(5, 1e9 + 0.1);
    EXPECT_EQ(mean_and_sd(constant).sd, 0.0);
    EXPECT_THROW(mean_and_sd(std::vector<double>{1.0}), std::invalid_argument);
}

}  // namespace
}  // namespace sessionsim::stats
