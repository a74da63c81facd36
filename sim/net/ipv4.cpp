#include "sim/net/ipv4.hpp"

namespace sessionsim::net {

std::string Ipv4Address::to_string() const {
    return std::to_string(value >> 24) + '.' + std::to_string((value >> 16) & 0xFF) + '.' +
           std::to_string((value >> 8) & 0xFF) + '.' + std::to_string(value & 0xFF);
}

std::string Subnet24::to_string() const { return Ipv4Address{prefix}.to_string() + "/24"; }

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) noexcept {
    std::uint32_t value = 0;
    int octets = 0;
    std::size_t i = 0;
    while (octets < 4) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
        std::uint32_t octet = 0;
        std::size_t digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            octet = octet * 10 + static_cast<std::uint32_t>(text[i] - '0');
            if (++digits > 3 || octet > 255) return std::nullopt;
            ++i;
        }
        value = (value << 8) | octet;
        ++octets;
        if (octets < 4) {
            if (i >= text.size() || text[i] != '.') return std::nullopt;
            ++i;
        }
    }
    if (i != text.size()) return std::nullopt;
    return Ipv4Address{value};
}

}  // namespace sessionsim::net
