#pragma once
// Hands out IPv4 addresses per region. Region r owns the /16 block 11.0.0.0 + r * 65536 (so
// addresses in different regions never share a /24). Within a region, a host lands in a /24
// drawn at random among the block's 256, then on the next free host number of that /24: hosts
// spread over subnets as in a real population, and some share one.
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>

#include "sim/core/random.hpp"
#include "sim/net/ids.hpp"
#include "sim/net/ipv4.hpp"

namespace sessionsim::net {

class AddressError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class AddressAllocator {
  public:
    /// The largest number of regions the address plan holds (block 127.0.0.0 is never used).
    static constexpr std::uint32_t MAX_REGIONS = (127 - 11) * 256;

    /// The /16 block of a region (its first address). Throws AddressError past MAX_REGIONS.
    static Ipv4Address region_block(RegionId region);
    /// The region owning an address, or nullopt outside every block.
    static std::optional<RegionId> region_of(Ipv4Address address) noexcept;

    /// A fresh address in `region`, in a random /24 of its block. Throws AddressError when the
    /// region's 256 * 254 addresses are all taken.
    Ipv4Address allocate(RegionId region, RandomStream& rng);
    /// A fresh address inside a given /24 (co-located hosts, one operator's subnet).
    /// Throws AddressError when the /24 is full.
    Ipv4Address allocate_in(Subnet24 subnet);
    /// Marks a specific address as taken. Throws AddressError if it already is.
    void claim(Ipv4Address address);
    bool taken(Ipv4Address address) const noexcept { return taken_.count(address.value) != 0; }

  private:
    std::set<std::uint32_t> taken_;
    std::map<std::uint32_t, std::uint32_t> used_in_subnet_;  // /24 prefix -> hosts taken
};

}  // namespace sessionsim::net
