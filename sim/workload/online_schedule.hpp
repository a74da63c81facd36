#pragma once
// When clients are online: alternating online and offline periods, each drawn from the
// scenario's distributions, from the client's own stream ("workload/sessions/<u>"). Offline
// clients do not poll; messages sent to them wait in their swarm (until their TTL).
#include <cstdint>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/time.hpp"
#include "sim/core/distribution.hpp"

namespace sessionsim::workload {

struct OnlineConfig {
    bool always_online = true;
    Distribution online;   ///< length of an online period
    Distribution offline;  ///< length of an offline period
};

class OnlineSchedule {
  public:
    OnlineSchedule(const OnlineConfig& config, std::size_t users, const RandomStreams& streams);

    /// Whether the user starts online: with probability E[on] / (E[on] + E[off]) (the stationary
    /// share), so a run starts in the steady state.
    bool starts_online(std::uint32_t user);
    /// Length of the user's next period in the given state (never zero: at least 1 ms).
    SimDuration next_period(std::uint32_t user, bool online);
    bool always_online() const noexcept { return config_.always_online; }
    /// The long-run share of time online.
    double online_share() const noexcept;

  private:
    OnlineConfig config_;
    std::vector<RandomStream> rngs_;
};

}  // namespace sessionsim::workload
