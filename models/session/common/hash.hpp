#pragma once
// BLAKE2b over a sequence of parts (libsodium's crypto_generichash_blake2b), as Session's
// derivations write them: H_N(part1 || part2 || ...; key).
#include <sodium.h>

#include <array>
#include <cstddef>
#include <initializer_list>

#include "models/session/common/bytes.hpp"

namespace sessionproto {

/// BLAKE2b of the concatenation of `parts`, `N` (16..64) bytes out, keyed by `key` (unkeyed
/// when empty; at most 64 bytes).
template <std::size_t N>
std::array<std::byte, N> blake2b_parts(std::initializer_list<ByteView> parts, ByteView key = {}) {
    static_assert(N >= crypto_generichash_blake2b_BYTES_MIN && N <= crypto_generichash_blake2b_BYTES_MAX);
    crypto_generichash_blake2b_state st;
    crypto_generichash_blake2b_init(&st, key.empty() ? nullptr : uc(key), key.size(), N);
    for (const auto& part : parts) {
        if (!part.empty()) crypto_generichash_blake2b_update(&st, uc(part), part.size());
    }
    std::array<std::byte, N> out{};
    crypto_generichash_blake2b_final(&st, reinterpret_cast<unsigned char*>(out.data()), N);
    return out;
}

}  // namespace sessionproto
