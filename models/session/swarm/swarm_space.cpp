#include "models/session/swarm/swarm_space.hpp"

#include <algorithm>
#include <cstdio>

namespace sessionproto {

std::string SwarmId::hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(value));
    return std::string(buf);
}

std::uint64_t pubkey_to_swarm_space(const std::array<std::byte, 32>& key) noexcept {
    // oxenss snode/swarm.cpp: XOR of the four 8-byte words, read big-endian. (XOR commutes with
    // the byte swap, so reading each word big-endian equals oxenss's XOR-then-swap.)
    std::uint64_t position = 0;
    const ByteView all(key);
    for (std::size_t word = 0; word < 4; ++word) position ^= read_be64(all.subspan(word * 8, 8));
    return position;
}

std::uint64_t pubkey_to_swarm_space(const SessionId& id) noexcept { return pubkey_to_swarm_space(id.key()); }

std::uint64_t pubkey_to_swarm_space(const AccountId& id) noexcept {
    return pubkey_to_swarm_space(id.x25519().data);
}

Result<std::uint64_t> pubkey_to_swarm_space(ByteView key) {
    if (key.size() != 32 && key.size() != 33) {
        std::string message = "a swarm-space key is 32 bytes or 33 with a prefix, got ";
        message.append(std::to_string(key.size()));
        return Error{ErrorCode::bad_length, std::move(message)};
    }
    std::array<std::byte, 32> bare{};
    std::copy(key.end() - 32, key.end(), bare.begin());
    return pubkey_to_swarm_space(bare);
}

std::optional<SwarmId> closest_swarm(std::uint64_t position, std::span<const SwarmId> sorted_ids) noexcept {
    if (sorted_ids.empty()) return std::nullopt;
    if (sorted_ids.size() == 1) return sorted_ids.front();

    // right: the first id >= position, wrapping to the first id past the top of the ring.
    auto right = std::lower_bound(sorted_ids.begin(), sorted_ids.end(), SwarmId{position});
    if (right == sorted_ids.end()) right = sorted_ids.begin();
    // left: the id just before right, cyclically (the highest id when right is the first).
    const auto left = (right == sorted_ids.begin()) ? sorted_ids.end() - 1 : right - 1;

    // Unsigned subtraction is the ring distance in each direction (mod 2^64).
    const std::uint64_t to_right = right->value - position;
    const std::uint64_t to_left = position - left->value;
    return to_right < to_left ? *right : *left;
}

bool is_valid_swarm_list(std::span<const SwarmId> ids) noexcept {
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] == INVALID_SWARM_ID) return false;
        if (i > 0 && !(ids[i - 1] < ids[i])) return false;
    }
    return true;
}

}  // namespace sessionproto
