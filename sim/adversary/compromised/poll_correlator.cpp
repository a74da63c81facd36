#include "sim/adversary/compromised/poll_correlator.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <string_view>

#include "sim/stats/argument_error.hpp"

namespace sessionsim::adversary {
namespace {

template <class Value>
void require_candidates(std::string_view function, const std::map<std::size_t, Value>& sparse, std::size_t candidates) {
    if (!sparse.empty() && sparse.rbegin()->first >= candidates) {
        stats::detail::reject(function, "a credited candidate must be < candidates", static_cast<double>(sparse.rbegin()->first));
    }
}

/// log(exp(a) + exp(b)) without overflow; -inf terms drop out.
double log_add_exp(double a, double b) {
    if (a == -std::numeric_limits<double>::infinity()) return b;
    if (b == -std::numeric_limits<double>::infinity()) return a;
    const double hi = std::max(a, b);
    return hi + std::log1p(std::exp(std::min(a, b) - hi));
}

}  // namespace

std::vector<double> PollEvidence::scores(std::size_t candidates) const {
    require_candidates("PollEvidence::scores", credit, candidates);
    std::vector<double> dense(candidates, 0.0);
    for (const auto& [candidate, share] : credit) dense[candidate] = share;
    return dense;
}

std::vector<double> PollEvidence::belief(std::size_t candidates) const {
    require_candidates("PollEvidence::belief", log_weight, candidates);
    // Scaled by the largest weight so that exp never overflows.
    double max_log = log_weight.size() < candidates ? absent_log_weight : -std::numeric_limits<double>::infinity();
    for (const auto& [candidate, w] : log_weight) max_log = std::max(max_log, w);
    std::vector<double> dense(candidates, std::exp(absent_log_weight - max_log));
    for (const auto& [candidate, w] : log_weight) dense[candidate] = std::exp(w - max_log);
    return dense;
}

PollCorrelator::PollCorrelator(std::size_t candidates, SimDuration window, double miss_probability, double prior_unseen)
    : candidates_(candidates), window_(window), miss_probability_(miss_probability), prior_unseen_(prior_unseen) {
    if (candidates == 0) stats::detail::reject("PollCorrelator", "candidates must be >= 1", 0.0);
    if (window < SimDuration::zero()) stats::detail::reject("PollCorrelator", "window must be >= 0");
    if (!(miss_probability > 0.0 && miss_probability <= 1.0)) {
        stats::detail::reject("PollCorrelator", "miss_probability must be in (0, 1]", miss_probability);
    }
    if (!(prior_unseen >= 0.0 && prior_unseen < 1.0)) {
        stats::detail::reject("PollCorrelator", "prior_unseen must be in [0, 1)", prior_unseen);
    }
}

void PollCorrelator::add_entry(SimTime at, std::size_t candidate) {
    if (candidate >= candidates_) {
        stats::detail::reject("PollCorrelator::add_entry", "candidate must be < candidates", static_cast<double>(candidate));
    }
    if (!entries_.empty() && at < entries_.back().at) {
        stats::detail::reject("PollCorrelator::add_entry", "entries must come in time order");
    }
    entries_.push_back(Entry{at, candidate});
}

void PollCorrelator::add_retrieve(SimTime at, std::size_t target) { retrieves_.push_back(Retrieve{at, target}); }

std::vector<double> PollCorrelator::background_presence() const {
    std::vector<double> b(candidates_, 0.0);
    if (entries_.empty()) return b;
    std::vector<std::size_t> n(candidates_, 0);
    for (const Entry& e : entries_) ++n[e.candidate];
    const SimDuration span = entries_.back().at - entries_.front().at;
    for (std::size_t i = 0; i < candidates_; ++i) {
        if (n[i] == 0) continue;
        // Poisson with i's mean rate over the span: P(at least one entry in a window of w).
        b[i] = span > SimDuration::zero()
                   ? -std::expm1(-static_cast<double>(n[i]) * (to_seconds(window_) / to_seconds(span)))
                   : 1.0;
    }
    return b;
}

std::map<std::size_t, PollEvidence> PollCorrelator::evidence() const {
    std::map<std::size_t, PollEvidence> out;
    const auto by_time = [](const Entry& e, SimTime t) { return e.at < t; };
    for (const Retrieve& r : retrieves_) {
        PollEvidence& target = out[r.target];
        ++target.retrieves;
        // The window [at − w, at]: entries after the retrieve cannot have caused it.
        const auto first = std::lower_bound(entries_.begin(), entries_.end(), r.at - window_, by_time);
        const auto last = std::upper_bound(first, entries_.end(), r.at, [](SimTime t, const Entry& e) { return t < e.at; });
        const auto in_window = std::distance(first, last);
        if (in_window == 0) continue;
        ++target.retrieves_with_entries;
        // One unit of credit per retrieve, split over the window's entries (header: why).
        std::map<std::size_t, double> shares;
        const double unit = 1.0 / static_cast<double>(in_window);
        for (auto it = first; it != last; ++it) shares[it->candidate] += unit;
        for (const auto& [candidate, share] : shares) {
            target.credit[candidate] += share;
            ++target.windows[candidate];
        }
    }
    // Background presence b_iX (header): i's share of the other targets' windows, smoothed
    // toward its rate-based presence by BACKGROUND_PSEUDO_WINDOWS.
    const std::vector<double> rate_based = background_presence();
    std::map<std::size_t, std::size_t> all_windows;  // candidate -> windows of any target it was in
    for (const auto& [id, target] : out) {
        for (const auto& [candidate, present] : target.windows) all_windows[candidate] += present;
    }
    const auto all_retrieves = static_cast<double>(retrieves_.size());
    // The posterior weights (header): L_i = p_i log(((1 − δ) + δ b_i) / b_i) + (R − p_i) log δ,
    // weight_i = π0 + (1 − π0) exp(L_i), in logs.
    const double log_miss = std::log(miss_probability_);
    const double log_prior_unseen = prior_unseen_ > 0.0 ? std::log(prior_unseen_) : -std::numeric_limits<double>::infinity();
    const double log_prior_seen = std::log1p(-prior_unseen_);
    for (auto& [id, target] : out) {
        const auto r = static_cast<double>(target.retrieves);
        target.absent_log_weight = log_add_exp(log_prior_unseen, log_prior_seen + r * log_miss);
        for (const auto& [candidate, present] : target.windows) {
            const auto p = static_cast<double>(present);
            const double elsewhere = static_cast<double>(all_windows.at(candidate)) - p;
            // > 0: the candidate has an entry, so its rate-based presence is > 0.
            const double bi = (elsewhere + BACKGROUND_PSEUDO_WINDOWS * rate_based[candidate]) /
                              (all_retrieves - r + BACKGROUND_PSEUDO_WINDOWS);
            target.background[candidate] = bi;
            const double log_present = std::log(((1.0 - miss_probability_) + miss_probability_ * bi) / bi);
            const double l = p * log_present + (r - p) * log_miss;
            target.log_weight[candidate] = log_add_exp(log_prior_unseen, log_prior_seen + l);
        }
    }
    return out;
}

}  // namespace sessionsim::adversary
