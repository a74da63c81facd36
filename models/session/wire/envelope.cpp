#include "models/session/wire/envelope.hpp"

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

}  // namespace sessionproto
