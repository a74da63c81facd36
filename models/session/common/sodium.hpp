#pragma once
// libsodium set-up for the protocol core.
#include <cstddef>

namespace sessionproto {

/// Initialises libsodium once (thread-safe, idempotent). Every entry point that uses libsodium
/// calls it; aborts if libsodium cannot initialise (there is no way to run without it).
void sodium_ready() noexcept;

/// AES-256-GCM needs AES-NI in libsodium 1.0.18: true when this CPU has it.
bool aes256gcm_available() noexcept;

/// The system's randomness, even when a guard has replaced libsodium's randombytes
/// implementation (sim/host installs one that fails the run on any direct use). Only
/// SodiumEntropy calls this.
void os_random_bytes(void* out, std::size_t size) noexcept;

}  // namespace sessionproto
