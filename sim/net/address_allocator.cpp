#include "sim/net/address_allocator.hpp"

#include <string>

namespace sessionsim::net {

Ipv4Address AddressAllocator::region_block(RegionId region) {
    if (region.value >= MAX_REGIONS) {
        throw AddressError("region " + std::to_string(region.value) + " is beyond the address plan's " +
                           std::to_string(MAX_REGIONS) + " regions");
    }
    return Ipv4Address{(11u << 24) + (region.value << 16)};
}

std::optional<RegionId> AddressAllocator::region_of(Ipv4Address address) noexcept {
    const std::uint32_t first = address.value >> 24;
    if (first < 11 || first >= 127) return std::nullopt;
    return RegionId{(address.value - (11u << 24)) >> 16};
}

Ipv4Address AddressAllocator::allocate_in(Subnet24 subnet) {
    const std::uint32_t used = used_in_subnet_[subnet.prefix];
    if (used >= 254) throw AddressError("subnet " + subnet.to_string() + " is full (254 hosts)");
    for (std::uint32_t host = 1; host <= 254; ++host) {
        const Ipv4Address candidate{subnet.prefix | host};
        if (!taken(candidate)) {
            claim(candidate);
            return candidate;
        }
    }
    throw AddressError("subnet " + subnet.to_string() + " is full (254 hosts)");
}

Ipv4Address AddressAllocator::allocate(RegionId region, RandomStream& rng) {
    const Ipv4Address block = region_block(region);
    const auto start = static_cast<std::uint32_t>(rng.uniform_int(0, 255));
    for (std::uint32_t k = 0; k < 256; ++k) {
        const Subnet24 subnet{block.value | (((start + k) & 0xFF) << 8)};
        if (used_in_subnet_[subnet.prefix] < 254) return allocate_in(subnet);
    }
    throw AddressError("region " + std::to_string(region.value) + " has no free address left (65,024 hosts)");
}

void AddressAllocator::claim(Ipv4Address address) {
    if (!taken_.insert(address.value).second) throw AddressError("address " + address.to_string() + " is already taken");
    ++used_in_subnet_[address.subnet24().prefix];
}

}  // namespace sessionsim::net
