#include "sim/workload/online_schedule.hpp"

#include <string>

namespace sessionsim::workload {

OnlineSchedule::OnlineSchedule(const OnlineConfig& config, std::size_t users, const RandomStreams& streams)
    : config_(config) {
    rngs_.reserve(users);
    for (std::size_t u = 0; u < users; ++u) rngs_.push_back(streams.derive("workload/sessions/" + std::to_string(u)));
}

double OnlineSchedule::online_share() const noexcept {
    if (config_.always_online) return 1.0;
    const double on = config_.online.mean();
    const double off = config_.offline.mean();
    return on + off > 0 ? on / (on + off) : 1.0;
}

bool OnlineSchedule::starts_online(std::uint32_t user) {
    if (config_.always_online) return true;
    return rngs_.at(user).bernoulli(online_share());
}

SimDuration OnlineSchedule::next_period(std::uint32_t user, bool online) {
    const SimDuration d = (online ? config_.online : config_.offline).sample_duration(rngs_.at(user));
    return std::max(d, milliseconds(1));
}

}  // namespace sessionsim::workload
