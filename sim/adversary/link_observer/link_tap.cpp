#include "sim/adversary/link_observer/link_tap.hpp"

#include <algorithm>
#include <stdexcept>

namespace sessionsim::adversary {

LinkObserver::LinkObserver(const net::Network& network, const std::vector<net::RegionId>& regions, bool transit,
                           const std::vector<std::pair<net::RegionId, net::RegionId>>& links)
    : network_(network), regions_(network.topology().region_count()), tapped_route_(regions_ * regions_, false) {
    const auto& topology = network.topology();
    std::vector<bool> region_tapped(regions_, false);
    for (const auto r : regions) {
        if (r.value >= regions_) throw std::invalid_argument("LinkObserver: region id out of range");
        region_tapped[r.value] = true;
    }
    for (const auto& [a, b] : links) {
        if (a.value >= regions_ || b.value >= regions_) throw std::invalid_argument("LinkObserver: link region out of range");
    }
    for (std::uint32_t f = 0; f < regions_; ++f) {
        for (std::uint32_t t = 0; t < regions_; ++t) {
            const net::RegionId from{f}, to{t};
            bool seen = region_tapped[f] || region_tapped[t];
            if (!seen && (transit || !links.empty())) {
                const auto path = topology.route(from, to);
                if (transit) {
                    seen = std::any_of(path.begin(), path.end(), [&](net::RegionId r) { return region_tapped[r.value]; });
                }
                for (std::size_t k = 1; !seen && k < path.size(); ++k) {
                    seen = std::any_of(links.begin(), links.end(), [&](const auto& l) {
                        return (l.first == path[k - 1] && l.second == path[k]) || (l.second == path[k - 1] && l.first == path[k]);
                    });
                }
            }
            tapped_route_[index(from, to)] = seen;
        }
    }
}

void LinkObserver::tap_host(net::HostId host) {
    if (host.value >= tapped_host_.size()) tapped_host_.resize(host.value + 1, false);
    if (!tapped_host_[host.value]) ++hosts_tapped_;
    tapped_host_[host.value] = true;
}

void LinkObserver::set_candidate(net::HostId host, std::uint32_t index) {
    if (host.value >= candidate_.size()) candidate_.resize(host.value + 1, -1);
    candidate_[host.value] = index;
}

bool LinkObserver::observes(net::HostId from, net::HostId to) const {
    const auto tapped = [this](net::HostId h) { return h.value < tapped_host_.size() && tapped_host_[h.value]; };
    return tapped(from) || tapped(to) || observes_route(network_.region(from), network_.region(to));
}

net::Verdict LinkObserver::on_send(net::InFlight& packet) {
    ++seen_;
    const auto& d = packet.datagram;
    if (!observes(d.from, d.to)) return net::Verdict::deliver;
    ++observed_;
    observed_bytes_ += d.payload.size();
    if (d.from.value < candidate_.size() && candidate_[d.from.value] >= 0) {
        // A client's datagram: its onion requests go to its guard (the first hop), so every
        // datagram a client sends to the network is an entry.
        entries_.push_back(SizedEntry{packet.now, static_cast<std::uint32_t>(candidate_[d.from.value]),
                                      static_cast<std::uint32_t>(d.payload.size())});
    }
    return net::Verdict::deliver;
}

void LinkObserver::on_deliver(SimTime now, const net::Datagram& datagram) {
    last_ = Delivery{now, datagram.from, datagram.to, static_cast<std::uint32_t>(datagram.payload.size()),
                     observes(datagram.from, datagram.to)};
}

}  // namespace sessionsim::adversary

namespace sessionsim::adversary {

std::pair<std::int64_t, std::int64_t> layers_window(sessionproto::EncType cipher) {
    if (cipher == sessionproto::EncType::aes_gcm) return {570, 595};
    return {700, 720};
}

}  // namespace sessionsim::adversary
