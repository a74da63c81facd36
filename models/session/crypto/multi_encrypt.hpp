#pragma once
// Multi-recipient encryption (spec session-crypto §5.4; LS src/multi_encrypt.cpp): one message (or
// one per recipient) encrypted for many X25519 recipients under one shared nonce. Each recipient's
// key is H32(X25519(a, B) || A || B; key=domain), sender values first; the cipher is
// XChaCha20-Poly1305. Recipients do not learn which entry is theirs: they try each.
#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/keys.hpp"

namespace sessionproto {

/// An XChaCha20-Poly1305 nonce.
using XChaChaNonce = std::array<std::byte, 24>;

/// Bytes each encrypted entry adds to its message (the Poly1305 tag).
inline constexpr std::size_t MULTI_ENCRYPT_OVERHEAD = 16;

/// The per-recipient key. `encrypting` says whether (own, other) is (sender, recipient) or the
/// reverse, which fixes the order of the public keys in the hash (sender first).
/// Errors: invalid_argument (the other key is of low order).
Result<SymmetricKey> multi_encrypt_key(const X25519Keypair& own, const X25519Pubkey& other, bool encrypting,
                                       std::string_view domain);

/// Encrypts for every recipient, in order.
/// Inputs: `messages` -- one message for everybody, or exactly one per recipient; `recipients` -- X25519
/// keys; `nonce` -- shared by all entries; `sender` -- the sender's X25519 key pair; `domain` -- the hash
/// key separating uses (at most 64 bytes are used).
/// Outputs: one ciphertext (message + 16 bytes) per recipient.
/// Errors: invalid_argument (message count neither 1 nor the recipient count; a low-order recipient key).
Result<std::vector<Bytes>> encrypt_for_multiple(std::span<const Bytes> messages,
                                                std::span<const X25519Pubkey> recipients, const XChaChaNonce& nonce,
                                                const X25519Keypair& sender, std::string_view domain);

/// The recipient's side: the first entry that decrypts under our key.
/// Errors: invalid_argument (low-order sender key), decrypt_failed (no entry is ours).
Result<Bytes> decrypt_for_multiple(std::span<const Bytes> ciphertexts, const XChaChaNonce& nonce,
                                   const X25519Keypair& recipient, const X25519Pubkey& sender,
                                   std::string_view domain);

/// The "simple" bencoded form: `d1:#24:<nonce>1:el<ct>...ee`, the list padded with random junk
/// entries (message size + 16 bytes) up to a multiple of `pad` when `pad` > 1.
/// `junk` supplies the padding bytes; it is not touched when pad <= 1.
/// Errors: as encrypt_for_multiple.
Result<Bytes> encrypt_for_multiple_simple(std::span<const Bytes> messages, std::span<const X25519Pubkey> recipients,
                                          const XChaChaNonce& nonce, const X25519Keypair& sender,
                                          std::string_view domain, int pad, Entropy& junk);
/// The same without padding (deterministic).
Result<Bytes> encrypt_for_multiple_simple(std::span<const Bytes> messages, std::span<const X25519Pubkey> recipients,
                                          const XChaChaNonce& nonce, const X25519Keypair& sender,
                                          std::string_view domain);
/// The same with a nonce drawn from `entropy`.
Result<Bytes> encrypt_for_multiple_simple(std::span<const Bytes> messages, std::span<const X25519Pubkey> recipients,
                                          const X25519Keypair& sender, std::string_view domain, int pad,
                                          Entropy& entropy);

/// Parses the bencoded form (untrusted) and decrypts our entry.
/// Errors: bad_encoding (not a dict with a 24-byte "#" and an "e" list of strings), decrypt_failed.
Result<Bytes> decrypt_for_multiple_simple(ByteView encoded, const X25519Keypair& recipient,
                                          const X25519Pubkey& sender, std::string_view domain);

}  // namespace sessionproto
