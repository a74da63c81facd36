#pragma once
// A host's connection to the Internet: what its access link adds to every datagram.
#include <cstdint>

#include "sim/core/time.hpp"
#include "sim/core/distribution.hpp"

namespace sessionsim::net {

struct AccessLink {
    double up_bps = 100e6;    ///< uplink bandwidth, bits/s; 0 = unlimited (no serialisation delay)
    double down_bps = 100e6;  ///< downlink bandwidth, bits/s; 0 = unlimited
    /// Bytes that may wait in the uplink's FIFO queue; a datagram that would exceed it is dropped
    /// (drop-tail). 0 = unbounded.
    std::uint64_t queue_limit_bytes = 0;
    SimDuration access_delay{};  ///< one-way propagation of the last mile, added at each end
    Distribution jitter;    ///< per datagram, added at each end
    double loss = 0.0;           ///< probability that a datagram through this link is lost
};

}  // namespace sessionsim::net
