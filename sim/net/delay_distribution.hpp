#pragma once
// A random, non-negative extra delay (jitter), drawn from one of our portable distributions.
#include <string>

#include "sim/core/random.hpp"
#include "sim/core/time.hpp"

namespace sessionsim::net {

struct DelayDistribution {
    enum class Kind { none, constant, uniform, exponential, normal, lognormal, pareto, weibull };
    Kind kind = Kind::none;
    /// constant: a = value. uniform: [a, b). exponential: mean a. normal: mean a, sd b (cut at 0).
    /// lognormal: median a, sigma b (of the underlying normal). pareto: minimum a, shape b.
    /// weibull: shape a, scale b.
    /// a and b in milliseconds.
    double a = 0;
    double b = 0;

    static DelayDistribution constant(double ms) { return {Kind::constant, ms, 0}; }
    static DelayDistribution uniform(double lo_ms, double hi_ms) { return {Kind::uniform, lo_ms, hi_ms}; }
    static DelayDistribution exponential(double mean_ms) { return {Kind::exponential, mean_ms, 0}; }
    static DelayDistribution normal(double mean_ms, double sd_ms) { return {Kind::normal, mean_ms, sd_ms}; }
    static DelayDistribution lognormal(double median_ms, double sigma) { return {Kind::lognormal, median_ms, sigma}; }
    static DelayDistribution pareto(double min_ms, double shape) { return {Kind::pareto, min_ms, shape}; }
    static DelayDistribution weibull(double shape, double scale_ms) { return {Kind::weibull, shape, scale_ms}; }

    /// A draw, never negative. Consumes no randomness for `none` and `constant`.
    SimDuration sample(RandomStream& rng) const noexcept;
    /// The mean in milliseconds (normal: of the uncut distribution; pareto with shape <= 1: infinity).
    double mean_ms() const noexcept;
    /// Empty when valid; otherwise what is wrong ("uniform needs 0 <= a <= b").
    std::string problem() const;
};

}  // namespace sessionsim::net
