#pragma once
// What a service node does with an onion request (spec session-crypto §4.3; oxen-storage-server
// oxenss/rpc/onion_processing.cpp, request_handler.cpp, server/omq.cpp): take one layer off
// with its X25519 key, read the control JSON and either relay the rest to the next node, act on
// it as the final destination, or proxy it to an external server.
//
// Nothing here throws on hostile input: every malformed, truncated, oversized or tampered
// request comes back as an Error with its code.
#include <cstdint>
#include <string>
#include <variant>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/onion/builder.hpp"
#include "models/session/onion/hop_encryption.hpp"

namespace sessionproto {

/// The largest onion request a node accepts, in bytes (a 76,800-byte message, base64-encoded,
/// plus layers, with room to spare).
inline constexpr std::size_t MAX_ONION_REQUEST_BYTES = 10 * 1024 * 1024;

/// One layer addressed to this node, as it arrives.
struct OnionHop {
    Bytes ciphertext;
    X25519Pubkey ephemeral;
    EncType enc_type = EncType::aes_gcm;
    std::uint32_t hop_no = 0;
};

/// The body a client POSTs to the first hop's /onion_req/v2:
/// frame(ciphertext, {"ephemeral_key": hex, "enc_type": t (default aes-gcm), "hop_no"?: n}).
/// Errors: too_large, truncated, bad_encoding, missing_field, unknown_enc_type.
Result<OnionHop> parse_entry_request(ByteView body);

/// Node-to-node relay (OMQ sn.onion_request): bencoded
/// {"data": ciphertext, "enc_type": t, "ephemeral_key": 32 raw bytes, "hop_no": n}.
Bytes encode_relay(const OnionHop& hop);
Result<OnionHop> parse_relay(ByteView message);

/// Relay the inner blob to the next node (by its Ed25519 key).
struct RelayToNode {
    Ed25519Pubkey next;
    OnionHop hop;  ///< what the next node receives, hop_no already incremented
};

/// This node is the destination: `request` is the RPC request (JSON) to handle; the reply is
/// encrypted with `reply_key`.
struct FinalDestination {
    Bytes request;
    SymmetricKey reply_key;
    EncType enc_type = EncType::aes_gcm;
    bool json_body = false;  ///< "json": true: the reply's body is embedded as raw JSON
    bool base64 = true;      ///< "base64" (default true): the encrypted reply goes back base64-encoded
    bool modelled = false;   ///< sampled crypto: a modelled request, answered with a modelled reply
};

/// Proxy to an HTTP(S) server: `body` is the whole decrypted plaintext frame(blob, json).
struct ProxyToServer {
    std::string host;
    std::string target;
    std::string method;
    std::string protocol;
    std::uint16_t port = 443;
    Bytes body;
};

using HopAction = std::variant<RelayToNode, FinalDestination, ProxyToServer>;

/// Peels one layer. `own` is this node's X25519 keypair. The ciphertext buffer is decrypted in
/// place and its blob handed on without another copy. Errors: decrypt_failed, truncated,
/// bad_encoding, missing_field, unknown_enc_type, hop_limit (the relay would exceed
/// MAX_ONION_HOPS), invalid_argument (a server target Session refuses).
///
/// Sampled crypto (common/crypto_work.hpp): with `accept_modelled`, a layer whose ephemeral key
/// is all zeros is opened as a modelled stand-in (no X25519, no cipher). Without it such a layer
/// is refused (decrypt_failed), as libsodium refuses that key.
Result<HopAction> peel_onion_layer(const X25519Keypair& own, OnionHop hop, bool accept_modelled = false);

}  // namespace sessionproto
