#include "sim/adversary/compromised/timing_correlator.hpp"

#include <algorithm>
#include <stdexcept>

namespace sessionsim::adversary {

TimingCorrelator::TimingCorrelator(std::size_t candidates, SimDuration window)
    : candidates_(candidates), window_(window) {
    if (candidates == 0) throw std::invalid_argument("TimingCorrelator: candidates must be >= 1");
    if (window < SimDuration::zero()) throw std::invalid_argument("TimingCorrelator: window must be >= 0");
}

void TimingCorrelator::add_entry(SimTime at, std::size_t candidate) {
    if (candidate >= candidates_) throw std::invalid_argument("TimingCorrelator::add_entry: candidate out of range");
    if (!entries_.empty() && at < entries_.back().at) {
        throw std::invalid_argument("TimingCorrelator::add_entry: entries must come in time order");
    }
    entries_.push_back(EntryEvent{at, candidate});
}

std::vector<double> TimingCorrelator::scores_for_store(SimTime at) const {
    std::vector<double> scores(candidates_, 0.0);
    const auto by_time = [](const EntryEvent& e, SimTime t) { return e.at < t; };
    auto it = std::lower_bound(entries_.begin(), entries_.end(), at - window_, by_time);
    for (; it != entries_.end() && it->at <= at; ++it) scores[it->candidate] += 1.0;
    return scores;
}

}  // namespace sessionsim::adversary
