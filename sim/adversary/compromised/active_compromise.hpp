#pragma once
// Active compromised service nodes (sim/adversary/compromised/compromised_config.hpp, ActiveBehaviour): an
// interceptor on the network that acts on every datagram a compromised host sends. In this order,
// each with its own draws from one named stream (the World uses "adversary/active"):
//   1. drop it with probability `drop` (the chain ends: the network counts dropped_by_interceptor);
//   2. add a delay drawn from `delay` to its arrival;
//   3. with probability `tamper`, XOR one payload byte, at a uniform position, with a uniform
//      non-zero value (the byte always changes). The receiver gets the altered bytes: only the
//      real crypto (onion layers, encrypted replies, Session's sealed messages) can catch it.
// Datagrams of honest hosts, and of compromised ones outside `target`, are untouched and draw
// nothing; a passive behaviour draws nothing at all.
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/adversary/compromised/compromised_config.hpp"
#include "sim/core/random.hpp"
#include "sim/net/interceptor.hpp"

namespace sessionsim::adversary {

class ActiveCompromise final : public net::Interceptor {
  public:
    /// Whether a datagram goes to a workload client (for Target::clients and Target::relays).
    using ToClient = std::function<bool(const net::InFlight&)>;

    struct Counts {
        std::uint64_t seen = 0;      ///< datagrams sent by compromised hosts, within the target
        std::uint64_t dropped = 0;
        std::uint64_t delayed = 0;   ///< given a delay > 0
        std::uint64_t tampered = 0;  ///< one byte altered (empty payloads are never tampered)
        SimDuration delay_added{};   ///< sum of the delays added
    };

    /// `compromised`: the hosts the adversary holds. `to_client` is required unless the target is
    /// `all`. Throws std::invalid_argument on a probability outside [0, 1], an invalid delay
    /// distribution or a missing `to_client`.
    ActiveCompromise(ActiveBehaviour behaviour, const std::vector<net::HostId>& compromised, RandomStream rng,
                     ToClient to_client = {});

    net::Verdict on_send(net::InFlight& packet) override;

    const Counts& counts() const noexcept { return counts_; }
    const ActiveBehaviour& behaviour() const noexcept { return behaviour_; }
    bool holds(net::HostId host) const noexcept { return host.value < held_.size() && held_[host.value]; }

  private:
    ActiveBehaviour behaviour_;
    std::vector<bool> held_;  // by host id
    RandomStream rng_;
    ToClient to_client_;
    Counts counts_;
};

}  // namespace sessionsim::adversary
