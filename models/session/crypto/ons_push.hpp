#pragma once
// ONS (Oxen Name System) records and push-notification payloads (spec session-crypto §5.2; LS
// src/session_encrypt.cpp): both XChaCha20-Poly1305.
#include <array>
#include <cstddef>
#include <string_view>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"

namespace sessionproto {

/// An XChaCha20-Poly1305 nonce.
using XChaChaNonce = std::array<std::byte, 24>;

/// The key of an ONS record: H32(name; key=H32(name)).
/// Inputs: the name, already lowercased (the caller's job, as in LS: the hash is over the bytes given).
SymmetricKey ons_key(std::string_view lowercase_name);

/// Decrypts an ONS lookup answer to the Account ID it names.
/// Inputs: the lowercase name, the encrypted value and its nonce (both from the network).
/// Outputs: the Account ID.
/// Errors: truncated (shorter than the 16-byte tag), decrypt_failed, bad_length (plaintext not 33
/// bytes), bad_prefix (not a 05 ID).
Result<AccountId> decrypt_ons_response(std::string_view lowercase_name, ByteView ciphertext, const XChaChaNonce& nonce);

/// The registry's side (for simulated ONS owners and tests): the encrypted 33-byte Account ID.
Bytes encrypt_ons_record(std::string_view lowercase_name, const AccountId& id, const XChaChaNonce& nonce);

/// Decrypts a push-notification payload `nonce(24) || XChaCha20-Poly1305 ct` and strips trailing
/// 0x00 padding bytes.
/// Errors: truncated (shorter than nonce + tag), decrypt_failed.
Result<Bytes> decrypt_push_notification(ByteView payload, const SymmetricKey& key);

/// The notifier's side (for the simulator and tests): `nonce || ct` of the message padded with
/// `padding` zero bytes.
Bytes encrypt_push_notification(ByteView message, const SymmetricKey& key, const XChaChaNonce& nonce,
                                std::size_t padding = 0);

}  // namespace sessionproto
