#pragma once
// Anonymity metrics of an attacker's belief over N candidates, and evaluation of linking attacks
// (spec anonymity §1).
//
// Inputs are scores over the N candidates (senders, recipients, or sender-recipient pairs):
// non-negative, finite, not all zero. They are normalised internally to p_i = s_i / sum(s).
// Bad input throws std::invalid_argument naming the function and the argument. Zero-score
// candidates count in N (they are part of the population) but not in the anonymity set.
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace sessionsim::adversary {

/// max_i p_i at or above this counts as "deanonymised" (spec anonymity §1 item 6).
inline constexpr double DEANONYMISED_PROBABILITY = 0.5;

/// p_i = scores_i / sum(scores). Errors: empty, a negative or non-finite score, or all zero.
std::vector<double> normalise_scores(std::span<const double> scores);

/// A = |{i : p_i > 0}| (Chaum; Pfitzmann-Hansen; spec anonymity §1 item 1).
std::size_t anonymity_set_size(std::span<const double> scores);

/// H = -sum p_i log2 p_i, in bits (Serjantov & Danezis 2002; spec anonymity §1 item 2).
double shannon_entropy_bits(std::span<const double> scores);

/// 2^H: the size of the uniform set with the same entropy (spec anonymity §1 item 2).
double effective_set_size(std::span<const double> scores);

/// d = H / log2 N over all N candidates given (Diaz et al. 2002; spec anonymity §1 item 3), in [0, 1].
/// N == 1 gives d = 0: with a single candidate the attacker is certain (H = 0 and H_M = 0).
double normalised_degree(std::span<const double> scores);

/// H_inf = -log2 max_i p_i: the guessing bound, a best guess succeeds with probability 2^-H_inf
/// (spec anonymity §1 item 4).
double min_entropy_bits(std::span<const double> scores);

/// Renyi entropy H_alpha = log2(sum p_i^alpha) / (1 - alpha) (Clauss & Schiffner 2006; spec
/// anonymity §1 item 4), for alpha >= 0. The formula has removable singularities, which return
/// their limits: alpha == 1 gives Shannon H, alpha == +infinity gives min-entropy; alpha == 0 gives
/// the Hartley entropy log2 A. Non-increasing in alpha.
/// Errors: alpha negative or NaN, plus the score errors.
double renyi_entropy_bits(std::span<const double> scores, double alpha);

/// Unlinkability degree of two items linked with probability p: the binary entropy
/// -p log2 p - (1-p) log2 (1-p) (Steinbrecher & Koepsell 2003; spec anonymity §1 item 5).
/// 1 at p = 0.5 (perfect unlinkability), 0 at p = 0 or 1. Errors: p not in [0, 1].
double unlinkability_degree(double p);

/// How rank_of_truth counts candidates whose score equals the truth's.
enum class TieRule {
    optimistic,   ///< the truth ranks first among its ties (the attacker is lucky)
    mid,          ///< the mean rank over random tie-breaking: the honest default
    pessimistic,  ///< the truth ranks last among its ties
};

/// 1-based rank of candidate `truth` when candidates are sorted by score, highest first. Ties are
/// resolved by `rule`; with TieRule::mid a uniform attacker gets (N + 1) / 2, the expected rank of
/// a random guess. Errors: truth >= N, plus the score errors.
double rank_of_truth(std::span<const double> scores, std::size_t truth, TieRule rule = TieRule::mid);

/// Everything spec anonymity §1 asks for about one target (one message or one user).
struct CandidateAssessment {
    std::size_t candidates = 0;          ///< N, zero-score candidates included
    std::size_t anonymity_set_size = 0;  ///< A
    double entropy_bits = 0.0;           ///< H
    double effective_set_size = 0.0;     ///< 2^H
    double normalised_degree = 0.0;      ///< d = H / log2 N (0 when N == 1)
    double min_entropy_bits = 0.0;       ///< H_inf
    double max_probability = 0.0;        ///< max_i p_i
    double truth_probability = 0.0;      ///< p_truth: the attacker's belief in the right answer
    std::size_t ranked_above_truth = 0;  ///< candidates with a strictly higher score than the truth
    std::size_t tied_with_truth = 0;     ///< candidates with exactly the truth's score, truth included
    double truth_rank = 0.0;             ///< mid-rank of the truth, 1-based (TieRule::mid)

    bool deanonymised() const noexcept { return max_probability >= DEANONYMISED_PROBABILITY; }
};

/// Assesses one target whose true candidate is `truth`. Errors: as rank_of_truth.
CandidateAssessment assess(std::span<const double> scores, std::size_t truth);

/// Probability that the truth is among the attacker's top k guesses when the attacker breaks ties
/// uniformly at random: clamp(k - above, 0, tied) / tied. It is 0 or 1 without ties, and k / N for
/// a uniform attacker. Errors: k == 0.
double top_k_hit_probability(const CandidateAssessment& target, std::size_t k);

/// Population report of spec anonymity §1 item 6.
struct PopulationSummary {
    std::size_t targets = 0;
    double mean_entropy_bits = 0.0;
    double entropy_p05_bits = 0.0;     ///< 5th percentile over targets (empirical_quantile, type 7)
    double deanonymised_share = 0.0;   ///< share of targets with max p >= DEANONYMISED_PROBABILITY
    double top1_accuracy = 0.0;        ///< mean of top_k_hit_probability(t, 1)
    std::size_t k = 0;
    double top_k_accuracy = 0.0;       ///< mean of top_k_hit_probability(t, k)
};

/// Errors: no targets, or k == 0.
PopulationSummary summarise_population(std::span<const CandidateAssessment> targets, std::size_t k);

// --- Linking-attack evaluation (spec anonymity §1, "Guessing / linking-attack evaluation") ---

/// One candidate link scored by a correlator, with the ground truth.
struct LinkScore {
    double score = 0.0;
    bool true_link = false;
};

/// One operating point: links with score >= threshold are declared linked.
struct RocPoint {
    double threshold = 0.0;
    double fpr = 0.0;  ///< FP / (FP + TN)
    double tpr = 0.0;  ///< TP / (TP + FN)
};

/// The ROC curve: the threshold swept down over the distinct scores. The first point is
/// (threshold +inf, 0, 0), the last is (lowest score, 1, 1); fpr and tpr never decrease. Tied
/// scores move both rates at once, which gives a diagonal segment (half credit in the AUC).
/// Errors: a score not finite, or no true link, or no false link (a rate would be 0/0).
std::vector<RocPoint> roc_curve(std::span<const LinkScore> links);

/// Links grouped by score: `true_links` true and `false_links` false links all scored `score`.
/// Lets a caller with many zero-score pairs (targets x candidates) pass them as one group instead
/// of materialising every pair. Groups may come in any order and repeat a score.
struct ScoreGroup {
    double score = 0.0;
    std::size_t true_links = 0;
    std::size_t false_links = 0;
};

/// roc_curve of the links the groups stand for: the same points as roc_curve on the expanded
/// LinkScores. Errors: a score not finite, or no true link, or no false link.
std::vector<RocPoint> roc_curve(std::span<const ScoreGroup> groups);

/// Area under a ROC curve by the trapezoid rule. Errors: fewer than 2 points, not starting at
/// (0, 0) or not ending at (1, 1), or rates outside [0, 1] or decreasing.
double auc_trapezoid(std::span<const RocPoint> curve);

/// AUC as the Mann-Whitney statistic U / (P N): the probability that a random true link outscores
/// a random false link, ties counting 1/2. Equal to auc_trapezoid(roc_curve(links)). Errors: as roc_curve.
double auc_mann_whitney(std::span<const LinkScore> links);

/// auc_mann_whitney of the links the groups stand for. Errors: as roc_curve on groups.
double auc_mann_whitney(std::span<const ScoreGroup> groups);

/// The largest TPR among the curve's points with FPR <= max_fpr: what a fixed threshold achieves
/// (no interpolation between points, which would need a randomised classifier).
/// Errors: max_fpr not in [0, 1], or an empty curve.
double tpr_at_fpr(std::span<const RocPoint> curve, double max_fpr);

/// The operating point tpr_at_fpr picks: among the points with FPR <= max_fpr the one with the
/// largest TPR (the smallest FPR among those), so its actual FPR can feed precision_at_base_rate.
/// The curve's first point (+inf, 0, 0) when no other qualifies. Errors: as tpr_at_fpr.
RocPoint operating_point_at_fpr(std::span<const RocPoint> curve, double max_fpr);

/// Bayes precision at base rate pi: TPR pi / (TPR pi + FPR (1 - pi)). With N flows per side,
/// pi = 1/N (spec anonymity §1; TPR 0.9, FPR 1e-3, N = 10^4 gives ~0.083). std::nullopt when
/// nothing is flagged (TPR pi + FPR (1 - pi) == 0), where precision is undefined.
/// Errors: tpr, fpr or base_rate not in [0, 1].
std::optional<double> precision_at_base_rate(double tpr, double fpr, double base_rate);

}  // namespace sessionsim::adversary
