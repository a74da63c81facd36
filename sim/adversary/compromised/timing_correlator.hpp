#pragma once
// A timing correlator on entry-node sends versus swarm stores (spec anonymity §2: first-plus-last
// event matching). What the adversary has: from its guards, when each client IP sent an onion
// request; from its swarm members, when a message for a Session ID was stored (not replicated).
// For each store it scores every candidate client by the number of its onion requests that
// entered an adversary guard within [store − window, store]: the send that produced the store
// precedes it by one path's latency. The scores are the adversary's (unnormalised) belief over
// candidate senders; anonymity_metrics.hpp turns them into entropy, rank of the truth and so on.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/core/time.hpp"

namespace sessionsim::adversary {

struct EntryEvent {
    SimTime at;
    std::size_t candidate;  ///< the client (IP) index
};

class TimingCorrelator {
  public:
    /// `candidates`: how many client IPs there are. `window`: how far before a store to look.
    TimingCorrelator(std::size_t candidates, SimDuration window);
    /// Entry events must be added in time order (the simulation's order).
    void add_entry(SimTime at, std::size_t candidate);
    /// Scores over all candidates for a store seen at `at`: entries in [at − window, at].
    std::vector<double> scores_for_store(SimTime at) const;
    std::size_t entries() const noexcept { return entries_.size(); }

  private:
    std::size_t candidates_;
    SimDuration window_;
    std::vector<EntryEvent> entries_;
};

}  // namespace sessionsim::adversary
