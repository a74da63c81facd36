#pragma once
// Error codes of the protocol core: every rejection of untrusted input names one of these.
#include <cstdint>
#include <string_view>

namespace sessionproto {

enum class ErrorCode : std::uint8_t {
    invalid_argument,    ///< a caller-supplied value is out of range (not from the wire)
    bad_encoding,        ///< hex / base64 / JSON / protobuf that does not parse
    bad_length,          ///< a field or message of the wrong size
    bad_prefix,          ///< an ID with the wrong type prefix
    truncated,           ///< a frame shorter than its length says
    too_large,           ///< over a size limit
    decrypt_failed,      ///< authentication of a ciphertext failed
    bad_signature,       ///< a signature does not verify
    unknown_enc_type,    ///< an onion layer's enc_type is not one we speak
    hop_limit,           ///< an onion request passed too many hops
    missing_field,       ///< a required JSON field is absent or of the wrong type
    bad_timestamp,       ///< a timestamp outside the allowed window
    bad_ttl,             ///< a TTL outside the allowed range
    wrong_swarm,         ///< the pubkey belongs to another swarm
    unsupported,         ///< a valid request we do not implement (or an unavailable primitive)
    not_found,           ///< the addressed node or item is unknown
};

std::string_view to_string(ErrorCode code) noexcept;

}  // namespace sessionproto
