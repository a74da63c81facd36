#include "sim/core/distribution_spec.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace sessionsim {

const char* DistributionSpec::kind_name(Kind kind) noexcept {
    switch (kind) {
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

std::string DistributionSpec::problem() const {
    if (!std::isfinite(a) || !std::isfinite(b)) return "parameters must be finite numbers";
    switch (kind) {
        case Kind::constant: return a >= 0 ? "" : "constant needs a value >= 0";
        case Kind::uniform: return (a >= 0 && a <= b) ? "" : "uniform needs 0 <= min <= max";
        case Kind::exponential: return a > 0 ? "" : "exponential needs a mean > 0";
        case Kind::normal: return (a >= 0 && b >= 0) ? "" : "normal needs a mean >= 0 and sd >= 0";
        case Kind::lognormal: return (a > 0 && b >= 0) ? "" : "lognormal needs a median > 0 and sigma >= 0";
        case Kind::weibull: return (a > 0 && b > 0) ? "" : "weibull needs a shape > 0 and a scale > 0";
        case Kind::pareto: return (a > 0 && b > 0) ? "" : "pareto needs a minimum > 0 and a shape > 0";
        case Kind::zipf:
            return (a >= 0 && b >= 0 && b == std::floor(b)) ? "" : "zipf needs an exponent s >= 0 and a whole n >= 0";
    }
    return "";
}

double DistributionSpec::mean(std::uint64_t population) const {
    switch (kind) {
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

DistributionSampler::DistributionSampler(const DistributionSpec& spec, std::uint64_t population) : spec_(spec) {
    if (const std::string p = spec.problem(); !p.empty()) throw std::invalid_argument("distribution: " + p);
    if (spec.kind == DistributionSpec::Kind::zipf) {
        const auto n = static_cast<std::size_t>(spec.b > 0 ? spec.b : static_cast<double>(population));
        if (n == 0) throw std::invalid_argument("distribution: zipf needs n ranks (or a population)");
        zipf_ = std::make_shared<const ZipfDistribution>(n, spec.a);
    }
}

double DistributionSampler::sample(RandomStream& rng) const {
    const DistributionSpec& s = spec_;
    switch (s.kind) {
        case DistributionSpec::Kind::constant: return s.a;
        case DistributionSpec::Kind::uniform: return rng.uniform_real(s.a, s.b);
        case DistributionSpec::Kind::exponential: return rng.exponential(1.0) * s.a;
        case DistributionSpec::Kind::normal: return std::max(0.0, rng.normal(s.a, s.b));
        case DistributionSpec::Kind::lognormal: return rng.lognormal(std::log(s.a), s.b);
        case DistributionSpec::Kind::weibull: return rng.weibull(s.a, s.b);
        case DistributionSpec::Kind::pareto: return rng.pareto(s.b, s.a);
        case DistributionSpec::Kind::zipf: return static_cast<double>(zipf_->sample(rng));
    }
    return 0;
}

}  // namespace sessionsim
