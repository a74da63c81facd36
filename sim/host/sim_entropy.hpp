#pragma once
// The protocol core's randomness inside the simulator: an Entropy fed by one of the run's named
// random streams, so every key and nonce of a run follows from its seed.
#include "models/session/common/entropy.hpp"
#include "sim/core/random.hpp"

namespace sessionsim::host {

class SimEntropy final : public sessionproto::Entropy {
  public:
    explicit SimEntropy(RandomStream stream) noexcept : stream_(stream) {}
    void fill(std::span<std::byte> out) override {
        stream_.fill(out);
        drawn_ += out.size();
    }
    std::uint64_t bytes_drawn() const noexcept { return drawn_; }

  private:
    RandomStream stream_;
    std::uint64_t drawn_ = 0;
};

}  // namespace sessionsim::host
