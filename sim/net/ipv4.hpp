#pragma once
// IPv4 addresses and /24 subnets as values, so that Session's distinct-/24 path rule and per-IP
// rate limits act on real addresses.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sessionsim::net {

struct Subnet24 {
    std::uint32_t prefix = 0;  ///< the address with its low 8 bits cleared
    friend constexpr auto operator<=>(Subnet24, Subnet24) = default;
    std::string to_string() const;  ///< "11.0.7.0/24"
};

struct Ipv4Address {
    std::uint32_t value = 0;  ///< host byte order: 11.0.7.9 is 0x0B000709

    static constexpr Ipv4Address from_octets(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) noexcept {
        return Ipv4Address{(std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d};
    }
    /// Dotted quad; nullopt unless exactly four decimal octets 0-255 without leading junk.
    static std::optional<Ipv4Address> parse(std::string_view text) noexcept;

    constexpr Subnet24 subnet24() const noexcept { return Subnet24{value & 0xFFFFFF00u}; }
    std::string to_string() const;
    friend constexpr auto operator<=>(Ipv4Address, Ipv4Address) = default;
};

}  // namespace sessionsim::net
