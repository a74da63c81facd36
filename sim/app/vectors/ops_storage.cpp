// Ops on storage hashing and storage RPC request signatures (tests/vectors/README.md):
// blake2b_hash, storage_message_hash, storage_request_signature.
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/storage/message_hash.hpp"
#include "models/session/storage/namespace.hpp"
#include "models/session/storage/request_signature.hpp"
#include "sim/app/vectors/vector_ops.hpp"

namespace sessionsim::vectors {
namespace {

using namespace sessionproto;

Namespace namespace_of(const Input& in) {
    const auto ns = namespace_from_int(in.integer("namespace"));
    if (!ns) throw VectorError(ns.error().message);
    return *ns;
}

NamespaceSelector selector_of(const Input& in) {
    const json& field = in.field("namespace");
    if (field.is_string()) {
        if (field.get<std::string>() != "all") throw VectorError("namespace: expected an integer or \"all\"");
        return AllNamespaces{};
    }
    return namespace_of(in);
}

std::string signed_text_for(const std::string& method, const Input& in, std::int64_t timestamp) {
    if (method == "store") return store_signed_text(namespace_of(in), timestamp);
    if (method == "retrieve") return retrieve_signed_text(namespace_of(in), timestamp);
    if (method == "delete_all") return delete_all_signed_text(selector_of(in), timestamp);
    if (method == "delete_before") return delete_before_signed_text(selector_of(in), timestamp);
    if (method == "expire_all") return expire_all_signed_text(selector_of(in), timestamp);
    throw VectorError("storage_request_signature: unsupported method " + method);
}

}  // namespace

void register_storage_ops(OpTable& ops) {
    ops["blake2b_hash"] = {[](const Input& in) {
                               const auto key = in.text_or_null("key");
                               const auto size = in.integer("size");
                               if (size < 0) throw VectorError("size must be 16..64");
                               const auto hash = blake2b(static_cast<std::size_t>(size), as_bytes(in.text("message")),
                                                         key ? as_bytes(*key) : ByteView{});
                               if (!hash) throw VectorError(hash.error().message);
                               return json{{"hash_hex", hex(*hash)}};
                           },
                           {}};
    ops["storage_message_hash"] = {[](const Input& in) {
                                       const auto owner = SessionId::from_bytes(in.hex("pubkey_hex", 33));
                                       if (!owner) throw VectorError(owner.error().message);
                                       const Bytes data = in.b64("data_b64");
                                       return json{{"hash_b64", storage_message_hash(*owner, namespace_of(in), data)}};
                                   },
                                   {}};
    ops["storage_request_signature"] = {
        [](const Input& in) {
            const auto signer = ed25519_from_seed(*Ed25519Seed::from(in.hex("ed25519_seed_hex", 32)));
            const auto owner = SessionId::from_bytes(in.hex("pubkey_hex", 33));
            if (!owner) throw VectorError(owner.error().message);
            const auto pk_ed = Ed25519Pubkey::from(in.hex("pubkey_ed25519_hex", 32));
            const std::string text = signed_text_for(in.text("method"), in, in.integer("timestamp_ms"));
            const Signature sig = sign_request(signer.sec, text);
            // The server's check: pubkey_ed25519 converts to the 05 ID and verifies the signature.
            // A 03 group ID verifies with its own key; pubkey_ed25519 applies to 05 IDs only.
            const std::optional<Ed25519Pubkey> ed =
                owner->prefix() == IdPrefix::standard ? std::optional<Ed25519Pubkey>(*pk_ed) : std::nullopt;
            const auto verified = verify_request_signature(*owner, ed, sig, text);
            if (!verified) throw VectorError("signature does not verify as the server checks it: " +
                                             verified.error().message);
            return json{{"signed_message", text}, {"signature_b64", to_base64(sig.view())}};
        },
        {}};
}

}  // namespace sessionsim::vectors
