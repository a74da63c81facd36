#include "models/session/wire/envelope.hpp"

#include <algorithm>

#include "models/session/crypto/config_encrypt.hpp"
#include "models/session/crypto/session_encrypt.hpp"
#include "models/session/wire/session_protos.pb.h"
#include "models/session/wire/websocket_resources.pb.h"

namespace sessionproto {
namespace {

constexpr const char* STORE_VERB = "PUT";
constexpr const char* STORE_PATH = "/api/v1/message";

template <class Message>
Bytes serialize(const Message& m) {
    Bytes out(m.ByteSizeLong());
    m.SerializeToArray(out.data(), static_cast<int>(out.size()));
    return out;
}

template <class Message>
bool parse(Message& m, ByteView bytes) {
    return bytes.size() <= static_cast<std::size_t>(INT32_MAX) &&
           // Partial parse + IsInitialized: the same check as ParseFromArray without protobuf
           // logging every malformed input to stderr (hostile inputs are counted, not logged).
           m.ParsePartialFromArray(bytes.data(), static_cast<int>(bytes.size())) && m.IsInitialized();
}

}  // namespace

Bytes wrap_envelope(ByteView envelope) {
    wire::WebSocketMessage ws;
    ws.set_type(wire::WebSocketMessage::REQUEST);
    auto* request = ws.mutable_request();
    request->set_verb(STORE_VERB);
    request->set_path(STORE_PATH);
    request->set_requestid(0);
    request->set_body(envelope.data(), envelope.size());
    return serialize(ws);
}

Result<Bytes> unwrap_envelope(ByteView stored) {
    wire::WebSocketMessage ws;
    if (!parse(ws, stored)) return Error{ErrorCode::bad_encoding, "not a WebSocketMessage"};
    if (ws.type() != wire::WebSocketMessage::REQUEST || !ws.has_request() || !ws.request().has_body()) {
        return Error{ErrorCode::bad_encoding, "WebSocketMessage is not a request with a body"};
    }
    const std::string& body = ws.request().body();
    return to_bytes(body);
}

Result<Bytes> seal_message(const Ed25519Keypair& sender, const AccountId& recipient, const OutgoingMessage& message,
                           Entropy& entropy, CryptoWork work) {
    wire::Content content;
    auto* data = content.mutable_datamessage();
    data->set_body(message.body);
    data->set_timestamp(message.timestamp_ms);
    if (!message.sync_target.empty()) data->set_synctarget(message.sync_target);
    const Bytes padded = pad_message(serialize(content));
    auto ciphertext = work == CryptoWork::modelled ? Result<Bytes>(encrypt_for_recipient_modelled(sender.pub, padded))
                                                   : encrypt_for_recipient(sender.sec, recipient.x25519(), padded, entropy);
    if (!ciphertext) return ciphertext.error();
    wire::Envelope envelope;
    envelope.set_type(wire::Envelope::SESSION_MESSAGE);
    envelope.set_timestamp(message.timestamp_ms);
    envelope.set_content(ciphertext->data(), ciphertext->size());
    return wrap_envelope(serialize(envelope));
}

Result<IncomingMessage> open_message(const X25519Keypair& recipient, ByteView stored, bool accept_modelled) {
    auto envelope_bytes = unwrap_envelope(stored);
    if (!envelope_bytes) return envelope_bytes.error();
    wire::Envelope envelope;
    if (!parse(envelope, *envelope_bytes)) return Error{ErrorCode::bad_encoding, "not an Envelope"};
    if (envelope.type() != wire::Envelope::SESSION_MESSAGE || !envelope.has_content()) {
        return Error{ErrorCode::bad_encoding, "not a 1-to-1 Envelope with content"};
    }
    const ByteView ciphertext = as_bytes(envelope.content());
    auto decrypted = accept_modelled && is_modelled_ciphertext(ciphertext) ? decrypt_incoming_modelled(ciphertext)
                                                                           : decrypt_incoming(recipient, ciphertext);
    if (!decrypted) return decrypted.error();
    wire::Content content;
    if (!parse(content, unpad_message(decrypted->plaintext))) return Error{ErrorCode::bad_encoding, "not a Content"};
    if (!content.has_datamessage()) return Error{ErrorCode::bad_encoding, "Content has no DataMessage"};
    const std::string sync = content.datamessage().has_synctarget() ? content.datamessage().synctarget() : std::string();
    return IncomingMessage{decrypted->sender, content.datamessage().body(), envelope.timestamp(), sync};
}

Namespace namespace_of(UserConfigKind kind) noexcept {
    switch (kind) {
        case UserConfigKind::user_profile: return Namespace::user_profile;
        case UserConfigKind::contacts: return Namespace::contacts;
        case UserConfigKind::convo_info_volatile: return Namespace::convo_info_volatile;
        case UserConfigKind::user_groups: return Namespace::user_groups;
    }
    return Namespace::user_profile;
}

std::string_view config_domain(UserConfigKind kind) noexcept {
    // libsession-util: each config type's encryption_domain().
    switch (kind) {
        case UserConfigKind::user_profile: return "UserProfile";
        case UserConfigKind::contacts: return "Contacts";
        case UserConfigKind::convo_info_volatile: return "ConvoInfoVolatile";
        case UserConfigKind::user_groups: return "UserGroups";
    }
    return "UserProfile";
}

namespace {

SymmetricKey config_key_base(const Ed25519Keypair& owner) {
    // User configs are encrypted with the account's Ed25519 seed (the first 32 bytes of
    // libsodium's 64-byte secret key) as the key base.
    SymmetricKey key;
    std::copy_n(owner.sec.data.begin(), SymmetricKey::SIZE, key.data.begin());
    return key;
}

/// A fresh account's config at `seqno`, bencoded as libsession lays out a config message:
/// "#" the seqno, "&" the data (empty but the profile's name), "<" the lagged diffs, "=" the diff.
Bytes minimal_dump(UserConfigKind kind, std::int64_t seqno) {
    const std::string data = kind == UserConfigKind::user_profile ? "d1:n4:Usere" : "de";
    return to_bytes("d1:#i" + std::to_string(seqno) + "e1:&" + data + "1:<le1:=dee");
}

}  // namespace

Result<Bytes> seal_config_message(const Ed25519Keypair& owner, UserConfigKind kind, std::int64_t seqno,
                                  std::uint64_t timestamp_ms, CryptoWork work) {
    auto inner = config_encrypt(pad_config_message(minimal_dump(kind, seqno)), config_key_base(owner),
                                config_domain(kind));
    if (!inner) return inner.error();
    wire::Content content;
    auto* config = content.mutable_sharedconfigmessage();
    config->set_kind(static_cast<wire::SharedConfigMessage::Kind>(kind));
    config->set_seqno(seqno);
    config->set_data(inner->data(), inner->size());
    const Bytes padded = pad_message(serialize(content));
    auto self = AccountId::from_ed25519(owner.pub);
    if (!self) return self.error();
    auto ciphertext = work == CryptoWork::modelled
                          ? Result<Bytes>(encrypt_for_recipient_modelled(owner.pub, padded))
                          : encrypt_for_recipient_deterministic(owner.sec, self->x25519(), padded);
    if (!ciphertext) return ciphertext.error();
    wire::Envelope envelope;
    envelope.set_type(wire::Envelope::SESSION_MESSAGE);
    envelope.set_timestamp(timestamp_ms);
    envelope.set_content(ciphertext->data(), ciphertext->size());
    return wrap_envelope(serialize(envelope));
}

Result<IncomingConfig> open_config_message(const Ed25519Keypair& owner, ByteView stored) {
    auto envelope_bytes = unwrap_envelope(stored);
    if (!envelope_bytes) return envelope_bytes.error();
    wire::Envelope envelope;
    if (!parse(envelope, *envelope_bytes) || !envelope.has_content()) {
        return Error{ErrorCode::bad_encoding, "not an Envelope with content"};
    }
    auto self = AccountId::from_ed25519(owner.pub);
    if (!self) return self.error();
    const X25519Keypair x{self->x25519(), x25519_from_ed25519(owner.sec)};
    auto decrypted = decrypt_incoming(x, as_bytes(envelope.content()));
    if (!decrypted) return decrypted.error();
    if (decrypted->sender_ed25519 != owner.pub) return Error{ErrorCode::not_found, "another account's config"};
    wire::Content content;
    if (!parse(content, unpad_message(decrypted->plaintext)) || !content.has_sharedconfigmessage()) {
        return Error{ErrorCode::bad_encoding, "Content has no SharedConfigMessage"};
    }
    const auto& config = content.sharedconfigmessage();
    const auto kind = static_cast<UserConfigKind>(config.kind());
    auto dump = config_decrypt(as_bytes(config.data()), config_key_base(owner), config_domain(kind));
    if (!dump) return dump.error();
    // pad_config_message prepended nulls; a bencoded dump starts with 'd'.
    const auto first = std::find_if(dump->begin(), dump->end(), [](std::byte b) { return b != std::byte{0}; });
    return IncomingConfig{kind, config.seqno(), Bytes(first, dump->end()), config.data().size()};
}

}  // namespace sessionproto
