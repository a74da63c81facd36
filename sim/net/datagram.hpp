#pragma once
// A message between two hosts. It owns its payload; the payload moves from sender to receiver
// (through the network's in-flight pool) and is never copied on the way.
#include <cstddef>
#include <vector>

#include "sim/net/ids.hpp"

namespace sessionsim::net {

using Bytes = std::vector<std::byte>;

struct Datagram {
    HostId from;
    HostId to;
    Bytes payload;
    /// Round trips between the two hosts before it leaves (a new TCP + TLS connection): each adds
    /// twice the propagation delay, no jitter, no bytes (sim/net/README.md).
    std::uint8_t handshake_round_trips = 0;
};

}  // namespace sessionsim::net
