#pragma once
// Connections: whether a client's request to a service node opens a new HTTPS connection, and
// so waits for the TCP and TLS handshakes before its bytes leave (../PROFILES.md "Swarm, pool,
// onion"). Desktop's snodeHttpsAgent has no keep-alive (Node's https.Agent default): every direct
// request — an onion request to the guard, a guard test, a seed request — opens one. Android's
// OkHttp pool keeps a connection to each node and reuses it until it has been idle for its
// keep-alive (5 min). Node-to-node links (OMQ) are persistent and never pay it.
//
// The handshakes are modelled as round trips the network adds before the datagram's departure
// (io.hpp Outbound::handshake_round_trips): TCP (1) and TLS 1.3 (1).
#include <cstdint>
#include <map>

#include "models/session/node/io.hpp"

namespace sessionproto {

/// TCP handshake + TLS 1.3 handshake before the first bytes of a new connection.
inline constexpr std::uint8_t NEW_CONNECTION_ROUND_TRIPS = 2;

class Connections {
  public:
    /// Estimated heap bytes (perf.json "memory.structures").
    std::size_t heap_bytes() const;
    /// keep_alive: connections are reused while idle for at most idle_ms.
    Connections(bool keep_alive, std::int64_t idle_ms) : keep_alive_(keep_alive), idle_ms_(idle_ms) {}

    /// A request to `to` leaves now: the handshake round trips it waits for (0 on a reused
    /// connection), and the connection is marked used.
    std::uint8_t open_or_reuse(Timestamp now, const PeerAddress& to);
    std::uint64_t opened() const noexcept { return opened_; }

  private:
    bool keep_alive_;
    std::int64_t idle_ms_;
    std::map<PeerAddress, Timestamp> last_used_;
    std::uint64_t opened_ = 0;
};

}  // namespace sessionproto
