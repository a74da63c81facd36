#include "sim/adversary/exposure.hpp"

#include "sim/stats/argument_error.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sessionsim::adversary {
namespace {

using stats::detail::reject;

void require_fraction(std::string_view function, double c) {
    if (!(c >= 0.0 && c <= 1.0)) reject(function, "c (adversarial fraction) must be in [0, 1]", c);
}

void require_rate(std::string_view function, std::string_view name, double rate) {
    if (!(std::isfinite(rate) && rate > 0.0)) {
        std::string requirement(name);
        requirement.append(" must be finite and > 0");
        reject(function, requirement, rate);
    }
}

void require_replicas(std::string_view function, std::size_t replicas) {
    if (replicas == 0) reject(function, "replicas must be >= 1", 0.0);
}

// 1 - (1 - c)^k, without cancellation for small c.
double any_with_replacement(double c, double draws) {
    if (draws == 0.0) return 0.0;  // avoids 0 * log(0) = NaN at c == 1
    return -std::expm1(draws * std::log1p(-c));
}

// 1 - C(n-m, k) / C(n, k) = 1 - prod_{i<k} (n - m - i) / (n - i), in log space.
double any_without_replacement(std::string_view function, std::size_t n, std::size_t m, std::size_t draws) {
    if (n == 0) reject(function, "n (nodes) must be >= 1", 0.0);
    if (m > n) reject(function, "m (adversarial nodes) must be <= n", static_cast<double>(m));
    if (draws > n) reject(function, "the number drawn must be <= n", static_cast<double>(draws));
    if (draws > n - m) return 1.0;  // not enough honest nodes to fill the draw
    const auto bad = static_cast<double>(m);
    double log_all_honest = 0.0;
    for (std::size_t i = 0; i < draws; ++i) log_all_honest += std::log1p(-bad / static_cast<double>(n - i));
    return -std::expm1(log_all_honest);
}

}  // namespace

std::size_t adversarial_node_count(double c, std::size_t n) {
    require_fraction("adversarial_node_count", c);
    return static_cast<std::size_t>(std::llround(c * static_cast<double>(n)));
}

double swarm_compromise_probability(double c, std::size_t swarm_size) {  // spec anonymity §3: P_sw
    require_fraction("swarm_compromise_probability", c);
    return any_with_replacement(c, static_cast<double>(swarm_size));
}

double swarm_compromise_probability_exact(std::size_t n, std::size_t m, std::size_t swarm_size) {
    return any_without_replacement("swarm_compromise_probability_exact", n, m, swarm_size);
}

double bad_guard_probability(double c, std::size_t guards) {  // spec anonymity §3: P_g
    require_fraction("bad_guard_probability", c);
    return any_with_replacement(c, static_cast<double>(guards));
}

double bad_guard_probability_exact(std::size_t n, std::size_t m, std::size_t guards) {
    return any_without_replacement("bad_guard_probability_exact", n, m, guards);
}

double linkable_send_probability(double c, std::size_t swarm_size) {  // spec anonymity §3: c P_sw
    require_fraction("linkable_send_probability", c);
    return c * any_with_replacement(c, static_cast<double>(swarm_size));
}

double first_last_probability(double c) {  // spec anonymity §3 (Tor proposal 271): c^2
    require_fraction("first_last_probability", c);
    return c * c;
}

double circuit_compromise_probability(double c, std::uint64_t circuits) {  // 1 - (1 - c^2)^C
    require_fraction("circuit_compromise_probability", c);
    return any_with_replacement(c * c, static_cast<double>(circuits));
}

double expected_circuits_to_compromise(double c) {  // geometric mean 1 / c^2
    require_fraction("expected_circuits_to_compromise", c);
    if (c == 0.0) return std::numeric_limits<double>::infinity();
    return 1.0 / (c * c);
}

double loss_probability_no_repair(double failure_rate, double horizon, std::size_t replicas) {
    constexpr std::string_view function = "loss_probability_no_repair";
    require_rate(function, "failure_rate", failure_rate);
    if (!(std::isfinite(horizon) && horizon >= 0.0)) reject(function, "horizon must be finite and >= 0", horizon);
    require_replicas(function, replicas);
    // spec anonymity §4: (1 - e^{-lambda T})^r.
    const double one_fails = -std::expm1(-failure_rate * horizon);
    return std::pow(one_fails, static_cast<double>(replicas));
}

double mean_time_to_data_loss(double failure_rate, double repair_rate, std::size_t replicas) {
    constexpr std::string_view function = "mean_time_to_data_loss";
    require_rate(function, "failure_rate", failure_rate);
    require_rate(function, "repair_rate", repair_rate);
    require_replicas(function, replicas);
    // spec anonymity §4: mu^{r-1} / (r! lambda^r), in logs (r! and lambda^r overflow quickly).
    const auto r = static_cast<double>(replicas);
    return std::exp((r - 1.0) * std::log(repair_rate) - std::lgamma(r + 1.0) - r * std::log(failure_rate));
}

double loss_probability_with_repair(double failure_rate, double repair_rate, std::size_t replicas, double horizon) {
    constexpr std::string_view function = "loss_probability_with_repair";
    if (!(std::isfinite(horizon) && horizon >= 0.0)) reject(function, "horizon must be finite and >= 0", horizon);
    const double mttdl = mean_time_to_data_loss(failure_rate, repair_rate, replicas);
    return -std::expm1(-horizon / mttdl);  // spec anonymity §4: 1 - exp(-T / MTTDL)
}

}  // namespace sessionsim::adversary
