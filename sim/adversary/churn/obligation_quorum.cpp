#include "sim/adversary/churn/obligation_quorum.hpp"

#include "sim/core/discrete_distributions.hpp"

#include <algorithm>

namespace sessionsim::adversary {

std::size_t obligation_workers(const OxendRules& rules, std::size_t active, std::size_t decommissioned) {
    // oxen-core service_node_list.cpp generate_other_quorums (b208672), quorum_type::obligations.
    const std::size_t validators = std::min(active, rules.quorum_size);
    const std::size_t remaining = active + decommissioned - validators;
    return std::min(remaining, std::max(rules.min_workers, remaining / rules.nth_of_network));
}

ProofClock::ProofClock(SimTime now, SimDuration phase, const OxendRules& rules)
    : interval_(rules.proof_interval), first_delay_(rules.first_proof_delay), anchor_(now - phase), before_(now - phase), effective_(SimTime{} - hours(24 * 365)) {}

void ProofClock::down(SimTime now) {
    if (!up_) return;
    before_ = last_proof(now);
    up_ = false;
    down_since_ = now;
}

void ProofClock::up(SimTime now) {
    if (up_) return;
    up_ = true;
    anchor_ = now + first_delay_;  // oxend sends its first proof 30 s after start (spec §1.5)
}

SimTime ProofClock::last_proof(SimTime now) const {
    SimTime proof = before_;
    if (up_ && now >= anchor_) proof = anchor_ + ((now - anchor_) / interval_) * interval_;
    return std::max(proof, effective_);
}

bool ObligationChecks::proof_too_old(const ProofClock& node, SimTime now) const {
    // check_service_node: time_since_last_uptime_proof > UPTIME_PROOF_VALIDITY.
    return now - node.last_proof(now) > rules_.proof_validity;
}

bool ObligationChecks::unreachable(const ProofClock& node, SimTime now, std::size_t listed, RandomStream& rng) const {
    if (node.is_up()) return false;
    const SimDuration failing_for = now - node.down_since();
    if (failing_for < rules_.unreachable_threshold) return false;  // no validator can have seen 65 min yet
    // A validator first tests the down node at down_since + U x cycle, U uniform: it votes
    // "unreachable" when that was at least the threshold ago (unreachable_for).
    const double cycle_s = static_cast<double>(std::max<std::size_t>(listed, 1)) * to_seconds(rules_.reachability_test_interval);
    const double window_s = to_seconds(failing_for - rules_.unreachable_threshold);
    std::size_t votes = 0;
    for (std::size_t v = 0; v < rules_.quorum_size; ++v) {
        if (rng.uniform_real() * cycle_s <= window_s) ++votes;
    }
    return votes >= rules_.min_votes;
}

bool ObligationChecks::fails(const ProofClock& node, SimTime now, std::size_t listed, RandomStream& rng) const {
    return proof_too_old(node, now) || unreachable(node, now, listed, rng);
}

std::vector<std::size_t> ObligationChecks::draw_workers(std::span<const std::size_t> active,
                                                        std::span<const std::size_t> decommissioned,
                                                        RandomStream& rng) const {
    // Validators first, among the active nodes (a partial Fisher-Yates), then the workers among
    // everything left, active and decommissioned.
    std::vector<std::size_t> pool(active.begin(), active.end());
    const std::size_t validators = std::min(pool.size(), rules_.quorum_size);
    partial_shuffle(pool, validators, rng);
    pool.erase(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(validators));
    pool.insert(pool.end(), decommissioned.begin(), decommissioned.end());
    const std::size_t workers = obligation_workers(rules_, active.size(), decommissioned.size());
    partial_shuffle(pool, workers, rng);
    pool.resize(std::min(workers, pool.size()));
    std::sort(pool.begin(), pool.end());
    return pool;
}

}  // namespace sessionsim::adversary
