#include "sim/net/delay_distribution.hpp"

#include <cmath>
#include <limits>

namespace sessionsim::net {

SimDuration DelayDistribution::sample(RandomStream& rng) const noexcept {
    double ms = 0;
    switch (kind) {
        case Kind::none: return SimDuration::zero();
        case Kind::constant: ms = a; break;
        case Kind::uniform: ms = rng.uniform_real(a, b); break;
        case Kind::exponential: ms = rng.exponential(1.0) * a; break;
        case Kind::normal: ms = rng.normal(a, b); break;
        case Kind::lognormal: ms = rng.lognormal(std::log(a), b); break;
        case Kind::pareto: ms = rng.pareto(b, a); break;
        case Kind::weibull: ms = rng.weibull(a, b); break;
    }
    return ms > 0 ? from_milliseconds(ms) : SimDuration::zero();
}

double DelayDistribution::mean_ms() const noexcept {
    switch (kind) {
        case Kind::none: return 0;
        case Kind::constant: return a;
        case Kind::uniform: return (a + b) / 2;
        case Kind::exponential: return a;
        case Kind::normal: return a;
        case Kind::lognormal: return a * std::exp(b * b / 2);
        case Kind::pareto: return b > 1 ? b * a / (b - 1) : std::numeric_limits<double>::infinity();
        case Kind::weibull: return b * std::tgamma(1 + 1 / a);
    }
    return 0;
}

std::string DelayDistribution::problem() const {
    auto finite = [](double x) { return std::isfinite(x); };
    if (!finite(a) || !finite(b)) return "parameters must be finite numbers";
    switch (kind) {
        case Kind::none: return "";
        case Kind::constant: return a >= 0 ? "" : "constant delay must be >= 0 ms";
        case Kind::uniform: return (a >= 0 && a <= b) ? "" : "uniform delay needs 0 <= min <= max";
        case Kind::exponential: return a > 0 ? "" : "exponential delay needs a mean > 0 ms";
        case Kind::normal: return b >= 0 ? "" : "normal delay needs a standard deviation >= 0";
        case Kind::lognormal: return (a > 0 && b >= 0) ? "" : "lognormal delay needs a median > 0 ms and sigma >= 0";
        case Kind::pareto: return (a > 0 && b > 0) ? "" : "pareto delay needs a minimum > 0 ms and a shape > 0";
        case Kind::weibull: return (a > 0 && b > 0) ? "" : "weibull delay needs a shape > 0 and a scale > 0 ms";
    }
    return "";
}

}  // namespace sessionsim::net
