// Ops on 1-to-1 messages: deterministic encryption and decryption, padding.
#include "models/session/crypto/session_encrypt.hpp"
#include "sim/app/vectors/vector_ops.hpp"

namespace sessionsim::vectors {

using namespace sessionproto;

void register_session_encrypt_ops(OpTable& ops) {
    ops["session_encrypt_deterministic"] = {
        [](const Input& in) {
            const auto sender = Ed25519SecretKey::from(in.hex("sender_ed25519_secret_key_hex", 64));
            const auto recipient_id = AccountId::from_bytes(in.hex("recipient_session_id_hex"));
            if (!recipient_id) throw VectorError("recipient_session_id_hex: " + recipient_id.error().message);
            const std::string plaintext = in.text("plaintext");
            const auto encrypted =
                encrypt_for_recipient_deterministic(*sender, recipient_id->x25519(), as_bytes(plaintext));
            if (!encrypted) throw VectorError(encrypted.error().message);
            const Bytes& ct = *encrypted;
            const auto recipient = x25519_from_ed25519(
                ed25519_from_seed(*Ed25519Seed::from(in.hex("recipient_ed25519_seed_hex", 32))));
            const auto opened = decrypt_incoming(recipient, ct);
            if (!opened) throw VectorError("the recipient cannot decrypt: " + opened.error().message);
            return json{{"ciphertext_hex", hex(ct)},
                        {"decrypted_plaintext", to_string(opened->plaintext)},
                        {"decrypted_sender_ed25519_pubkey_hex", opened->sender_ed25519.hex()},
                        {"decrypted_sender_session_id_hex", opened->sender.hex()}};
        },
        {}};
    ops["session_padding"] = {[](const Input& in) {
                                  const Bytes plain = in.hex("plaintext_hex");
                                  const Bytes padded = pad_message(plain);
                                  if (unpad_message(padded) != plain) throw VectorError("unpadding does not give the plaintext back");
                                  return json{{"padded_len", padded.size()}, {"padded_hex", hex(padded)}};
                              },
                              {}};
}

}  // namespace sessionsim::vectors
