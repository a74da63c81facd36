#pragma once
// Strong key types (no raw strings for keys) and the Ed25519 / X25519 key operations of
// Session (spec session-crypto §1): identities are Ed25519 keypairs from 32-byte seeds, with the
// X25519 keys derived by libsodium's birational map.
#include <array>
#include <compare>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "models/session/common/bytes.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/common/result.hpp"

namespace sessionproto {

/// N bytes with a type of their own: an Ed25519 public key is not an X25519 public key.
template <std::size_t N, class Tag>
struct FixedBytes {
    static constexpr std::size_t SIZE = N;
    std::array<std::byte, N> data{};

    /// From exactly N bytes; an error naming the type otherwise.
    static Result<FixedBytes> from(ByteView bytes) {
        if (bytes.size() != N) {
            return Error{ErrorCode::bad_length, std::string(Tag::NAME) + " must be " + std::to_string(N) +
                                                    " bytes, got " + std::to_string(bytes.size())};
        }
        FixedBytes out;
        std::copy(bytes.begin(), bytes.end(), out.data.begin());
        return out;
    }
    static Result<FixedBytes> from_hex(std::string_view hex) {
        auto bytes = sessionproto::from_hex(hex);
        if (!bytes) return Error{ErrorCode::bad_encoding, std::string(Tag::NAME) + ": not hex"};
        return from(*bytes);
    }
    ByteView view() const noexcept { return ByteView(data); }
    std::span<std::byte> span() noexcept { return std::span<std::byte>(data); }
    const unsigned char* uc() const noexcept { return reinterpret_cast<const unsigned char*>(data.data()); }
    unsigned char* uc() noexcept { return reinterpret_cast<unsigned char*>(data.data()); }
    std::string hex() const { return to_hex(view()); }
    friend auto operator<=>(const FixedBytes&, const FixedBytes&) = default;
};

struct Ed25519PubkeyTag { static constexpr const char* NAME = "Ed25519 public key"; };
struct Ed25519SeedTag { static constexpr const char* NAME = "Ed25519 seed"; };
struct Ed25519SecretKeyTag { static constexpr const char* NAME = "Ed25519 secret key"; };
struct X25519PubkeyTag { static constexpr const char* NAME = "X25519 public key"; };
struct X25519SecretKeyTag { static constexpr const char* NAME = "X25519 secret key"; };
struct SignatureTag { static constexpr const char* NAME = "Ed25519 signature"; };
struct SymmetricKeyTag { static constexpr const char* NAME = "symmetric key"; };

using Ed25519Pubkey = FixedBytes<32, Ed25519PubkeyTag>;
using Ed25519Seed = FixedBytes<32, Ed25519SeedTag>;
/// seed(32) || pubkey(32), as libsodium lays it out.
using Ed25519SecretKey = FixedBytes<64, Ed25519SecretKeyTag>;
using X25519Pubkey = FixedBytes<32, X25519PubkeyTag>;
using X25519SecretKey = FixedBytes<32, X25519SecretKeyTag>;
using Signature = FixedBytes<64, SignatureTag>;
using SymmetricKey = FixedBytes<32, SymmetricKeyTag>;

struct Ed25519Keypair {
    Ed25519Pubkey pub;
    Ed25519SecretKey sec;
    Ed25519Seed seed() const;
};

struct X25519Keypair {
    X25519Pubkey pub;
    X25519SecretKey sec;
};

/// crypto_sign_ed25519_seed_keypair.
Ed25519Keypair ed25519_from_seed(const Ed25519Seed& seed);
/// A fresh identity: 32 seed bytes from `entropy`.
Ed25519Keypair ed25519_generate(Entropy& entropy);
/// crypto_box_seed_keypair is not what Session uses for ephemeral keys; this draws 32 bytes from
/// `entropy` as the X25519 secret and computes its public key (crypto_scalarmult_base).
X25519Keypair x25519_generate(Entropy& entropy);
/// The public key of an X25519 secret key.
X25519Pubkey x25519_public(const X25519SecretKey& sec);

/// crypto_sign_ed25519_pk_to_curve25519; an error if the point is not a valid Ed25519 key.
Result<X25519Pubkey> x25519_from_ed25519(const Ed25519Pubkey& pub);
/// crypto_sign_ed25519_sk_to_curve25519: SHA-512(seed)[0..32], clamped.
X25519SecretKey x25519_from_ed25519(const Ed25519SecretKey& sec);
/// Both X25519 keys of an identity.
X25519Keypair x25519_from_ed25519(const Ed25519Keypair& identity);

/// Detached Ed25519 signature.
Signature ed25519_sign(const Ed25519SecretKey& sec, ByteView message);
bool ed25519_verify(const Ed25519Pubkey& pub, const Signature& sig, ByteView message);

/// X25519(a, B); an error for a low-order (all-zero output) public key.
Result<SymmetricKey> x25519_shared(const X25519SecretKey& a, const X25519Pubkey& b);

}  // namespace sessionproto
