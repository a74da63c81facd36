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
};

}  // namespace sessionsim::net
