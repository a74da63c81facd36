#pragma once
// Building an onion request on the client (spec session-crypto §4.2; libsession-util
// src/onionreq/builder.cpp): a payload for a destination (a service node or a server) wrapped
// in one layer per path hop plus the destination's own layer, each with a fresh ephemeral
// X25519 key. The body for the first hop is frame(ciphertext0, {"enc_type", "ephemeral_key"}).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/onion/hop_encryption.hpp"

namespace sessionproto {

/// What a client knows of a service node: its Ed25519 key (its name on the network) and X25519 key.
struct SnodeKeys {
    Ed25519Pubkey ed25519;
    X25519Pubkey x25519;
    friend bool operator==(const SnodeKeys&, const SnodeKeys&) = default;
};

/// An HTTP(S) server reached through the last hop (file server, community server).
struct ServerDestination {
    std::string host;
    std::string target = "/oxen/v4/lsrpc";  ///< must start /loki/ or /oxen/, end /lsrpc, no '?'
    std::string method = "POST";
    std::string protocol = "https";
    std::uint16_t port = 443;
    X25519Pubkey x25519;
};

using OnionDestination = std::variant<SnodeKeys, ServerDestination>;

/// The randomness of one layer, given explicitly (known-answer tests) instead of drawn.
struct LayerSecrets {
    X25519SecretKey ephemeral;
    Bytes nonce;
};

/// What the client keeps to read the reply.
struct OnionRequest {
    Bytes body;                    ///< POST this to the first hop's /onion_req/v2
    EncType enc_type;
    SymmetricKey destination_key;  ///< the destination layer's key: the reply is encrypted with it
    bool modelled = false;         ///< sampled crypto: every layer is a modelled stand-in (no key)
};

/// One layer as built, innermost first (for tests and traces).
struct OnionLayerTrace {
    std::string for_label;  ///< "destination", "hop2", "hop1", "hop0"
    std::string frame_json;
    Bytes plaintext;
    X25519Pubkey ephemeral_pub;
    Bytes ciphertext;
};

/// Whether every layer's JSON names its cipher (`enc_type`): `always` as libsession's builder;
/// `unless_aes_gcm` as Session's desktop and Android clients, which send none for AES-GCM (the
/// node's default when it is absent).
enum class EncTypeField : std::uint8_t { always, unless_aes_gcm };

/// Maximum path length a request may take (the storage server refuses hop_no > 15).
inline constexpr std::size_t MAX_ONION_HOPS = 15;

/// Builds a request through `path` (first hop first; 1..MAX_ONION_HOPS - 1 nodes) to
/// `destination`, drawing for each layer, destination first then the last hop back to the
/// first, a 32-byte ephemeral secret and a nonce from `entropy`. Errors: invalid_argument (empty or too
/// long a path, a server target Session refuses), unsupported (aes-gcm without AES-NI).
Result<OnionRequest> build_onion_request(ByteView payload, std::span<const SnodeKeys> path,
                                         const OnionDestination& destination, EncType enc_type, Entropy& entropy,
                                         std::vector<OnionLayerTrace>* trace = nullptr);

/// Sampled crypto (common/crypto_work.hpp): with CryptoWork::modelled every layer is a modelled
/// stand-in — all-zero ephemeral keys, zero nonces and tags, no X25519 and no cipher — of exactly
/// the size and structure of the real request; nothing is drawn from `entropy`.
Result<OnionRequest> build_onion_request(ByteView payload, std::span<const SnodeKeys> path,
                                         const OnionDestination& destination, EncType enc_type, Entropy& entropy,
                                         CryptoWork work, EncTypeField field = EncTypeField::always);
/// The same with each layer's randomness given, in the order destination, last hop, ..., first hop.
Result<OnionRequest> build_onion_request(ByteView payload, std::span<const SnodeKeys> path,
                                         const OnionDestination& destination, EncType enc_type,
                                         std::span<const LayerSecrets> secrets,
                                         std::vector<OnionLayerTrace>* trace = nullptr);

/// Session's rule for a server target (oxen-storage-server is_onion_url_target_allowed).
bool onion_target_allowed(std::string_view target) noexcept;

}  // namespace sessionproto
