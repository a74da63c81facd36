#pragma once
// Seeded random streams and our own portable distributions.
//
// The generator is xoshiro256** (Blackman & Vigna, 2018); its state is seeded through splitmix64.
// Every distribution below is written here, on purpose: std:: distributions are
// implementation-defined, so the same seed would give different runs on different standard
// libraries. Continuous distributions use <cmath> (log, exp, pow, sqrt, cos) on doubles.
//
// Streams are named: RandomStreams(seed).stream("client/4711/paths") depends only on the run seed
// and the name, never on which streams were created before it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace sessionsim {

/// splitmix64 (Steele, Lea & Flood, 2014): advances `state` and returns the next output.
constexpr std::uint64_t splitmix64_next(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

class RandomStream {
  public:
    /// Seeds the four state words from splitmix64(seed), as the xoshiro authors recommend.
    explicit RandomStream(std::uint64_t seed) noexcept;
    /// A state given word for word (tests against the reference implementation). Not all zero.
    explicit RandomStream(const std::array<std::uint64_t, 4>& state) noexcept;

    /// xoshiro256**: the next 64 uniformly distributed bits.
    std::uint64_t next_u64() noexcept {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /// Uniform integer in [lo, hi_inclusive] without bias (Lemire's multiply-and-reject).
    std::uint64_t uniform_int(std::uint64_t lo, std::uint64_t hi_inclusive) noexcept {
        const std::uint64_t range = hi_inclusive - lo;
        if (range == UINT64_MAX) return next_u64();
        const std::uint64_t span = range + 1;
        unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * span;
        auto low = static_cast<std::uint64_t>(m);
        if (low < span) {
            const std::uint64_t threshold = (0 - span) % span;
            while (low < threshold) {
                m = static_cast<unsigned __int128>(next_u64()) * span;
                low = static_cast<std::uint64_t>(m);
            }
        }
        return lo + static_cast<std::uint64_t>(m >> 64);
    }
    /// Uniform index in [0, n): n must be > 0.
    std::size_t index(std::size_t n) noexcept { return static_cast<std::size_t>(uniform_int(0, n - 1)); }

    /// Uniform double in [0, 1), 53 random bits.
    double uniform_real() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
    /// Uniform double in [lo, hi).
    double uniform_real(double lo, double hi) noexcept { return lo + (hi - lo) * uniform_real(); }
    /// true with probability p (p <= 0: never, p >= 1: always).
    bool bernoulli(double p) noexcept { return uniform_real() < p; }

    /// Exponential with the given rate (mean 1/rate), by inversion.
    double exponential(double rate) noexcept;
    /// Exponential duration with the given mean, rounded to the nanosecond.
    SimDuration exponential_duration(SimDuration mean) noexcept;
    /// Normal (Box-Muller, one output per call: two uniforms each time, no hidden state).
    double normal(double mean, double stddev) noexcept;
    /// exp(Normal(mu, sigma)): mu and sigma are the parameters of the underlying normal.
    double lognormal(double mu, double sigma) noexcept;
    /// Weibull with shape k and scale lambda, by inversion.
    double weibull(double shape, double scale) noexcept;
    /// Pareto (type I) with shape alpha and minimum x_m, by inversion.
    double pareto(double shape, double scale) noexcept;

    /// Fills `out` with random bytes (8 per generator step, little-endian).
    void fill(std::span<std::byte> out) noexcept;

    const std::array<std::uint64_t, 4>& state() const noexcept { return s_; }

  private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
        return (x << k) | (x >> (64 - k));
    }
    std::array<std::uint64_t, 4> s_{};
};

/// The run's named random streams.
class RandomStreams {
  public:
    explicit RandomStreams(std::uint64_t run_seed) noexcept : seed_(run_seed) {}

    /// The stream called `name`, created on first use; the reference stays valid for the life of
    /// this object. Same (run seed, name) => same sequence, whatever the order of creation.
    RandomStream& stream(std::string_view name);
    /// A fresh copy of the stream called `name`, at its start.
    RandomStream derive(std::string_view name) const noexcept { return derive(seed_, name); }
    static RandomStream derive(std::uint64_t run_seed, std::string_view name) noexcept;

    std::uint64_t seed() const noexcept { return seed_; }

  private:
    std::uint64_t seed_;
    std::map<std::string, RandomStream, std::less<>> streams_;
};

}  // namespace sessionsim
