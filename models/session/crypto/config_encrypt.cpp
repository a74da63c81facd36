#include "models/session/crypto/config_encrypt.hpp"

#include <sodium.h>

#include <string>

#include "models/session/common/sodium.hpp"

namespace sessionproto {
namespace {

// The nonce hash key is this prefix followed by the domain (LS src/config/encrypt.cpp).
constexpr std::string_view NONCE_KEY_PREFIX = "libsessionutil-config-encrypted-";
constexpr std::size_t NONCE = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t TAG = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(NONCE + TAG == CONFIG_ENCRYPT_OVERHEAD);
static_assert(NONCE_KEY_PREFIX.size() + CONFIG_DOMAIN_MAX_SIZE <= crypto_generichash_blake2b_KEYBYTES_MAX);

Result<SymmetricKey> message_key(const SymmetricKey& key_base, std::uint64_t message_size, std::string_view domain) {
    if (domain.empty() || domain.size() > CONFIG_DOMAIN_MAX_SIZE) {
        return Error{ErrorCode::invalid_argument,
                     "config encryption domain must be 1 to 24 bytes, got " + std::to_string(domain.size())};
    }
    Bytes size_be;
    append_be64(size_be, message_size);
    crypto_generichash_blake2b_state st;
    crypto_generichash_blake2b_init(&st, nullptr, 0, 32);
    crypto_generichash_blake2b_update(&st, key_base.uc(), 32);
    crypto_generichash_blake2b_update(&st, uc(size_be), size_be.size());
    crypto_generichash_blake2b_update(&st, reinterpret_cast<const unsigned char*>(domain.data()), domain.size());
    SymmetricKey key;
    crypto_generichash_blake2b_final(&st, key.uc(), 32);
    return key;
}

}  // namespace

Result<Bytes> config_encrypt(ByteView message, const SymmetricKey& key_base, std::string_view domain) {
    sodium_ready();
    const auto key = message_key(key_base, message.size(), domain);
    if (!key) return key.error();

    std::string nonce_key(NONCE_KEY_PREFIX);
    nonce_key.append(domain);
    std::array<unsigned char, NONCE> nonce{};
    crypto_generichash_blake2b(nonce.data(), nonce.size(), uc(message), message.size(),
                               reinterpret_cast<const unsigned char*>(nonce_key.data()), nonce_key.size());

    Bytes out(message.size() + CONFIG_ENCRYPT_OVERHEAD);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()), &written, uc(message),
                                               message.size(), nullptr, 0, nullptr, nonce.data(), key->uc());
    std::copy(nonce.begin(), nonce.end(), reinterpret_cast<unsigned char*>(out.data()) + written);
    return out;
}

Result<Bytes> config_decrypt(ByteView ciphertext, const SymmetricKey& key_base, std::string_view domain) {
    sodium_ready();
    if (ciphertext.size() < CONFIG_ENCRYPT_OVERHEAD) {
        return Error{ErrorCode::truncated, "config message too short: " + std::to_string(ciphertext.size()) + " bytes"};
    }
    const std::size_t message_size = ciphertext.size() - CONFIG_ENCRYPT_OVERHEAD;
    const auto key = message_key(key_base, message_size, domain);
    if (!key) return key.error();
    const ByteView nonce = ciphertext.last(NONCE);
    const ByteView sealed = ciphertext.first(ciphertext.size() - NONCE);
    Bytes out(message_size);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), nullptr, nullptr,
                                                   uc(sealed), sealed.size(), nullptr, 0, uc(nonce), key->uc()) != 0) {
        return Error{ErrorCode::decrypt_failed, "config message does not decrypt"};
    }
    return out;
}

std::size_t padded_size(std::size_t size, std::size_t overhead) noexcept {
    const std::size_t total = size + overhead;
    const std::size_t chunk = total < 5120 ? 256 : total < 20480 ? 1024 : total < 40960 ? 2048 : 5120;
    return (total + chunk - 1) / chunk * chunk - overhead;
}

Bytes pad_config_message(ByteView message, std::size_t overhead) {
    const std::size_t target = padded_size(message.size(), overhead);
    Bytes out(target > message.size() ? target - message.size() : 0, std::byte{0});
    append(out, message);
    return out;
}

}  // namespace sessionproto
