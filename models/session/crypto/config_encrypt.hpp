#pragma once
// Config message encryption (spec session-crypto §5.4; LS src/config/encrypt.cpp): a deterministic
// XChaCha20-Poly1305 encryption whose nonce is a keyed hash of the message, with the key bound to
// the message length and the domain. Output: `ct || nonce(24)`. And the padding sizes config
// messages are padded to.
#include <cstddef>
#include <string_view>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/keys.hpp"

namespace sessionproto {

/// Bytes `config_encrypt` adds: the 16-byte tag and the 24-byte nonce.
inline constexpr std::size_t CONFIG_ENCRYPT_OVERHEAD = 40;
/// The longest domain `config_encrypt` accepts (LS DOMAIN_MAX_SIZE).
inline constexpr std::size_t CONFIG_DOMAIN_MAX_SIZE = 24;

/// Encrypts a config message.
/// key = H32(key_base || BE64(len) || domain); nonce = H24(message; key="libsessionutil-config-encrypted-" + domain).
/// Inputs: the message, the 32-byte key base, the domain (1..24 bytes).
/// Outputs: `ciphertext || nonce`, message size + 40 bytes.
/// Errors: invalid_argument (domain empty or longer than 24 bytes).
Result<Bytes> config_encrypt(ByteView message, const SymmetricKey& key_base, std::string_view domain);

/// Decrypts what config_encrypt produced (untrusted input).
/// Errors: invalid_argument (domain), truncated (shorter than 40 bytes), decrypt_failed.
Result<Bytes> config_decrypt(ByteView ciphertext, const SymmetricKey& key_base, std::string_view domain);

/// The size a message of `size` bytes is padded to so that size + overhead is a multiple of 256
/// (below 5120), 1024 (below 20480), 2048 (below 40960) or 5120 (from there up); always >= size.
std::size_t padded_size(std::size_t size, std::size_t overhead = CONFIG_ENCRYPT_OVERHEAD) noexcept;

/// The message with null bytes prepended up to padded_size(size, overhead).
Bytes pad_config_message(ByteView message, std::size_t overhead = CONFIG_ENCRYPT_OVERHEAD);

}  // namespace sessionproto
