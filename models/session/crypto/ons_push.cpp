#include "models/session/crypto/ons_push.hpp"

#include <sodium.h>

#include <string>

#include "models/session/common/sodium.hpp"

namespace sessionproto {
namespace {

constexpr std::size_t NONCE = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t TAG = crypto_aead_xchacha20poly1305_ietf_ABYTES;

Bytes seal(ByteView message, const SymmetricKey& key, ByteView nonce) {
    Bytes out(message.size() + TAG);
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()), nullptr, uc(message),
                                               message.size(), nullptr, 0, nullptr, uc(nonce), key.uc());
    return out;
}

bool open(Bytes& out, ByteView ciphertext, const SymmetricKey& key, ByteView nonce) {
    out.resize(ciphertext.size() - TAG);
    return crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), nullptr, nullptr,
                                                      uc(ciphertext), ciphertext.size(), nullptr, 0, uc(nonce),
                                                      key.uc()) == 0;
}

}  // namespace

SymmetricKey ons_key(std::string_view lowercase_name) {
    sodium_ready();
    const auto* name = reinterpret_cast<const unsigned char*>(lowercase_name.data());
    std::array<unsigned char, 32> name_hash{};
    crypto_generichash_blake2b(name_hash.data(), name_hash.size(), name, lowercase_name.size(), nullptr, 0);
    SymmetricKey key;
    crypto_generichash_blake2b(key.uc(), 32, name, lowercase_name.size(), name_hash.data(), name_hash.size());
    return key;
}

Result<AccountId> decrypt_ons_response(std::string_view lowercase_name, ByteView ciphertext, const XChaChaNonce& nonce) {
    if (ciphertext.size() < TAG) {
        return Error{ErrorCode::truncated, "ONS ciphertext shorter than its tag: " + std::to_string(ciphertext.size())};
    }
    const auto key = ons_key(lowercase_name);
    Bytes plain;
    if (!open(plain, ciphertext, key, ByteView(nonce))) {
        return Error{ErrorCode::decrypt_failed, "ONS record does not decrypt with this name"};
    }
    if (plain.size() != 33) {
        return Error{ErrorCode::bad_length, "ONS record is " + std::to_string(plain.size()) + " bytes, not 33"};
    }
    return AccountId::from_bytes(plain);
}

Bytes encrypt_ons_record(std::string_view lowercase_name, const AccountId& id, const XChaChaNonce& nonce) {
    return seal(id.bytes(), ons_key(lowercase_name), ByteView(nonce));
}

Result<Bytes> decrypt_push_notification(ByteView payload, const SymmetricKey& key) {
    sodium_ready();
    if (payload.size() < NONCE + TAG) {
        return Error{ErrorCode::truncated, "push payload too short: " + std::to_string(payload.size()) + " bytes"};
    }
    Bytes plain;
    if (!open(plain, payload.subspan(NONCE), key, payload.first(NONCE))) {
        return Error{ErrorCode::decrypt_failed, "push notification does not decrypt with this key"};
    }
    while (!plain.empty() && plain.back() == std::byte{0}) plain.pop_back();
    return plain;
}

Bytes encrypt_push_notification(ByteView message, const SymmetricKey& key, const XChaChaNonce& nonce,
                                std::size_t padding) {
    sodium_ready();
    Bytes padded(message.begin(), message.end());
    padded.resize(message.size() + padding, std::byte{0});
    Bytes out(nonce.begin(), nonce.end());
    append(out, seal(padded, key, ByteView(nonce)));
    return out;
}

}  // namespace sessionproto
