#include "sim/core/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/core/assert.hpp"

namespace sessionsim {

const char* Distribution::kind_name(Kind kind) noexcept {
    switch (kind) {
        case Kind::none: return "none";
        case Kind::constant: return "constant";
        case Kind::uniform: return "uniform";
        case Kind::exponential: return "exponential";
        case Kind::normal: return "normal";
        case Kind::lognormal: return "lognormal";
        case Kind::weibull: return "weibull";
        case Kind::pareto: return "pareto";
        case Kind::zipf: return "zipf";
    }
    return "?";
}

std::string Distribution::problem(Unit unit) const {
    if (!std::isfinite(a) || !std::isfinite(b)) return "parameters must be finite numbers";
    const bool time = unit == Unit::milliseconds;
    // The message when `valid` is false, as durations or as numbers.
    auto check = [time](bool valid, const char* as_time, const char* as_number) -> std::string {
        return valid ? "" : time ? as_time : as_number;
    };
    switch (kind) {
        case Kind::none: return "";
        case Kind::constant: return check(a >= 0, "constant delay must be >= 0 ms", "constant needs a value >= 0");
        case Kind::uniform:
            return check(a >= 0 && a <= b, "uniform delay needs 0 <= min <= max", "uniform needs 0 <= min <= max");
        case Kind::exponential:
            return check(a > 0, "exponential delay needs a mean > 0 ms", "exponential needs a mean > 0");
        case Kind::normal:
            return check((time || a >= 0) && b >= 0, "normal delay needs a standard deviation >= 0",
                         "normal needs a mean >= 0 and sd >= 0");
        case Kind::lognormal:
            return check(a > 0 && b >= 0, "lognormal delay needs a median > 0 ms and sigma >= 0",
                         "lognormal needs a median > 0 and sigma >= 0");
        case Kind::weibull:
            return check(a > 0 && b > 0, "weibull delay needs a shape > 0 and a scale > 0 ms",
                         "weibull needs a shape > 0 and a scale > 0");
        case Kind::pareto:
            return check(a > 0 && b > 0, "pareto delay needs a minimum > 0 ms and a shape > 0",
                         "pareto needs a minimum > 0 and a shape > 0");
        case Kind::zipf:
            return check(!time && a >= 0 && b >= 0 && b == std::floor(b), "zipf is not a distribution of durations",
                         "zipf needs an exponent s >= 0 and a whole n >= 0");
    }
    return "";
}

double Distribution::mean(std::uint64_t population) const {
    switch (kind) {
        case Kind::none: return 0;
        case Kind::constant: return a;
        case Kind::uniform: return (a + b) / 2;
        case Kind::exponential: return a;
        case Kind::normal: return a;
        case Kind::lognormal: return a * std::exp(b * b / 2);
        case Kind::weibull: return b * std::tgamma(1 + 1 / a);
        case Kind::pareto: return b > 1 ? b * a / (b - 1) : std::numeric_limits<double>::infinity();
        case Kind::zipf: {
            const auto n = static_cast<std::uint64_t>(b > 0 ? b : static_cast<double>(population));
            double h = 0, hk = 0;
            for (std::uint64_t k = 1; k <= n; ++k) {
                const double w = std::pow(static_cast<double>(k), -a);
                h += w;
                hk += w * static_cast<double>(k);
            }
            return h > 0 ? hk / h : 0;
        }
    }
    return 0;
}

double Distribution::sample(RandomStream& rng) const noexcept {
    switch (kind) {
        case Kind::none: return 0;
        case Kind::constant: return a;
        case Kind::uniform: return rng.uniform_real(a, b);
        case Kind::exponential: return rng.exponential(1.0) * a;
        case Kind::normal: return std::max(0.0, rng.normal(a, b));
        case Kind::lognormal: return rng.lognormal(std::log(a), b);
        case Kind::weibull: return rng.weibull(a, b);
        case Kind::pareto: return rng.pareto(b, a);
        case Kind::zipf: SIM_ASSERT(false, "zipf ranks are drawn by a DistributionSampler");
    }
    return 0;
}

SimDuration Distribution::sample_duration(RandomStream& rng) const noexcept {
    if (kind == Kind::none) return SimDuration::zero();
    const double ms = sample(rng);
    return ms > 0 ? from_milliseconds(ms) : SimDuration::zero();
}

DistributionSampler::DistributionSampler(const Distribution& distribution, std::uint64_t population)
    : distribution_(distribution) {
    if (const std::string p = distribution.problem(); !p.empty()) throw std::invalid_argument("distribution: " + p);
    if (distribution.kind == Distribution::Kind::zipf) {
        const auto n = static_cast<std::size_t>(distribution.b > 0 ? distribution.b : static_cast<double>(population));
        if (n == 0) throw std::invalid_argument("distribution: zipf needs n ranks (or a population)");
        zipf_ = std::make_shared<const ZipfDistribution>(n, distribution.a);
    }
}

double DistributionSampler::sample(RandomStream& rng) const {
    if (zipf_) return static_cast<double>(zipf_->sample(rng));
    return distribution_.sample(rng);
}

}  // namespace sessionsim
