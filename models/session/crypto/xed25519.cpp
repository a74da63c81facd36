#include "models/session/crypto/xed25519.hpp"

namespace sessionproto {
namespace field25519 {
namespace {

using u128 = unsigned __int128;
constexpr std::uint64_t LOW63 = 0x7fffffffffffffffULL;

/// r += c * 2^256 (mod p), using 2^256 = 38 (mod p), until nothing carries out of the top limb.
void fold_top(std::array<std::uint64_t, 4>& r, std::uint64_t c) noexcept {
    while (c != 0) {
        u128 v = static_cast<u128>(c) * 38U;
        for (auto& limb : r) {
            v += limb;
            limb = static_cast<std::uint64_t>(v);
            v >>= 64;
        }
        c = static_cast<std::uint64_t>(v);
    }
}

/// r += small, propagating the carry; the caller guarantees no carry out of the top limb.
void add_small(std::array<std::uint64_t, 4>& r, std::uint64_t small) noexcept {
    u128 v = small;
    for (auto& limb : r) {
        v += limb;
        limb = static_cast<std::uint64_t>(v);
        v >>= 64;
    }
}

}  // namespace

Fe from_bytes(const std::array<std::byte, 32>& bytes) noexcept {
    Fe out;
    for (std::size_t i = 0; i < 4; ++i) {
        std::uint64_t w = 0;
        for (std::size_t j = 0; j < 8; ++j) {
            w |= static_cast<std::uint64_t>(std::to_integer<std::uint8_t>(bytes[8 * i + j])) << (8 * j);
        }
        out.limb[i] = w;
    }
    out.limb[3] &= LOW63;
    return out;
}

std::array<std::byte, 32> to_bytes(const Fe& a) noexcept {
    auto r = a.limb;
    // Fold bit 255 down twice (2^255 = 19 mod p): afterwards r < 2^255.
    for (int round = 0; round < 2; ++round) {
        const std::uint64_t top = r[3] >> 63;
        r[3] &= LOW63;
        add_small(r, top * 19U);
    }
    // Now r < 2^255; subtract p once if r >= p, i.e. if r + 19 reaches 2^255.
    auto s = r;
    add_small(s, 19U);
    if ((s[3] >> 63) != 0) {
        s[3] &= LOW63;
        r = s;
    }
    std::array<std::byte, 32> out{};
    for (std::size_t i = 0; i < 4; ++i) {
        for (std::size_t j = 0; j < 8; ++j) out[8 * i + j] = static_cast<std::byte>(r[i] >> (8 * j));
    }
    return out;
}

Fe from_u64(std::uint64_t v) noexcept {
    Fe out;
    out.limb[0] = v;
    return out;
}

Fe add(const Fe& a, const Fe& b) noexcept {
    Fe out;
    u128 v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        v += static_cast<u128>(a.limb[i]) + b.limb[i];
        out.limb[i] = static_cast<std::uint64_t>(v);
        v >>= 64;
    }
    fold_top(out.limb, static_cast<std::uint64_t>(v));
    return out;
}

Fe sub(const Fe& a, const Fe& b) noexcept {
    Fe out;
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const u128 d = static_cast<u128>(a.limb[i]) - b.limb[i] - borrow;
        out.limb[i] = static_cast<std::uint64_t>(d);
        borrow = static_cast<std::uint64_t>(d >> 64) & 1U;
    }
    // A borrow means the result wrapped by +2^256 = +38 (mod p): take 38 off again, as often as
    // that itself borrows.
    while (borrow != 0) {
        std::uint64_t sub_val = 38;
        borrow = 0;
        for (auto& limb : out.limb) {
            const u128 d = static_cast<u128>(limb) - sub_val - borrow;
            limb = static_cast<std::uint64_t>(d);
            borrow = static_cast<std::uint64_t>(d >> 64) & 1U;
            sub_val = 0;
        }
    }
    return out;
}

Fe mul(const Fe& a, const Fe& b) noexcept {
    std::array<std::uint64_t, 8> t{};
    for (std::size_t i = 0; i < 4; ++i) {
        u128 carry = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const u128 v = static_cast<u128>(a.limb[i]) * b.limb[j] + t[i + j] + carry;
            t[i + j] = static_cast<std::uint64_t>(v);
            carry = v >> 64;
        }
        t[i + 4] = static_cast<std::uint64_t>(carry);
    }
    // t = lo + 2^256 hi = lo + 38 hi (mod p).
    Fe out;
    u128 carry = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const u128 v = static_cast<u128>(t[4 + i]) * 38U + t[i] + carry;
        out.limb[i] = static_cast<std::uint64_t>(v);
        carry = v >> 64;
    }
    fold_top(out.limb, static_cast<std::uint64_t>(carry));
    return out;
}

Fe invert(const Fe& a) noexcept {
    // p - 2 = 2^255 - 21, little-endian limbs.
    constexpr std::array<std::uint64_t, 4> EXPONENT{0xffffffffffffffebULL, 0xffffffffffffffffULL,
                                                    0xffffffffffffffffULL, 0x7fffffffffffffffULL};
    Fe result = from_u64(1);
    for (int bit = 254; bit >= 0; --bit) {
        result = mul(result, result);
        if (((EXPONENT[static_cast<std::size_t>(bit) / 64] >> (bit % 64)) & 1U) != 0) result = mul(result, a);
    }
    return result;
}

bool equal(const Fe& a, const Fe& b) noexcept { return to_bytes(a) == to_bytes(b); }

}  // namespace field25519

Ed25519Pubkey xed25519_pubkey(const X25519Pubkey& x) {
    using namespace field25519;
    const Fe u = from_bytes(x.data);
    const Fe one = from_u64(1);
    const Fe y = mul(sub(u, one), invert(add(u, one)));
    Ed25519Pubkey out;
    out.data = to_bytes(y);  // canonical, so below p < 2^255: the sign bit is already 0
    return out;
}

}  // namespace sessionproto
