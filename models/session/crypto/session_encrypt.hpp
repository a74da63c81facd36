#pragma once
// 1-to-1 message encryption, Session protocol v1 (spec session-crypto §2): sign
// (M || sender Ed25519 key || recipient X25519 key), then a sealed box to the recipient.
// Plaintext padding of the Session protocol (§2, desktop BufferPadding.ts).
#include "models/session/common/bytes.hpp"
#include "models/session/common/crypto_work.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"

namespace sessionproto {

/// Bytes a sealed 1-to-1 message adds to its plaintext: sealed box 48 + sender key 32 + signature 64.
inline constexpr std::size_t SESSION_ENCRYPT_OVERHEAD = 48 + 32 + 64;

/// encrypt_for_recipient with the sealed box built from primitives: the ephemeral X25519
/// secret is drawn from `entropy` (so simulator runs are reproducible), the nonce is
/// BLAKE2b-192(eph_pk || Y) as in libsodium's crypto_box_seal. Output: eph_pk(32) || box.
/// Any crypto_box_seal_open opens it. Error: invalid_argument for a low-order recipient key.
Result<Bytes> encrypt_for_recipient(const Ed25519SecretKey& sender, const X25519Pubkey& recipient,
                                    ByteView plaintext, Entropy& entropy);

/// encrypt_for_recipient_deterministic: the ephemeral key comes from
/// BLAKE2b-256(seed || Y || M; key = "SessionBoxEphemeralHashKey") through crypto_box_seed_keypair.
Result<Bytes> encrypt_for_recipient_deterministic(const Ed25519SecretKey& sender, const X25519Pubkey& recipient,
                                                  ByteView plaintext);

struct DecryptedMessage {
    Bytes plaintext;
    Ed25519Pubkey sender_ed25519;
    AccountId sender;  ///< 05 || pk_to_curve25519(sender_ed25519)
};

/// decrypt_incoming: opens the sealed box with the recipient's X25519 keypair, splits
/// M || A || SIG, verifies SIG over M || A || Y_own and derives the sender's Account ID.
/// Errors: bad_length (shorter than the overhead), decrypt_failed, bad_signature, bad_encoding
/// (the sender key is not a valid Ed25519 point).
Result<DecryptedMessage> decrypt_incoming(const X25519Keypair& recipient, ByteView ciphertext);

/// Sampled crypto (common/crypto_work.hpp): the modelled stand-in of encrypt_for_recipient,
/// zero eph_pk(32) || zero MAC(16) || M || sender Ed25519 key || zero SIG(64): the real size and
/// layout with no signature and no box.
Bytes encrypt_for_recipient_modelled(const Ed25519Pubkey& sender, ByteView plaintext);
/// True when `ciphertext` carries the modelled mark (an all-zero ephemeral key).
bool is_modelled_ciphertext(ByteView ciphertext) noexcept;
/// Reads a modelled stand-in: M and the sender (its Account ID derived as for a real one).
/// Errors: bad_length, decrypt_failed (not a modelled stand-in), bad_encoding (sender key).
Result<DecryptedMessage> decrypt_incoming_modelled(ByteView ciphertext);
/// M || 0x80 || 0x00..., to ceil((len(M) + 2) / 160) * 160 - 1 bytes.
Bytes pad_message(ByteView plaintext);
/// Scans back over 0x00 bytes; at 0x80 cuts there, at anything else returns the data unchanged
/// (unpadded input is accepted, as clients do).
Bytes unpad_message(ByteView padded);

}  // namespace sessionproto
