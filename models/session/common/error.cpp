#include "models/session/common/error.hpp"

namespace sessionproto {

std::string_view to_string(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::invalid_argument: return "invalid_argument";
        case ErrorCode::bad_encoding: return "bad_encoding";
        case ErrorCode::bad_length: return "bad_length";
        case ErrorCode::bad_prefix: return "bad_prefix";
        case ErrorCode::truncated: return "truncated";
        case ErrorCode::too_large: return "too_large";
        case ErrorCode::decrypt_failed: return "decrypt_failed";
        case ErrorCode::bad_signature: return "bad_signature";
        case ErrorCode::unknown_enc_type: return "unknown_enc_type";
        case ErrorCode::hop_limit: return "hop_limit";
        case ErrorCode::missing_field: return "missing_field";
        case ErrorCode::bad_timestamp: return "bad_timestamp";
        case ErrorCode::bad_ttl: return "bad_ttl";
        case ErrorCode::wrong_swarm: return "wrong_swarm";
        case ErrorCode::unsupported: return "unsupported";
        case ErrorCode::not_found: return "not_found";
    }
    return "unknown";
}

}  // namespace sessionproto
