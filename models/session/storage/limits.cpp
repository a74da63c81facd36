#include "models/session/storage/limits.hpp"

#include <algorithm>
#include <string>

namespace sessionproto {

Status check_store_ttl(Namespace ns, std::int64_t timestamp_ms, std::int64_t expiry_ms) {
    const std::int64_t ttl = expiry_ms - timestamp_ms;
    if (ttl < TTL_MINIMUM_MS || ttl > max_ttl_ms(ns)) {
        return Error{ErrorCode::bad_ttl, "Provided expiry/TTL is not valid: " + std::to_string(ttl) + " ms"};
    }
    return Ok{};
}

Status check_store_clock(std::int64_t timestamp_ms, std::int64_t expiry_ms, std::int64_t now_ms) {
    if (timestamp_ms > now_ms + STORE_TOLERANCE_MS || expiry_ms < now_ms - STORE_TOLERANCE_MS) {
        return Error{ErrorCode::bad_timestamp, "Timestamp error: check your clock"};
    }
    return Ok{};
}

Status check_signature_timestamp(std::int64_t timestamp_ms, std::int64_t now_ms, bool forwarded) {
    const std::int64_t tolerance = forwarded ? SIGNATURE_TOLERANCE_FORWARDED_MS : SIGNATURE_TOLERANCE_MS;
    if (timestamp_ms < now_ms - tolerance || timestamp_ms > now_ms + tolerance) {
        return Error{ErrorCode::bad_timestamp, "signature timestamp too far from current time"};
    }
    return Ok{};
}

Status check_delete_before(std::int64_t before_ms, std::int64_t now_ms) {
    if (before_ms > now_ms + DELETE_BEFORE_TOLERANCE_MS) {
        return Error{ErrorCode::bad_timestamp, "delete_before timestamp too far in the future"};
    }
    return Ok{};
}

Status check_expire_all(std::int64_t expiry_ms, std::int64_t now_ms, bool forwarded) {
    const std::int64_t tolerance = forwarded ? SIGNATURE_TOLERANCE_FORWARDED_MS : SIGNATURE_TOLERANCE_MS;
    if (expiry_ms < now_ms - tolerance) {
        return Error{ErrorCode::bad_timestamp, "expire_all timestamp should be >= current time"};
    }
    return Ok{};
}

Result<std::int64_t> expire_applied_expiry(std::int64_t expiry_ms, std::int64_t now_ms) {
    if (expiry_ms < now_ms - EXPIRE_TOLERANCE_MS) {
        return Error{ErrorCode::bad_timestamp, "expire: timestamp should be >= current time"};
    }
    return std::min(expiry_ms, now_ms + TTL_MAXIMUM_PRIVATE_MS);
}

Status check_message_size(std::size_t raw_bytes) {
    if (raw_bytes > MAX_MESSAGE_BODY) {
        return Error{ErrorCode::too_large, "Message body exceeds maximum allowed length of 76800 bytes"};
    }
    return Ok{};
}

}  // namespace sessionproto
