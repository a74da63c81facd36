#pragma once
// Storage limits and the timestamp rules of the storage server (spec session-network §3.1-§3.4).
// Every time is Unix milliseconds; `now_ms` is always passed in.
// Source of the constants: oxen-io/oxen-storage-server oxenss/rpc/request_handler.h,
// oxenss/rpc/client_rpc_endpoints.h (`store::MAX_MESSAGE_BODY`), oxenss/storage/database.hpp.
#include <cstddef>
#include <cstdint>

#include "models/session/common/result.hpp"
#include "models/session/storage/namespace.hpp"

namespace sessionproto {

inline constexpr std::int64_t MS_PER_DAY = 24LL * 60 * 60 * 1000;

/// TTL bounds: 10 s minimum; 14 days in a public inbox; 30 days in private namespaces and for
/// changing the expiry of existing messages (request_handler.h TTL_MINIMUM / TTL_MAXIMUM /
/// TTL_MAXIMUM_PRIVATE).
inline constexpr std::int64_t TTL_MINIMUM_MS = 10'000;
inline constexpr std::int64_t TTL_MAXIMUM_MS = 14 * MS_PER_DAY;
inline constexpr std::int64_t TTL_MAXIMUM_PRIVATE_MS = 30 * MS_PER_DAY;

/// A store may be at most this far in the future (timestamp) or past (expiry): STORE_TOLERANCE.
inline constexpr std::int64_t STORE_TOLERANCE_MS = 10'000;
/// Signed timestamps must be within ±60 s of now, ±70 s for requests forwarded inside the swarm.
inline constexpr std::int64_t SIGNATURE_TOLERANCE_MS = 60'000;
inline constexpr std::int64_t SIGNATURE_TOLERANCE_FORWARDED_MS = 70'000;
/// delete_before: `before` at most 1 min in the future; expire: expiries at least now − 1 min.
inline constexpr std::int64_t DELETE_BEFORE_TOLERANCE_MS = 60'000;
inline constexpr std::int64_t EXPIRE_TOLERANCE_MS = 60'000;

/// Largest message body: 76,800 bytes, i.e. 102,400 characters of base64.
inline constexpr std::size_t MAX_MESSAGE_BODY = 76'800;
inline constexpr std::size_t MAX_MESSAGE_BODY_BASE64 = MAX_MESSAGE_BODY / 3 * 4;

/// Retrieve limits: at most 7,800,000 bytes; 1/5 of that by default; 100 bytes of overhead
/// counted per message (database.hpp DEFAULT_MSG_OVERHEAD).
inline constexpr std::int64_t RETRIEVE_MAX_SIZE = 7'800'000;
inline constexpr int RETRIEVE_DEFAULT_MAX_SIZE_DIVISOR = 5;
inline constexpr std::size_t RETRIEVE_MESSAGE_OVERHEAD = 100;

/// Sub-requests in one batch / sequence.
inline constexpr std::size_t BATCH_REQUEST_MAX = 20;
/// Expired messages are deleted every 10 s (database.hpp CLEANUP_PERIOD).
inline constexpr std::int64_t CLEANUP_PERIOD_MS = 10'000;
/// Database cap: 3584 MiB (database.hpp SIZE_LIMIT).
inline constexpr std::int64_t DATABASE_SIZE_LIMIT = 3584LL * 1024 * 1024;
/// The parser rejects a timestamp below 1,000,000 s after the epoch as "must be in milliseconds"
/// (client_rpc_endpoints.cpp `parse_field`).
inline constexpr std::int64_t MIN_TIMESTAMP_MS = 1'000'000'000;

/// The largest TTL for a new message in `ns`: 14 days in a public inbox, 30 days elsewhere.
constexpr std::int64_t max_ttl_ms(Namespace ns) noexcept {
    return is_public_inbox(ns) ? TTL_MAXIMUM_MS : TTL_MAXIMUM_PRIVATE_MS;
}

/// TTL rule of a store: 10 s ≤ expiry − timestamp ≤ max_ttl_ms(ns), bounds included.
/// Errors: bad_ttl (the server answers 403).
Status check_store_ttl(Namespace ns, std::int64_t timestamp_ms, std::int64_t expiry_ms);

/// Clock rule of a store: rejected if timestamp > now + 10 s or expiry < now − 10 s (bounds
/// accepted). Errors: bad_timestamp (406 "Timestamp error: check your clock").
Status check_store_clock(std::int64_t timestamp_ms, std::int64_t expiry_ms, std::int64_t now_ms);

/// Signed-timestamp rule (store's sig_timestamp, retrieve, delete_all): |ts − now| ≤ 60 s, or 70 s
/// when `forwarded` (only delete_all uses the forwarded tolerance on the server; the others are
/// always checked with 60 s). Errors: bad_timestamp (406).
Status check_signature_timestamp(std::int64_t timestamp_ms, std::int64_t now_ms, bool forwarded = false);

/// delete_before: `before` ≤ now + 60 s. Errors: bad_timestamp (the server answers 401).
Status check_delete_before(std::int64_t before_ms, std::int64_t now_ms);

/// expire_all: expiry ≥ now − 60 s (70 s when forwarded). Errors: bad_timestamp (406).
Status check_expire_all(std::int64_t expiry_ms, std::int64_t now_ms, bool forwarded = false);

/// expire: each expiry ≥ now − 60 s; the applied expiry is min(expiry, now + 30 days).
/// Outputs: the expiry to apply. Errors: bad_timestamp (the server answers 401).
Result<std::int64_t> expire_applied_expiry(std::int64_t expiry_ms, std::int64_t now_ms);

/// Message body size: at most MAX_MESSAGE_BODY raw bytes. Errors: too_large.
Status check_message_size(std::size_t raw_bytes);

}  // namespace sessionproto
