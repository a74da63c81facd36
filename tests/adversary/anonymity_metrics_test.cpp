// Anonymity metrics against their closed forms (spec anonymity §1), properties on random
// distributions at fixed seeds, and linking-attack evaluation: ROC/AUC against hand-worked
// examples, a brute-force pair count, and the binormal closed form Phi(d / sqrt 2) by Monte Carlo.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/adversary/anonymity_metrics.hpp"
#include "sim/stats/intervals.hpp"
#include "sim/core/random.hpp"
#include "tests/support/stats.hpp"

namespace sessionsim::adversary {
namespace {

constexpr double INF = std::numeric_limits<double>::infinity();
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// Monte-Carlo tolerance for a proportion: the project's family-wise z = 4 (tests/support/stats.hpp).
double proportion_tolerance(double p, std::size_t runs) {
    return testing::Z * std::sqrt(p * (1.0 - p) / static_cast<double>(runs));
}

// A random distribution over n candidates; each candidate has score 0 with probability zero_share.
std::vector<double> random_scores(RandomStream& rng, std::size_t n, double zero_share) {
    std::vector<double> scores(n);
    for (double& s : scores) s = rng.bernoulli(zero_share) ? 0.0 : rng.exponential(1.0);
    scores[rng.index(n)] = 1.0;  // never all zero
    return scores;
}

double sum_of_squares(const std::vector<double>& p) {
    return std::accumulate(p.begin(), p.end(), 0.0, [](double acc, double x) { return acc + x * x; });
}

// Var_p(log2 p) over the support.
double variance_of_log2(const std::vector<double>& p) {
    double mean = 0.0;
    double square = 0.0;
    for (double x : p) {
        if (x <= 0.0) continue;
        mean += x * std::log2(x);
        square += x * std::log2(x) * std::log2(x);
    }
    return square - mean * mean;
}

// Expects `call` to throw std::invalid_argument whose message names `function`.
template <class Call>
void expect_rejected(Call call, const std::string& function) {
    try {
        call();
        ADD_FAILURE() << function << " did not throw";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find(function), std::string::npos) << e.what();
    }
}

TEST(AnonymityMetrics, UniformOverNIsMaximal) {
    for (std::size_t n : {1, 2, 3, 7, 263, 1841}) {
        const std::vector<double> scores(n, 2.5);  // any constant score
        const double log2n = std::log2(static_cast<double>(n));
        EXPECT_EQ(anonymity_set_size(scores), n);
        EXPECT_NEAR(shannon_entropy_bits(scores), log2n, 1e-12) << n;
        EXPECT_NEAR(effective_set_size(scores), static_cast<double>(n), 1e-9 * static_cast<double>(n)) << n;
        EXPECT_NEAR(normalised_degree(scores), n == 1 ? 0.0 : 1.0, 1e-12) << n;
        EXPECT_NEAR(min_entropy_bits(scores), log2n, 1e-12) << n;
        for (double alpha : {0.0, 0.5, 1.0, 2.0, 3.0, 50.0, INF}) {
            EXPECT_NEAR(renyi_entropy_bits(scores, alpha), log2n, 1e-12) << "n = " << n << ", alpha = " << alpha;
        }
        EXPECT_DOUBLE_EQ(rank_of_truth(scores, 0), (static_cast<double>(n) + 1.0) / 2.0);
    }
}

TEST(AnonymityMetrics, PointMassIsFullyDeanonymised) {
    const std::vector<double> scores{0.0, 0.0, 3.5, 0.0};
    EXPECT_EQ(anonymity_set_size(scores), 1u);
    EXPECT_EQ(shannon_entropy_bits(scores), 0.0);
    EXPECT_EQ(effective_set_size(scores), 1.0);
    EXPECT_EQ(normalised_degree(scores), 0.0);
    EXPECT_EQ(min_entropy_bits(scores), 0.0);
    EXPECT_EQ(renyi_entropy_bits(scores, 2.0), 0.0);
    EXPECT_EQ(renyi_entropy_bits(scores, 0.0), 0.0);
    const CandidateAssessment hit = assess(scores, 2);
    EXPECT_TRUE(hit.deanonymised());
    EXPECT_EQ(hit.truth_probability, 1.0);
    EXPECT_EQ(hit.truth_rank, 1.0);
    const CandidateAssessment miss = assess(scores, 0);  // the attacker is sure, and wrong
    EXPECT_TRUE(miss.deanonymised());
    EXPECT_EQ(miss.truth_probability, 0.0);
    EXPECT_EQ(miss.ranked_above_truth, 1u);
    EXPECT_EQ(miss.tied_with_truth, 3u);
    EXPECT_EQ(miss.truth_rank, 3.0);  // mid-rank of positions 2..4
}

TEST(AnonymityMetrics, TwoPointDistributionGivesBinaryEntropy) {
    EXPECT_NEAR(unlinkability_degree(0.25), 0.81127812445913286, 1e-15);  // mpmath
    for (double p : {0.01, 0.1, 0.25, 0.5, 0.9}) {
        const std::vector<double> pair{p, 1.0 - p};
        const std::vector<double> padded{p, 0.0, 1.0 - p, 0.0};  // same belief among N = 4
        const double h = unlinkability_degree(p);
        EXPECT_NEAR(shannon_entropy_bits(pair), h, 1e-15) << p;
        EXPECT_NEAR(normalised_degree(pair), h, 1e-15) << p;
        EXPECT_NEAR(shannon_entropy_bits(padded), h, 1e-15) << p;
        EXPECT_NEAR(normalised_degree(padded), h / 2.0, 1e-15) << p;  // d depends on N (spec §1 item 3)
        EXPECT_EQ(anonymity_set_size(padded), 2u);
        EXPECT_NEAR(min_entropy_bits(pair), -std::log2(std::max(p, 1.0 - p)), 1e-15) << p;
    }
}

TEST(AnonymityMetrics, UnlinkabilityDegreeClosedForms) {
    EXPECT_EQ(unlinkability_degree(0.5), 1.0);
    EXPECT_EQ(unlinkability_degree(0.0), 0.0);
    EXPECT_EQ(unlinkability_degree(1.0), 0.0);
    for (double p : {0.001, 0.2, 0.37}) EXPECT_NEAR(unlinkability_degree(p), unlinkability_degree(1.0 - p), 1e-15);
    EXPECT_THROW(unlinkability_degree(-0.01), std::invalid_argument);
    EXPECT_THROW(unlinkability_degree(1.01), std::invalid_argument);
    EXPECT_THROW(unlinkability_degree(NaN), std::invalid_argument);
}

TEST(AnonymityMetrics, RenyiEntropyClosedFormsAndLimits) {
    RandomStream rng(31);
    for (int trial = 0; trial < 50; ++trial) {
        const std::vector<double> scores = random_scores(rng, 2 + rng.index(40), 0.3);
        const std::vector<double> p = normalise_scores(scores);
        const double h = shannon_entropy_bits(scores);
        const double h_inf = min_entropy_bits(scores);
        EXPECT_NEAR(renyi_entropy_bits(scores, 2.0), -std::log2(sum_of_squares(p)), 1e-12);  // collision entropy
        EXPECT_NEAR(renyi_entropy_bits(scores, 0.0), std::log2(static_cast<double>(anonymity_set_size(scores))), 1e-12);
        EXPECT_EQ(renyi_entropy_bits(scores, 1.0), h);
        EXPECT_EQ(renyi_entropy_bits(scores, INF), h_inf);
        // Near alpha = 1: dH_alpha/dalpha = -(ln 2 / 2) Var_p(log2 p) (the Taylor expansion of
        // log sum p^alpha), checked by a central difference.
        const double var = variance_of_log2(p);
        const double eps = 1e-4;
        const double slope = (renyi_entropy_bits(scores, 1.0 + eps) - renyi_entropy_bits(scores, 1.0 - eps)) / (2 * eps);
        EXPECT_NEAR(slope, -std::log(2.0) / 2.0 * var, 1e-6 * (1.0 + var));
        EXPECT_NEAR(renyi_entropy_bits(scores, 1.0 + 1e-9), h, 1e-9 * var + 1e-13);
        // Large alpha: |H_alpha - H_inf| <= (H_inf + log2 A) / (alpha - 1), from S in [1, A].
        const double alpha = 1e4;
        const double bound = (h_inf + std::log2(static_cast<double>(anonymity_set_size(scores)))) / (alpha - 1.0);
        EXPECT_NEAR(renyi_entropy_bits(scores, alpha), h_inf, bound + 1e-12);
    }
}

TEST(AnonymityMetrics, EntropiesAreOrderedOnRandomDistributions) {
    // H_inf <= H_2 <= H <= H_0 = log2 A <= log2 N, and H_alpha non-increasing in alpha.
    RandomStream rng(32);
    const double alphas[] = {0.0, 0.3, 0.9, 1.0, 1.5, 2.0, 4.0, 30.0, INF};
    for (int trial = 0; trial < 200; ++trial) {
        const std::vector<double> scores = random_scores(rng, 1 + rng.index(100), 0.5);
        const double slack = 1e-12;
        double previous = INF;
        for (double alpha : alphas) {
            const double h = renyi_entropy_bits(scores, alpha);
            EXPECT_LE(h, previous + slack) << "alpha = " << alpha;
            previous = h;
        }
        const double h = shannon_entropy_bits(scores);
        EXPECT_LE(min_entropy_bits(scores), h + slack);
        EXPECT_LE(h, std::log2(static_cast<double>(anonymity_set_size(scores))) + slack);
        EXPECT_LE(effective_set_size(scores), static_cast<double>(anonymity_set_size(scores)) * (1 + slack));
        const double d = normalised_degree(scores);
        EXPECT_GE(d, 0.0);
        EXPECT_LE(d, 1.0);
    }
}

TEST(AnonymityMetrics, ScoresAreScaleFreeWithoutOverflow) {
    const std::vector<double> base{1.0, 2.0, 3.0, 0.0, 4.0};
    const double h = shannon_entropy_bits(base);
    for (double scale : {1e-300, 1e-10, 7.0, 1e300}) {
        std::vector<double> scaled(base);
        for (double& s : scaled) s *= scale;
        EXPECT_NEAR(shannon_entropy_bits(scaled), h, 1e-14) << scale;
        EXPECT_NEAR(renyi_entropy_bits(scaled, 2.0), renyi_entropy_bits(base, 2.0), 1e-14) << scale;
    }
    // The plain sum of these overflows to infinity; the maximum-first normalisation does not.
    const std::vector<double> huge{DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX};
    EXPECT_NEAR(shannon_entropy_bits(huge), 2.0, 1e-15);
}

TEST(AnonymityMetrics, RankOfTruthTieRules) {
    const std::vector<double> scores{0.1, 0.4, 0.4, 0.1, 0.0};
    EXPECT_EQ(rank_of_truth(scores, 1, TieRule::optimistic), 1.0);
    EXPECT_EQ(rank_of_truth(scores, 1, TieRule::mid), 1.5);
    EXPECT_EQ(rank_of_truth(scores, 1, TieRule::pessimistic), 2.0);
    EXPECT_EQ(rank_of_truth(scores, 3, TieRule::optimistic), 3.0);
    EXPECT_EQ(rank_of_truth(scores, 3), 3.5);
    EXPECT_EQ(rank_of_truth(scores, 3, TieRule::pessimistic), 4.0);
    EXPECT_EQ(rank_of_truth(scores, 4), 5.0);  // the only zero: last, no ties
}

TEST(AnonymityMetrics, TopKHitProbabilityClosedForms) {
    const std::vector<double> uniform(10, 1.0);
    const CandidateAssessment u = assess(uniform, 3);
    for (std::size_t k = 1; k <= 12; ++k) {
        EXPECT_DOUBLE_EQ(top_k_hit_probability(u, k), std::min(1.0, static_cast<double>(k) / 10.0)) << k;
    }
    // Truth tied with two others behind one clear favourite: positions 2..4 are equally likely.
    const std::vector<double> scores{9.0, 5.0, 5.0, 5.0, 1.0};
    const CandidateAssessment a = assess(scores, 2);
    EXPECT_EQ(top_k_hit_probability(a, 1), 0.0);
    EXPECT_DOUBLE_EQ(top_k_hit_probability(a, 2), 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(top_k_hit_probability(a, 3), 2.0 / 3.0);
    EXPECT_EQ(top_k_hit_probability(a, 4), 1.0);
    EXPECT_EQ(top_k_hit_probability(assess(scores, 0), 1), 1.0);
    EXPECT_THROW(top_k_hit_probability(a, 0), std::invalid_argument);
}

TEST(AnonymityMetrics, TopKHitProbabilityMatchesAnAttackerBreakingTiesAtRandom) {
    // The attacker sorts by score and breaks ties with fresh uniform keys; count how often the
    // truth lands in the first k, and compare with the closed form.
    const std::vector<double> scores{3, 2, 2, 2, 2, 2, 1, 1, 0, 2};
    constexpr std::size_t truth = 4;
    constexpr std::size_t runs = 20'000;
    const CandidateAssessment a = assess(scores, truth);
    ASSERT_EQ(a.ranked_above_truth, 1u);
    ASSERT_EQ(a.tied_with_truth, 6u);
    RandomStream rng(33);
    std::vector<std::size_t> hits(scores.size() + 1, 0);  // hits[k]: truth within the top k
    std::vector<std::size_t> order(scores.size());
    std::vector<double> key(scores.size());
    for (std::size_t run = 0; run < runs; ++run) {
        for (double& x : key) x = rng.uniform_real();
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
            return scores[i] != scores[j] ? scores[i] > scores[j] : key[i] < key[j];
        });
        const auto position = static_cast<std::size_t>(std::find(order.begin(), order.end(), truth) - order.begin());
        for (std::size_t k = position + 1; k <= scores.size(); ++k) ++hits[k];
    }
    for (std::size_t k = 1; k <= scores.size(); ++k) {
        const double p = top_k_hit_probability(a, k);
        const double observed = static_cast<double>(hits[k]) / runs;
        EXPECT_NEAR(observed, p, proportion_tolerance(p, runs)) << "k = " << k;
    }
}

TEST(AnonymityMetrics, AssessAgreesWithTheSingleMetrics) {
    RandomStream rng(34);
    for (int trial = 0; trial < 50; ++trial) {
        const std::vector<double> scores = random_scores(rng, 1 + rng.index(30), 0.2);
        const std::size_t truth = rng.index(scores.size());
        const CandidateAssessment a = assess(scores, truth);
        EXPECT_EQ(a.candidates, scores.size());
        EXPECT_EQ(a.anonymity_set_size, anonymity_set_size(scores));
        EXPECT_EQ(a.entropy_bits, shannon_entropy_bits(scores));
        EXPECT_EQ(a.effective_set_size, effective_set_size(scores));
        EXPECT_EQ(a.normalised_degree, normalised_degree(scores));
        EXPECT_EQ(a.min_entropy_bits, min_entropy_bits(scores));
        EXPECT_EQ(a.truth_rank, rank_of_truth(scores, truth));
        EXPECT_EQ(a.truth_probability, normalise_scores(scores)[truth]);
        EXPECT_EQ(a.deanonymised(), a.max_probability >= 0.5);
    }
}

TEST(AnonymityMetrics, PopulationSummaryByHand) {
    const std::vector<double> uniform4{1, 1, 1, 1};  // H = 2, top-1 1/4, top-2 1/2
    const std::vector<double> certain{0, 5, 0};      // H = 0, right, deanonymised
    const std::vector<double> coin{1, 1};            // H = 1, max p = 0.5: deanonymised (>=)
    const std::vector<double> skewed{3, 1, 0, 0};    // H = h(1/4), truth second, deanonymised
    const std::vector<CandidateAssessment> targets{assess(uniform4, 0), assess(certain, 1), assess(coin, 0),
                                                   assess(skewed, 1)};
    const PopulationSummary s = summarise_population(targets, 2);
    const double h_quarter = unlinkability_degree(0.25);
    EXPECT_EQ(s.targets, 4u);
    EXPECT_NEAR(s.mean_entropy_bits, (2.0 + 0.0 + 1.0 + h_quarter) / 4.0, 1e-15);
    EXPECT_NEAR(s.entropy_p05_bits, 0.15 * h_quarter, 1e-15);  // sorted {0, h, 1, 2}, h = 3 * 0.05
    EXPECT_EQ(s.deanonymised_share, 0.75);
    EXPECT_DOUBLE_EQ(s.top1_accuracy, (0.25 + 1.0 + 0.5 + 0.0) / 4.0);
    EXPECT_EQ(s.k, 2u);
    EXPECT_DOUBLE_EQ(s.top_k_accuracy, (0.5 + 1.0 + 1.0 + 1.0) / 4.0);
    EXPECT_THROW(summarise_population({}, 2), std::invalid_argument);
    EXPECT_THROW(summarise_population(targets, 0), std::invalid_argument);
}

TEST(AnonymityMetrics, RejectsBadScoresWithTheFunctionName) {
    const std::vector<double> empty;
    const std::vector<double> zeros{0.0, 0.0};
    const std::vector<double> negative{1.0, -0.5};
    const std::vector<double> nan{1.0, NaN};
    const std::vector<double> infinite{1.0, INF};
    for (const auto* bad : {&empty, &zeros, &negative, &nan, &infinite}) {
        expect_rejected([&] { shannon_entropy_bits(*bad); }, "shannon_entropy_bits");
        expect_rejected([&] { anonymity_set_size(*bad); }, "anonymity_set_size");
        expect_rejected([&] { effective_set_size(*bad); }, "effective_set_size");
        expect_rejected([&] { normalised_degree(*bad); }, "normalised_degree");
        expect_rejected([&] { min_entropy_bits(*bad); }, "min_entropy_bits");
        expect_rejected([&] { renyi_entropy_bits(*bad, 2.0); }, "renyi_entropy_bits");
        expect_rejected([&] { normalise_scores(*bad); }, "normalise_scores");
        expect_rejected([&] { assess(*bad, 0); }, "assess");
        expect_rejected([&] { rank_of_truth(*bad, 0); }, "rank_of_truth");
    }
    const std::vector<double> good{1.0, 2.0};
    expect_rejected([&] { assess(good, 2); }, "assess");
    expect_rejected([&] { rank_of_truth(good, 7); }, "rank_of_truth");
    expect_rejected([&] { renyi_entropy_bits(good, -1.0); }, "renyi_entropy_bits");
    expect_rejected([&] { renyi_entropy_bits(good, NaN); }, "renyi_entropy_bits");
}

// --- linking attacks ---

std::vector<LinkScore> links_from(const std::vector<double>& positives, const std::vector<double>& negatives) {
    std::vector<LinkScore> links;
    for (double s : negatives) links.push_back({s, false});
    for (double s : positives) links.push_back({s, true});
    return links;
}

// P(random true link outscores random false link), ties 1/2, by checking every pair.
double auc_by_pairs(std::span<const LinkScore> links) {
    double wins = 0.0;
    double pairs = 0.0;
    for (const LinkScore& pos : links) {
        if (!pos.true_link) continue;
        for (const LinkScore& neg : links) {
            if (neg.true_link) continue;
            pairs += 1.0;
            wins += pos.score > neg.score ? 1.0 : pos.score == neg.score ? 0.5 : 0.0;
        }
    }
    return wins / pairs;
}

TEST(LinkingAttack, HandWorkedRocCurve) {
    const std::vector<LinkScore> links = links_from({0.9, 0.8, 0.4}, {0.7, 0.4, 0.2, 0.1});
    const std::vector<RocPoint> curve = roc_curve(links);
    const std::vector<RocPoint> expected{{INF, 0.0, 0.0},         {0.9, 0.0, 1.0 / 3}, {0.8, 0.0, 2.0 / 3},
                                         {0.7, 0.25, 2.0 / 3},    {0.4, 0.5, 1.0},     {0.2, 0.75, 1.0},
                                         {0.1, 1.0, 1.0}};
    ASSERT_EQ(curve.size(), expected.size());
    for (std::size_t i = 0; i < curve.size(); ++i) {
        EXPECT_EQ(curve[i].threshold, expected[i].threshold) << i;
        EXPECT_DOUBLE_EQ(curve[i].fpr, expected[i].fpr) << i;
        EXPECT_DOUBLE_EQ(curve[i].tpr, expected[i].tpr) << i;
    }
    // U = 4 + 4 + (2 + 1/2) = 10.5 of 12 pairs; trapezoids 1/6 + 5/24 + 1/2 = 21/24.
    EXPECT_DOUBLE_EQ(auc_mann_whitney(links), 0.875);
    EXPECT_DOUBLE_EQ(auc_trapezoid(curve), 0.875);
    EXPECT_DOUBLE_EQ(tpr_at_fpr(curve, 0.0), 2.0 / 3);
    EXPECT_DOUBLE_EQ(tpr_at_fpr(curve, 0.25), 2.0 / 3);
    EXPECT_DOUBLE_EQ(tpr_at_fpr(curve, 0.49), 2.0 / 3);
    EXPECT_EQ(tpr_at_fpr(curve, 0.5), 1.0);
    EXPECT_EQ(tpr_at_fpr(curve, 1.0), 1.0);
}

TEST(LinkingAttack, ExtremeSeparations) {
    const std::vector<LinkScore> perfect = links_from({5, 6, 7}, {1, 2, 3, 4});
    EXPECT_EQ(auc_mann_whitney(perfect), 1.0);
    EXPECT_EQ(auc_trapezoid(roc_curve(perfect)), 1.0);
    EXPECT_EQ(tpr_at_fpr(roc_curve(perfect), 0.0), 1.0);
    const std::vector<LinkScore> inverted = links_from({1, 2}, {3, 4, 5});
    EXPECT_EQ(auc_mann_whitney(inverted), 0.0);
    EXPECT_EQ(auc_trapezoid(roc_curve(inverted)), 0.0);
    EXPECT_EQ(tpr_at_fpr(roc_curve(inverted), 0.5), 0.0);
    const std::vector<LinkScore> tied = links_from({2, 2}, {2, 2, 2});  // a useless correlator
    const std::vector<RocPoint> curve = roc_curve(tied);
    ASSERT_EQ(curve.size(), 2u);  // (0, 0) then straight to (1, 1)
    EXPECT_EQ(auc_trapezoid(curve), 0.5);
    EXPECT_EQ(auc_mann_whitney(tied), 0.5);
}

TEST(LinkingAttack, TrapezoidEqualsMannWhitneyWithTies) {
    // Integer scores in a small range force many ties; three independent computations must agree.
    RandomStream rng(41);
    for (int trial = 0; trial < 30; ++trial) {
        const std::size_t n = 2 + rng.index(300);
        std::vector<LinkScore> links(n);
        for (LinkScore& l : links) {
            l.true_link = rng.bernoulli(0.3);
            l.score = static_cast<double>(rng.uniform_int(0, 9)) + (l.true_link ? 1.0 : 0.0);
        }
        links[0].true_link = true;  // both classes present
        links[1].true_link = false;
        const double pairs = auc_by_pairs(links);
        EXPECT_NEAR(auc_mann_whitney(links), pairs, 1e-12) << "trial " << trial;
        EXPECT_NEAR(auc_trapezoid(roc_curve(links)), pairs, 1e-12) << "trial " << trial;
    }
}

TEST(LinkingAttack, BinormalAucIsPhiOfDOverRootTwo) {
    // Scores N(0, 1) for false links and N(d, 1) for true links: AUC = P(X_d > X_0) = Phi(d / sqrt 2).
    // The AUC estimator is unbiased, so the mean over replicates must hold the closed form in its
    // 99.9% Student-t interval.
    constexpr std::size_t replicates = 400;
    constexpr std::size_t per_class = 100;
    RandomStream rng(42);
    for (double d : {0.0, 0.5, 1.0, 2.0}) {
        std::vector<double> aucs;
        std::vector<LinkScore> links(2 * per_class);
        for (std::size_t r = 0; r < replicates; ++r) {
            for (std::size_t i = 0; i < per_class; ++i) {
                links[i] = {rng.normal(0.0, 1.0), false};
                links[per_class + i] = {rng.normal(d, 1.0), true};
            }
            aucs.push_back(auc_mann_whitney(links));
        }
        const stats::Interval ci = stats::mean_interval(aucs, 0.999);
        const double expected = stats::normal_cdf(d / std::sqrt(2.0));
        EXPECT_LE(ci.lo, expected) << "d = " << d << ", mean AUC " << ci.estimate;
        EXPECT_GE(ci.hi, expected) << "d = " << d << ", mean AUC " << ci.estimate;
    }
}

TEST(LinkingAttack, PrecisionAtBaseRate) {
    // spec anonymity §1: TPR 0.9, FPR 1e-3, N = 10,000 flows per side, pi = 1/N: ~0.083.
    const double pi = 1.0 / 10'000;
    const std::optional<double> precision = precision_at_base_rate(0.9, 1e-3, pi);
    ASSERT_TRUE(precision.has_value());
    EXPECT_NEAR(*precision, 0.083, 5e-4);
    EXPECT_DOUBLE_EQ(*precision, 0.9 * pi / (0.9 * pi + 1e-3 * (1.0 - pi)));
    // FPR 1e-5 (DeepCoFFEA territory) lifts it to ~0.9.
    EXPECT_NEAR(*precision_at_base_rate(0.9, 1e-5, pi), 0.9 * pi / (0.9 * pi + 1e-5 * (1.0 - pi)), 1e-15);
    EXPECT_EQ(*precision_at_base_rate(0.5, 0.0, pi), 1.0);  // no false positives at all
    EXPECT_EQ(*precision_at_base_rate(0.5, 0.2, 1.0), 1.0);
    EXPECT_EQ(*precision_at_base_rate(0.5, 0.2, 0.0), 0.0);
    EXPECT_FALSE(precision_at_base_rate(0.0, 0.0, pi).has_value());  // nothing flagged
    EXPECT_THROW(precision_at_base_rate(1.1, 0.1, pi), std::invalid_argument);
    EXPECT_THROW(precision_at_base_rate(0.9, -0.1, pi), std::invalid_argument);
    EXPECT_THROW(precision_at_base_rate(0.9, 0.1, NaN), std::invalid_argument);
}

TEST(LinkingAttack, GroupedLinksGiveTheCurveOfTheExpandedLinks) {
    // Random groups (repeated scores, empty groups, any order) against roc_curve and
    // auc_mann_whitney on the same links written out one by one, and against the pair count.
    RandomStream rng(43);
    for (int trial = 0; trial < 30; ++trial) {
        std::vector<ScoreGroup> groups(1 + rng.index(40));
        std::vector<LinkScore> links;
        for (ScoreGroup& g : groups) {
            g.score = static_cast<double>(rng.uniform_int(0, 6)) * 0.25;
            g.true_links = rng.index(3);
            g.false_links = rng.index(50);
            for (std::size_t i = 0; i < g.true_links; ++i) links.push_back({g.score, true});
            for (std::size_t i = 0; i < g.false_links; ++i) links.push_back({g.score, false});
        }
        groups.push_back({-1.0, 1, 0});  // both classes present
        links.push_back({-1.0, true});
        groups.push_back({7.0, 0, 1});
        links.push_back({7.0, false});
        const std::vector<RocPoint> expected = roc_curve(links);
        const std::vector<RocPoint> grouped = roc_curve(std::span<const ScoreGroup>(groups));
        ASSERT_EQ(grouped.size(), expected.size()) << "trial " << trial;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            EXPECT_EQ(grouped[i].threshold, expected[i].threshold) << "trial " << trial << " point " << i;
            EXPECT_DOUBLE_EQ(grouped[i].fpr, expected[i].fpr) << "trial " << trial << " point " << i;
            EXPECT_DOUBLE_EQ(grouped[i].tpr, expected[i].tpr) << "trial " << trial << " point " << i;
        }
        EXPECT_NEAR(auc_mann_whitney(std::span<const ScoreGroup>(groups)), auc_by_pairs(links), 1e-12) << "trial " << trial;
    }
}

TEST(LinkingAttack, ManyZeroScorePairsInOneGroup) {
    // One target among a million candidates: the truth scored 0.5, one other 0.5, the rest 0.
    // The truth ties with one false link, above 999,998: AUC = (999,998 + 0.5) / 999,999.
    const std::vector<ScoreGroup> groups{{0.5, 1, 1}, {0.0, 0, 999'998}};
    EXPECT_DOUBLE_EQ(auc_mann_whitney(std::span<const ScoreGroup>(groups)), (999'998 + 0.5) / 999'999);
    const std::vector<RocPoint> curve = roc_curve(std::span<const ScoreGroup>(groups));
    ASSERT_EQ(curve.size(), 3u);
    EXPECT_DOUBLE_EQ(curve[1].fpr, 1.0 / 999'999);
    EXPECT_EQ(curve[1].tpr, 1.0);
    EXPECT_EQ(tpr_at_fpr(curve, 1e-6), 0.0);  // 1/999,999 > 1e-6
    EXPECT_EQ(tpr_at_fpr(curve, 1e-5), 1.0);
}

TEST(LinkingAttack, OperatingPointIsTheOneTprAtFprPicks) {
    const std::vector<LinkScore> links = links_from({0.9, 0.8, 0.4}, {0.7, 0.4, 0.2, 0.1});
    const std::vector<RocPoint> curve = roc_curve(links);
    for (double max_fpr : {0.0, 0.1, 0.25, 0.5, 0.6, 1.0}) {
        const RocPoint p = operating_point_at_fpr(curve, max_fpr);
        EXPECT_EQ(p.tpr, tpr_at_fpr(curve, max_fpr)) << max_fpr;
        EXPECT_LE(p.fpr, max_fpr);
    }
    // FPR 0 allows the 0.8 threshold (two true links, no false one), not the (0, 0) start.
    EXPECT_EQ(operating_point_at_fpr(curve, 0.0).threshold, 0.8);
    // FPR <= 0.25 also allows threshold 0.7, (0.25, 2/3): no better TPR, so 0.8 stays (FPR 0).
    EXPECT_EQ(operating_point_at_fpr(curve, 0.25).threshold, 0.8);
    EXPECT_EQ(operating_point_at_fpr(curve, 0.25).fpr, 0.0);
    // FPR <= 0.5 reaches threshold 0.4: (0.5, 1).
    EXPECT_EQ(operating_point_at_fpr(curve, 0.5).threshold, 0.4);
    EXPECT_EQ(operating_point_at_fpr(curve, 0.5).fpr, 0.5);
    expect_rejected([&] { operating_point_at_fpr(curve, 2.0); }, "operating_point_at_fpr");
}

TEST(LinkingAttack, RejectsBadInput) {
    expect_rejected([] { roc_curve(links_from({1, 2}, {})); }, "roc_curve");
    expect_rejected([] { roc_curve(links_from({}, {1, 2})); }, "roc_curve");
    expect_rejected([] { roc_curve(links_from({1, NaN}, {0})); }, "roc_curve");
    expect_rejected([] { auc_mann_whitney(links_from({1, 2}, {})); }, "auc_mann_whitney");
    expect_rejected([] { auc_mann_whitney(links_from({1}, {INF})); }, "auc_mann_whitney");
    const std::vector<ScoreGroup> only_true{{1.0, 2, 0}, {0.0, 1, 0}};
    const std::vector<ScoreGroup> only_false{{1.0, 0, 2}};
    const std::vector<ScoreGroup> nan_group{{NaN, 1, 1}};
    expect_rejected([&] { roc_curve(std::span<const ScoreGroup>(only_true)); }, "roc_curve");
    expect_rejected([&] { roc_curve(std::span<const ScoreGroup>(only_false)); }, "roc_curve");
    expect_rejected([&] { auc_mann_whitney(std::span<const ScoreGroup>(nan_group)); }, "auc_mann_whitney");
    const std::vector<RocPoint> one{{INF, 0.0, 0.0}};
    const std::vector<RocPoint> not_to_one{{INF, 0.0, 0.0}, {1.0, 0.5, 1.0}};
    const std::vector<RocPoint> not_from_zero{{INF, 0.1, 0.0}, {1.0, 1.0, 1.0}};
    const std::vector<RocPoint> decreasing{{INF, 0.0, 0.0}, {2.0, 0.5, 0.8}, {1.5, 0.4, 0.9}, {1.0, 1.0, 1.0}};
    for (const auto* bad : {&one, &not_to_one, &not_from_zero, &decreasing}) {
        expect_rejected([&] { auc_trapezoid(*bad); }, "auc_trapezoid");
    }
    const std::vector<RocPoint> curve = roc_curve(links_from({2}, {1}));
    expect_rejected([&] { tpr_at_fpr(curve, -0.1); }, "tpr_at_fpr");
    expect_rejected([&] { tpr_at_fpr(curve, 1.5); }, "tpr_at_fpr");
    expect_rejected([] { tpr_at_fpr(std::vector<RocPoint>{}, 0.1); }, "tpr_at_fpr");
}

}  // namespace
}  // namespace sessionsim::adversary
