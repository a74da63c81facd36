#pragma once
// The message-level network: hosts with addresses and access links, attached to a Topology,
// exchanging datagrams over the engine. The delivery-time formula is in sim/net/README.md:
//
//   depart   = max(send, uplink free) + size*8 / up_bps                       (sender's FIFO)
//   arrive   = depart + base latency(regions) + access delays + jitter + interceptor delay
//   delivered= max(arrive, downlink free) + size*8 / down_bps                 (receiver's FIFO)
//
// Every drop is counted by cause in NetworkStats; nothing is lost silently.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/net/access_link.hpp"
#include "sim/net/address_allocator.hpp"
#include "sim/net/address_table.hpp"
#include "sim/net/datagram.hpp"
#include "sim/net/ids.hpp"
#include "sim/net/interceptor.hpp"
#include "sim/net/ipv4.hpp"
#include "sim/net/topology.hpp"

namespace sessionsim::net {

struct NetworkStats {
    std::uint64_t sent = 0;                    ///< send() calls from attached hosts
    std::uint64_t delivered = 0;
    std::uint64_t lost = 0;                    ///< random loss of the access links
    std::uint64_t dropped_by_interceptor = 0;
    std::uint64_t dropped_queue_full = 0;      ///< drop-tail at the sender's uplink
    std::uint64_t dropped_detached = 0;        ///< receiver detached before delivery
    std::uint64_t dropped_sender_detached = 0; ///< send() from a detached host
    std::uint64_t dropped_unknown_host = 0;    ///< send() to a host id that does not exist
    std::uint64_t bytes_sent = 0;
    std::uint64_t bytes_delivered = 0;
    std::uint64_t in_flight() const noexcept {
        return sent - delivered - lost - dropped_by_interceptor - dropped_queue_full - dropped_detached -
               dropped_unknown_host;
    }
};

/// What the datagrams in flight hold (their payloads), now and at the peak: the network's share
/// of a run's memory (perf.json "memory"). Deterministic, but a cost figure, not a result.
struct NetworkMemory {
    std::uint64_t in_flight_bytes = 0;
    std::uint64_t peak_in_flight_bytes = 0;
    std::uint64_t peak_in_flight_datagrams = 0;
};

struct HostSpec {
    RegionId region;
    AccessLink link;
    std::optional<Ipv4Address> address;  ///< allocated in the region's block when absent
};

class Network {
  public:
    using Receiver = std::function<void(Datagram&&)>;

    /// The topology must outlive the network. Randomness (addresses, jitter, loss) comes from
    /// the engine's stream "net".
    Network(Engine& engine, const Topology& topology);
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    /// Creates a host, attached, and returns its id. Throws AddressError (address taken, region
    /// full) or TopologyError (unknown region).
    HostId add_host(const HostSpec& spec, Receiver receiver);
    /// Takes a host off the network: what is in flight to it is dropped (counted) when it arrives.
    void detach(HostId host);
    /// Puts a detached host back, same address and link, with a new receiver.
    void attach(HostId host, Receiver receiver);

    /// Sends a datagram; the payload moves. Interceptors may drop, delay or alter it.
    void send(Datagram datagram);
    /// Registers a non-owning interceptor; it must outlive the network or be removed first.
    void add_interceptor(Interceptor& interceptor);
    void remove_interceptor(Interceptor& interceptor);

    bool online(HostId host) const { return hosts_.at(host.value).online; }
    Ipv4Address address(HostId host) const { return hosts_.at(host.value).address; }
    RegionId region(HostId host) const { return hosts_.at(host.value).region; }
    const AccessLink& link(HostId host) const { return hosts_.at(host.value).link; }
    std::optional<HostId> host_at(Ipv4Address address) const;
    std::size_t host_count() const noexcept { return hosts_.size(); }
    const Topology& topology() const noexcept { return topology_; }
    const NetworkStats& stats() const noexcept { return stats_; }
    const NetworkMemory& memory() const noexcept { return memory_; }
    /// Estimated heap bytes of the network's own tables (hosts, flight slots, the address index),
    /// without the payloads in flight (memory().in_flight_bytes).
    std::size_t table_bytes() const noexcept;
    Engine& engine() noexcept { return engine_; }

    /// Propagation between two hosts without queueing or jitter: base latency + access delays.
    SimDuration propagation(HostId from, HostId to) const;
    /// Serialisation time of `bytes` at `bps` (0 bps = unlimited = zero time).
    static SimDuration serialisation(std::uint64_t bytes, double bps) noexcept;

  private:
    struct Host {
        Ipv4Address address;
        RegionId region;
        AccessLink link;
        std::shared_ptr<const Receiver> receiver;  // shared: a receiver may re-attach its own host
        bool online = true;
        std::uint32_t epoch = 0;  // bumped on every detach: in-flight datagrams to older epochs drop
        SimTime uplink_free{};
        SimTime downlink_free{};
    };
    struct Flight {
        Datagram datagram;
        std::uint32_t to_epoch = 0;
    };
    struct ArriveEvent {  // 16 bytes: stored in place in the engine's action slot
        Network* network;
        std::uint32_t flight;
        void operator()() const { network->arrive(flight); }
    };
    struct DeliverEvent {
        Network* network;
        std::uint32_t flight;
        void operator()() const { network->deliver(flight); }
    };

    void arrive(std::uint32_t flight);
    void deliver(std::uint32_t flight);
    std::uint32_t park(Datagram&& datagram, std::uint32_t to_epoch);
    Datagram unpark(std::uint32_t flight) noexcept;
    bool receiver_gone(const Flight& f) const noexcept;
    std::string label(HostId host) const;

    Engine& engine_;
    const Topology& topology_;
    RandomStream& rng_;
    AddressAllocator addresses_;
    std::vector<Host> hosts_;
    AddressTable by_address_;
    std::vector<Interceptor*> interceptors_;
    std::vector<Flight> flights_;
    NetworkMemory memory_;
    std::vector<std::uint32_t> free_flights_;
    NetworkStats stats_;
};

}  // namespace sessionsim::net
