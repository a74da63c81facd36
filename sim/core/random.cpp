#include "sim/core/random.hpp"

#include <cmath>
#include <cstring>
#include <numbers>

namespace sessionsim {

RandomStream::RandomStream(std::uint64_t seed) noexcept {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64_next(sm);
}

RandomStream::RandomStream(const std::array<std::uint64_t, 4>& state) noexcept : s_(state) {
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the all-zero state is a fixed point
}

double RandomStream::exponential(double rate) noexcept {
    // 1 - U lies in (0, 1], so the logarithm is finite.
    return -std::log1p(-uniform_real()) / rate;
}

SimDuration RandomStream::exponential_duration(SimDuration mean) noexcept {
    return SimDuration{std::llround(exponential(1.0) * static_cast<double>(mean.count()))};
}

double RandomStream::normal(double mean, double stddev) noexcept {
    const double u1 = 1.0 - uniform_real();  // (0, 1]
    const double u2 = uniform_real();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    return mean + stddev * radius * std::cos(2.0 * std::numbers::pi * u2);
}

double RandomStream::lognormal(double mu, double sigma) noexcept { return std::exp(normal(mu, sigma)); }

double RandomStream::weibull(double shape, double scale) noexcept {
    return scale * std::pow(-std::log1p(-uniform_real()), 1.0 / shape);
}

double RandomStream::pareto(double shape, double scale) noexcept {
    return scale * std::pow(1.0 - uniform_real(), -1.0 / shape);
}

void RandomStream::fill(std::span<std::byte> out) noexcept {
    std::size_t i = 0;
    while (i < out.size()) {
        std::uint64_t word = next_u64();
        for (int b = 0; b < 8 && i < out.size(); ++b, ++i) {
            out[i] = static_cast<std::byte>(word & 0xFF);
            word >>= 8;
        }
    }
}

RandomStream& RandomStreams::stream(std::string_view name) {
    auto it = streams_.find(name);
    if (it == streams_.end()) it = streams_.emplace(std::string(name), derive(seed_, name)).first;
    return it->second;
}

RandomStream RandomStreams::derive(std::uint64_t run_seed, std::string_view name) noexcept {
    // FNV-1a over the name, started from a splitmix64 image of the seed, then splitmix64 again
    // to fill the state: streams of neighbouring seeds or similar names are unrelated.
    std::uint64_t sm = run_seed;
    std::uint64_t h = 0xCBF29CE484222325ULL ^ splitmix64_next(sm);
    for (char c : name) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001B3ULL;
    }
    std::uint64_t mixer = h;
    std::array<std::uint64_t, 4> state{};
    for (auto& word : state) word = splitmix64_next(mixer);
    return RandomStream(state);
}

}  // namespace sessionsim
