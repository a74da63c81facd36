#pragma once
// Points libsodium's own randombytes at a guard (DESIGN.md §3): every key and nonce of a run must
// come from a node's seeded Entropy, so anything that calls randombytes_* behind the protocol
// core's back (crypto_box_seal, crypto_box_keypair, ...) would make runs irreproducible. The guard
// counts such calls (answering with a fixed, deterministic byte stream so the run stays
// reproducible) and the run fails at its end when the count is not zero.
#include <cstdint>

namespace sessionsim::host {

/// Installs the guard and initialises libsodium (idempotent). Call before anything else uses
/// libsodium.
void install_randombytes_guard() noexcept;
/// Calls of randombytes_buf / randombytes_random / randombytes_uniform since installation,
/// not counting libsodium's own draw during sodium_init.
std::uint64_t randombytes_guard_calls() noexcept;

}  // namespace sessionsim::host
