#pragma once
// A running hash over the processed event stream: (time, sequence, tag) of every event, plus any
// key output a model chooses to add. Same scenario + same seed => same fingerprint. Not
// cryptographic: it detects divergence between runs, as OMNeT++'s fingerprints do.
#include <cstdint>
#include <string>
#include <string_view>

namespace sessionsim {

class Fingerprint {
  public:
    void add_event(std::int64_t time_ns, std::uint64_t sequence, std::uint32_t tag) noexcept {
        mix(static_cast<std::uint64_t>(time_ns) * 0x9E3779B97F4A7C15ULL);
        mix(sequence ^ (tag * 0x94D049BB133111EBULL));
    }
    /// Folds a model's own output (a count, a hash of a payload) into the fingerprint.
    void add_value(std::uint64_t value) noexcept { mix(value * 0xBF58476D1CE4E5B9ULL + 1); }
    void add_bytes(std::string_view bytes) noexcept;

    std::uint64_t value() const noexcept { return state_; }
    /// 16 lowercase hex digits.
    std::string hex() const;

  private:
    void mix(std::uint64_t x) noexcept {
        state_ ^= x;
        state_ = ((state_ << 27) | (state_ >> 37)) * 0xD6E8FEB86659FD93ULL;
    }
    std::uint64_t state_ = 0x6A09E667F3BCC908ULL;
};

}  // namespace sessionsim
