#include "sim/core/fingerprint.hpp"

#include <cstdio>
#include <cstring>

namespace sessionsim {

void Fingerprint::add_bytes(std::string_view bytes) noexcept {
    std::uint64_t word = bytes.size();
    mix(word);
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
        word = 0;
        const std::size_t n = bytes.size() - i < 8 ? bytes.size() - i : 8;
        for (std::size_t j = 0; j < n; ++j) {
            word |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i + j])) << (8 * j);
        }
        mix(word);
    }
}

std::string Fingerprint::hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(state_));
    return buf;
}

}  // namespace sessionsim
