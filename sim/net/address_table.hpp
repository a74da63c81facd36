#pragma once
// The host behind each IPv4 address: looked up on every datagram a host sends by address, added
// to when a host is created, never iterated and never shrunk. An open-addressed table (linear
// probing, at most half full): one cache line per lookup where a node-based hash map takes two.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/net/ids.hpp"

namespace sessionsim::net {

class AddressTable {
public:
    /// Adds `address` -> `host`; an address already present keeps its first host (returns false).
    bool insert(std::uint32_t address, HostId host);
    std::optional<HostId> find(std::uint32_t address) const noexcept;
    std::size_t size() const noexcept { return size_; }
    std::size_t heap_bytes() const noexcept { return slots_.capacity() * sizeof(Slot); }

private:
    struct Slot {
        std::uint32_t address = 0;
        std::uint32_t host_plus_one = 0;  ///< 0: empty
    };
    std::size_t index(std::uint32_t address) const noexcept {
        // Fibonacci hashing: consecutive addresses (one /24 subnet) spread over the table.
        return static_cast<std::size_t>((address * 0x9E3779B97F4A7C15ull) >> 32) & (slots_.size() - 1);
    }
    void grow();

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace sessionsim::net
