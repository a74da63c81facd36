#include "models/session/crypto/blinding.hpp"

#include <sodium.h>

#include <initializer_list>

#include "models/session/common/sodium.hpp"
#include "models/session/common/hash.hpp"
#include "models/session/crypto/xed25519.hpp"

namespace sessionproto {
namespace {

// Hash keys (personalisations) of the 25 signature and the version key, from LS src/blinding.cpp.
constexpr std::string_view BLIND25_SEED_KEY = "SessCommBlind25_seed";
constexpr std::string_view BLIND25_SIG_KEY = "SessCommBlind25_sig";
constexpr std::string_view VERSION_KEY = "VersionCheckKey_sig";

std::array<std::byte, 64> sha512(std::initializer_list<ByteView> parts) {
    crypto_hash_sha512_state st;
    crypto_hash_sha512_init(&st);
    for (const auto& part : parts) crypto_hash_sha512_update(&st, uc(part), part.size());
    std::array<std::byte, 64> out{};
    crypto_hash_sha512_final(&st, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

Ed25519Scalar reduce64(const std::array<std::byte, 64>& wide) {
    Ed25519Scalar out;
    crypto_core_ed25519_scalar_reduce(out.uc(), reinterpret_cast<const unsigned char*>(wide.data()));
    return out;
}

Ed25519Scalar scalar_mul(const Ed25519Scalar& x, const Ed25519Scalar& y) {
    Ed25519Scalar out;
    crypto_core_ed25519_scalar_mul(out.uc(), x.uc(), y.uc());
    return out;
}

/// k·P for an Ed25519 point P; an error when libsodium refuses P (non-canonical, small order,
/// off the main subgroup) or the product is the identity.
Result<Ed25519Pubkey> point_mul(const Ed25519Scalar& k, ByteView point32) {
    Ed25519Pubkey out;
    if (crypto_scalarmult_ed25519_noclamp(out.uc(), k.uc(), uc(point32)) != 0) {
        return Error{ErrorCode::invalid_argument, "not a usable Ed25519 point (small order or off the main subgroup)"};
    }
    return out;
}

Ed25519Pubkey base_mul(const Ed25519Scalar& k) {
    Ed25519Pubkey out;
    // Fails only for k = 0 (mod L), which a hash-derived scalar reaches with negligible probability;
    // the output is then all zeros and every later check on it fails.
    if (crypto_scalarmult_ed25519_base_noclamp(out.uc(), k.uc()) != 0) out = Ed25519Pubkey{};
    return out;
}

/// The identity recomputed from its seed, so that a secret key with a foreign public half cannot
/// make the derivations below disagree with each other.
Ed25519Keypair normalised(const Ed25519SecretKey& identity) {
    Ed25519Seed seed;
    std::copy(identity.data.begin(), identity.data.begin() + 32, seed.data.begin());
    return ed25519_from_seed(seed);
}

/// a: the clamped Ed25519 secret scalar (what libsodium's sk_to_curve25519 returns).
Ed25519Scalar secret_scalar(const Ed25519Keypair& kp) {
    const auto x = x25519_from_ed25519(kp.sec);
    Ed25519Scalar a;
    a.data = x.data;
    return a;
}

/// k' for 25 blinding: k25, negated when the real Ed25519 key is negative (bit 255 set).
Ed25519Scalar blind25_signed_factor(const Ed25519Keypair& kp, const CommunityPubkey& server_pk) {
    const auto x = x25519_from_ed25519(kp.pub);  // valid: kp comes from a seed
    auto k = blind25_factor(*x, server_pk);
    if ((std::to_integer<unsigned>(kp.pub.data[31]) & 0x80U) != 0) {
        crypto_core_ed25519_scalar_negate(k.uc(), k.uc());
    }
    return k;
}

SessionId with_prefix(IdPrefix prefix, const Ed25519Pubkey& key) { return SessionId(prefix, key.data); }

}  // namespace

// ---- factors and IDs ----------------------------------------------------------------------------

Ed25519Scalar blind15_factor(const CommunityPubkey& server_pk) {
    sodium_ready();
    return reduce64(blake2b_parts<64>({server_pk.view()}));
}

Ed25519Scalar blind25_factor(const X25519Pubkey& session_x25519, const CommunityPubkey& server_pk) {
    sodium_ready();
    const std::array<std::byte, 1> prefix{std::byte{0x05}};
    return reduce64(blake2b_parts<64>({ByteView(prefix), session_x25519.view(), server_pk.view()}));
}

Result<Blind15Ids> blind15_ids(const AccountId& id, const CommunityPubkey& server_pk) {
    const auto k = blind15_factor(server_pk);
    const auto point = point_mul(k, xed25519_pubkey(id.x25519()).view());
    if (!point) return point.error();
    auto negated = point->data;
    negated[31] ^= std::byte{0x80};
    return Blind15Ids{SessionId(IdPrefix::blinded15, point->data), SessionId(IdPrefix::blinded15, negated)};
}

Result<SessionId> blind25_id(const AccountId& id, const CommunityPubkey& server_pk) {
    const auto k = blind25_factor(id.x25519(), server_pk);
    const auto point = point_mul(k, xed25519_pubkey(id.x25519()).view());
    if (!point) return point.error();
    return with_prefix(IdPrefix::blinded25, *point);
}

Result<SessionId> blind15_id_from_ed25519(const Ed25519Pubkey& ed_pub, const CommunityPubkey& server_pk) {
    const auto point = point_mul(blind15_factor(server_pk), ed_pub.view());
    if (!point) return point.error();
    return with_prefix(IdPrefix::blinded15, *point);
}

Result<SessionId> blind25_id_from_ed25519(const Ed25519Pubkey& ed_pub, const CommunityPubkey& server_pk) {
    const auto x = x25519_from_ed25519(ed_pub);
    if (!x) return Error{ErrorCode::invalid_argument, "Ed25519 key has no X25519 form"};
    auto positive = ed_pub;
    positive.data[31] &= std::byte{0x7f};
    const auto point = point_mul(blind25_factor(*x, server_pk), positive.view());
    if (!point) return point.error();
    return with_prefix(IdPrefix::blinded25, *point);
}

bool session_id_matches_blinded_id(const AccountId& id, const SessionId& blinded, const CommunityPubkey& server_pk) {
    if (blinded.prefix() == IdPrefix::blinded15) {
        const auto ids = blind15_ids(id, server_pk);
        return ids && (ids->positive == blinded || ids->negated == blinded);
    }
    if (blinded.prefix() == IdPrefix::blinded25) {
        const auto b = blind25_id(id, server_pk);
        return b && *b == blinded;
    }
    return false;
}

// ---- key pairs and signatures -------------------------------------------------------------------

BlindedKeypair blind15_keypair(const Ed25519SecretKey& identity, const CommunityPubkey& server_pk) {
    const auto kp = normalised(identity);
    BlindedKeypair out;
    out.sec = scalar_mul(blind15_factor(server_pk), secret_scalar(kp));
    out.pub = base_mul(out.sec);
    return out;
}

BlindedKeypair blind25_keypair(const Ed25519SecretKey& identity, const CommunityPubkey& server_pk) {
    const auto kp = normalised(identity);
    BlindedKeypair out;
    out.sec = scalar_mul(blind25_signed_factor(kp, server_pk), secret_scalar(kp));
    out.pub = base_mul(out.sec);
    return out;
}

Signature sign_with_scalar(const Ed25519Scalar& a, const Ed25519Pubkey& A, const Ed25519Scalar& r, ByteView message) {
    sodium_ready();
    Signature sig;
    const Ed25519Pubkey R = base_mul(r);
    std::copy(R.data.begin(), R.data.end(), sig.data.begin());
    auto* S = sig.uc() + 32;
    const auto hram = reduce64(sha512({R.view(), A.view(), message}));
    crypto_core_ed25519_scalar_mul(S, hram.uc(), a.uc());  // S = H(R||A||M)·a
    crypto_core_ed25519_scalar_add(S, S, r.uc());          // S = r + H(R||A||M)·a
    return sig;
}

Signature blind15_sign(const Ed25519SecretKey& identity, const CommunityPubkey& server_pk, ByteView message) {
    const auto kp = normalised(identity);
    const auto blinded = blind15_keypair(kp.sec, server_pk);
    const auto hrh = sha512({kp.sec.view()});
    const auto r = reduce64(sha512({ByteView(hrh).subspan(32), blinded.pub.view(), message}));
    return sign_with_scalar(blinded.sec, blinded.pub, r, message);
}

Signature blind25_sign(const Ed25519SecretKey& identity, const CommunityPubkey& server_pk, ByteView message) {
    const auto kp = normalised(identity);
    const auto blinded = blind25_keypair(kp.sec, server_pk);
    const auto seed_hash = blake2b_parts<32>({kp.sec.view().first(32)}, as_bytes(BLIND25_SEED_KEY));
    const auto r = reduce64(blake2b_parts<64>({ByteView(seed_hash), blinded.pub.view(), message}, as_bytes(BLIND25_SIG_KEY)));
    return sign_with_scalar(blinded.sec, blinded.pub, r, message);
}

bool blinded_verify(const SessionId& blinded, const Signature& sig, ByteView message) {
    Ed25519Pubkey key;
    key.data = blinded.key();
    return ed25519_verify(key, sig, message);
}

// ---- version-check blinding ---------------------------------------------------------------------

Ed25519Keypair version_blind_keypair(const Ed25519SecretKey& identity) {
    sodium_ready();
    const auto hashed = blake2b_parts<32>({identity.view().first(32)}, as_bytes(VERSION_KEY));
    Ed25519Seed seed;
    seed.data = hashed;
    return ed25519_from_seed(seed);
}

SessionId version_blind_id(const Ed25519SecretKey& identity) {
    return with_prefix(IdPrefix::version, version_blind_keypair(identity).pub);
}

Bytes version_signed_message(std::uint64_t timestamp, std::string_view method, std::string_view path,
                             std::optional<ByteView> body) {
    Bytes out = to_bytes(std::to_string(timestamp));
    append(out, method);
    append(out, path);
    if (body) append(out, *body);
    return out;
}

Signature version_blind_sign(const Ed25519SecretKey& identity, std::uint64_t timestamp, std::string_view method,
                             std::string_view path, std::optional<ByteView> body) {
    const auto kp = version_blind_keypair(identity);
    return ed25519_sign(kp.sec, version_signed_message(timestamp, method, path, body));
}

// ---- blinded direct messages --------------------------------------------------------------------

Result<SymmetricKey> blinded_shared_key(const Ed25519SecretKey& identity, const CommunityPubkey& server_pk,
                                        const SessionId& own_blinded, const SessionId& other_blinded, bool sending) {
    sodium_ready();
    const bool both15 = own_blinded.prefix() == IdPrefix::blinded15 && other_blinded.prefix() == IdPrefix::blinded15;
    const bool both25 = own_blinded.prefix() == IdPrefix::blinded25 && other_blinded.prefix() == IdPrefix::blinded25;
    if (!both15 && !both25) {
        return Error{ErrorCode::bad_prefix, "blinded IDs must both start with 15 or both with 25"};
    }
    const auto kp = normalised(identity);
    // 15: a·jB (j = k, so the other side's k already blinds both); 25: (k'a)·jB.
    auto scalar = secret_scalar(kp);
    if (both25) scalar = scalar_mul(blind25_signed_factor(kp, server_pk), scalar);
    const auto point = point_mul(scalar, other_blinded.key_view());
    if (!point) return point.error();

    const Bytes own = own_blinded.bytes();
    const Bytes other = other_blinded.bytes();
    const ByteView sender = sending ? ByteView(own) : ByteView(other);
    const ByteView recipient = sending ? ByteView(other) : ByteView(own);
    SymmetricKey key;
    key.data = blake2b_parts<32>({point->view(), sender, recipient});
    return key;
}

Result<Bytes> encrypt_for_blinded_recipient(const Ed25519SecretKey& sender, const CommunityPubkey& server_pk,
                                            const SessionId& recipient, ByteView message, const XChaChaNonce& nonce) {
    sodium_ready();
    BlindedKeypair own;
    if (recipient.prefix() == IdPrefix::blinded15) {
        own = blind15_keypair(sender, server_pk);
    } else if (recipient.prefix() == IdPrefix::blinded25) {
        own = blind25_keypair(sender, server_pk);
    } else {
        return Error{ErrorCode::bad_prefix, "the recipient of a blinded message must have a 15 or 25 ID"};
    }
    const SessionId own_id(recipient.prefix(), own.pub.data);
    const auto key = blinded_shared_key(sender, server_pk, own_id, recipient, true);
    if (!key) return key.error();

    // Inner data: M || A, the sender's real (unblinded) Ed25519 key.
    Bytes inner(message.begin(), message.end());
    append(inner, normalised(sender).pub.view());

    Bytes out(1 + inner.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES + nonce.size());
    out[0] = BLINDED_ENCRYPT_VERSION;
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()) + 1, &written, uc(inner),
                                               inner.size(), nullptr, 0, nullptr,
                                               reinterpret_cast<const unsigned char*>(nonce.data()), key->uc());
    std::copy(nonce.begin(), nonce.end(), out.begin() + static_cast<std::ptrdiff_t>(1 + written));
    return out;
}

Result<Bytes> encrypt_for_blinded_recipient(const Ed25519SecretKey& sender, const CommunityPubkey& server_pk,
                                            const SessionId& recipient, ByteView message, Entropy& entropy) {
    const auto nonce = entropy.bytes<24>();
    return encrypt_for_blinded_recipient(sender, server_pk, recipient, message, nonce);
}

Result<BlindedMessage> decrypt_from_blinded_recipient(const Ed25519SecretKey& recipient,
                                                      const CommunityPubkey& server_pk,
                                                      const SessionId& sender_blinded,
                                                      const SessionId& recipient_blinded, ByteView ciphertext) {
    sodium_ready();
    constexpr std::size_t NONCE = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    constexpr std::size_t TAG = crypto_aead_xchacha20poly1305_ietf_ABYTES;
    if (ciphertext.size() < 1 + TAG + NONCE + 32) {
        return Error{ErrorCode::truncated, "blinded message too short: " + std::to_string(ciphertext.size()) + " bytes"};
    }
    if (ciphertext[0] != BLINDED_ENCRYPT_VERSION) {
        return Error{ErrorCode::unsupported, "blinded message version " + to_hex(ciphertext.first(1)) + " is not 00"};
    }
    const auto key = blinded_shared_key(recipient, server_pk, recipient_blinded, sender_blinded, false);
    if (!key) return key.error();

    const ByteView sealed = ciphertext.subspan(1, ciphertext.size() - 1 - NONCE);
    const ByteView nonce = ciphertext.last(NONCE);
    Bytes inner(sealed.size() - TAG);
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(inner.data()), &written, nullptr,
                                                   uc(sealed), sealed.size(), nullptr, 0, uc(nonce), key->uc()) != 0) {
        return Error{ErrorCode::decrypt_failed, "blinded message does not decrypt"};
    }
    inner.resize(written);

    const auto sender_ed = *Ed25519Pubkey::from(ByteView(inner).last(32));
    const auto sender_x = x25519_from_ed25519(sender_ed);
    if (!sender_x) return Error{ErrorCode::bad_encoding, "the sender's Ed25519 key inside is not valid"};

    // The sender's blinded ID must be the one derived from the key inside (15: either sign).
    const auto derived = sender_blinded.prefix() == IdPrefix::blinded25 ? blind25_id_from_ed25519(sender_ed, server_pk)
                                                                        : blind15_id_from_ed25519(sender_ed, server_pk);
    bool matched = false;
    if (derived) {
        matched = *derived == sender_blinded;
        if (!matched && derived->prefix() == IdPrefix::blinded15) {
            auto flipped = derived->key();
            flipped[31] ^= std::byte{0x80};
            matched = SessionId(IdPrefix::blinded15, flipped) == sender_blinded;
        }
    }
    if (!matched) {
        return Error{ErrorCode::bad_signature, "the sender's blinded ID does not match the key inside the message"};
    }
    inner.resize(inner.size() - 32);
    return BlindedMessage{std::move(inner), sender_ed, AccountId(*sender_x)};
}

}  // namespace sessionproto
