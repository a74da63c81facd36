#pragma once
// Closed forms for path and swarm compromise and for replica loss (spec anonymity §3 and §4):
// the analytic baselines that simulated exposure is checked against.
//
// Model (spec anonymity §3): nodes are chosen uniformly from n service nodes, of which the
// adversary controls m = c n. "With replacement" forms take the fraction c; "exact" forms draw
// distinct nodes (a swarm or a guard set has no repeats), which is hypergeometric.
//
// Rates and horizons are plain doubles in any one time unit, the same for all arguments (per day
// and days, say): mean times to data loss overflow SimDuration's ~292 years.
#include <cstddef>
#include <cstdint>

namespace sessionsim::adversary {

/// m = round(c n): the adversarial node count the spec's reference table uses.
/// Errors: c not in [0, 1].
std::size_t adversarial_node_count(double c, std::size_t n);

/// P(a swarm of s uniform nodes contains an adversarial one) = 1 - (1 - c)^s; also the expected
/// fraction of swarms covered (spec anonymity §3). Errors: c not in [0, 1].
double swarm_compromise_probability(double c, std::size_t swarm_size);

/// The same for s distinct nodes out of n with m adversarial: 1 - C(n-m, s) / C(n, s), computed as
/// 1 - prod_{i<s} (1 - m / (n - i)) in log space (no overflow for any n).
/// Errors: n == 0, m > n, or swarm_size > n.
double swarm_compromise_probability_exact(std::size_t n, std::size_t m, std::size_t swarm_size);

/// P(a user has at least one adversarial guard among g) = 1 - (1 - c)^g (spec anonymity §3).
/// Errors: c not in [0, 1].
double bad_guard_probability(double c, std::size_t guards);

/// The same for g distinct guards: 1 - C(n-m, g) / C(n, g). Errors: as the swarm form.
double bad_guard_probability_exact(std::size_t n, std::size_t m, std::size_t guards);

/// P(one send is Alice-IP <-> Bob-ID linkable by guard + swarm timing) = c (1 - (1 - c)^s):
/// an adversarial guard on the send path and an adversarial member of Bob's swarm (spec anonymity §3).
/// Errors: c not in [0, 1].
double linkable_send_probability(double c, std::size_t swarm_size);

/// P(first and last hop of one uniform circuit are adversarial) = c^2 (Tor proposal 271; spec §3).
double first_last_probability(double c);

/// P(at least one of C independent circuits has adversarial first and last hops) = 1 - (1 - c^2)^C.
double circuit_compromise_probability(double c, std::uint64_t circuits);

/// Expected circuits until the first first-and-last compromise: 1 / c^2 (geometric; +infinity at c = 0).
double expected_circuits_to_compromise(double c);

/// P(all r replicas fail within the horizon T, no repair) = (1 - e^{-lambda T})^r, exponential
/// lifetimes with failure rate lambda (spec anonymity §4). Also the per-window swarm-loss form
/// with T the repair window. Errors: failure_rate not finite and > 0, horizon not finite and >= 0,
/// replicas == 0.
double loss_probability_no_repair(double failure_rate, double horizon, std::size_t replicas);

/// Mean time to data loss with r replicas, failure rate lambda per replica and one repair at a
/// time at rate mu: MTTDL ~ mu^{r-1} / (r! lambda^r), valid for mu >> lambda (spec anonymity §4;
/// r = 2 gives mu / (2 lambda^2), the RAID-1 result (3 lambda + mu) / (2 lambda^2) without the
/// 3 lambda). Computed in log space. Errors: rates not finite and > 0, replicas == 0.
double mean_time_to_data_loss(double failure_rate, double repair_rate, std::size_t replicas);

/// P(loss by T) ~ 1 - exp(-T / MTTDL) (spec anonymity §4). Errors: as the two functions above.
double loss_probability_with_repair(double failure_rate, double repair_rate, std::size_t replicas, double horizon);

}  // namespace sessionsim::adversary
