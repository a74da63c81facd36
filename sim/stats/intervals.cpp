#include "sim/stats/intervals.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/stats/argument_error.hpp"
#include "sim/stats/sample_statistics.hpp"

namespace sessionsim::stats {
namespace {

using detail::reject;

void require_probability_open(std::string_view function, double p) {
    if (!(p > 0.0 && p < 1.0)) reject(function, "p must be in (0, 1)", p);
}

void require_degrees_of_freedom(std::string_view function, double df) {
    if (!(df > 0.0)) reject(function, "df must be > 0 (or +infinity)", df);
}

// --- normal ---------------------------------------------------------------------------------

// Acklam's rational approximation of Phi^-1 for the lower half, p in (0, 0.5].
double acklam_lower(double p) {
    constexpr std::array<double, 6> a{-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                      1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    constexpr std::array<double, 5> b{-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                      6.680131188771972e+01, -1.328068155288572e+01};
    constexpr std::array<double, 6> c{-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                      -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    constexpr std::array<double, 4> d{7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                      3.754408661907416e+00};
    constexpr double p_low = 0.02425;
    if (p < p_low) {  // tail region
        const double q = std::sqrt(-2.0 * std::log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    const double q = p - 0.5;  // central region
    const double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

// One Halley step on Phi(x) - p (Acklam's refinement); relative error then ~1e-15.
double halley_refine(double x, double p) {
    const double error = normal_cdf(x) - p;
    const double u = error * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
    if (!std::isfinite(u)) return x;  // deep tail: exp overflowed, keep the approximation
    return x - u / (1.0 + 0.5 * x * u);
}

// --- Student's t ----------------------------------------------------------------------------

// From this df on, near the centre (see use_expansion), the Cornish-Fisher expansion below is
// exact to double precision, while the beta route's continued fraction sits near its convergence
// boundary there and loses digits (~1e-13 relative at df = 3e4, worse beyond).
constexpr double DF_EXPANSION = 1e4;

// Stirling's series for log Gamma(x) - ((x - 1/2) log x - x + log(2 pi) / 2), x >= 20
// (first omitted term < 1 / (1188 x^9) < 2e-15).
double stirling_correction(double x) {
    const double r = 1.0 / x;
    const double r2 = r * r;
    return r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 / 1680.0)));
}

// log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b). For a large argument the direct sum
// cancels huge terms, so lgamma(big + small) - lgamma(big) is taken from Stirling's series.
double log_beta(double a, double b) {
    const double big = std::max(a, b);
    const double small = std::min(a, b);
    if (big < 20.0) return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
    const double log_ratio = (big - 0.5) * std::log1p(small / big) + small * std::log(big + small) - small +
                             stirling_correction(big + small) - stirling_correction(big);
    return std::lgamma(small) - log_ratio;
}

// Continued fraction of the incomplete beta function (Numerical Recipes §6.4, modified Lentz);
// converges for x < (a + 1) / (a + b + 2), in O(sqrt max(a, b)) terms at worst.
double beta_continued_fraction(double a, double b, double x) {
    constexpr double tiny = 1e-300;
    const auto guard = [](double v) { return std::fabs(v) < tiny ? tiny : v; };
    const double qab = a + b;
    const double qap = a + 1.0;
    const double qam = a - 1.0;
    double c = 1.0;
    double d = 1.0 / guard(1.0 - qab * x / qap);
    double h = d;
    for (int m = 1; m <= 10000; ++m) {
        const double m2 = 2.0 * m;
        const double even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        const double odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        const double step = d * c;
        h *= step;
        if (std::fabs(step - 1.0) <= DBL_EPSILON) break;
    }
    return h;
}

// x, 1 - x and their logarithms, each computed without cancellation by the caller.
struct BetaArgument {
    double x;
    double y;
    double log_x;
    double log_y;
};

// Regularised incomplete beta I_x(a, b).
double regularized_incomplete_beta(double a, double b, const BetaArgument& arg) {
    if (std::isinf(arg.log_x)) return 0.0;  // x == 0 exactly; a tiny x that underflowed is fine
    if (std::isinf(arg.log_y)) return 1.0;
    const double front = std::exp(a * arg.log_x + b * arg.log_y - log_beta(a, b));
    if (arg.x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, arg.x) / a;
    return 1.0 - front * beta_continued_fraction(b, a, arg.y) / b;
}

// r = t^2 / df and log(1 + r), with t^2 allowed to overflow (far tails of small df).
struct TailRatio {
    double r;
    double log_r;
    double log1p_r;
};

TailRatio tail_ratio(double t, double df) {
    const double r = t * t / df;
    if (std::isfinite(r)) return {r, std::log(r), std::log1p(r)};
    const double log_r = 2.0 * std::log(t) - std::log(df);
    return {r, log_r, log_r};  // log(1 + r) = log r to double precision here
}

// P(T > t) for t >= 0: I_{df/(df+t^2)}(df/2, 1/2) / 2.
double student_t_upper_tail(double t, double df) {
    if (t == 0.0) return 0.5;
    const TailRatio ratio = tail_ratio(t, df);
    const double y = std::isfinite(ratio.r) ? ratio.r / (1.0 + ratio.r) : 1.0;
    const BetaArgument arg{std::exp(-ratio.log1p_r), y, -ratio.log1p_r, ratio.log_r - ratio.log1p_r};
    return 0.5 * regularized_incomplete_beta(0.5 * df, 0.5, arg);
}

double student_t_log_pdf(double t, double df) {
    const double log_norm = -log_beta(0.5 * df, 0.5) - 0.5 * std::log(df);
    return log_norm - 0.5 * (df + 1.0) * tail_ratio(t, df).log1p_r;
}

// Cornish-Fisher expansion of the t quantile in terms of the normal quantile z, to g5
// (Abramowitz & Stegun 26.7.5), and its derivative in z.
double cornish_fisher(double z, double df) {
    const double z2 = z * z;
    const double g1 = (z2 + 1.0) * z / 4.0;
    const double g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    const double g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    const double g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    const double g5 =
        (((((27.0 * z2 + 339.0) * z2 + 930.0) * z2 - 1782.0) * z2 - 765.0) * z2 + 17955.0) * z / 368640.0;
    return z + (g1 + (g2 + (g3 + (g4 + g5 / df) / df) / df) / df) / df;
}

double cornish_fisher_slope(double z, double df) {
    const double z2 = z * z;
    const double d1 = (3.0 * z2 + 1.0) / 4.0;
    const double d2 = ((25.0 * z2 + 48.0) * z2 + 3.0) / 96.0;
    const double d3 = (((21.0 * z2 + 95.0) * z2 + 51.0) * z2 - 15.0) / 384.0;
    const double d4 = ((((711.0 * z2 + 5432.0) * z2 + 7410.0) * z2 - 5760.0) * z2 - 945.0) / 92160.0;
    const double d5 =
        (((((297.0 * z2 + 3051.0) * z2 + 6510.0) * z2 - 8910.0) * z2 - 2295.0) * z2 + 17955.0) / 368640.0;
    return 1.0 + (d1 + (d2 + (d3 + (d4 + d5 / df) / df) / df) / df) / df;
}

// Where the Cornish-Fisher expansion replaces the beta route: large df, and |z| or |t| small
// enough against sqrt(df) that the series converges fast (z^2 / df <= 1e-3: omitted terms < 1e-17).
// Further out the beta route is accurate again, as its continued fraction converges quickly there.
bool use_expansion(double x, double df) { return df >= DF_EXPANSION && x * x <= 1e-3 * df; }

// P(T <= t) = Phi(z) with cornish_fisher(z, df) = t, solved by Newton from z = t.
double student_t_cdf_by_expansion(double t, double df) {
    double z = t;
    for (int iteration = 0; iteration < 20; ++iteration) {
        const double step = (cornish_fisher(z, df) - t) / cornish_fisher_slope(z, df);
        z -= step;
        if (std::fabs(step) <= 4.0 * DBL_EPSILON * std::fabs(z)) break;
    }
    return normal_cdf(z);
}

// The t > 0 with P(T > t) = q, for 0 < q < 0.5, by Newton on log P(T > t) against log t: far
// out the tail is nearly a power law (~t^-df), where this converges in a few steps and plain
// Newton would crawl. A bracket [lo, hi] with geometric bisection keeps it safe.
double student_t_upper_quantile_by_search(double q, double df, double start) {
    if (student_t_upper_tail(DBL_MAX, df) > q) return std::numeric_limits<double>::infinity();
    const double log_q = std::log(q);
    double t = std::isfinite(start) && start > 0.0 ? start : 1.0;  // the expansion can misfire for df < 1
    double lo = 0.0;
    double hi = DBL_MAX;
    for (int iteration = 0; iteration < 400; ++iteration) {
        const double tail = student_t_upper_tail(t, df);
        if (tail > q) {
            lo = t;
        } else {
            hi = t;
        }
        double next = -1.0;
        if (tail > 0.0) {
            const double log_tail = std::log(tail);
            const double elasticity = std::exp(std::log(t) + student_t_log_pdf(t, df) - log_tail);  // -dlog tail/dlog t
            next = t * std::exp((log_tail - log_q) / elasticity);
        }
        if (!(next > lo && next < hi)) {  // bisect: geometric, as the bracket may span many decades
            next = lo > 0.0 ? std::sqrt(lo) * std::sqrt(hi) : std::min(0.5 * hi, 1.0);
        }
        if (std::fabs(next - t) <= 4.0 * DBL_EPSILON * next) return next;
        t = next;
    }
    return t;
}

double student_t_upper_quantile(double q, double df) {
    if (df == 1.0) return 1.0 / std::tan(std::numbers::pi * q);               // Cauchy
    if (df == 2.0) return (1.0 - 2.0 * q) / std::sqrt(2.0 * q * (1.0 - q));  // closed form
    const double z = -normal_quantile(q);
    const double start = cornish_fisher(z, df);
    if (use_expansion(z, df)) return start;
    return student_t_upper_quantile_by_search(q, df, start);
}

}  // namespace

double normal_cdf(double x) noexcept { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double normal_quantile(double p) {
    require_probability_open("normal_quantile", p);
    // Work in the lower half, where 1 - p is exact (Sterbenz) and the refinement keeps precision.
    if (p > 0.5) return -halley_refine(acklam_lower(1.0 - p), 1.0 - p);
    return halley_refine(acklam_lower(p), p);
}

double student_t_cdf(double t, double df) {
    require_degrees_of_freedom("student_t_cdf", df);
    if (std::isnan(t)) reject("student_t_cdf", "t must not be NaN", t);
    if (std::isinf(df)) return normal_cdf(t);
    if (use_expansion(t, df)) return student_t_cdf_by_expansion(t, df);
    const double tail = student_t_upper_tail(std::fabs(t), df);
    return t >= 0.0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
    require_probability_open("student_t_quantile", p);
    require_degrees_of_freedom("student_t_quantile", df);
    if (std::isinf(df)) return normal_quantile(p);
    if (p == 0.5) return 0.0;
    const double tail = p < 0.5 ? p : 1.0 - p;
    const double t = student_t_upper_quantile(tail, df);
    return p < 0.5 ? -t : t;
}

Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double z) {
    if (trials == 0) throw std::invalid_argument("wilson_interval: trials must be >= 1, got 0");
    if (successes > trials) {
        std::string message = "wilson_interval: successes must be <= trials, got ";
        message.append(std::to_string(successes)).append(" > ").append(std::to_string(trials));
        throw std::invalid_argument(message);
    }
    if (!(std::isfinite(z) && z > 0.0)) reject("wilson_interval", "z must be finite and > 0", z);
    // spec anonymity §1: Wilson score interval.
    const double n = static_cast<double>(trials);
    const double p_hat = static_cast<double>(successes) / n;
    const double z2 = z * z;
    const double denominator = 1.0 + z2 / n;
    const double centre = (p_hat + z2 / (2.0 * n)) / denominator;
    const double half = z * std::sqrt(p_hat * (1.0 - p_hat) / n + z2 / (4.0 * n * n)) / denominator;
    const double lo = successes == 0 ? 0.0 : std::clamp(centre - half, 0.0, 1.0);
    const double hi = successes == trials ? 1.0 : std::clamp(centre + half, 0.0, 1.0);
    return {lo, hi, p_hat};
}

Interval mean_interval(std::span<const double> samples, double confidence) {
    if (samples.size() < 2) {
        reject("mean_interval", "needs at least 2 samples", static_cast<double>(samples.size()));
    }
    if (!(confidence > 0.0 && confidence < 1.0)) reject("mean_interval", "confidence must be in (0, 1)", confidence);
    for (const double x : samples) {
        if (!std::isfinite(x)) reject("mean_interval", "samples must be finite", x);
    }
    const auto [mean, sd] = mean_and_sd(samples);
    const double n = static_cast<double>(samples.size());
    const double half = student_t_quantile(0.5 + 0.5 * confidence, n - 1.0) * sd / std::sqrt(n);
    return {mean - half, mean + half, mean};
}

}  // namespace sessionsim::stats
