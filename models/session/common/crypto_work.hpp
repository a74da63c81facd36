#pragma once
// Sampled crypto: a simulator mode, never Session's. A run in `sampled` mode does the real
// cryptography on a chosen fraction of flows (a message's send and decryption, a poll) and on
// the rest builds "modelled" stand-ins: the same layouts and sizes, the same routing and
// parsing, with the cipher and signature work skipped.
//
// A modelled stand-in is marked the one way no real one can be: its ephemeral X25519 key (an
// onion layer's, a sealed box's) is the all-zero point, which libsodium refuses (X25519 of it is
// all zeros), and its nonces, tags and signatures are zero. Nodes and clients accept modelled
// stand-ins only when told to (a sampled run); otherwise they refuse them as Session does.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace sessionproto {

/// Whether an operation does its cryptography or builds the modelled stand-in.
enum class CryptoWork : std::uint8_t { real, modelled };

/// True when every byte is zero: the mark of a modelled ephemeral key.
inline bool all_zero(std::span<const std::byte> bytes) noexcept {
    return std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
}

}  // namespace sessionproto
