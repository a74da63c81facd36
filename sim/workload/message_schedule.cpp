#include "sim/workload/message_schedule.hpp"

#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

namespace sessionsim::workload {

MessageSchedule::MessageSchedule(const ScheduleConfig& config, const ContactGraph& contacts,
                                 const RandomStreams& streams)
    : config_(config), contacts_(contacts), sizes_(config.message_size_bytes) {
    if (!(config.rate_per_user_per_hour >= 0) || !std::isfinite(config.rate_per_user_per_hour)) {
        throw std::invalid_argument("workload: rate_per_user_per_hour must be a number >= 0");
    }
    if (!(config.diurnal_amplitude >= 0 && config.diurnal_amplitude <= 1)) {
        throw std::invalid_argument("workload: diurnal_amplitude must be in [0, 1]");
    }
    const std::size_t users = contacts.users();
    // Activity weights: zipf assigns rank^-s to a random ranking of the users; the other kinds
    // draw a weight per user. Normalised to mean 1.
    RandomStream activity_rng = streams.derive("workload/activity");
    weights_.resize(users, 1.0);
    if (users > 0) {
        if (config.activity.kind == Distribution::Kind::zipf) {
            std::vector<std::uint32_t> rank(users);
            std::iota(rank.begin(), rank.end(), 1u);
            shuffle(rank, activity_rng);
            for (std::size_t u = 0; u < users; ++u) weights_[u] = std::pow(static_cast<double>(rank[u]), -config.activity.a);
        } else {
            const DistributionSampler sampler(config.activity, users);
            for (auto& w : weights_) w = sampler.sample(activity_rng);
        }
        const double mean = std::accumulate(weights_.begin(), weights_.end(), 0.0) / static_cast<double>(users);
        if (mean > 0) {
            for (auto& w : weights_) w /= mean;
        }
    }
    rngs_.reserve(users);
    for (std::size_t u = 0; u < users; ++u) rngs_.push_back(streams.derive("workload/user/" + std::to_string(u)));
}

double MessageSchedule::diurnal_factor(SimTime t) const {
    if (config_.diurnal_amplitude == 0) return 1.0;
    const double ms_of_day = std::fmod(static_cast<double>(config_.epoch_unix_ms) + to_seconds(t) * 1e3, 86'400'000.0);
    const double hour = ms_of_day / 3'600'000.0;
    return 1.0 + config_.diurnal_amplitude * std::cos(2 * std::numbers::pi * (hour - config_.diurnal_peak_hour) / 24.0);
}

std::optional<PlannedMessage> MessageSchedule::next(std::uint32_t user, SimTime after) {
    const auto& contacts = contacts_.contacts(user);
    const double base_per_s = config_.rate_per_user_per_hour / 3600.0 * weights_.at(user);
    if (contacts.empty() || base_per_s <= 0) return std::nullopt;
    RandomStream& rng = rngs_[user];
    const double max_rate = base_per_s * (1.0 + config_.diurnal_amplitude);
    SimTime t = after;
    for (;;) {
        t += from_seconds(rng.exponential(max_rate));
        if (config_.diurnal_amplitude == 0 || rng.uniform_real() * (1.0 + config_.diurnal_amplitude) < diurnal_factor(t)) {
            break;
        }
    }
    const std::uint32_t recipient = contacts[rng.index(contacts.size())];
    const double size = std::max(1.0, std::round(sizes_.sample(rng)));
    return PlannedMessage{t, user, recipient, static_cast<std::uint32_t>(std::min(size, 76'800.0))};
}

}  // namespace sessionsim::workload
