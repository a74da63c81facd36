#pragma once
// XEd25519 public keys (spec session-crypto §1): the Ed25519 point behind an X25519 public key,
// taking the "positive" of the two candidates (sign bit 0), as Signal's XEd25519 does and as
// Session uses for blinded IDs and group subaccounts (LS src/xed25519.cpp).
//
// libsodium has no public field arithmetic, so the few operations modulo p = 2^255 - 19 that the
// conversion needs live here, in `field25519`. They are not constant time; they are used on
// public keys only.
#include <array>
#include <cstddef>
#include <cstdint>

#include "models/session/crypto/keys.hpp"

namespace sessionproto {

/// The XEd25519 public key of an X25519 public key: y = (u - 1) / (u + 1) mod p, encoded
/// little-endian with the sign bit (bit 255) clear.
/// Inputs: `x` -- an X25519 public key (bit 255 of u is ignored, as X25519 does).
/// Outputs: the Ed25519 public key whose Montgomery u is `x`, with sign bit 0. For the X25519 key
/// of an Ed25519 identity, this equals that identity's Ed25519 key with bit 255 cleared.
/// Errors: none. The one u with no image (u = p - 1, where u + 1 = 0) maps to y = 0, which no
/// libsodium point operation accepts, so callers that multiply by it get their own error.
Ed25519Pubkey xed25519_pubkey(const X25519Pubkey& x);

/// Arithmetic modulo p = 2^255 - 19 on four 64-bit limbs (little-endian). Values are kept below
/// 2^256 and are fully reduced only by `to_bytes`. Exposed for tests.
namespace field25519 {

struct Fe {
    std::array<std::uint64_t, 4> limb{};
    friend bool operator==(const Fe&, const Fe&) = default;  // limb equality, not mod-p equality
};

/// 32 little-endian bytes; bit 255 is dropped (as for a Montgomery u coordinate).
Fe from_bytes(const std::array<std::byte, 32>& bytes) noexcept;
/// The canonical encoding: the unique representative in [0, p), little-endian.
std::array<std::byte, 32> to_bytes(const Fe& a) noexcept;
Fe from_u64(std::uint64_t v) noexcept;
Fe add(const Fe& a, const Fe& b) noexcept;
Fe sub(const Fe& a, const Fe& b) noexcept;
Fe mul(const Fe& a, const Fe& b) noexcept;
/// a^(p-2): the inverse of a non-zero a, and 0 for a = 0.
Fe invert(const Fe& a) noexcept;
/// True when a and b are equal modulo p.
bool equal(const Fe& a, const Fe& b) noexcept;

}  // namespace field25519

}  // namespace sessionproto
