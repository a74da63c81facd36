#pragma once
// Confidence intervals and the quantile functions behind them. These are what `sessionsim sweep`
// reports for a metric measured over several runs: the mean with a 95% Student-t interval
// (mean_interval), and for proportions (deanonymised share, swarm coverage, TPR/FPR) the Wilson
// score interval (spec anonymity §1, "Confidence intervals for every Monte-Carlo proportion").
//
// Everything here is deterministic arithmetic on doubles (<cmath> only); no randomness.
#include <cstdint>
#include <span>

namespace sessionsim::stats {

/// A point estimate with its two-sided interval [lo, hi].
struct Interval {
    double lo = 0.0;
    double hi = 0.0;
    double estimate = 0.0;
};

/// Standard normal CDF, Phi(x) = erfc(-x / sqrt 2) / 2.
double normal_cdf(double x) noexcept;

/// Phi^-1(p): Acklam's rational approximation (relative error 1.15e-9) polished by one Halley
/// step on erfc, which brings it to about machine precision.
/// Errors: std::invalid_argument unless 0 < p < 1.
double normal_quantile(double p);

/// CDF of Student's t with `df` degrees of freedom, through the regularised incomplete beta
/// function: P(T > t) = I_{df/(df+t^2)}(df/2, 1/2) / 2 for t >= 0. For df >= 1e4 and
/// t^2 <= df / 1000, by inverting the Cornish-Fisher expansion instead (exact to double precision
/// there, where the beta function's continued fraction loses digits).
/// Errors: std::invalid_argument unless df > 0 (df = +infinity gives the normal CDF) and t is not NaN.
double student_t_cdf(double t, double df);

/// The p-quantile of Student's t with `df` degrees of freedom (df > 0, not necessarily an
/// integer; +infinity gives normal_quantile). Closed forms for df = 1 and 2; the Cornish-Fisher
/// expansion to g5 (Abramowitz & Stegun 26.7.5) where the CDF uses it; otherwise a bracketed
/// Newton iteration on log P(T > t) against log t, started from that expansion. Accurate to about
/// 1e-13 relative (1e-12 for df < 1); returns +-infinity when the quantile exceeds the double range.
/// Errors: std::invalid_argument unless 0 < p < 1 and df > 0.
double student_t_quantile(double p, double df);

/// Wilson score interval for `successes` out of `trials` (spec anonymity §1):
///   (p^ + z^2/2n +- z sqrt(p^(1-p^)/n + z^2/4n^2)) / (1 + z^2/n).
/// `estimate` is p^ = successes / trials (not the Wilson centre). lo and hi are clamped to [0, 1]
/// against rounding, so 0 successes gives lo == 0 and trials successes gives hi == 1.
/// Errors: std::invalid_argument if trials == 0, successes > trials, or z is not finite and > 0.
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double z = 1.96);

/// Sample mean with a two-sided Student-t interval: mean +- t_{(1+confidence)/2, n-1} s / sqrt n,
/// s the unbiased sample standard deviation (mean_and_sd, sample_statistics.hpp). Exact for normal
/// data, asymptotically right otherwise.
/// Errors: std::invalid_argument if fewer than 2 samples, a sample is not finite, or confidence
/// is not in (0, 1).
Interval mean_interval(std::span<const double> samples, double confidence = 0.95);

}  // namespace sessionsim::stats
