// Ops on ONS records, push notifications and blinded direct messages (tests/vectors/README.md).
#include <string>

#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/blinding.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/crypto/ons_push.hpp"
#include "sim/app/vectors/vector_ops.hpp"

namespace sessionsim::vectors {
namespace {

using namespace sessionproto;

XChaChaNonce nonce_of(const Input& in, const std::string& name) {
    const Bytes raw = in.hex(name, 24);
    XChaChaNonce nonce{};
    std::copy(raw.begin(), raw.end(), nonce.begin());
    return nonce;
}

json blinded_dm_op(const Input& in) {
    const auto sender = ed25519_from_seed(*Ed25519Seed::from(in.hex("sender_ed25519_seed_hex", 32)));
    const auto recipient = ed25519_from_seed(*Ed25519Seed::from(in.hex("recipient_ed25519_seed_hex", 32)));
    const auto server = *CommunityPubkey::from(in.hex("server_pk_hex", 32));
    const auto recipient_id =
        value_or_throw(SessionId::from_bytes(in.hex("recipient_blinded_id_hex", 33)), "recipient_blinded_id_hex");
    const auto nonce = nonce_of(in, "nonce_hex");
    const auto plaintext = in.text("plaintext");

    BlindedKeypair own;
    if (recipient_id.prefix() == IdPrefix::blinded15) {
        own = blind15_keypair(sender.sec, server);
    } else if (recipient_id.prefix() == IdPrefix::blinded25) {
        own = blind25_keypair(sender.sec, server);
    } else {
        throw VectorError("recipient_blinded_id_hex must start with 15 or 25");
    }
    const SessionId sender_id(recipient_id.prefix(), own.pub.data);
    const auto key = value_or_throw(blinded_shared_key(sender.sec, server, sender_id, recipient_id, true),
                                    "blinded_shared_key");
    const auto ct = value_or_throw(
        encrypt_for_blinded_recipient(sender.sec, server, recipient_id, as_bytes(plaintext), nonce),
        "encrypt_for_blinded_recipient");
    const auto opened = value_or_throw(decrypt_from_blinded_recipient(recipient.sec, server, sender_id, recipient_id, ct),
                                       "decrypt_from_blinded_recipient");
    return json{{"sender_blinded_id_hex", sender_id.hex()},
                {"shared_key_hex", key.hex()},
                {"ciphertext_hex", hex(ct)},
                {"decrypted_plaintext", to_string(opened.plaintext)},
                {"decrypted_sender_session_id_hex", opened.sender.hex()}};
}

}  // namespace

void register_misc_crypto_ops(OpTable& ops) {
    ops["ons_decrypt"] = {[](const Input& in) {
                              const auto id = value_or_throw(
                                  decrypt_ons_response(in.text("name"), in.hex("ciphertext_hex"), nonce_of(in, "nonce_hex")),
                                  "decrypt_ons_response");
                              return json{{"session_id_hex", id.hex()}};
                          },
                          {}};
    ops["push_notification_decrypt"] = {[](const Input& in) {
                                            const auto key = *SymmetricKey::from(in.hex("enc_key_hex", 32));
                                            const auto plain = value_or_throw(
                                                decrypt_push_notification(in.hex("payload_hex"), key),
                                                "decrypt_push_notification");
                                            return json{{"plaintext", to_string(plain)}};
                                        },
                                        {}};
    ops["blinded_dm_encrypt"] = {blinded_dm_op, {}};
}

}  // namespace sessionsim::vectors
