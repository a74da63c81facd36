#include "sim/scenario/scenario_hash.hpp"

namespace sessionsim::scenario {

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t state) noexcept {
    for (const char c : bytes) {
        state ^= static_cast<unsigned char>(c);
        state *= 0x100000001b3ULL;
    }
    return state;
}

std::string scenario_hash(std::string_view file_bytes, const std::vector<std::string>& overrides) {
    std::uint64_t h = fnv1a64(file_bytes);
    for (const auto& o : overrides) {
        h = fnv1a64(std::string_view("\0", 1), h);
        h = fnv1a64(o, h);
    }
    static constexpr char HEX[] = "0123456789abcdef";
    std::string out = "fnv1a64:";
    for (int shift = 60; shift >= 0; shift -= 4) out.push_back(HEX[(h >> shift) & 0xf]);
    return out;
}

}  // namespace sessionsim::scenario
