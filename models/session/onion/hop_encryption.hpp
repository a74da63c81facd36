#pragma once
// One onion layer's encryption (spec session-crypto §4.1; libsession-util
// src/onionreq/hop_encryption.cpp, oxen-storage-server oxenss/crypto/channel_encryption.cpp):
//
// | enc_type  | key                                         | layout                 | overhead |
// | aes-gcm   | HMAC-SHA256(key = "LOKI", msg = X25519(a,B)) | iv(12) || ct || tag(16) | 28       |
// | xchacha20 | BLAKE2b-256(X25519(a,B) || A || B)           | nonce(24) || ct || tag  | 40       |
//
// The client (ephemeral a, A) and the node (b, B) derive the same key; the node's reply uses it
// too. AES-256-GCM needs AES-NI in libsodium 1.0.18: without it, aes-gcm fails with `unsupported`.
#include <cstddef>
#include <optional>
#include <string_view>

#include "models/session/common/bytes.hpp"
#include "models/session/common/crypto_work.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/keys.hpp"

namespace sessionproto {

enum class EncType { aes_gcm, xchacha20 };

/// "aes-gcm"/"gcm" and "xchacha20"/"xchacha20-poly1305"; nullopt for anything else (the legacy
/// "aes-cbc" included: clients do not use it).
std::optional<EncType> parse_enc_type(std::string_view text) noexcept;
/// The canonical names: "aes-gcm", "xchacha20".
std::string_view to_string(EncType type) noexcept;
std::size_t nonce_size(EncType type) noexcept;
/// Bytes a layer adds: nonce + tag.
std::size_t layer_overhead(EncType type) noexcept;

/// The client's layer key, from its ephemeral secret a (public A) and the node's public B.
Result<SymmetricKey> client_layer_key(EncType type, const X25519SecretKey& a, const X25519Pubkey& A,
                                      const X25519Pubkey& B);
/// The node's layer key, from its secret b (public B) and the client's ephemeral public A.
Result<SymmetricKey> node_layer_key(EncType type, const X25519SecretKey& b, const X25519Pubkey& B,
                                    const X25519Pubkey& A);

/// nonce || AEAD(plaintext) || tag. `nonce` must be nonce_size(type) bytes.
/// Errors: invalid_argument (nonce size), unsupported (aes-gcm without AES-NI).
Result<Bytes> seal_layer(EncType type, const SymmetricKey& key, ByteView plaintext, ByteView nonce);
/// As above with a fresh nonce from `entropy`.
Result<Bytes> seal_layer(EncType type, const SymmetricKey& key, ByteView plaintext, Entropy& entropy);
/// Opens nonce || ct || tag. Errors: bad_length (shorter than the overhead), decrypt_failed,
/// unsupported.
Result<Bytes> open_layer(EncType type, const SymmetricKey& key, ByteView ciphertext);
/// Opens in place: on success `buffer` holds the plaintext (no allocation). On failure it is
/// left unusable.
Status open_layer_in_place(EncType type, const SymmetricKey& key, Bytes& buffer);

/// Sampled crypto (common/crypto_work.hpp): a modelled layer, zero nonce || plaintext || zero
/// tag, the real layer's layout and size with no cipher work.
Bytes seal_layer_modelled(EncType type, ByteView plaintext);
/// Opens a modelled layer in place. Errors: bad_length (shorter than the overhead),
/// decrypt_failed (the nonce or tag is not zero: not a modelled layer).
Status open_layer_modelled_in_place(EncType type, Bytes& buffer);

}  // namespace sessionproto
