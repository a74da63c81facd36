#include "sim/adversary/anonymity_metrics.hpp"

#include "sim/stats/argument_error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "sim/stats/sample_statistics.hpp"

namespace sessionsim::adversary {
namespace {

using stats::detail::reject;

// Checks the scores and returns their maximum (> 0).
double validated_max_score(std::string_view function, std::span<const double> scores) {
    if (scores.empty()) reject(function, "scores must not be empty (N >= 1 candidates)");
    double max_score = 0.0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const double s = scores[i];
        if (!(std::isfinite(s) && s >= 0.0)) {
            std::string requirement = "scores must be finite and >= 0; score ";
            requirement.append(std::to_string(i)).append(" is not");
            reject(function, requirement, s);
        }
        max_score = std::max(max_score, s);
    }
    if (max_score == 0.0) reject(function, "scores are all zero, so they define no distribution");
    return max_score;
}

// p_i = s_i / sum(s). Dividing by the maximum first keeps the sum finite for any finite scores.
std::vector<double> probabilities(std::string_view function, std::span<const double> scores) {
    const double max_score = validated_max_score(function, scores);
    std::vector<double> p(scores.size());
    double total = 0.0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        p[i] = scores[i] / max_score;
        total += p[i];
    }
    for (double& x : p) x /= total;
    return p;
}

void require_truth(std::string_view function, std::span<const double> scores, std::size_t truth) {
    if (truth >= scores.size()) {
        std::string requirement = "truth must be a candidate index in [0, ";
        requirement.append(std::to_string(scores.size())).append(")");
        reject(function, requirement, static_cast<double>(truth));
    }
}

std::size_t support_size(std::span<const double> p) {
    return static_cast<std::size_t>(std::count_if(p.begin(), p.end(), [](double x) { return x > 0.0; }));
}

double entropy(std::span<const double> p) {  // spec anonymity §1 item 2
    double h = 0.0;
    for (double x : p) {
        if (x > 0.0) h -= x * std::log2(x);
    }
    return h;
}

double max_of(std::span<const double> p) { return *std::max_element(p.begin(), p.end()); }

double degree(double entropy_bits, std::size_t candidates) {  // spec anonymity §1 item 3
    if (candidates == 1) return 0.0;  // the attacker is certain
    return std::clamp(entropy_bits / std::log2(static_cast<double>(candidates)), 0.0, 1.0);
}

// Near alpha = 1, sum p^alpha - 1 = sum p (p^(alpha-1) - 1) = sum p expm1((alpha - 1) ln p), so
// log1p of it keeps the digits that log(sum p^alpha) would cancel away.
double renyi_near_one(std::span<const double> p, double alpha) {
    double excess = 0.0;
    for (double x : p) {
        if (x > 0.0) excess += x * std::expm1((alpha - 1.0) * std::log(x));
    }
    return std::log1p(excess) / ((1.0 - alpha) * std::numbers::ln2);
}

// log2(sum p^alpha) = alpha log2 p_max + log2 sum (p / p_max)^alpha: no underflow for large alpha.
double renyi(std::span<const double> p, double alpha) {  // spec anonymity §1 item 4
    if (std::fabs(alpha - 1.0) < 0.5) return renyi_near_one(p, alpha);
    const double p_max = max_of(p);
    double scaled_sum = 0.0;
    for (double x : p) {
        if (x > 0.0) scaled_sum += std::pow(x / p_max, alpha);
    }
    return (alpha * std::log2(p_max) + std::log2(scaled_sum)) / (1.0 - alpha);
}

struct TruthPosition {
    std::size_t above = 0;  // strictly higher score
    std::size_t tied = 0;   // same score, truth included
};

TruthPosition position_of(std::span<const double> scores, std::size_t truth) {
    TruthPosition position;
    for (double s : scores) {
        if (s > scores[truth]) ++position.above;
        if (s == scores[truth]) ++position.tied;
    }
    return position;
}

double rank_from(TruthPosition position, TieRule rule) {
    const auto above = static_cast<double>(position.above);
    const auto tied = static_cast<double>(position.tied);
    switch (rule) {
        case TieRule::optimistic: return above + 1.0;
        case TieRule::pessimistic: return above + tied;
        case TieRule::mid: break;
    }
    return above + 0.5 * (tied + 1.0);
}

// --- linking attacks ---

struct LabelCounts {
    std::size_t positives = 0;
    std::size_t negatives = 0;
};

LabelCounts validated_counts(std::string_view function, std::span<const LinkScore> links) {
    LabelCounts counts;
    for (std::size_t i = 0; i < links.size(); ++i) {
        if (!std::isfinite(links[i].score)) {
            std::string requirement = "link scores must be finite; score ";
            requirement.append(std::to_string(i)).append(" is not");
            reject(function, requirement, links[i].score);
        }
        if (links[i].true_link) ++counts.positives; else ++counts.negatives;
    }
    if (counts.positives == 0) reject(function, "needs at least one true link (TPR would be 0/0)");
    if (counts.negatives == 0) reject(function, "needs at least one false link (FPR would be 0/0)");
    return counts;
}

std::vector<LinkScore> sorted_by_score(std::span<const LinkScore> links, bool descending) {
    std::vector<LinkScore> sorted(links.begin(), links.end());
    if (descending) {
        std::sort(sorted.begin(), sorted.end(), [](const LinkScore& a, const LinkScore& b) { return a.score > b.score; });
    } else {
        std::sort(sorted.begin(), sorted.end(), [](const LinkScore& a, const LinkScore& b) { return a.score < b.score; });
    }
    return sorted;
}

// Checks the groups, and returns them sorted by score (descending or not) with equal scores
// merged, plus the label totals.
std::pair<std::vector<ScoreGroup>, LabelCounts> merged_groups(std::string_view function,
                                                               std::span<const ScoreGroup> groups, bool descending) {
    LabelCounts counts;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (!std::isfinite(groups[i].score)) {
            std::string requirement = "group scores must be finite; score ";
            requirement.append(std::to_string(i)).append(" is not");
            reject(function, requirement, groups[i].score);
        }
        counts.positives += groups[i].true_links;
        counts.negatives += groups[i].false_links;
    }
    if (counts.positives == 0) reject(function, "needs at least one true link (TPR would be 0/0)");
    if (counts.negatives == 0) reject(function, "needs at least one false link (FPR would be 0/0)");
    std::vector<ScoreGroup> sorted(groups.begin(), groups.end());
    std::sort(sorted.begin(), sorted.end(), [descending](const ScoreGroup& a, const ScoreGroup& b) {
        return descending ? a.score > b.score : a.score < b.score;
    });
    std::vector<ScoreGroup> merged;
    for (const ScoreGroup& g : sorted) {
        if (g.true_links == 0 && g.false_links == 0) continue;  // stands for no link
        if (!merged.empty() && merged.back().score == g.score) {
            merged.back().true_links += g.true_links;
            merged.back().false_links += g.false_links;
        } else {
            merged.push_back(g);
        }
    }
    return {merged, counts};
}

void require_rate(std::string_view function, std::string_view requirement, double rate) {
    if (!(rate >= 0.0 && rate <= 1.0)) reject(function, requirement, rate);
}

void validate_curve(std::span<const RocPoint> curve) {
    constexpr std::string_view function = "auc_trapezoid";
    if (curve.size() < 2) reject(function, "the curve needs at least 2 points", static_cast<double>(curve.size()));
    if (curve.front().fpr != 0.0 || curve.front().tpr != 0.0) reject(function, "the curve must start at (0, 0)");
    if (curve.back().fpr != 1.0 || curve.back().tpr != 1.0) reject(function, "the curve must end at (1, 1)");
    for (std::size_t i = 1; i < curve.size(); ++i) {
        require_rate(function, "fpr must be in [0, 1]", curve[i].fpr);
        require_rate(function, "tpr must be in [0, 1]", curve[i].tpr);
        if (curve[i].fpr < curve[i - 1].fpr || curve[i].tpr < curve[i - 1].tpr) {
            reject(function, "fpr and tpr must not decrease along the curve");
        }
    }
}

}  // namespace

std::vector<double> normalise_scores(std::span<const double> scores) { return probabilities("normalise_scores", scores); }

std::size_t anonymity_set_size(std::span<const double> scores) {
    validated_max_score("anonymity_set_size", scores);
    return support_size(scores);
}

double shannon_entropy_bits(std::span<const double> scores) { return entropy(probabilities("shannon_entropy_bits", scores)); }

double effective_set_size(std::span<const double> scores) {
    return std::exp2(entropy(probabilities("effective_set_size", scores)));
}

double normalised_degree(std::span<const double> scores) {
    return degree(entropy(probabilities("normalised_degree", scores)), scores.size());
}

double min_entropy_bits(std::span<const double> scores) {  // spec anonymity §1 item 4
    return -std::log2(max_of(probabilities("min_entropy_bits", scores)));
}

double renyi_entropy_bits(std::span<const double> scores, double alpha) {
    constexpr std::string_view function = "renyi_entropy_bits";
    if (!(alpha >= 0.0)) reject(function, "alpha must be >= 0 (or +infinity)", alpha);
    const std::vector<double> p = probabilities(function, scores);
    if (alpha == 1.0) return entropy(p);                // limit alpha -> 1
    if (std::isinf(alpha)) return -std::log2(max_of(p));  // limit alpha -> infinity
    return renyi(p, alpha);
}

double unlinkability_degree(double p) {  // spec anonymity §1 item 5
    require_rate("unlinkability_degree", "p must be in [0, 1]", p);
    const auto term = [](double x) { return x > 0.0 ? -x * std::log2(x) : 0.0; };
    return term(p) + term(1.0 - p);
}

double rank_of_truth(std::span<const double> scores, std::size_t truth, TieRule rule) {
    validated_max_score("rank_of_truth", scores);
    require_truth("rank_of_truth", scores, truth);
    return rank_from(position_of(scores, truth), rule);
}

CandidateAssessment assess(std::span<const double> scores, std::size_t truth) {
    const std::vector<double> p = probabilities("assess", scores);
    require_truth("assess", scores, truth);
    const TruthPosition position = position_of(scores, truth);
    CandidateAssessment a;
    a.candidates = p.size();
    a.anonymity_set_size = support_size(scores);  // raw scores: a tiny score may underflow in p
    a.entropy_bits = entropy(p);
    a.effective_set_size = std::exp2(a.entropy_bits);
    a.normalised_degree = degree(a.entropy_bits, a.candidates);
    a.max_probability = max_of(p);
    a.min_entropy_bits = -std::log2(a.max_probability);
    a.truth_probability = p[truth];
    a.ranked_above_truth = position.above;
    a.tied_with_truth = position.tied;
    a.truth_rank = rank_from(position, TieRule::mid);
    return a;
}

double top_k_hit_probability(const CandidateAssessment& target, std::size_t k) {
    if (k == 0) reject("top_k_hit_probability", "k must be >= 1", 0.0);
    if (target.tied_with_truth == 0) reject("top_k_hit_probability", "tied_with_truth must be >= 1 (the truth itself)");
    // The truth's position is uniform over above+1 .. above+tied under random tie-breaking.
    const std::size_t slots = k > target.ranked_above_truth ? k - target.ranked_above_truth : 0;
    return static_cast<double>(std::min(slots, target.tied_with_truth)) / static_cast<double>(target.tied_with_truth);
}

PopulationSummary summarise_population(std::span<const CandidateAssessment> targets, std::size_t k) {
    if (targets.empty()) reject("summarise_population", "needs at least one target");
    if (k == 0) reject("summarise_population", "k must be >= 1", 0.0);
    std::vector<double> entropies;
    entropies.reserve(targets.size());
    double deanonymised = 0.0;
    double top1 = 0.0;
    double top_k = 0.0;
    for (const CandidateAssessment& t : targets) {
        entropies.push_back(t.entropy_bits);
        if (t.deanonymised()) deanonymised += 1.0;
        top1 += top_k_hit_probability(t, 1);
        top_k += top_k_hit_probability(t, k);
    }
    const auto n = static_cast<double>(targets.size());
    PopulationSummary summary;
    summary.targets = targets.size();
    double entropy_sum = 0.0;
    for (double h : entropies) entropy_sum += h;
    summary.mean_entropy_bits = entropy_sum / n;
    summary.entropy_p05_bits = stats::empirical_quantile(entropies, 0.05);
    summary.deanonymised_share = deanonymised / n;
    summary.top1_accuracy = top1 / n;
    summary.k = k;
    summary.top_k_accuracy = top_k / n;
    return summary;
}

std::vector<RocPoint> roc_curve(std::span<const LinkScore> links) {
    const LabelCounts counts = validated_counts("roc_curve", links);
    const std::vector<LinkScore> sorted = sorted_by_score(links, /*descending=*/true);
    const auto positives = static_cast<double>(counts.positives);
    const auto negatives = static_cast<double>(counts.negatives);
    std::vector<RocPoint> curve{{std::numeric_limits<double>::infinity(), 0.0, 0.0}};
    std::size_t tp = 0;
    std::size_t fp = 0;
    for (std::size_t i = 0; i < sorted.size();) {
        const double threshold = sorted[i].score;
        for (; i < sorted.size() && sorted[i].score == threshold; ++i) {  // a whole tie group at once
            if (sorted[i].true_link) ++tp; else ++fp;
        }
        curve.push_back({threshold, static_cast<double>(fp) / negatives, static_cast<double>(tp) / positives});
    }
    return curve;
}

std::vector<RocPoint> roc_curve(std::span<const ScoreGroup> groups) {
    // As roc_curve on links: one point per distinct score, a whole tie group at once.
    const auto [merged, counts] = merged_groups("roc_curve", groups, /*descending=*/true);
    const auto positives = static_cast<double>(counts.positives);
    const auto negatives = static_cast<double>(counts.negatives);
    std::vector<RocPoint> curve{{std::numeric_limits<double>::infinity(), 0.0, 0.0}};
    std::size_t tp = 0;
    std::size_t fp = 0;
    for (const ScoreGroup& g : merged) {
        tp += g.true_links;
        fp += g.false_links;
        curve.push_back({g.score, static_cast<double>(fp) / negatives, static_cast<double>(tp) / positives});
    }
    return curve;
}

double auc_trapezoid(std::span<const RocPoint> curve) {
    validate_curve(curve);
    double area = 0.0;
    for (std::size_t i = 1; i < curve.size(); ++i) {
        area += (curve[i].fpr - curve[i - 1].fpr) * 0.5 * (curve[i].tpr + curve[i - 1].tpr);
    }
    return area;
}

double auc_mann_whitney(std::span<const LinkScore> links) {
    const LabelCounts counts = validated_counts("auc_mann_whitney", links);
    const std::vector<LinkScore> sorted = sorted_by_score(links, /*descending=*/false);
    // U = sum over true links of (false links below) + 1/2 (false links tied); exact in doubles.
    double u = 0.0;
    double negatives_below = 0.0;
    for (std::size_t i = 0; i < sorted.size();) {
        const double score = sorted[i].score;
        double positives_here = 0.0;
        double negatives_here = 0.0;
        for (; i < sorted.size() && sorted[i].score == score; ++i) {
            if (sorted[i].true_link) positives_here += 1.0; else negatives_here += 1.0;
        }
        u += positives_here * (negatives_below + 0.5 * negatives_here);
        negatives_below += negatives_here;
    }
    return u / (static_cast<double>(counts.positives) * static_cast<double>(counts.negatives));
}

double auc_mann_whitney(std::span<const ScoreGroup> groups) {
    const auto [merged, counts] = merged_groups("auc_mann_whitney", groups, /*descending=*/false);
    // U as for links, a group being one tie group.
    double u = 0.0;
    double negatives_below = 0.0;
    for (const ScoreGroup& g : merged) {
        const auto negatives_here = static_cast<double>(g.false_links);
        u += static_cast<double>(g.true_links) * (negatives_below + 0.5 * negatives_here);
        negatives_below += negatives_here;
    }
    return u / (static_cast<double>(counts.positives) * static_cast<double>(counts.negatives));
}

RocPoint operating_point_at_fpr(std::span<const RocPoint> curve, double max_fpr) {
    require_rate("operating_point_at_fpr", "max_fpr must be in [0, 1]", max_fpr);
    if (curve.empty()) reject("operating_point_at_fpr", "the curve must not be empty");
    RocPoint best{std::numeric_limits<double>::infinity(), 0.0, 0.0};  // declare nothing
    for (const RocPoint& point : curve) {
        if (point.fpr > max_fpr) continue;
        if (point.tpr > best.tpr || (point.tpr == best.tpr && point.fpr < best.fpr)) best = point;
    }
    return best;
}

double tpr_at_fpr(std::span<const RocPoint> curve, double max_fpr) {
    require_rate("tpr_at_fpr", "max_fpr must be in [0, 1]", max_fpr);
    if (curve.empty()) reject("tpr_at_fpr", "the curve must not be empty");
    return operating_point_at_fpr(curve, max_fpr).tpr;
}

std::optional<double> precision_at_base_rate(double tpr, double fpr, double base_rate) {
    constexpr std::string_view function = "precision_at_base_rate";
    require_rate(function, "tpr must be in [0, 1]", tpr);
    require_rate(function, "fpr must be in [0, 1]", fpr);
    require_rate(function, "base_rate must be in [0, 1]", base_rate);
    // spec anonymity §1: Bayes precision at base rate pi.
    const double flagged_true = tpr * base_rate;
    const double flagged = flagged_true + fpr * (1.0 - base_rate);
    if (flagged == 0.0) return std::nullopt;
    return flagged_true / flagged;
}

}  // namespace sessionsim::adversary
