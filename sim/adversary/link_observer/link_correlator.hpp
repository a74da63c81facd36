#pragma once
// The link observer's correlator (spec anonymity §2, items 3 and 4: event matching, volume
// matching). Its evidence is what a wire tap has: client entries with their sizes
// (link_observer.hpp) and, as the target, one datagram delivered into a swarm member, with its
// time and size. Each candidate client scores the number of its entries in [t − window, t]; with
// size matching only entries whose size exceeds the target's by what the path's three onion
// layers add count. Pure: no engine, no randomness.
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/adversary/link_observer/link_tap.hpp"
#include "sim/core/time.hpp"

namespace sessionsim::adversary {

/// Entry size − target size must lie in [min_bytes, max_bytes].
struct SizeMatch {
    std::int64_t min_bytes = 0;
    std::int64_t max_bytes = 0;
};

class LinkCorrelator {
  public:
    /// `entries` in time order (as the observer records them); candidates are 0..candidates−1.
    LinkCorrelator(std::size_t candidates, SimDuration window, std::vector<SizedEntry> entries);
    /// Scores over all candidates for a target of `size` bytes delivered at `at`.
    std::vector<double> scores(SimTime at, std::uint32_t size, std::optional<SizeMatch> match) const;
    std::size_t candidates() const noexcept { return candidates_; }

  private:
    std::size_t candidates_;
    SimDuration window_;
    std::vector<SizedEntry> entries_;
};

}  // namespace sessionsim::adversary
