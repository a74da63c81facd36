#include "models/session/common/entropy.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <string_view>

#include "models/session/common/sodium.hpp"

namespace sessionproto {

std::uint64_t Entropy::uniform(std::uint64_t n) {
    // Rejection sampling on 64-bit draws: threshold = 2^64 mod n.
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
        const auto b = bytes<8>();
        std::uint64_t v = 0;
        for (int i = 7; i >= 0; --i) v = (v << 8) | std::to_integer<std::uint64_t>(b[i]);
        if (v >= threshold) return v % n;
    }
}

void SodiumEntropy::fill(std::span<std::byte> out) {
    sodium_ready();
    os_random_bytes(out.data(), out.size());
}

DeterministicEntropy::DeterministicEntropy(const std::array<std::byte, 32>& seed) noexcept : key_(seed) {}

DeterministicEntropy::DeterministicEntropy(std::uint64_t seed, std::string_view label) noexcept {
    sodium_ready();
    unsigned char le[8];
    for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>((seed >> (8 * i)) & 0xFF);
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, 32);
    crypto_generichash_update(&st, le, 8);
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(label.data()), label.size());
    crypto_generichash_final(&st, reinterpret_cast<unsigned char*>(key_.data()), 32);
}

void DeterministicEntropy::refill() noexcept {
    // Block `counter_` of the keystream: nonce = 0, initial block counter = counter_.
    unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
    unsigned char zeros[64] = {};
    const auto ic = static_cast<std::uint32_t>(counter_ & 0xFFFFFFFF);
    // The 96-bit nonce carries the high bits of the block counter, so the stream never repeats.
    const auto high = counter_ >> 32;
    for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<unsigned char>((high >> (8 * i)) & 0xFF);
    crypto_stream_chacha20_ietf_xor_ic(reinterpret_cast<unsigned char*>(block_.data()), zeros, 64, nonce, ic,
                                       reinterpret_cast<const unsigned char*>(key_.data()));
    ++counter_;
    used_ = 0;
}

void DeterministicEntropy::fill(std::span<std::byte> out) {
    std::size_t i = 0;
    while (i < out.size()) {
        if (used_ == block_.size()) refill();
        const std::size_t n = std::min(out.size() - i, block_.size() - used_);
        std::memcpy(out.data() + i, block_.data() + used_, n);
        used_ += n;
        i += n;
    }
    drawn_ += out.size();
}

}  // namespace sessionproto
