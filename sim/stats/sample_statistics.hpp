#pragma once
// Statistics of a set of samples: nearest-rank percentiles (what summary.json reports for a
// sample set), the interpolated empirical quantile (type 7), and the mean with the unbiased
// standard deviation. Deterministic arithmetic on doubles; no randomness.
#include <cstddef>
#include <span>
#include <vector>

namespace sessionsim::stats {

struct SampleSummary {
    std::size_t count = 0;
    double mean = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
};

/// Nearest-rank percentiles (the smallest value with at least q of the samples at or below it).
SampleSummary summarize(std::vector<double> samples);
/// The nearest-rank q-quantile of sorted samples (q in (0, 1]); 0 for none.
double nearest_rank(const std::vector<double>& sorted, double q);

/// Empirical q-quantile with linear interpolation between order statistics (Hyndman & Fan
/// type 7, the R and NumPy default): h = (n-1) q, x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)).
/// Errors: std::invalid_argument if samples is empty, a sample is NaN, or q is not in [0, 1].
double empirical_quantile(std::span<const double> samples, double q);

struct MeanSd {
    double mean = 0.0;
    double sd = 0.0;  ///< unbiased (n - 1 in the denominator)
};

/// The mean and the unbiased sample standard deviation, by Welford's update in the order given
/// (stable for long series; the same order gives the same bits). Needs at least 2 samples.
MeanSd mean_and_sd(std::span<const double> samples);

}  // namespace sessionsim::stats
