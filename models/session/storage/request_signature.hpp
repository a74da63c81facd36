#pragma once
// Storage RPC request signatures (spec session-crypto §5.1): the ASCII strings a client signs
// with Ed25519 for each signed endpoint, and the server's verification of them. Integers and
// timestamps (Unix milliseconds) are written in decimal.
// Source: oxen-io/oxen-storage-server oxenss/rpc/request_handler.cpp (`verify_signature` calls) and
// oxenss/rpc/client_rpc_endpoints.h (the documented layouts).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/storage/namespace.hpp"

namespace sessionproto {

/// `expire`'s optional constraint: set unconditionally, only shorten, or only extend.
enum class ExpireMode : std::uint8_t { set, shorten, extend };

/// "store" ‖ namespace_text(ns) ‖ sig_timestamp.
std::string store_signed_text(Namespace ns, std::int64_t sig_timestamp_ms);
/// "retrieve" ‖ namespace_text(ns) ‖ timestamp.
std::string retrieve_signed_text(Namespace ns, std::int64_t timestamp_ms);
/// "delete" ‖ hash[0] ‖ hash[1] ‖ ... (in request order).
std::string delete_signed_text(std::span<const std::string> hashes);
/// "delete_all" ‖ (""|"all"|ns) ‖ timestamp.
std::string delete_all_signed_text(const NamespaceSelector& ns, std::int64_t timestamp_ms);
/// "delete_before" ‖ (""|"all"|ns) ‖ before.
std::string delete_before_signed_text(const NamespaceSelector& ns, std::int64_t before_ms);
/// "expire" ‖ (""|"shorten"|"extend") ‖ expiry[0] ‖ expiry[1]... ‖ hash[0] ‖ hash[1]...
/// (one expiry for all messages, or one per message).
std::string expire_signed_text(ExpireMode mode, std::span<const std::int64_t> expiries_ms,
                               std::span<const std::string> hashes);
/// "expire_all" ‖ (""|"all"|ns) ‖ expiry.
std::string expire_all_signed_text(const NamespaceSelector& ns, std::int64_t expiry_ms);

/// Signs a request string with the account's (or group's) Ed25519 key.
Signature sign_request(const Ed25519SecretKey& secret, std::string_view signed_text);

/// The Ed25519 key the server verifies a request of `owner` with.
/// Inputs: the owner ID; `pubkey_ed25519` from the request, if sent.
/// Outputs: for a 05 ID with `pubkey_ed25519`, that key once it is checked to convert to the ID's
/// X25519 key; otherwise the 32 bytes of the ID itself (a 03 group ID is its Ed25519 key; a 05 ID
/// without `pubkey_ed25519` is used as is, as the server does, and will not verify).
/// Errors: bad_signature when `pubkey_ed25519` does not convert to the 05 ID (or is not a valid
/// point); bad_prefix when `pubkey_ed25519` is given for a non-05 ID (the server's parser rejects it:
/// "pubkey_ed25519 is only permitted for 05[...] pubkeys").
Result<Ed25519Pubkey> request_verification_key(const SessionId& owner,
                                               const std::optional<Ed25519Pubkey>& pubkey_ed25519);

/// Verifies a request signature as the storage server does.
/// Inputs: owner, optional `pubkey_ed25519`, the signature, the signed string.
/// Outputs: Ok. Errors: as request_verification_key; bad_signature when the signature does not verify.
Status verify_request_signature(const SessionId& owner, const std::optional<Ed25519Pubkey>& pubkey_ed25519,
                                const Signature& signature, std::string_view signed_text);

}  // namespace sessionproto
