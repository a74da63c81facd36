#pragma once
// A 1-to-1 message as it is stored in a swarm (spec session-crypto §3): Content protobuf ->
// padding -> encrypt_for_recipient -> Envelope{SESSION_MESSAGE, timestamp, content} ->
// WebSocketMessage{REQUEST, PUT /api/v1/message, body = Envelope}; the storage `data` is those
// bytes (base64 in the store request's JSON). The receiver reverses every step.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/session/common/bytes.hpp"
#include "models/session/common/crypto_work.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/storage/namespace.hpp"

namespace sessionproto {

/// Envelope bytes wrapped as WebSocketMessage{REQUEST, verb "PUT", path "/api/v1/message", id 0}.
Bytes wrap_envelope(ByteView envelope);
/// The Envelope bytes inside a stored blob. Errors: bad_encoding (not a WebSocketMessage
/// request with a body).
Result<Bytes> unwrap_envelope(ByteView stored);

struct OutgoingMessage {
    std::string body;            ///< DataMessage.body
    std::uint64_t timestamp_ms;  ///< sent timestamp (Envelope and DataMessage)
    /// A sync copy for the sender's other devices: the conversation it was sent to
    /// (DataMessage.syncTarget, the recipient's "05" Account ID; desktop MessageSentHandler.ts
    /// sendSyncMessage). Empty for an ordinary message (a syncTarget is never empty).
    std::string sync_target{};
};

/// The storage blob for a 1-to-1 text message from `sender` to `recipient`.
/// Error: invalid_argument for a recipient key that is a low-order point.
/// With CryptoWork::modelled the ciphertext is the modelled stand-in (sampled crypto,
/// common/crypto_work.hpp): same envelope, same size, nothing drawn from `entropy`.
Result<Bytes> seal_message(const Ed25519Keypair& sender, const AccountId& recipient, const OutgoingMessage& message,
                           Entropy& entropy, CryptoWork work = CryptoWork::real);

struct IncomingMessage {
    AccountId sender;
    std::string body;
    std::uint64_t timestamp_ms = 0;  ///< the Envelope's timestamp
    std::string sync_target{};  ///< not empty on a sync copy of the sender's own message
};

/// Opens a storage blob addressed to `recipient`: unwraps, parses the Envelope, decrypts and
/// verifies, unpads and parses Content. Errors: bad_encoding (a protobuf that does not parse,
/// a Content without a DataMessage), decrypt_failed, bad_signature, bad_length.
/// With `accept_modelled` (a sampled run) a modelled stand-in is read without crypto; otherwise
/// it fails to decrypt, as it would in Session.
Result<IncomingMessage> open_message(const X25519Keypair& recipient, ByteView stored, bool accept_modelled = false);

/// The four user configs (libsession config::Namespace and SharedConfigMessage.Kind).
enum class UserConfigKind : std::uint8_t { user_profile = 1, contacts = 2, convo_info_volatile = 3, user_groups = 4 };
/// The namespace a user config is stored in: 2, 3, 4, 5 (storage/namespace.hpp).
Namespace namespace_of(UserConfigKind kind) noexcept;
/// libsession's encryption domain of the config ("UserProfile", "Contacts", ...).
std::string_view config_domain(UserConfigKind kind) noexcept;

/// The storage blob of one of `owner`'s user config messages, as the modelled releases push it
/// (libsession-util src/config/base.cpp push(), protos::wrap_config): a minimal config dump at
/// `seqno` (bencoded; a fresh account's, not libsession's every field), padded with leading
/// nulls (pad_config_message) and encrypted with the owner's Ed25519 seed under the config's
/// domain (config_encrypt: 256 bytes for a small config), carried in
/// Content{sharedConfigMessage}, padded, encrypted to the owner itself
/// (encrypt_for_recipient_deterministic), in an Envelope, in a WebSocketMessage.
/// With CryptoWork::modelled the outer encryption is the modelled stand-in (same size).
Result<Bytes> seal_config_message(const Ed25519Keypair& owner, UserConfigKind kind, std::int64_t seqno,
                                  std::uint64_t timestamp_ms, CryptoWork work = CryptoWork::real);

struct IncomingConfig {
    UserConfigKind kind = UserConfigKind::user_profile;
    std::int64_t seqno = 0;
    Bytes dump;  ///< the config dump, decrypted and unpadded
    std::size_t encrypted_size = 0;  ///< what config_encrypt made of it (sharedConfigMessage.data)
};
/// Opens a user config message the owner stored (`owner` decrypts both layers). Errors:
/// bad_encoding, decrypt_failed, bad_signature, and not_found for another account's config.
Result<IncomingConfig> open_config_message(const Ed25519Keypair& owner, ByteView stored);

}  // namespace sessionproto
