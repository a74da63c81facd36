#pragma once
// Strong identifiers of the network model: a region (a vertex of the topology) and a host.
#include <compare>
#include <cstdint>
#include <functional>

namespace sessionsim::net {

struct RegionId {
    std::uint32_t value = 0;
    friend constexpr auto operator<=>(RegionId, RegionId) = default;
};

struct HostId {
    std::uint32_t value = 0;
    friend constexpr auto operator<=>(HostId, HostId) = default;
};

}  // namespace sessionsim::net
