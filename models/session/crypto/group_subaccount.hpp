#pragma once
// Closed-group (v2) subaccounts (spec session-crypto §5.4; LS src/config/groups/keys.cpp): the group's
// admin gives a member 100 bytes of auth data, `03 || flags || 00 || 00 || k || sig`, with which the
// member signs storage requests for the group's swarm under a blinded key kT = k·XEd(member X25519),
// without the storage server learning who the member is.
#include <array>
#include <cstddef>
#include <cstdint>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/blinding.hpp"
#include "models/session/crypto/keys.hpp"

namespace sessionproto {

/// Subaccount permission flags (oxen-storage-server's values, as LS uses them).
namespace subaccount_flags {
inline constexpr std::uint8_t READ = 0x01;        ///< always set by the admin
inline constexpr std::uint8_t WRITE = 0x02;
inline constexpr std::uint8_t DEL = 0x04;
inline constexpr std::uint8_t ANY_PREFIX = 0x08;  ///< the token is valid for any network prefix
}  // namespace subaccount_flags

/// The network prefix of group accounts, first byte of tokens and auth data.
inline constexpr std::byte GROUP_NETWORK_PREFIX{0x03};

struct SubaccountTokenTag { static constexpr const char* NAME = "subaccount token"; };
struct SubaccountAuthDataTag { static constexpr const char* NAME = "subaccount auth data"; };
/// `03 || flags || 00 || 00 || kT` (36 bytes): what the storage server sees.
using SubaccountToken = FixedBytes<36, SubaccountTokenTag>;
/// `03 || flags || 00 || 00 || k || group signature over the token` (100 bytes): what the member keeps.
using SubaccountAuthData = FixedBytes<100, SubaccountAuthDataTag>;

/// What a member attaches to a storage request: the token, the group's signature over it, and
/// the member's signature over the request.
struct SubaccountSignature {
    SubaccountToken token;
    Signature token_signature;  ///< by the group's Ed25519 key, over `token`
    Signature signature;        ///< by kt (the member's blinded scalar), over the request
};

/// The flags byte for the given permissions (READ always set).
std::uint8_t subaccount_flags_for(bool write, bool del) noexcept;

/// k = reduce64(H64(0x05 || X || 0x03 || group_pk; key=H32(group seed; key="SessionGroupSubaccountMask"))).
/// Inputs: the group's key pair (the seed is its secret half) and the member's X25519 key.
Ed25519Scalar subaccount_blind_factor(const Ed25519Keypair& group, const X25519Pubkey& member);

/// The token `03 || flags || 00 || 00 || k·XEd(X)` for a member (admin side).
/// Errors: invalid_argument when the member's key is not a usable point.
Result<SubaccountToken> make_subaccount_token(const Ed25519Keypair& group, const AccountId& member, bool write,
                                              bool del);

/// The member's 100-byte auth data (admin side).
/// Errors: invalid_argument when the member's key is not a usable point.
Result<SubaccountAuthData> make_subaccount(const Ed25519Keypair& group, const AccountId& member, bool write, bool del);

/// The member signs `message` with its auth data: kt = k·(±s) with the sign making kT = k·|S|, and
/// r = reduce64(H64(H32(seed; key="SubaccountSeed") || kT || M; key="SubaccountSig")).
/// Inputs: the auth data (from the admin, so checked: 100 bytes by type), the member's identity, the message.
/// Errors: invalid_argument when k in the auth data gives an unusable point.
Result<SubaccountSignature> subaccount_sign(const SubaccountAuthData& auth, const Ed25519SecretKey& member,
                                            ByteView message);

/// The member's check of its auth data: flags allow what is asked, and the group signed
/// `03 || flags || 00 || 00 || k·|S|`.
bool verify_subaccount(const Ed25519Pubkey& group_pub, const Ed25519SecretKey& member, const SubaccountAuthData& auth,
                       bool write, bool del);

/// The storage server's check of a subaccount-signed request: the group signed the token, the token
/// allows `need_flags` for this network prefix, and the signature verifies with the token's kT.
bool verify_subaccount_signature(const Ed25519Pubkey& group_pub, const SubaccountSignature& sig, ByteView message,
                                 std::uint8_t need_flags);

}  // namespace sessionproto
