#pragma once
// Compromised service nodes (compromised_config.hpp) as a World plug-in: which nodes the
// adversary holds (by fraction, count, region or stake), what they saw (observations), what they
// did to what they sent (active_compromise.hpp), and the exposure and linking it gives (spec
// anonymity §2, §3) — scored against the World's ground truth, which the adversary never has.
// Its correlators: entry versus store (timing_correlator.hpp), poll versus retrieve
// (poll_correlator.hpp); both in correlators.cpp.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/adversary/adversary.hpp"
#include "sim/adversary/compromised/active_compromise.hpp"
#include "sim/adversary/compromised/compromised_config.hpp"

namespace sessionsim::adversary {

/// How far before a store the timing correlator looks for the sender's entry (a path's latency,
/// with room: onion round trips take a few hundred ms).
inline constexpr SimDuration CORRELATION_WINDOW = seconds(2);

/// The poll correlator's δ (poll_correlator.hpp): the chance that a poll the adversary saw
/// retrieved did not enter at one of its guards. 1/2: desktop clients keep 2 guards.
inline constexpr double POLL_MISS_PROBABILITY = 0.5;

class CompromisedNodesAdversary final : public Adversary {
  public:
    CompromisedNodesAdversary(std::string name, CompromisedNodesConfig config);

    void on_nodes_built(world::World& world) override;
    nlohmann::json summary(const world::World& world) const override;

    /// Whether it holds this service node.
    bool holds(const sessionproto::Ed25519Pubkey& node) const { return held_.contains(node); }
    std::size_t nodes_held() const noexcept { return held_.size(); }
    /// Whether the confirmed store of message `id` went through a path whose guard it holds.
    bool stored_via_held_guard(std::size_t id) const { return id < via_guard_.size() && via_guard_[id]; }

  private:
    void on_observation(const world::NodeObserved& seen);
    /// By client: whether its swarm (at the end) has a member it holds, which stores what it gets.
    std::vector<bool> swarms_held_by_client(const world::World& world) const;
    nlohmann::json active_summary(const world::World& world) const;
    /// Clients whose IP and Account ID a held node saw in a guard test, and the closed form.
    nlohmann::json guard_test_exposure_summary(const world::World& world) const;
    // correlators.cpp
    nlohmann::json correlation_summary(const world::World& world) const;
    nlohmann::json poll_correlation_summary(const world::World& world) const;
    nlohmann::json first_compromise_summary(const world::World& world) const;

    CompromisedNodesConfig config_;
    const world::World* world_ = nullptr;
    std::vector<bool> held_by_index_;              ///< by service node index (joins are never held)
    std::set<sessionproto::Ed25519Pubkey> held_;
    std::unique_ptr<ActiveCompromise> active_;     ///< set when its behaviour is active
    std::uint64_t observations_ = 0;
    std::vector<bool> via_guard_;                  ///< by message id
    std::vector<std::pair<SimTime, std::uint32_t>> entries_;                 ///< (time, client)
    std::vector<std::pair<SimTime, sessionproto::SessionId>> stores_;        ///< (time, recipient)
    std::vector<std::pair<SimTime, sessionproto::SessionId>> retrieves_;     ///< (time, polled ID)
    std::set<std::pair<std::uint32_t, sessionproto::SessionId>> direct_lookups_;  ///< (client, ID asked for)
};

}  // namespace sessionsim::adversary
