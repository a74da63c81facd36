#pragma once
// The hook adversaries attach to: an interceptor sees every datagram when it is sent (time,
// endpoints and their addresses, size) and may drop it, delay it or alter its bytes, and sees it
// again when it is delivered. Interceptors run in registration order; a drop ends the chain.
#include "sim/core/time.hpp"
#include "sim/net/datagram.hpp"
#include "sim/net/ipv4.hpp"

namespace sessionsim::net {

enum class Verdict { deliver, drop };

struct InFlight {
    SimTime now;
    Datagram& datagram;  ///< active adversaries may alter the payload (tampering)
    Ipv4Address from_address;
    Ipv4Address to_address;
    SimDuration extra_delay{};  ///< may be increased (delay attacks)
};

class Interceptor {
  public:
    virtual ~Interceptor() = default;
    virtual Verdict on_send(InFlight& packet) {
        (void)packet;
        return Verdict::deliver;
    }
    virtual void on_deliver(SimTime now, const Datagram& datagram) {
        (void)now;
        (void)datagram;
    }
};

}  // namespace sessionsim::net
