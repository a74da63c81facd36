#pragma once
// A distribution as scenarios describe it, drawn on our portable random streams: of plain numbers
// (counts, sizes in bytes, weights) or of durations (jitter, delays, online and offline periods,
// session times; then the parameters marked "time" below are in milliseconds). The parameters per
// kind:
//   none: no draw, 0             constant: a = value (time)    uniform: [a, b] (time)
//   exponential: mean a (time)   normal: mean a, sd b (time; negative draws are cut at 0)
//   lognormal: median a (time), sigma b (of the underlying normal)
//   weibull: shape a, scale b (time)                            pareto: minimum a (time), shape b
//   zipf (numbers only): exponent s = a, ranks 1..n with n = b (0: the size of the population it
//   is used on)
#include <cstdint>
#include <memory>
#include <string>

#include "sim/core/discrete_distributions.hpp"
#include "sim/core/random.hpp"
#include "sim/core/time.hpp"

namespace sessionsim {

struct Distribution {
    enum class Kind { none, constant, uniform, exponential, normal, lognormal, weibull, pareto, zipf };
    /// What a draw is: a plain number, or a duration with the time parameters in milliseconds.
    enum class Unit { number, milliseconds };

    Kind kind = Kind::none;
    double a = 0;
    double b = 0;

    static Distribution none() { return {}; }
    static Distribution constant(double value) { return {Kind::constant, value, 0}; }
    static Distribution uniform(double lo, double hi) { return {Kind::uniform, lo, hi}; }
    static Distribution exponential(double mean) { return {Kind::exponential, mean, 0}; }
    static Distribution normal(double mean, double sd) { return {Kind::normal, mean, sd}; }
    static Distribution lognormal(double median, double sigma) { return {Kind::lognormal, median, sigma}; }
    static Distribution weibull(double shape, double scale) { return {Kind::weibull, shape, scale}; }
    static Distribution pareto(double minimum, double shape) { return {Kind::pareto, minimum, shape}; }
    static Distribution zipf(double s, std::uint64_t n = 0) { return {Kind::zipf, s, static_cast<double>(n)}; }

    /// Empty when valid as a distribution of `unit`; otherwise what is wrong ("uniform needs
    /// 0 <= min <= max", "uniform delay needs 0 <= min <= max"). A normal of durations may have a
    /// negative mean (its draws are cut at 0); zipf is never a duration.
    std::string problem(Unit unit = Unit::number) const;
    /// The kind as written in YAML ("lognormal").
    static const char* kind_name(Kind kind) noexcept;
    /// The mean, in milliseconds for durations (none: 0; normal: of the uncut distribution;
    /// pareto with shape <= 1: infinity; zipf over `population` ranks when b is 0).
    double mean(std::uint64_t population = 0) const;

    /// A draw as a plain number, never negative for a valid distribution. Consumes no randomness
    /// for none (0) and constant. Not zipf: its ranks come from a DistributionSampler's table.
    double sample(RandomStream& rng) const noexcept;
    /// A draw as a duration (the time parameters in milliseconds), never negative. Consumes no
    /// randomness for none and constant. Not zipf.
    SimDuration sample_duration(RandomStream& rng) const noexcept;
};

/// Draws plain numbers from a Distribution (valid, see problem()): Distribution::sample, and
/// zipf ranks from a precomputed table over n ranks (b, or `population` when b is 0).
class DistributionSampler {
  public:
    explicit DistributionSampler(const Distribution& distribution, std::uint64_t population = 0);
    double sample(RandomStream& rng) const;
    const Distribution& distribution() const noexcept { return distribution_; }

  private:
    Distribution distribution_;
    std::shared_ptr<const ZipfDistribution> zipf_;
};

}  // namespace sessionsim
