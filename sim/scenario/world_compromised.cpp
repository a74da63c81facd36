// Compromised service nodes in the World (sim/adversary/compromised_nodes.hpp): which nodes the
// adversary holds, and the exposure they give (spec anonymity §3), from the simulator's ground
// truth (never available to the adversary itself).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/scenario/world.hpp"

namespace sessionsim::scenario {

void World::pick_compromised() {
    const auto& c = *spec_.compromised;
    using Selection = adversary::CompromisedNodesConfig::Selection;
    std::vector<std::size_t> chosen;
    if (c.selection == Selection::region) {
        const auto region = topology_.find(c.region);
        if (!region) throw std::runtime_error("compromised_nodes: region '" + c.region + "' is not in the topology");
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            if (network_.region(nodes_[i]->host->id()) == *region) chosen.push_back(i);
        }
    } else {
        const std::size_t n = nodes_.size();
        const std::size_t m = c.selection == Selection::count
                                  ? static_cast<std::size_t>(std::min<std::uint64_t>(c.count, n))
                                  : static_cast<std::size_t>(std::llround(c.fraction * static_cast<double>(n)));
        // A uniform m-subset: a partial Fisher-Yates shuffle on our stream.
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), std::size_t{0});
        RandomStream rng = RandomStreams::derive(spec_.seed, "adversary/compromised");
        for (std::size_t k = 0; k < m; ++k) std::swap(order[k], order[k + rng.index(n - k)]);
        chosen.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(m));
    }
    for (const auto i : chosen) compromised_.insert(nodes_[i]->host->protocol().ed25519());
}

nlohmann::json World::compromised_summary() const {
    nlohmann::json j;
    j["nodes"] = compromised_.size();
    j["share_of_nodes"] = nodes_.empty() ? 0.0 : static_cast<double>(compromised_.size()) / static_cast<double>(nodes_.size());
    j["observations"] = compromised_observations_;
    // Swarms with an adversary member (at the end).
    std::size_t swarms = 0, covered = 0;
    for (const auto& [id, members] : registry_.swarms()) {
        ++swarms;
        covered += std::any_of(members.begin(), members.end(), [this](const auto& k) { return compromised_.contains(k); }) ? 1 : 0;
    }
    j["swarms"] = swarms;
    j["swarms_with_adversary"] = covered;
    // Clients with at least one compromised guard (of those that have guards).
    std::size_t with_guards = 0, bad_guard = 0;
    for (const auto& c : clients_) {
        const auto& guards = c->host->protocol().guards();
        if (guards.empty()) continue;
        ++with_guards;
        bad_guard += std::any_of(guards.begin(), guards.end(), [this](const auto& g) { return compromised_.contains(g.ed25519); }) ? 1 : 0;
    }
    j["clients_with_guards"] = with_guards;
    j["clients_with_compromised_guard"] = bad_guard;
    // Stored messages whose sender IP (the store's path began at a compromised guard) and recipient
    // ID (a member of the recipient's swarm is compromised: every member stores it) the adversary
    // both saw.
    std::size_t stored = 0, both = 0;
    for (const auto& m : messages_) {
        if (!m.stored) continue;
        ++stored;
        if (!m.stored_via_compromised_guard) continue;
        const auto owner = clients_[m.recipient]->host->protocol().account_id().as_session_id();
        const auto members = registry_.swarm_members_for(owner);
        both += std::any_of(members.begin(), members.end(), [this](const auto& r) { return compromised_.contains(r.ed25519); }) ? 1 : 0;
    }
    j["messages_stored"] = stored;
    j["messages_sender_and_recipient_seen"] = both;
    return j;
}

}  // namespace sessionsim::scenario
