#pragma once
// Statistical helpers for tests: tolerances derived from the sample size, not picked by hand.
#include <cmath>
#include <cstddef>
#include <span>

namespace sessionsim::testing {

/// Two-sided z for the tests' family-wise confidence: P(|Z| > 4) ~ 6.3e-5 per check.
inline constexpr double Z = 4.0;

/// Half-width of the confidence interval of a sample mean of n draws with standard deviation sd.
inline double mean_tolerance(double sd, std::size_t n) { return Z * sd / std::sqrt(static_cast<double>(n)); }

/// Half-width for the sample variance: sd of s^2 is sqrt((mu4 - sigma^4) / n).
inline double variance_tolerance(double sigma2, double mu4, std::size_t n) {
    return Z * std::sqrt((mu4 - sigma2 * sigma2) / static_cast<double>(n));
}

/// Upper critical value of chi-square with `df` degrees of freedom at the z above
/// (Wilson-Hilferty approximation, accurate to a few percent for df >= 3).
inline double chi_square_critical(double df) {
    const double a = 2.0 / (9.0 * df);
    const double c = 1.0 - a + Z * std::sqrt(a);
    return df * c * c * c;
}

/// Pearson's statistic of observed counts against expected probabilities.
inline double chi_square(std::span<const std::size_t> observed, std::span<const double> expected_p, std::size_t n) {
    double stat = 0.0;
    for (std::size_t i = 0; i < observed.size(); ++i) {
        const double e = expected_p[i] * static_cast<double>(n);
        const double d = static_cast<double>(observed[i]) - e;
        stat += d * d / e;
    }
    return stat;
}

struct Moments {
    double mean = 0;
    double variance = 0;  ///< unbiased
};

template <class Draw>
Moments sample_moments(std::size_t n, Draw draw) {
    // Welford's algorithm: stable for large n.
    double mean = 0, m2 = 0;
    for (std::size_t i = 1; i <= n; ++i) {
        const double x = draw();
        const double d = x - mean;
        mean += d / static_cast<double>(i);
        m2 += d * (x - mean);
    }
    return {mean, m2 / static_cast<double>(n - 1)};
}

}  // namespace sessionsim::testing
