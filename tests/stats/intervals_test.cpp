// Quantile functions against published tables and 30-digit references (mpmath), and the
// intervals' coverage checked by Monte Carlo at fixed seeds against exact coverage.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/stats/intervals.hpp"
#include "sim/core/random.hpp"

namespace sessionsim::stats {
namespace {

constexpr double INF = std::numeric_limits<double>::infinity();
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// Half-width of a two-sided 99.9% band for a proportion p estimated from `trials` draws.
double band_999(double p, std::size_t trials) {
    return normal_quantile(0.9995) * std::sqrt(p * (1.0 - p) / static_cast<double>(trials));
}

std::uint64_t binomial_draw(RandomStream& rng, std::uint64_t n, double p) {
    std::uint64_t k = 0;
    for (std::uint64_t i = 0; i < n; ++i) k += rng.bernoulli(p) ? 1 : 0;
    return k;
}

// P(the Wilson interval of X ~ Binomial(n, p) contains p), summed exactly over k.
double exact_wilson_coverage(std::uint64_t n, double p) {
    double pmf = std::pow(1.0 - p, static_cast<double>(n));  // P(X = 0)
    double coverage = 0.0;
    for (std::uint64_t k = 0; k <= n; ++k) {
        const Interval ci = wilson_interval(k, n);
        if (ci.lo <= p && p <= ci.hi) coverage += pmf;
        pmf *= static_cast<double>(n - k) / static_cast<double>(k + 1) * p / (1.0 - p);
    }
    return coverage;
}

TEST(NormalQuantile, KnownValues) {
    EXPECT_NEAR(normal_quantile(0.975), 1.959964, 5e-7);
    EXPECT_NEAR(normal_quantile(0.995), 2.575829, 5e-7);
    EXPECT_EQ(normal_quantile(0.5), 0.0);
    // 30-digit references (mpmath: sqrt(2) erfinv(2p - 1)).
    EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-14);
    EXPECT_NEAR(normal_quantile(0.995), 2.575829303548901, 1e-14);
    EXPECT_NEAR(normal_quantile(1e-10), -6.361340902404056, 1e-13);
    EXPECT_NEAR(normal_cdf(1.0), 0.8413447460685429, 1e-15);
}

TEST(NormalQuantile, IsAntisymmetricAndInvertsTheCdf) {
    EXPECT_NEAR(normal_cdf(normal_quantile(1e-300)) / 1e-300, 1.0, 1e-12);
    for (double p : {1e-15, 1e-6, 0.001, 0.02425, 0.1, 0.3, 0.49, 0.5, 0.51, 0.8, 0.97575, 0.999, 1 - 1e-12}) {
        const double x = normal_quantile(p);
        EXPECT_NEAR(normal_cdf(x) / p, 1.0, 1e-13) << "p = " << p;
        const double upper = 1.0 - p;  // rounded; 1 - upper is then exact (Sterbenz)
        EXPECT_EQ(normal_quantile(upper), -normal_quantile(1.0 - upper)) << "p = " << p;
    }
}

TEST(NormalQuantile, RejectsProbabilitiesOutsideTheOpenUnitInterval) {
    for (double p : {0.0, 1.0, -0.1, 1.5, NaN}) EXPECT_THROW(normal_quantile(p), std::invalid_argument) << p;
}

TEST(StudentT, QuantileMatchesTheTableToThreeDecimals) {
    EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706, 5e-4);
    EXPECT_NEAR(student_t_quantile(0.975, 2), 4.303, 5e-4);
    EXPECT_NEAR(student_t_quantile(0.975, 10), 2.228, 5e-4);
    EXPECT_NEAR(student_t_quantile(0.975, 30), 2.042, 5e-4);
    EXPECT_NEAR(student_t_quantile(0.975, INF), 1.960, 5e-4);
}

TEST(StudentT, QuantileMatchesHighPrecisionReferences) {
    // mpmath, 40 digits, with p the exact double: bisection on
    // betainc(df/2, 1/2, 0, df/(df+t^2), regularized) / 2 = 1 - p.
    struct Case {
        double p, df, t;
    };
    const Case cases[] = {
        {0.975, 1, 12.706204736174693},   {0.975, 2, 4.3026527297494618},     {0.975, 3, 3.1824463052837084},
        {0.975, 4, 2.7764451051977935},   {0.975, 5, 2.5705818356363148},     {0.975, 10, 2.2281388519862742},
        {0.975, 30, 2.0422724563012379},  {0.995, 5, 4.0321429835552272},     {0.95, 1, 6.3137515146750374},
        {0.9995, 3, 12.923978636687964},  {0.975, 1000, 1.9623390808264081},  {0.999999, 1, 318309.88617359026},
        {0.6, 4, 0.27072229470759736},    {0.975, 2.5, 3.5746548420036818},   {0.9999999, 2, 2236.0676426780629},
        {0.995, 100, 2.6258905214380176}, {0.975, 3000, 1.9607550553224581},
    };
    for (const Case& c : cases) {
        EXPECT_NEAR(student_t_quantile(c.p, c.df) / c.t, 1.0, 1e-13) << "p = " << c.p << ", df = " << c.df;
    }
}

TEST(StudentT, ExtremeTailsAndTinyDf) {
    // mpmath, 60 digits, lower-tail quantiles. A tail error e moves t by about e / df relatively,
    // hence the looser bound for df < 1.
    struct Case {
        double p, df, t;
    };
    const Case cases[] = {
        {1e-300, 3, -1.0331108360446529e+100}, {1e-300, 50, -6675289.0629439365},
        {1e-300, 5000, -39.743209481817488},   {1e-300, 5e4, -37.302978194878859},
        {1e-300, 1e6, -37.059820872774391},    {1e-10, 1e4, -6.3679413514828029},
        {1e-10, 2e4, -6.3646396613715946},     {1e-3, 0.01, -3.9604401371524224e+268},
        {1e-4, 0.3, -647878542583.08567},
    };
    for (const Case& c : cases) {
        const double bound = c.df < 1.0 ? 1e-12 : 1e-13;
        EXPECT_NEAR(student_t_quantile(c.p, c.df) / c.t, 1.0, bound) << "p = " << c.p << ", df = " << c.df;
    }
    // With df = 0.5 the 1e-300 quantile lies beyond the largest double.
    EXPECT_EQ(student_t_quantile(1e-300, 0.5), -INF);
    EXPECT_EQ(student_t_cdf(-INF, 3.0), 0.0);
    EXPECT_EQ(student_t_cdf(INF, 3.0), 1.0);
}

TEST(StudentT, ApproachesTheNormalAsDfGrows) {
    EXPECT_EQ(student_t_quantile(0.975, INF), normal_quantile(0.975));
    // t - z = g1 / df + g2 / df^2 + ..., g1 = (z^3 + z) / 4, g2 = (5z^5 + 16z^3 + 3z) / 96
    // (Abramowitz & Stegun 26.7.5). df = 1e3 and 3e3 go through the incomplete beta, so this also
    // checks the beta route against the expansion; the bound is the g2 term plus rounding.
    const double z = normal_quantile(0.975);
    const double g1 = (z * z * z + z) / 4.0;
    const double g2 = (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / 96.0;
    for (double df : {1e3, 3e3, 1e6}) {
        const double gap = student_t_quantile(0.975, df) - z;
        EXPECT_NEAR(gap * df, g1, 1.01 * g2 / df + 1e-14 * df) << "df = " << df;
    }
    // Both sides of the switch to the expansion at df = 1e4 agree with mpmath (40 digits).
    EXPECT_NEAR(student_t_quantile(0.975, 9999.999) / 1.9602012399143542, 1.0, 1e-13);
    EXPECT_NEAR(student_t_quantile(0.975, 1e4) / 1.9602012398906259, 1.0, 1e-15);
    // Upper tails 1 - cdf, relative: the beta route keeps ~3e-13 near its end.
    EXPECT_NEAR((1.0 - student_t_cdf(2.5, 9999.999)) / (1.0 - 0.99378239022391351), 1.0, 5e-13);
    EXPECT_NEAR((1.0 - student_t_cdf(2.5, 1e4)) / (1.0 - 0.99378239022470815), 1.0, 5e-14);
}

TEST(StudentT, CdfInvertsTheQuantile) {
    for (double df : {0.5, 1.0, 2.0, 3.0, 4.5, 9.0, 29.0, 250.0, 1e4, 1e6}) {
        for (double p : {1e-8, 0.001, 0.025, 0.2, 0.5, 0.7, 0.95, 0.999}) {
            const double t = student_t_quantile(p, df);
            EXPECT_NEAR(student_t_cdf(t, df) / p, 1.0, 1e-11) << "p = " << p << ", df = " << df;
        }
    }
    EXPECT_EQ(student_t_cdf(0.0, 7.0), 0.5);
    EXPECT_EQ(student_t_cdf(1.5, INF), normal_cdf(1.5));
}

TEST(StudentT, RejectsBadArguments) {
    EXPECT_THROW(student_t_quantile(0.0, 5), std::invalid_argument);
    EXPECT_THROW(student_t_quantile(1.0, 5), std::invalid_argument);
    EXPECT_THROW(student_t_quantile(0.9, 0), std::invalid_argument);
    EXPECT_THROW(student_t_quantile(0.9, -1), std::invalid_argument);
    EXPECT_THROW(student_t_quantile(0.9, NaN), std::invalid_argument);
    EXPECT_THROW(student_t_cdf(NaN, 3), std::invalid_argument);
    EXPECT_THROW(student_t_cdf(1.0, 0), std::invalid_argument);
}

TEST(Wilson, MatchesReferenceValues) {
    // mpmath, 30 digits, z = 1.96.
    const Interval a = wilson_interval(5, 50);
    EXPECT_NEAR(a.lo, 0.043475123991571097, 1e-15);
    EXPECT_NEAR(a.hi, 0.2136049033478839, 1e-15);
    EXPECT_EQ(a.estimate, 0.1);
    const Interval b = wilson_interval(131, 263);  // OPTF swarm coverage (spec §0)
    EXPECT_NEAR(b.lo, 0.43813383234237635, 1e-15);
    EXPECT_NEAR(b.hi, 0.55811862604492158, 1e-15);
    const Interval none = wilson_interval(0, 20);
    EXPECT_EQ(none.lo, 0.0);
    EXPECT_NEAR(none.hi, 0.16113012549493323, 1e-15);
    const Interval all = wilson_interval(20, 20);
    EXPECT_NEAR(all.lo, 0.83886987450506677, 1e-15);
    EXPECT_EQ(all.hi, 1.0);
}

TEST(Wilson, IsSymmetricAndNarrowsWithZ) {
    for (std::uint64_t k = 0; k <= 30; ++k) {
        const Interval ci = wilson_interval(k, 30);
        const Interval mirror = wilson_interval(30 - k, 30);
        EXPECT_NEAR(ci.lo, 1.0 - mirror.hi, 1e-15) << k;
        EXPECT_LE(ci.lo, ci.estimate);
        EXPECT_GE(ci.hi, ci.estimate);
        const Interval narrow = wilson_interval(k, 30, 1.0);
        EXPECT_LT(narrow.hi - narrow.lo, ci.hi - ci.lo) << k;
    }
}

TEST(Wilson, MonteCarloCoverageMatchesExactCoverage) {
    // 4,000 binomial experiments at p = 0.1, n = 50. The exact coverage of the 95% Wilson interval
    // there is 0.9703, not 0.95: Wilson coverage oscillates with n and p (Brown, Cai & DasGupta
    // 2001), and a 99.9% band around 0.95 (+-0.011 for 4,000 runs) would reject it. So the
    // simulation is compared with the exact binomial coverage, and closeness to nominal is
    // checked on average over p (next test).
    constexpr std::uint64_t n = 50;
    constexpr double p = 0.1;
    constexpr std::size_t experiments = 4000;
    const double exact = exact_wilson_coverage(n, p);
    EXPECT_NEAR(exact, 0.9703082890880897, 1e-12);  // Python, exact binomial sum
    RandomStream rng(20240601);
    std::size_t covered = 0;
    for (std::size_t e = 0; e < experiments; ++e) {
        const Interval ci = wilson_interval(binomial_draw(rng, n, p), n);
        if (ci.lo <= p && p <= ci.hi) ++covered;
    }
    const double observed = static_cast<double>(covered) / experiments;
    std::printf("Wilson 95%% coverage at n = 50, p = 0.1: observed %.4f, exact %.4f\n", observed, exact);
    EXPECT_NEAR(observed, exact, band_999(exact, experiments));
}

TEST(Wilson, CoverageIsNominalOnAverageOverP) {
    // Mean exact coverage over p = 0.050, 0.051, ..., 0.950 at n = 50 is 0.95156 (Python).
    double sum = 0.0;
    std::size_t count = 0;
    for (int i = 50; i <= 950; ++i, ++count) sum += exact_wilson_coverage(50, i / 1000.0);
    const double mean = sum / static_cast<double>(count);
    EXPECT_NEAR(mean, 0.9515630398774028, 1e-9);
    EXPECT_NEAR(mean, 0.95, 0.005);
}

TEST(Wilson, RejectsBadArguments) {
    EXPECT_THROW(wilson_interval(0, 0), std::invalid_argument);
    EXPECT_THROW(wilson_interval(6, 5), std::invalid_argument);
    EXPECT_THROW(wilson_interval(1, 5, 0.0), std::invalid_argument);
    EXPECT_THROW(wilson_interval(1, 5, -1.0), std::invalid_argument);
    EXPECT_THROW(wilson_interval(1, 5, INF), std::invalid_argument);
    EXPECT_THROW(wilson_interval(1, 5, NaN), std::invalid_argument);
}

TEST(MeanInterval, MatchesAHandComputation) {
    const std::vector<double> samples{1, 2, 3, 4, 5};
    const Interval ci = mean_interval(samples);
    // s = sqrt(2.5), t(0.975, 4) = 2.7764451051977987: half-width 1.9632431614775608 (mpmath).
    EXPECT_DOUBLE_EQ(ci.estimate, 3.0);
    EXPECT_NEAR(ci.hi - ci.estimate, 1.9632431614775608, 1e-12);
    EXPECT_NEAR(ci.estimate - ci.lo, 1.9632431614775608, 1e-12);
    const std::vector<double> constant{7, 7, 7};
    EXPECT_EQ(mean_interval(constant).lo, 7.0);
    EXPECT_EQ(mean_interval(constant).hi, 7.0);
}

TEST(MeanInterval, CoverageIsNominalForNormalData) {
    // The t interval is exact for normal samples, so its coverage is 0.95 for any n >= 2;
    // n = 2 exercises t(0.975, 1) = 12.706.
    constexpr std::size_t experiments = 4000;
    RandomStream rng(77);
    for (std::size_t n : {2, 5, 20}) {
        std::size_t covered = 0;
        std::vector<double> samples(n);
        for (std::size_t e = 0; e < experiments; ++e) {
            for (double& x : samples) x = rng.normal(10.0, 3.0);
            const Interval ci = mean_interval(samples);
            if (ci.lo <= 10.0 && 10.0 <= ci.hi) ++covered;
        }
        const double observed = static_cast<double>(covered) / experiments;
        EXPECT_NEAR(observed, 0.95, band_999(0.95, experiments)) << "n = " << n;
    }
}

TEST(MeanInterval, RejectsBadArguments) {
    const std::vector<double> one{1.0};
    const std::vector<double> two{1.0, 2.0};
    const std::vector<double> with_nan{1.0, NaN};
    EXPECT_THROW(mean_interval(one), std::invalid_argument);
    EXPECT_THROW(mean_interval(std::vector<double>{}), std::invalid_argument);
    EXPECT_THROW(mean_interval(with_nan), std::invalid_argument);
    EXPECT_THROW(mean_interval(two, 0.0), std::invalid_argument);
    EXPECT_THROW(mean_interval(two, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace sessionsim::stats
