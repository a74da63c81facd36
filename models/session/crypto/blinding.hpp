#pragma once
// Community (SOGS) blinding and version-check blinding (spec session-crypto §5.3; LS
// src/blinding.cpp, src/session_encrypt.cpp):
// - blinded IDs 15/25 (`15`/`25` || k·XEd(xpk)) and the blinded signatures that verify against
//   them with plain Ed25519;
// - the version-check key (`07`);
// - blinded direct messages (community inbox): `encrypt_for_blinded_recipient` and the
//   recipient's `decrypt_from_blinded_recipient`.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/session/common/bytes.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"

namespace sessionproto {

struct Ed25519ScalarTag { static constexpr const char* NAME = "Ed25519 scalar"; };
struct CommunityPubkeyTag { static constexpr const char* NAME = "community server public key"; };

/// A scalar modulo the group order L, little-endian (a blinding factor or a blinded secret key).
using Ed25519Scalar = FixedBytes<32, Ed25519ScalarTag>;
/// The 32-byte public key of a community (SOGS) server, which blinding binds the IDs to.
using CommunityPubkey = FixedBytes<32, CommunityPubkeyTag>;
/// An XChaCha20-Poly1305 nonce.
using XChaChaNonce = std::array<std::byte, 24>;

/// A blinded key pair: the blinded Ed25519 public key kA and its secret scalar ka.
struct BlindedKeypair {
    Ed25519Pubkey pub;
    Ed25519Scalar sec;
};

/// The two 15-blinded IDs an Account ID may have: the sign of the Ed25519 key is lost in the X25519
/// Account ID, so the 15 ID is either `positive` or `negated` (bit 7 of the last byte flipped).
struct Blind15Ids {
    SessionId positive;
    SessionId negated;
};

// ---- blinding factors and IDs ---------------------------------------------------------------

/// k15 = reduce64(H64(server_pk)).
/// Inputs: the community's public key. Outputs: the scalar. Errors: none.
Ed25519Scalar blind15_factor(const CommunityPubkey& server_pk);

/// k25 = reduce64(H64(0x05 || xpk || server_pk)).
/// Inputs: the Account ID's X25519 key and the community's public key. Outputs: the scalar.
Ed25519Scalar blind25_factor(const X25519Pubkey& session_x25519, const CommunityPubkey& server_pk);

/// The 15-blinded IDs of an Account ID: `15 || k15·XEd(xpk)` and its sign-flipped twin.
/// Errors: invalid_argument when the Account ID's point is not usable (off the main subgroup or of
/// small order), as libsodium's scalar multiplication refuses it.
Result<Blind15Ids> blind15_ids(const AccountId& id, const CommunityPubkey& server_pk);

/// The 25-blinded ID of an Account ID: `25 || k25·XEd(xpk)` (always the positive point).
/// Errors: invalid_argument as for blind15_ids.
Result<SessionId> blind25_id(const AccountId& id, const CommunityPubkey& server_pk);

/// The 15-blinded ID from the real Ed25519 key (sign included): `15 || k15·A`.
/// Errors: invalid_argument when A is not a usable point.
Result<SessionId> blind15_id_from_ed25519(const Ed25519Pubkey& ed_pub, const CommunityPubkey& server_pk);

/// The 25-blinded ID from the real Ed25519 key: `25 || k25·|A|` (k25 from A's Account ID).
/// Errors: invalid_argument when A is not a usable point or has no X25519 form.
Result<SessionId> blind25_id_from_ed25519(const Ed25519Pubkey& ed_pub, const CommunityPubkey& server_pk);

/// True when `blinded` (15 or 25) is a blinded ID of `id` on this server (either sign for 15).
bool session_id_matches_blinded_id(const AccountId& id, const SessionId& blinded, const CommunityPubkey& server_pk);

// ---- blinded key pairs and signatures ---------------------------------------------------------

/// 15-blinded key pair: ka = k15·a (a the clamped Ed25519 scalar of `identity`), kA = ka·G.
/// kA is the real-sign 15 ID key (either `positive` or `negated` of blind15_ids).
/// Inputs: the identity's 64-byte secret key (its public half is recomputed from the seed).
BlindedKeypair blind15_keypair(const Ed25519SecretKey& identity, const CommunityPubkey& server_pk);

/// 25-blinded key pair: k' = k25, negated when the identity's Ed25519 key is negative, so that
/// kA = k'a·G is always the positive 25 ID key.
BlindedKeypair blind25_keypair(const Ed25519SecretKey& identity, const CommunityPubkey& server_pk);

/// An Ed25519-compatible signature by a secret scalar: R = r·G, S = r + H(R || A || M)·a (mod L),
/// with H = SHA-512 reduced. It verifies with plain Ed25519 against A = a·G.
/// Inputs: `a` and `A` (a·G, as the verifier will see it), the nonce scalar `r`, the message.
Signature sign_with_scalar(const Ed25519Scalar& a, const Ed25519Pubkey& A, const Ed25519Scalar& r, ByteView message);

/// Blind-15 signature: r = reduce64(SHA512(SHA512(sk64)[32..64] || kA || M)), then as
/// sign_with_scalar with the 15-blinded key pair. Verifies against the 15 ID with the real sign.
Signature blind15_sign(const Ed25519SecretKey& identity, const CommunityPubkey& server_pk, ByteView message);

/// Blind-25 signature: r = reduce64(H64(H32(seed; key="SessCommBlind25_seed") || kA || M;
/// key="SessCommBlind25_sig")). Verifies against the 25 ID.
Signature blind25_sign(const Ed25519SecretKey& identity, const CommunityPubkey& server_pk, ByteView message);

/// Plain Ed25519 verification of `sig` against the 32 bytes after the prefix of `blinded`.
bool blinded_verify(const SessionId& blinded, const Signature& sig, ByteView message);

// ---- version-check blinding (07) ----------------------------------------------------------------

/// The version-check key pair: an Ed25519 key pair from the seed H32(seed; key="VersionCheckKey_sig").
Ed25519Keypair version_blind_keypair(const Ed25519SecretKey& identity);
/// `07 || version pubkey`.
SessionId version_blind_id(const Ed25519SecretKey& identity);
/// The signed text: decimal(timestamp) || method || path [|| body].
Bytes version_signed_message(std::uint64_t timestamp, std::string_view method, std::string_view path,
                             std::optional<ByteView> body);
/// Ed25519 signature by the version key over version_signed_message(...).
Signature version_blind_sign(const Ed25519SecretKey& identity, std::uint64_t timestamp, std::string_view method,
                             std::string_view path, std::optional<ByteView> body);

// ---- blinded direct messages --------------------------------------------------------------------

/// The version byte that starts every blinded DM.
inline constexpr std::byte BLINDED_ENCRYPT_VERSION{0x00};

/// The symmetric key of a blinded DM: H32(shared point || sender ID || recipient ID), where the
/// point is a·jB (15) or (k'a)·jB (25), computed by either side.
/// Inputs: our identity; our blinded ID and the other side's (same prefix, 15 or 25); whether we are
/// the sender (which fixes the order of the IDs in the hash).
/// Errors: bad_prefix (not both 15 or both 25); invalid_argument (the other ID is not a usable point).
Result<SymmetricKey> blinded_shared_key(const Ed25519SecretKey& identity, const CommunityPubkey& server_pk,
                                        const SessionId& own_blinded, const SessionId& other_blinded, bool sending);

/// A blinded DM: `0x00 || XChaCha20-Poly1305(M || sender_edpk; key) || nonce(24)`. The sender's
/// blinded ID is of the recipient's kind (15 or 25).
/// Inputs: the sender's identity, the server, the recipient's blinded ID, the message, the nonce.
/// Outputs: the ciphertext. Errors: bad_prefix (recipient not 15/25), invalid_argument (unusable point).
Result<Bytes> encrypt_for_blinded_recipient(const Ed25519SecretKey& sender, const CommunityPubkey& server_pk,
                                            const SessionId& recipient, ByteView message, const XChaChaNonce& nonce);
/// As above with a nonce drawn from `entropy`.
Result<Bytes> encrypt_for_blinded_recipient(const Ed25519SecretKey& sender, const CommunityPubkey& server_pk,
                                            const SessionId& recipient, ByteView message, Entropy& entropy);

/// A decrypted blinded DM and who sent it.
struct BlindedMessage {
    Bytes plaintext;
    Ed25519Pubkey sender_ed25519;
    AccountId sender;
};

/// The recipient's side: decrypts, then re-derives the sender's blinded ID from the Ed25519 key
/// inside and checks it against `sender_blinded` (for 15 the sign-flipped ID is accepted too).
/// Inputs: our identity; the server; the sender's blinded ID (from the community); our blinded ID as
/// the sender addressed us; the ciphertext (untrusted).
/// Errors: truncated (too short), unsupported (version byte not 0), bad_prefix, decrypt_failed,
/// bad_encoding (inner key not a valid Ed25519 key), bad_signature (inner key does not match the
/// sender's blinded ID).
Result<BlindedMessage> decrypt_from_blinded_recipient(const Ed25519SecretKey& recipient,
                                                      const CommunityPubkey& server_pk,
                                                      const SessionId& sender_blinded,
                                                      const SessionId& recipient_blinded, ByteView ciphertext);

}  // namespace sessionproto
