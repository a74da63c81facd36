#include "sim/net/network.hpp"

#include <algorithm>
#include <cmath>

namespace sessionsim::net {

Network::Network(Engine& engine, const Topology& topology)
    : engine_(engine), topology_(topology), rng_(engine.random().stream("net")) {}

HostId Network::add_host(const HostSpec& spec, Receiver receiver) {
    if (spec.region.value >= topology_.region_count()) {
        throw TopologyError("network: region " + std::to_string(spec.region.value) + " is not in the topology (" +
                            std::to_string(topology_.region_count()) + " regions)");
    }
    Ipv4Address address;
    if (spec.address) {
        addresses_.claim(*spec.address);
        address = *spec.address;
    } else {
        address = addresses_.allocate(spec.region, rng_);
    }
    const HostId id{static_cast<std::uint32_t>(hosts_.size())};
    Host host;
    host.address = address;
    host.region = spec.region;
    host.link = spec.link;
    host.receiver = std::make_shared<const Receiver>(std::move(receiver));
    host.uplink_free = engine_.now();
    host.downlink_free = engine_.now();
    hosts_.push_back(std::move(host));
    by_address_.insert(address.value, id);
    return id;
}

void Network::detach(HostId id) {
    Host& host = hosts_.at(id.value);
    if (!host.online) return;
    host.online = false;
    ++host.epoch;
    SIM_LOG(engine_.log(), debug, net, label(id)) << "detached";
}

void Network::attach(HostId id, Receiver receiver) {
    Host& host = hosts_.at(id.value);
    host.online = true;
    host.receiver = std::make_shared<const Receiver>(std::move(receiver));
    // Queues emptied while away.
    host.uplink_free = std::max(host.uplink_free, engine_.now());
    host.downlink_free = std::max(host.downlink_free, engine_.now());
    SIM_LOG(engine_.log(), debug, net, label(id)) << "attached";
}

std::optional<HostId> Network::host_at(Ipv4Address address) const {
    return by_address_.find(address.value);
}

void Network::add_interceptor(Interceptor& interceptor) { interceptors_.push_back(&interceptor); }

void Network::remove_interceptor(Interceptor& interceptor) {
    interceptors_.erase(std::remove(interceptors_.begin(), interceptors_.end(), &interceptor), interceptors_.end());
}

SimDuration Network::serialisation(std::uint64_t bytes, double bps) noexcept {
    if (bps <= 0) return SimDuration::zero();
    return SimDuration{std::llround(static_cast<double>(bytes) * 8e9 / bps)};
}

SimDuration Network::propagation(HostId from, HostId to) const {
    const Host& a = hosts_.at(from.value);
    const Host& b = hosts_.at(to.value);
    return topology_.latency(a.region, b.region) + a.link.access_delay + b.link.access_delay;
}

std::string Network::label(HostId host) const { return hosts_.at(host.value).address.to_string(); }

std::uint32_t Network::park(Datagram&& datagram, std::uint32_t to_epoch) {
    memory_.in_flight_bytes += datagram.payload.size();
    memory_.peak_in_flight_bytes = std::max(memory_.peak_in_flight_bytes, memory_.in_flight_bytes);
    memory_.peak_in_flight_datagrams =
        std::max<std::uint64_t>(memory_.peak_in_flight_datagrams, flights_.size() - free_flights_.size() + 1);
    if (!free_flights_.empty()) {
        const std::uint32_t i = free_flights_.back();
        free_flights_.pop_back();
        flights_[i] = Flight{std::move(datagram), to_epoch};
        return i;
    }
    flights_.push_back(Flight{std::move(datagram), to_epoch});
    return static_cast<std::uint32_t>(flights_.size() - 1);
}

Datagram Network::unpark(std::uint32_t flight) noexcept {
    Datagram d = std::move(flights_[flight].datagram);
    memory_.in_flight_bytes -= d.payload.size();
    free_flights_.push_back(flight);
    return d;
}

bool Network::receiver_gone(const Flight& f) const noexcept {
    const Host& to = hosts_[f.datagram.to.value];
    return !to.online || to.epoch != f.to_epoch;
}

void Network::send(Datagram datagram) {
    const SimTime now = engine_.now();
    if (datagram.from.value >= hosts_.size() || !hosts_[datagram.from.value].online) {
        ++stats_.dropped_sender_detached;
        return;
    }
    ++stats_.sent;
    const std::uint64_t size = datagram.payload.size();
    stats_.bytes_sent += size;
    if (datagram.to.value >= hosts_.size()) {
        ++stats_.dropped_unknown_host;
        SIM_LOG(engine_.log(), debug, net, label(datagram.from)) << "send to unknown host " << datagram.to.value;
        return;
    }
    Host& from = hosts_[datagram.from.value];
    const Host& to = hosts_[datagram.to.value];

    // Sender's uplink: FIFO, drop-tail beyond the queue limit.
    const SimTime start = std::max(now, from.uplink_free);
    if (from.link.queue_limit_bytes != 0 && from.link.up_bps > 0) {
        const double backlog_bytes = to_seconds(start - now) * from.link.up_bps / 8.0;
        if (backlog_bytes + static_cast<double>(size) > static_cast<double>(from.link.queue_limit_bytes)) {
            ++stats_.dropped_queue_full;
            SIM_LOG(engine_.log(), debug, net, label(datagram.from)) << "uplink queue full, dropped " << size << " B";
            return;
        }
    }
    from.uplink_free = start + serialisation(size, from.link.up_bps);
    const SimTime depart = from.uplink_free;

    InFlight packet{now, datagram, from.address, to.address, SimDuration::zero()};
    for (Interceptor* interceptor : interceptors_) {
        if (interceptor->on_send(packet) == Verdict::drop) {
            ++stats_.dropped_by_interceptor;
            return;
        }
    }

    // Loss and jitter of both access links, drawn in a fixed order.
    const double p_loss = 1.0 - (1.0 - from.link.loss) * (1.0 - to.link.loss);
    if (p_loss > 0 && rng_.bernoulli(p_loss)) {
        ++stats_.lost;
        return;
    }
    const SimDuration jitter = from.link.jitter.sample_duration(rng_) + to.link.jitter.sample_duration(rng_);
    const SimDuration one_way = topology_.latency(from.region, to.region) + from.link.access_delay + to.link.access_delay;
    const SimDuration handshakes = 2 * static_cast<std::int64_t>(datagram.handshake_round_trips) * one_way;
    const SimTime arrival = depart + handshakes + one_way + jitter + std::max(packet.extra_delay, SimDuration::zero());
    const std::uint32_t to_id = datagram.to.value;
    const std::uint32_t flight = park(std::move(datagram), to.epoch);
    engine_.schedule_at(arrival, to_id, ArriveEvent{this, flight});
}

void Network::arrive(std::uint32_t flight) {
    Flight& f = flights_[flight];
    if (receiver_gone(f)) {
        ++stats_.dropped_detached;
        unpark(flight);
        return;
    }
    Host& to = hosts_[f.datagram.to.value];
    const SimDuration down = serialisation(f.datagram.payload.size(), to.link.down_bps);
    if (down == SimDuration::zero() && to.downlink_free <= engine_.now()) {
        deliver(flight);
        return;
    }
    // Receiver's downlink: FIFO in order of arrival.
    const SimTime start = std::max(engine_.now(), to.downlink_free);
    to.downlink_free = start + down;
    engine_.schedule_at(to.downlink_free, f.datagram.to.value, DeliverEvent{this, flight});
}

void Network::deliver(std::uint32_t flight) {
    if (receiver_gone(flights_[flight])) {
        ++stats_.dropped_detached;
        unpark(flight);
        return;
    }
    Datagram d = unpark(flight);
    ++stats_.delivered;
    stats_.bytes_delivered += d.payload.size();
    for (Interceptor* interceptor : interceptors_) interceptor->on_deliver(engine_.now(), d);
    // Hold the receiver: it may detach or re-attach its own host (or add hosts) while it runs.
    const std::shared_ptr<const Receiver> receiver = hosts_[d.to.value].receiver;
    (*receiver)(std::move(d));
}

std::size_t Network::table_bytes() const noexcept {
    return hosts_.capacity() * sizeof(Host) + flights_.capacity() * sizeof(Flight) +
           free_flights_.capacity() * sizeof(std::uint32_t) + interceptors_.capacity() * sizeof(Interceptor*) +
           by_address_.heap_bytes();
}

}  // namespace sessionsim::net
