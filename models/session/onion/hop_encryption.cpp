#include "models/session/onion/hop_encryption.hpp"

#include <sodium.h>

#include <cstring>

#include "models/session/common/sodium.hpp"

namespace sessionproto {

std::optional<EncType> parse_enc_type(std::string_view text) noexcept {
    if (text == "aes-gcm" || text == "gcm") return EncType::aes_gcm;
    if (text == "xchacha20" || text == "xchacha20-poly1305") return EncType::xchacha20;
    return std::nullopt;
}

std::string_view to_string(EncType type) noexcept { return type == EncType::aes_gcm ? "aes-gcm" : "xchacha20"; }

std::size_t nonce_size(EncType type) noexcept {
    return type == EncType::aes_gcm ? crypto_aead_aes256gcm_NPUBBYTES : crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
}

std::size_t layer_overhead(EncType type) noexcept {
    return nonce_size(type) + (type == EncType::aes_gcm ? crypto_aead_aes256gcm_ABYTES
                                                        : crypto_aead_xchacha20poly1305_ietf_ABYTES);
}

namespace {

Result<SymmetricKey> derive(EncType type, const SymmetricKey& shared, const X25519Pubkey& client_pub,
                            const X25519Pubkey& node_pub) {
    SymmetricKey key;
    if (type == EncType::aes_gcm) {
        static constexpr unsigned char HMAC_KEY[] = {'L', 'O', 'K', 'I'};
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, HMAC_KEY, sizeof HMAC_KEY);
        crypto_auth_hmacsha256_update(&st, shared.uc(), 32);
        crypto_auth_hmacsha256_final(&st, key.uc());
    } else {
        crypto_generichash_state st;
        crypto_generichash_init(&st, nullptr, 0, 32);
        crypto_generichash_update(&st, shared.uc(), 32);
        crypto_generichash_update(&st, client_pub.uc(), 32);
        crypto_generichash_update(&st, node_pub.uc(), 32);
        crypto_generichash_final(&st, key.uc(), 32);
    }
    return key;
}

Status require_aes(EncType type) {
    if (type == EncType::aes_gcm && !aes256gcm_available()) {
        return Error{ErrorCode::unsupported, "aes-gcm needs AES-NI, which this CPU lacks (libsodium 1.0.18)"};
    }
    return Ok{};
}

}  // namespace

Result<SymmetricKey> client_layer_key(EncType type, const X25519SecretKey& a, const X25519Pubkey& A,
                                      const X25519Pubkey& B) {
    auto shared = x25519_shared(a, B);
    if (!shared) return shared.error();
    return derive(type, *shared, A, B);
}

Result<SymmetricKey> node_layer_key(EncType type, const X25519SecretKey& b, const X25519Pubkey& B,
                                    const X25519Pubkey& A) {
    auto shared = x25519_shared(b, A);
    if (!shared) return shared.error();
    return derive(type, *shared, A, B);
}

Result<Bytes> seal_layer(EncType type, const SymmetricKey& key, ByteView plaintext, ByteView nonce) {
    sodium_ready();
    if (auto st = require_aes(type); !st) return st.error();
    if (nonce.size() != nonce_size(type)) {
        return Error{ErrorCode::invalid_argument, "nonce must be " + std::to_string(nonce_size(type)) + " bytes"};
    }
    Bytes out(layer_overhead(type) + plaintext.size());
    std::memcpy(out.data(), nonce.data(), nonce.size());
    auto* c = reinterpret_cast<unsigned char*>(out.data()) + nonce.size();
    unsigned long long clen = 0;
    if (type == EncType::aes_gcm) {
        crypto_aead_aes256gcm_encrypt(c, &clen, uc(plaintext), plaintext.size(), nullptr, 0, nullptr, uc(nonce),
                                      key.uc());
    } else {
        crypto_aead_xchacha20poly1305_ietf_encrypt(c, &clen, uc(plaintext), plaintext.size(), nullptr, 0, nullptr,
                                                   uc(nonce), key.uc());
    }
    return out;
}

Result<Bytes> seal_layer(EncType type, const SymmetricKey& key, ByteView plaintext, Entropy& entropy) {
    std::byte nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    const std::span<std::byte> n(nonce, nonce_size(type));
    entropy.fill(n);
    return seal_layer(type, key, plaintext, n);
}

Status open_layer_in_place(EncType type, const SymmetricKey& key, Bytes& buffer) {
    sodium_ready();
    if (auto st = require_aes(type); !st) return st.error();
    const std::size_t ns = nonce_size(type);
    if (buffer.size() < layer_overhead(type)) {
        return Error{ErrorCode::bad_length, "a layer is at least " + std::to_string(layer_overhead(type)) + " bytes"};
    }
    unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    std::memcpy(nonce, buffer.data(), ns);
    auto* c = reinterpret_cast<unsigned char*>(buffer.data()) + ns;
    const std::size_t clen = buffer.size() - ns;
    unsigned long long mlen = 0;
    // Decrypt in place (libsodium allows m == c), then slide the plaintext over the nonce.
    const int rc = type == EncType::aes_gcm
                       ? crypto_aead_aes256gcm_decrypt(c, &mlen, nullptr, c, clen, nullptr, 0, nonce, key.uc())
                       : crypto_aead_xchacha20poly1305_ietf_decrypt(c, &mlen, nullptr, c, clen, nullptr, 0, nonce,
                                                                    key.uc());
    if (rc != 0) return Error{ErrorCode::decrypt_failed, "layer does not decrypt with this key"};
    std::memmove(buffer.data(), c, mlen);
    buffer.resize(mlen);
    return Ok{};
}

Result<Bytes> open_layer(EncType type, const SymmetricKey& key, ByteView ciphertext) {
    Bytes buffer(ciphertext.begin(), ciphertext.end());
    if (auto st = open_layer_in_place(type, key, buffer); !st) return st.error();
    return buffer;
}

Bytes seal_layer_modelled(EncType type, ByteView plaintext) {
    const std::size_t ns = nonce_size(type);
    Bytes out(layer_overhead(type) + plaintext.size());  // zero-filled: nonce and tag stay zero
    if (!plaintext.empty()) std::memcpy(out.data() + ns, plaintext.data(), plaintext.size());
    return out;
}

Status open_layer_modelled_in_place(EncType type, Bytes& buffer) {
    const std::size_t ns = nonce_size(type);
    const std::size_t overhead = layer_overhead(type);
    if (buffer.size() < overhead) {
        return Error{ErrorCode::bad_length, "a layer is at least " + std::to_string(overhead) + " bytes"};
    }
    const std::span<const std::byte> all(buffer);
    if (!all_zero(all.first(ns)) || !all_zero(all.last(overhead - ns))) {
        return Error{ErrorCode::decrypt_failed, "not a modelled layer (nonce or tag is not zero)"};
    }
    const std::size_t size = buffer.size() - overhead;
    std::memmove(buffer.data(), buffer.data() + ns, size);
    buffer.resize(size);
    return Ok{};
}

}  // namespace sessionproto
