#include "sim/adversary/link_observer/link_correlator.hpp"

#include <algorithm>
#include <stdexcept>

namespace sessionsim::adversary {

LinkCorrelator::LinkCorrelator(std::size_t candidates, SimDuration window, std::vector<SizedEntry> entries)
    : candidates_(candidates), window_(window), entries_(std::move(entries)) {
    if (candidates == 0) throw std::invalid_argument("LinkCorrelator: candidates must be >= 1");
    if (window < SimDuration::zero()) throw std::invalid_argument("LinkCorrelator: window must be >= 0");
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].candidate >= candidates_) throw std::invalid_argument("LinkCorrelator: entry candidate out of range");
        if (i > 0 && entries_[i].at < entries_[i - 1].at) {
            throw std::invalid_argument("LinkCorrelator: entries must come in time order");
        }
    }
}

std::vector<double> LinkCorrelator::scores(SimTime at, std::uint32_t size, std::optional<SizeMatch> match) const {
    if (match && match->min_bytes > match->max_bytes) {
        throw std::invalid_argument("LinkCorrelator::scores: size match needs min_bytes <= max_bytes");
    }
    std::vector<double> out(candidates_, 0.0);
    const auto by_time = [](const SizedEntry& e, SimTime t) { return e.at < t; };
    auto it = std::lower_bound(entries_.begin(), entries_.end(), at - window_, by_time);
    for (; it != entries_.end() && it->at <= at; ++it) {
        if (match) {
            const std::int64_t extra = static_cast<std::int64_t>(it->size) - static_cast<std::int64_t>(size);
            if (extra < match->min_bytes || extra > match->max_bytes) continue;
        }
        out[it->candidate] += 1.0;
    }
    return out;
}

}  // namespace sessionsim::adversary
