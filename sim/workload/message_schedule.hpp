#pragma once
// When each user sends, to whom and how large (the scenario's workload):
//  - user u sends as a Poisson process of rate r_u(t) = r * w_u * (1 + A cos(2 pi (h(t) - peak) / 24)),
//    r the mean rate per user, w_u the user's activity weight (mean 1 over users), A the diurnal
//    amplitude in [0, 1], h(t) the UTC hour of day of simulated time t (from the epoch);
//    drawn by thinning a Poisson process of rate r * w_u * (1 + A);
//  - the recipient is a uniformly chosen contact (users without contacts never send);
//  - the size of the message body is drawn from the size distribution.
// Every draw comes from the user's own stream ("workload/user/<u>"), so one user's schedule
// does not depend on the others'.
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/time.hpp"
#include "sim/workload/contact_graph.hpp"

namespace sessionsim::workload {

struct ScheduleConfig {
    double rate_per_user_per_hour = 2.0;
    Distribution activity = Distribution::constant(1.0);  ///< relative weights (zipf: by rank)
    double diurnal_amplitude = 0.0;
    double diurnal_peak_hour = 20.0;
    Distribution message_size_bytes = Distribution::constant(300);
    std::int64_t epoch_unix_ms = 1'767'225'600'000;
};

struct PlannedMessage {
    SimTime at;
    std::uint32_t sender;
    std::uint32_t recipient;
    std::uint32_t size_bytes;
};

class MessageSchedule {
  public:
    /// Throws std::invalid_argument on an invalid configuration.
    MessageSchedule(const ScheduleConfig& config, const ContactGraph& contacts, const RandomStreams& streams);

    /// The user's next message strictly after `after` (nullopt when the user never sends).
    std::optional<PlannedMessage> next(std::uint32_t user, SimTime after);

    /// The user's activity weight w_u (mean 1 over all users).
    double weight(std::uint32_t user) const { return weights_.at(user); }
    /// The instantaneous rate factor 1 + A cos(...) at time t.
    double diurnal_factor(SimTime t) const;

  private:
    ScheduleConfig config_;
    const ContactGraph& contacts_;
    std::vector<double> weights_;
    std::vector<RandomStream> rngs_;
    DistributionSampler sizes_;
};

}  // namespace sessionsim::workload
