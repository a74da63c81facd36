#pragma once
// A distribution of plain numbers (counts, sizes in bytes, weights) as scenarios describe it, and
// its sampler on our portable random streams. The parameters per kind:
//   constant: a = value          uniform: [a, b]            exponential: mean a
//   normal: mean a, sd b         lognormal: median a, sigma b (of the underlying normal)
//   weibull: shape a, scale b    pareto: minimum a, shape b
//   zipf: exponent s = a, ranks 1..n with n = b (0: the size of the population it is used on)
#include <cstdint>
#include <memory>
#include <string>

#include "sim/core/discrete_distributions.hpp"
#include "sim/core/random.hpp"

namespace sessionsim {

struct DistributionSpec {
    enum class Kind { constant, uniform, exponential, normal, lognormal, weibull, pareto, zipf };
    Kind kind = Kind::constant;
    double a = 0;
    double b = 0;

    static DistributionSpec constant(double value) { return {Kind::constant, value, 0}; }
    static DistributionSpec uniform(double lo, double hi) { return {Kind::uniform, lo, hi}; }
    static DistributionSpec exponential(double mean) { return {Kind::exponential, mean, 0}; }
    static DistributionSpec normal(double mean, double sd) { return {Kind::normal, mean, sd}; }
    static DistributionSpec lognormal(double median, double sigma) { return {Kind::lognormal, median, sigma}; }
    static DistributionSpec weibull(double shape, double scale) { return {Kind::weibull, shape, scale}; }
    static DistributionSpec pareto(double minimum, double shape) { return {Kind::pareto, minimum, shape}; }
    static DistributionSpec zipf(double s, std::uint64_t n = 0) { return {Kind::zipf, s, static_cast<double>(n)}; }

    /// Empty when valid; otherwise what is wrong ("uniform needs min <= max").
    std::string problem() const;
    /// The kind as written in YAML ("lognormal").
    static const char* kind_name(Kind kind) noexcept;
    /// The mean (normal: of the uncut distribution; pareto with shape <= 1: infinity; zipf over
    /// `population` ranks when b is 0).
    double mean(std::uint64_t population = 0) const;
};

/// Draws from a DistributionSpec (valid, see problem()). Zipf ranks come from a precomputed
/// table over n ranks (b, or `population` when b is 0). Negative draws of a normal are cut at 0.
class DistributionSampler {
  public:
    explicit DistributionSampler(const DistributionSpec& spec, std::uint64_t population = 0);
    double sample(RandomStream& rng) const;
    const DistributionSpec& spec() const noexcept { return spec_; }

  private:
    DistributionSpec spec_;
    std::shared_ptr<const ZipfDistribution> zipf_;
};

}  // namespace sessionsim
