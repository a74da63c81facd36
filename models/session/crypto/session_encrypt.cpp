#include "models/session/crypto/session_encrypt.hpp"

#include <sodium.h>

#include "models/session/common/sodium.hpp"

namespace sessionproto {
namespace {

/// M || A || SIG(M || A || Y).
Bytes signed_inner(const Ed25519SecretKey& sender, const X25519Pubkey& recipient, ByteView plaintext) {
    const ByteView sender_pub = ByteView(sender.data).subspan(32);
    Bytes to_sign(plaintext.begin(), plaintext.end());
    append(to_sign, sender_pub);
    append(to_sign, recipient.view());
    const Signature sig = ed25519_sign(sender, to_sign);
    Bytes inner(plaintext.begin(), plaintext.end());
    append(inner, sender_pub);
    append(inner, sig.view());
    return inner;
}

/// eph_pk || crypto_box_easy(inner, H24(eph_pk || Y), Y, eph_sk): the sealed-box layout.
Result<Bytes> seal(const unsigned char* eph_pk, const unsigned char* eph_sk, const X25519Pubkey& recipient,
                   ByteView inner) {
    unsigned char nonce[crypto_box_NONCEBYTES];
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, sizeof nonce);
    crypto_generichash_update(&st, eph_pk, crypto_box_PUBLICKEYBYTES);
    crypto_generichash_update(&st, recipient.uc(), 32);
    crypto_generichash_final(&st, nonce, sizeof nonce);
    Bytes out(crypto_box_PUBLICKEYBYTES + crypto_box_MACBYTES + inner.size());
    std::copy(eph_pk, eph_pk + crypto_box_PUBLICKEYBYTES, reinterpret_cast<unsigned char*>(out.data()));
    const int rc = crypto_box_easy(reinterpret_cast<unsigned char*>(out.data()) + crypto_box_PUBLICKEYBYTES, uc(inner),
                                   inner.size(), nonce, recipient.uc(), eph_sk);
    if (rc != 0) return Error{ErrorCode::invalid_argument, "the recipient key is a low-order point"};
    return out;
}

}  // namespace

Result<Bytes> encrypt_for_recipient(const Ed25519SecretKey& sender, const X25519Pubkey& recipient,
                                    ByteView plaintext, Entropy& entropy) {
    sodium_ready();
    const X25519Keypair eph = x25519_generate(entropy);
    return seal(eph.pub.uc(), eph.sec.uc(), recipient, signed_inner(sender, recipient, plaintext));
}

Result<Bytes> encrypt_for_recipient_deterministic(const Ed25519SecretKey& sender, const X25519Pubkey& recipient,
                                                  ByteView plaintext) {
    sodium_ready();
    static constexpr char HASH_KEY[] = "SessionBoxEphemeralHashKey";
    unsigned char seed[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, reinterpret_cast<const unsigned char*>(HASH_KEY), sizeof HASH_KEY - 1, sizeof seed);
    crypto_generichash_update(&st, sender.uc(), 32);  // the Ed25519 seed
    crypto_generichash_update(&st, recipient.uc(), 32);
    crypto_generichash_update(&st, uc(plaintext), plaintext.size());
    crypto_generichash_final(&st, seed, sizeof seed);
    unsigned char eph_pk[crypto_box_PUBLICKEYBYTES];
    unsigned char eph_sk[crypto_box_SECRETKEYBYTES];
    crypto_box_seed_keypair(eph_pk, eph_sk, seed);
    auto out = seal(eph_pk, eph_sk, recipient, signed_inner(sender, recipient, plaintext));
    sodium_memzero(eph_sk, sizeof eph_sk);
    sodium_memzero(seed, sizeof seed);
    return out;
}

Result<DecryptedMessage> decrypt_incoming(const X25519Keypair& recipient, ByteView ciphertext) {
    sodium_ready();
    if (ciphertext.size() < SESSION_ENCRYPT_OVERHEAD) {
        return Error{ErrorCode::bad_length, "ciphertext of " + std::to_string(ciphertext.size()) +
                                                " bytes is shorter than the minimum of 144"};
    }
    Bytes inner(ciphertext.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(uc(std::span<std::byte>(inner)), uc(ciphertext), ciphertext.size(), recipient.pub.uc(),
                             recipient.sec.uc()) != 0) {
        return Error{ErrorCode::decrypt_failed, "sealed box does not open with this key"};
    }
    const std::size_t m_len = inner.size() - 32 - 64;
    const ByteView all(inner);
    DecryptedMessage out{Bytes(inner.begin(), inner.begin() + static_cast<std::ptrdiff_t>(m_len)),
                         *Ed25519Pubkey::from(all.subspan(m_len, 32)), AccountId(X25519Pubkey{})};
    const Signature sig = *Signature::from(all.subspan(m_len + 32, 64));
    Bytes signed_part(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m_len + 32));
    append(signed_part, recipient.pub.view());
    if (!ed25519_verify(out.sender_ed25519, sig, signed_part)) {
        return Error{ErrorCode::bad_signature, "the sender's signature does not verify"};
    }
    auto sender = AccountId::from_ed25519(out.sender_ed25519);
    if (!sender) return sender.error();
    out.sender = *sender;
    return out;
}

Bytes encrypt_for_recipient_modelled(const Ed25519Pubkey& sender, ByteView plaintext) {
    Bytes out(crypto_box_SEALBYTES);  // zero ephemeral key and MAC
    append(out, plaintext);
    append(out, sender.view());
    out.resize(out.size() + 64);  // zero signature
    return out;
}

bool is_modelled_ciphertext(ByteView ciphertext) noexcept {
    return ciphertext.size() >= SESSION_ENCRYPT_OVERHEAD && all_zero(ciphertext.first(crypto_box_PUBLICKEYBYTES));
}

Result<DecryptedMessage> decrypt_incoming_modelled(ByteView ciphertext) {
    if (ciphertext.size() < SESSION_ENCRYPT_OVERHEAD) {
        return Error{ErrorCode::bad_length, "ciphertext of " + std::to_string(ciphertext.size()) +
                                                " bytes is shorter than the minimum of 144"};
    }
    const ByteView inner = ciphertext.subspan(crypto_box_SEALBYTES);
    const std::size_t m_len = inner.size() - 32 - 64;
    if (!all_zero(ciphertext.first(crypto_box_SEALBYTES)) || !all_zero(inner.subspan(m_len + 32))) {
        return Error{ErrorCode::decrypt_failed, "not a modelled ciphertext"};
    }
    DecryptedMessage out{Bytes(inner.begin(), inner.begin() + static_cast<std::ptrdiff_t>(m_len)),
                         *Ed25519Pubkey::from(inner.subspan(m_len, 32)), AccountId(X25519Pubkey{})};
    auto sender = AccountId::from_ed25519(out.sender_ed25519);
    if (!sender) return sender.error();
    out.sender = *sender;
    return out;
}

Bytes pad_message(ByteView plaintext) {
    const std::size_t padded = (plaintext.size() + 2 + 159) / 160 * 160 - 1;
    Bytes out(plaintext.begin(), plaintext.end());
    out.push_back(std::byte{0x80});
    out.resize(padded, std::byte{0});
    return out;
}

Bytes unpad_message(ByteView padded) {
    for (std::size_t i = padded.size(); i > 0; --i) {
        const std::byte b = padded[i - 1];
        if (b == std::byte{0x00}) continue;
        if (b == std::byte{0x80}) return Bytes(padded.begin(), padded.begin() + static_cast<std::ptrdiff_t>(i - 1));
        break;
    }
    return Bytes(padded.begin(), padded.end());
}

}  // namespace sessionproto
