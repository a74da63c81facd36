#pragma once
// Account IDs (a.k.a. Session IDs) and the other prefixed 33-byte IDs (spec session-crypto §1):
// a one-byte type prefix and a 32-byte key, written as 66 lowercase hex characters.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "models/session/common/result.hpp"
#include "models/session/crypto/keys.hpp"

namespace sessionproto {

enum class IdPrefix : std::uint8_t {
    unblinded = 0x00,  ///< 00 + Ed25519 pubkey (SOGS headers)
    standard = 0x05,   ///< 05 + X25519 pubkey: the Account ID
    group = 0x03,      ///< 03 + group Ed25519 pubkey (closed groups v2)
    version = 0x07,    ///< version-check blinded key
    blinded15 = 0x15,  ///< community blinded ID, legacy scheme
    blinded25 = 0x25,  ///< community blinded ID, current scheme
};

/// An ID of any of the prefixes above.
class SessionId {
  public:
    SessionId(IdPrefix prefix, const std::array<std::byte, 32>& key) noexcept : prefix_(prefix), key_(key) {}

    /// 66 hex characters with a known prefix. Errors: bad_length (not 66 characters),
    /// bad_encoding (not hex), bad_prefix (an unknown type byte).
    static Result<SessionId> parse(std::string_view hex);
    /// 33 raw bytes.
    static Result<SessionId> from_bytes(ByteView bytes);

    IdPrefix prefix() const noexcept { return prefix_; }
    const std::array<std::byte, 32>& key() const noexcept { return key_; }
    ByteView key_view() const noexcept { return ByteView(key_); }
    /// prefix || key, 33 bytes.
    Bytes bytes() const;
    std::string hex() const;
    friend auto operator<=>(const SessionId&, const SessionId&) = default;

  private:
    IdPrefix prefix_;
    std::array<std::byte, 32> key_;
};

/// The Account ID: a SessionId whose prefix is 05, the key an X25519 public key.
class AccountId {
  public:
    explicit AccountId(const X25519Pubkey& key) noexcept : key_(key) {}
    /// 66 hex characters starting with "05"; errors name what is wrong.
    static Result<AccountId> parse(std::string_view hex);
    static Result<AccountId> from_bytes(ByteView bytes);
    /// The Account ID of an identity: 05 || pk_to_curve25519(edpk).
    static Result<AccountId> from_ed25519(const Ed25519Pubkey& pub);

    const X25519Pubkey& x25519() const noexcept { return key_; }
    Bytes bytes() const;
    std::string hex() const;
    SessionId as_session_id() const noexcept { return SessionId(IdPrefix::standard, key_.data); }
    friend auto operator<=>(const AccountId&, const AccountId&) = default;

  private:
    X25519Pubkey key_;
};

}  // namespace sessionproto
