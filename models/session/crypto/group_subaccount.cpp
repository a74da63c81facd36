#include "models/session/crypto/group_subaccount.hpp"

#include <sodium.h>

#include <initializer_list>
#include <string_view>

#include "models/session/common/sodium.hpp"
#include "models/session/common/hash.hpp"
#include "models/session/crypto/xed25519.hpp"

namespace sessionproto {
namespace {

// Hash keys from LS src/config/groups/keys.cpp.
constexpr std::string_view MASK_KEY = "SessionGroupSubaccountMask";
constexpr std::string_view SEED_KEY = "SubaccountSeed";
constexpr std::string_view SIG_KEY = "SubaccountSig";

/// k·P; an error when libsodium refuses the point or the product is the identity.
Result<Ed25519Pubkey> point_mul(const Ed25519Scalar& k, const Ed25519Pubkey& p) {
    Ed25519Pubkey out;
    if (crypto_scalarmult_ed25519_noclamp(out.uc(), k.uc(), p.uc()) != 0) {
        return Error{ErrorCode::invalid_argument, "not a usable Ed25519 point for a subaccount"};
    }
    return out;
}

std::array<std::byte, 4> token_header(std::uint8_t flags) {
    return {GROUP_NETWORK_PREFIX, static_cast<std::byte>(flags), std::byte{0}, std::byte{0}};
}

Ed25519Keypair normalised(const Ed25519SecretKey& identity) {
    Ed25519Seed seed;
    std::copy(identity.data.begin(), identity.data.begin() + 32, seed.data.begin());
    return ed25519_from_seed(seed);
}

bool flags_allow(std::byte prefix, std::uint8_t flags, std::uint8_t need) {
    if (prefix != GROUP_NETWORK_PREFIX && (flags & subaccount_flags::ANY_PREFIX) == 0) return false;
    need |= subaccount_flags::READ;
    return (flags & need) == need;
}

}  // namespace

std::uint8_t subaccount_flags_for(bool write, bool del) noexcept {
    return static_cast<std::uint8_t>(subaccount_flags::READ | (write ? subaccount_flags::WRITE : 0) |
                                     (del ? subaccount_flags::DEL : 0));
}

Ed25519Scalar subaccount_blind_factor(const Ed25519Keypair& group, const X25519Pubkey& member) {
    sodium_ready();
    const auto mask = blake2b_parts<32>({group.sec.view().first(32)}, as_bytes(MASK_KEY));
    const std::array<std::byte, 1> p05{std::byte{0x05}};
    const std::array<std::byte, 1> p03{GROUP_NETWORK_PREFIX};
    const auto wide = blake2b_parts<64>({ByteView(p05), member.view(), ByteView(p03), group.pub.view()}, ByteView(mask));
    Ed25519Scalar k;
    crypto_core_ed25519_scalar_reduce(k.uc(), reinterpret_cast<const unsigned char*>(wide.data()));
    return k;
}

Result<SubaccountToken> make_subaccount_token(const Ed25519Keypair& group, const AccountId& member, bool write,
                                              bool del) {
    const auto k = subaccount_blind_factor(group, member.x25519());
    const auto kT = point_mul(k, xed25519_pubkey(member.x25519()));
    if (!kT) return kT.error();
    SubaccountToken token;
    const auto header = token_header(subaccount_flags_for(write, del));
    std::copy(header.begin(), header.end(), token.data.begin());
    std::copy(kT->data.begin(), kT->data.end(), token.data.begin() + 4);
    return token;
}

Result<SubaccountAuthData> make_subaccount(const Ed25519Keypair& group, const AccountId& member, bool write, bool del) {
    const auto token = make_subaccount_token(group, member, write, del);
    if (!token) return token.error();
    const auto k = subaccount_blind_factor(group, member.x25519());
    const auto sig = ed25519_sign(group.sec, token->view());
    SubaccountAuthData auth;
    std::copy(token->data.begin(), token->data.begin() + 4, auth.data.begin());
    std::copy(k.data.begin(), k.data.end(), auth.data.begin() + 4);
    std::copy(sig.data.begin(), sig.data.end(), auth.data.begin() + 36);
    return auth;
}

Result<SubaccountSignature> subaccount_sign(const SubaccountAuthData& auth, const Ed25519SecretKey& member,
                                            ByteView message) {
    sodium_ready();
    const auto kp = normalised(member);
    Ed25519Scalar k;
    std::copy(auth.data.begin() + 4, auth.data.begin() + 36, k.data.begin());

    // T = |S|: the member's key with the sign bit cleared; t = ±s to match.
    auto T = kp.pub;
    const bool negative = (std::to_integer<unsigned>(T.data[31]) & 0x80U) != 0;
    T.data[31] &= std::byte{0x7f};
    const auto kT = point_mul(k, T);
    if (!kT) return kT.error();

    Ed25519Scalar t;
    t.data = x25519_from_ed25519(kp.sec).data;  // the clamped secret scalar s
    if (negative) crypto_core_ed25519_scalar_negate(t.uc(), t.uc());
    Ed25519Scalar kt;
    crypto_core_ed25519_scalar_mul(kt.uc(), k.uc(), t.uc());

    const auto seed_hash = blake2b_parts<32>({kp.sec.view().first(32)}, as_bytes(SEED_KEY));
    const auto wide = blake2b_parts<64>({ByteView(seed_hash), kT->view(), message}, as_bytes(SIG_KEY));
    Ed25519Scalar r;
    crypto_core_ed25519_scalar_reduce(r.uc(), reinterpret_cast<const unsigned char*>(wide.data()));

    SubaccountSignature out;
    std::copy(auth.data.begin(), auth.data.begin() + 4, out.token.data.begin());
    std::copy(kT->data.begin(), kT->data.end(), out.token.data.begin() + 4);
    std::copy(auth.data.begin() + 36, auth.data.end(), out.token_signature.data.begin());
    out.signature = sign_with_scalar(kt, *kT, r, message);
    return out;
}

bool verify_subaccount(const Ed25519Pubkey& group_pub, const Ed25519SecretKey& member, const SubaccountAuthData& auth,
                       bool write, bool del) {
    sodium_ready();
    const auto flags = std::to_integer<std::uint8_t>(auth.data[1]);
    std::uint8_t need = 0;
    if (write) need |= subaccount_flags::WRITE;
    if (del) need |= subaccount_flags::DEL;
    if (!flags_allow(auth.data[0], flags, need)) return false;

    auto T = normalised(member).pub;
    T.data[31] &= std::byte{0x7f};
    Ed25519Scalar k;
    std::copy(auth.data.begin() + 4, auth.data.begin() + 36, k.data.begin());
    const auto kT = point_mul(k, T);
    if (!kT) return false;
    std::array<std::byte, 36> signed_token{};
    std::copy(auth.data.begin(), auth.data.begin() + 4, signed_token.begin());
    std::copy(kT->data.begin(), kT->data.end(), signed_token.begin() + 4);
    Signature sig;
    std::copy(auth.data.begin() + 36, auth.data.end(), sig.data.begin());
    return ed25519_verify(group_pub, sig, ByteView(signed_token));
}

bool verify_subaccount_signature(const Ed25519Pubkey& group_pub, const SubaccountSignature& sig, ByteView message,
                                 std::uint8_t need_flags) {
    if (!flags_allow(sig.token.data[0], std::to_integer<std::uint8_t>(sig.token.data[1]), need_flags)) return false;
    if (!ed25519_verify(group_pub, sig.token_signature, sig.token.view())) return false;
    Ed25519Pubkey kT;
    std::copy(sig.token.data.begin() + 4, sig.token.data.end(), kT.data.begin());
    return ed25519_verify(kT, sig.signature, message);
}

}  // namespace sessionproto
