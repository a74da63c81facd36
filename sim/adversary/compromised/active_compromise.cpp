#include "sim/adversary/compromised/active_compromise.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace sessionsim::adversary {

const char* to_string(ActiveBehaviour::Target target) noexcept {
    switch (target) {
        case ActiveBehaviour::Target::clients:
            return "clients";
        case ActiveBehaviour::Target::relays:
            return "relays";
        case ActiveBehaviour::Target::all:
            break;
    }
    return "all";
}

ActiveCompromise::ActiveCompromise(ActiveBehaviour behaviour, const std::vector<net::HostId>& compromised,
                                   RandomStream rng, ToClient to_client)
    : behaviour_(behaviour), rng_(rng), to_client_(std::move(to_client)) {
    auto probability = [](double p, const char* what) {
        if (!(p >= 0 && p <= 1)) {
            throw std::invalid_argument(std::string("ActiveCompromise: ") + what + " must be a probability in [0, 1], got " +
                                        std::to_string(p));
        }
    };
    probability(behaviour_.drop, "drop");
    probability(behaviour_.tamper, "tamper");
    if (const std::string p = behaviour_.delay.problem(Distribution::Unit::milliseconds); !p.empty()) {
        throw std::invalid_argument("ActiveCompromise: invalid delay distribution: " + p);
    }
    if (behaviour_.target != ActiveBehaviour::Target::all && !to_client_) {
        throw std::invalid_argument("ActiveCompromise: target clients or relays needs a to_client predicate");
    }
    for (const auto h : compromised) {
        if (h.value >= held_.size()) held_.resize(h.value + 1, false);
        held_[h.value] = true;
    }
}

net::Verdict ActiveCompromise::on_send(net::InFlight& packet) {
    if (!holds(packet.datagram.from)) return net::Verdict::deliver;
    if (behaviour_.target != ActiveBehaviour::Target::all &&
        to_client_(packet) != (behaviour_.target == ActiveBehaviour::Target::clients)) {
        return net::Verdict::deliver;
    }
    ++counts_.seen;
    if (behaviour_.drop > 0 && rng_.bernoulli(behaviour_.drop)) {
        ++counts_.dropped;
        return net::Verdict::drop;
    }
    if (behaviour_.delay.kind != Distribution::Kind::none) {
        const SimDuration d = behaviour_.delay.sample_duration(rng_);
        if (d > SimDuration::zero()) {
            packet.extra_delay += d;
            counts_.delay_added += d;
            ++counts_.delayed;
        }
    }
    auto& payload = packet.datagram.payload;
    if (behaviour_.tamper > 0 && rng_.bernoulli(behaviour_.tamper) && !payload.empty()) {
        const std::size_t at = rng_.index(payload.size());
        const auto mask = static_cast<std::byte>(rng_.uniform_int(1, 255));
        payload[at] ^= mask;
        ++counts_.tampered;
    }
    return net::Verdict::deliver;
}

}  // namespace sessionsim::adversary
