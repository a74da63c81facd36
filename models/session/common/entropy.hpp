#pragma once
// Entropy: the ONLY source of randomness in models/. Nothing here calls randombytes_* directly.
// SodiumEntropy is for real use; DeterministicEntropy gives the same bytes for the same seed
// (the simulator seeds one per node from its run seed, so keys and nonces are reproducible).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace sessionproto {

class Entropy {
  public:
    virtual ~Entropy() = default;
    virtual void fill(std::span<std::byte> out) = 0;

    template <std::size_t N>
    std::array<std::byte, N> bytes() {
        std::array<std::byte, N> out{};
        fill(out);
        return out;
    }
    /// Uniform in [0, n), n > 0, without bias.
    std::uint64_t uniform(std::uint64_t n);
};

/// The operating system's randomness, through libsodium.
class SodiumEntropy final : public Entropy {
  public:
    void fill(std::span<std::byte> out) override;
};

/// A reproducible stream: the ChaCha20 keystream (IETF) under a 32-byte seed, continued across calls.
class DeterministicEntropy final : public Entropy {
  public:
    explicit DeterministicEntropy(const std::array<std::byte, 32>& seed) noexcept;
    /// Convenience: the seed is BLAKE2b-256 of the 8 little-endian bytes of `seed` and of `label`.
    DeterministicEntropy(std::uint64_t seed, std::string_view label) noexcept;
    void fill(std::span<std::byte> out) override;
    std::uint64_t bytes_drawn() const noexcept { return drawn_; }

  private:
    void refill() noexcept;
    std::array<std::byte, 32> key_{};
    std::array<std::byte, 64> block_{};
    std::uint64_t counter_ = 0;  // 64-byte blocks used
    std::size_t used_ = 64;      // bytes of block_ consumed
    std::uint64_t drawn_ = 0;
};

}  // namespace sessionproto
