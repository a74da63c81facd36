#pragma once
// BLAKE2b (libsodium crypto_generichash_blake2b) and the storage server's message hash
// (spec session-crypto §5.1, session-network §3.1).
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/storage/namespace.hpp"

namespace sessionproto {

inline constexpr std::size_t BLAKE2B_MIN_SIZE = 16;
inline constexpr std::size_t BLAKE2B_MAX_SIZE = 64;
inline constexpr std::size_t BLAKE2B_MAX_KEY = 64;

/// Generic keyed or unkeyed BLAKE2b, as libsession-util's `session::hash::hash`.
/// Inputs: `size` output bytes (16..64), the message, an optional key (empty = unkeyed, ≤ 64 bytes).
/// Outputs: `size` bytes. Errors: invalid_argument for a size or key length out of range.
Result<Bytes> blake2b(std::size_t size, ByteView message, ByteView key = {});

/// Length of a message hash: 32 bytes as unpadded base64.
inline constexpr std::size_t MESSAGE_HASH_LENGTH = 43;

/// The raw 32-byte message hash: H32(network byte ‖ pubkey(32) ‖ namespace_text(ns) ‖ data).
/// Timestamp and expiry are not hashed, so a resent message has the same hash.
/// Source: oxen-io/oxen-storage-server oxenss/rpc/request_handler.cpp `computeMessageHash`.
std::array<std::byte, 32> storage_message_hash_raw(const SessionId& owner, Namespace ns, ByteView data);

/// The message hash as it appears on the wire: 43 characters of unpadded standard base64.
std::string storage_message_hash(const SessionId& owner, Namespace ns, ByteView data);

/// True for a string the server accepts as a message hash: 43 characters of standard base64
/// (oxenss/rpc/client_rpc_endpoints.cpp `is_valid_message_hash`).
bool is_valid_message_hash(std::string_view hash) noexcept;

}  // namespace sessionproto
