// Ops on XEd25519 keys and community / version blinding (tests/vectors/README.md).
#include <optional>
#include <string>

#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/blinding.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/crypto/xed25519.hpp"
#include "sim/app/vectors/vector_ops.hpp"

namespace sessionsim::vectors {
namespace {

using namespace sessionproto;

/// An identity from a 64-byte secret key or a 32-byte seed.
Ed25519SecretKey identity_of(const Input& in, const std::string& name) {
    const Bytes raw = in.hex(name);
    if (raw.size() == 32) return ed25519_from_seed(*Ed25519Seed::from(raw)).sec;
    if (raw.size() == 64) return *Ed25519SecretKey::from(raw);
    throw VectorError(name + " must be a 32-byte seed or a 64-byte secret key");
}

AccountId account_of(const Input& in, const std::string& name) {
    return value_or_throw(AccountId::from_bytes(in.hex(name, 33)), name);
}

CommunityPubkey server_of(const Input& in) { return *CommunityPubkey::from(in.hex("server_pk_hex", 32)); }

json blind15_sign_op(const Input& in) {
    const auto sk = identity_of(in, "ed25519_secret_key_hex");
    const auto server = server_of(in);
    const std::string message_text = in.text("message");
    const auto message = as_bytes(message_text);
    const auto ids = value_or_throw(blind15_ids(account_of(in, "session_id_hex"), server), "blind15_ids");
    const auto sig = blind15_sign(sk, server, message);
    std::string verifies = "neither";
    if (blinded_verify(ids.positive, sig, message)) {
        verifies = "blinded_id";
    } else if (blinded_verify(ids.negated, sig, message)) {
        verifies = "blinded_id_negated";
    }
    return json{{"signature_hex", sig.hex()},
                {"blinded_id_hex", ids.positive.hex()},
                {"blinded_id_negated_hex", ids.negated.hex()},
                {"verifies_with", verifies}};
}

json blind25_sign_op(const Input& in) {
    const auto sk = identity_of(in, "ed25519_secret_key_hex");
    const auto server = server_of(in);
    const std::string message_text = in.text("message");
    const auto message = as_bytes(message_text);
    const auto id = value_or_throw(blind25_id(account_of(in, "session_id_hex"), server), "blind25_id");
    const auto sig = blind25_sign(sk, server, message);
    return json{{"signature_hex", sig.hex()},
                {"blinded_id_hex", id.hex()},
                {"verifies_with", blinded_verify(id, sig, message) ? "blinded_id" : "neither"}};
}

}  // namespace

void register_blinding_ops(OpTable& ops) {
    ops["xed25519_pubkey"] = {[](const Input& in) {
                                  const auto x = *X25519Pubkey::from(in.hex("x25519_pubkey_hex", 32));
                                  const auto sk = identity_of(in, "ed25519_secret_key_hex");
                                  const auto real = ed25519_from_seed(*Ed25519Seed::from(sk.view().first(32))).pub;
                                  return json{{"xed25519_pubkey_hex", xed25519_pubkey(x).hex()},
                                              {"ed25519_pubkey_hex", real.hex()}};
                              },
                              {}};
    ops["blind15_id"] = {[](const Input& in) {
                             const auto ids = value_or_throw(blind15_ids(account_of(in, "session_id_hex"), server_of(in)),
                                                             "blind15_ids");
                             return json{{"blinded_id_hex", ids.positive.hex()}};
                         },
                         {}};
    ops["blind25_id"] = {[](const Input& in) {
                             const auto id = value_or_throw(blind25_id(account_of(in, "session_id_hex"), server_of(in)),
                                                            "blind25_id");
                             return json{{"blinded_id_hex", id.hex()}};
                         },
                         {}};
    ops["blind15_sign"] = {blind15_sign_op, {}};
    ops["blind25_sign"] = {blind25_sign_op, {}};
    ops["version_blind_keypair"] = {[](const Input& in) {
                                        const auto kp = version_blind_keypair(identity_of(in, "ed25519_secret_key_hex"));
                                        return json{{"pubkey_hex", kp.pub.hex()}, {"secret_key_hex", kp.sec.hex()}};
                                    },
                                    {}};
    ops["version_blind_sign"] = {[](const Input& in) {
                                     const auto sk = identity_of(in, "ed25519_secret_key_hex");
                                     const auto ts = in.integer("timestamp");
                                     if (ts < 0) throw VectorError("timestamp must not be negative");
                                     const auto method = in.text("method");
                                     const auto path = in.text("path");
                                     const auto body_text = in.text_or_null("body");
                                     std::optional<ByteView> body;
                                     if (body_text) body = as_bytes(*body_text);
                                     const auto ts_u = static_cast<std::uint64_t>(ts);
                                     const auto signed_message = version_signed_message(ts_u, method, path, body);
                                     const auto sig = version_blind_sign(sk, ts_u, method, path, body);
                                     return json{{"signed_message", to_string(signed_message)},
                                                 {"signature_hex", sig.hex()}};
                                 },
                                 {}};
}

}  // namespace sessionsim::vectors
