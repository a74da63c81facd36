#pragma once
// Link observers (DESIGN.md §7; spec anonymity §2): an adversary on the wire, not on a service
// node. It taps regions (an AS, an ISP, a state: every datagram that starts, ends or, with
// `transit`, crosses the region on its shortest route), chosen inter-region links, and the access
// links of chosen clients. It sees what an interceptor sees (time, endpoints' addresses, size) and
// never plaintext: Session's onion layers are encrypted hop by hop. It records, as timing
// correlators need them:
// - *entries*: onion requests from a client's address to a service node (the sender side), with
//   their sizes (Session does not pad onion payloads to a cell size, spec anonymity §2 item 4);
// - the last delivery, so the World can tell whether the datagram that carried a store into a
//   swarm member was observed, and how large it was (the target side).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/net/interceptor.hpp"
#include "sim/net/network.hpp"

#include "models/session/onion/hop_encryption.hpp"

namespace sessionsim::adversary {

/// `adversaries: [{type: link_observer, ...}]` (scenarios/README.md).
struct LinkObserverConfig {
    std::vector<std::string> regions;                          ///< tapped regions (by topology name)
    bool transit = true;                                       ///< also datagrams crossing a tapped region
    std::vector<std::pair<std::string, std::string>> links;    ///< tapped inter-region links (either direction)
    double client_access_share = 0.0;                          ///< share of clients whose access link is tapped
    SimDuration window = seconds(2);                           ///< how far before a store entries count
    /// Size matching: an entry fits a store when (entry size − store size) is in [min, max]
    /// bytes: what the path's three outer onion layers add (each: 4-byte length, nonce, tag, and
    /// the JSON naming the next hop and the ephemeral key). An adversary measures it with its own
    /// client; unset (`layers_given` false), it is the window of the ciphers the clients' profiles
    /// use (layers_window), which tests/scenario/world_link_observer_test.cpp checks every true
    /// store fits.
    bool layers_given = false;
    std::int64_t layers_min_bytes = 0;
    std::int64_t layers_max_bytes = 0;
};

/// The size window of layers_bytes for one cipher, as Session's clients frame their layers
/// (PROFILES.md: no enc_type for AES-GCM; this simulator's XChaCha20 layers name it): AES-GCM
/// (12-byte nonce, 16-byte tag) adds 580-583 bytes, XChaCha20 707-710; each window leaves a margin.
/// Both are checked by WorldLinkObserver.TappingEveryRegionSeesEverythingAndSizeMatchingKeepsTheTruth.
std::pair<std::int64_t, std::int64_t> layers_window(sessionproto::EncType cipher);

/// One onion request seen entering the network from a client.
struct SizedEntry {
    SimTime at;
    std::uint32_t candidate;  ///< the client (IP) index
    std::uint32_t size;       ///< payload bytes
};

class LinkObserver final : public net::Interceptor {
  public:
    /// `regions` and `links` as topology ids; the tap matrix over region pairs is built here.
    LinkObserver(const net::Network& network, const std::vector<net::RegionId>& regions, bool transit,
                 const std::vector<std::pair<net::RegionId, net::RegionId>>& links);

    /// Taps a host's access link: everything it sends or receives is seen.
    void tap_host(net::HostId host);
    /// A client's host: its datagrams to service nodes are entries for candidate `index`.
    void set_candidate(net::HostId host, std::uint32_t index);
    /// Whether a datagram from `from` to `to` crosses a tap.
    bool observes(net::HostId from, net::HostId to) const;
    /// Whether two regions' traffic crosses a tapped region or link.
    bool observes_route(net::RegionId from, net::RegionId to) const { return tapped_route_[index(from, to)]; }

    net::Verdict on_send(net::InFlight& packet) override;
    void on_deliver(SimTime now, const net::Datagram& datagram) override;

    struct Delivery {
        SimTime at{};
        net::HostId from{};
        net::HostId to{};
        std::uint32_t size = 0;
        bool observed = false;
    };
    /// The datagram delivered last (the one a receiver is handling right now).
    const Delivery& last_delivery() const noexcept { return last_; }
    const std::vector<SizedEntry>& entries() const noexcept { return entries_; }
    std::uint64_t datagrams_seen() const noexcept { return seen_; }
    std::uint64_t datagrams_observed() const noexcept { return observed_; }
    std::uint64_t bytes_observed() const noexcept { return observed_bytes_; }
    std::uint64_t hosts_tapped() const noexcept { return hosts_tapped_; }
    bool host_tapped(net::HostId host) const noexcept {
        return host.value < tapped_host_.size() && tapped_host_[host.value];
    }

  private:
    std::size_t index(net::RegionId from, net::RegionId to) const noexcept { return from.value * regions_ + to.value; }

    const net::Network& network_;
    std::size_t regions_;
    std::vector<bool> tapped_route_;     // [from region * R + to region]
    std::vector<bool> tapped_host_;      // by host id
    std::vector<std::int64_t> candidate_;  // by host id: client index or -1
    std::uint64_t hosts_tapped_ = 0;
    std::vector<SizedEntry> entries_;
    Delivery last_;
    std::uint64_t seen_ = 0;
    std::uint64_t observed_ = 0;
    std::uint64_t observed_bytes_ = 0;
};

}  // namespace sessionsim::adversary
