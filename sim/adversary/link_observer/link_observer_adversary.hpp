#pragma once
// A link observer (link_tap.hpp) as a World plug-in: its taps on regions, inter-region links and
// client access links; the senders' stores whose datagram into a swarm member a tap saw; and the
// link correlator (link_correlator.hpp) scored against the World's ground truth, which the
// observer never has.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/adversary/adversary.hpp"
#include "sim/adversary/link_observer/link_tap.hpp"

namespace sessionsim::adversary {

class LinkObserverAdversary final : public Adversary {
  public:
    LinkObserverAdversary(std::string name, LinkObserverConfig config);

    void on_started(world::World& world) override;
    nlohmann::json summary(const world::World& world) const override;

    /// The tap (null before the World is built).
    const LinkObserver* tap() const noexcept { return tap_.get(); }

  private:
    void on_observation(const world::NodeObserved& seen);

    struct ObservedStore {  ///< a sender's store whose datagram into the swarm member a tap saw
        SimTime at;
        sessionproto::SessionId recipient;
        std::uint32_t size;
    };
    LinkObserverConfig config_;
    const world::World* world_ = nullptr;
    std::unique_ptr<LinkObserver> tap_;
    std::vector<ObservedStore> observed_stores_;
    std::uint64_t stores_total_ = 0;  ///< senders' stores (not replicas) while it runs
};

}  // namespace sessionsim::adversary
