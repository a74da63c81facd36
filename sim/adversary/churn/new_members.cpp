// What churn costs the swarms, measured from the ground truth of every node's store: the time a
// node that entered a swarm takes to hold that swarm's data, and partial histories
// (oxen-storage-server#494: a member that answers with only part of an owner's messages).
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "sim/adversary/churn/churn_adversary.hpp"
#include "sim/adversary/churn/churn_metrics.hpp"

namespace sessionsim::adversary {

void ChurnAdversary::track_memberships() {
    const SimTime now = world_->engine().now();
    const std::uint64_t block = world_->blocks();
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        ChurnNodeState& c = nodes_[i].state;
        const auto rec = world_->registry().find(world_->service_node(i).ed25519());
        const std::uint64_t swarm = rec ? rec->swarm_id : sessionproto::INVALID_SWARM_ID.value;
        if (swarm == c.swarm) continue;
        if (c.entering) {
            world_->metrics().add(churn_metric::memberships_left_incomplete);
            c.entering = false;
        }
        c.swarm = swarm;
        // The first block's swarms are the initial assignment, not a change.
        if (swarm == sessionproto::INVALID_SWARM_ID.value || block <= 1) continue;
        c.entering = true;
        c.entered_at = now;
        world_->metrics().add(churn_metric::memberships);
        world_->metrics().series(churn_metric::new_memberships, now);
    }
}

void ChurnAdversary::membership_tick() {
    (void)complete_memberships();
    world_->engine().schedule_after(config_.new_member_check, [this] { membership_tick(); });
}

std::size_t ChurnAdversary::complete_memberships() {
    std::vector<std::size_t> entering;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (nodes_[i].state.entering) entering.push_back(i);
    }
    if (entering.empty()) return 0;
    const SimTime now = world_->engine().now();
    const auto& registry = world_->registry();
    std::map<sessionproto::SessionId, std::uint64_t> owner_swarm;
    auto swarm_of = [&](const sessionproto::SessionId& owner) {
        auto [it, fresh] = owner_swarm.try_emplace(owner, sessionproto::INVALID_SWARM_ID.value);
        if (fresh) {
            if (const auto s = registry.swarm_for(owner)) it->second = s->value;
        }
        return it->second;
    };
    for (const std::size_t i : entering) {
        ChurnNodeState& c = nodes_[i].state;
        std::set<std::string> held;
        world_->service_node(i).store().for_each([&](const sessionproto::StoredMessage& m) {
            if (swarm_of(m.owner) == c.swarm) held.insert(m.hash);
        });
        bool complete = true;
        for (const auto& rec : registry.swarm_members(sessionproto::SwarmId(c.swarm))) {
            const auto peer = world_->service_node_index(rec.ed25519);
            if (!peer || *peer == i) continue;
            world_->service_node(*peer).store().for_each([&](const sessionproto::StoredMessage& m) {
                if (complete && swarm_of(m.owner) == c.swarm && !held.contains(m.hash)) complete = false;
            });
            if (!complete) break;
        }
        if (!complete) continue;
        c.entering = false;
        world_->metrics().add(churn_metric::memberships_complete);
        world_->metrics().sample(churn_metric::new_member_complete_s, static_cast<double>((now - c.entered_at).count()) / 1e9);
    }
    return static_cast<std::size_t>(
        std::count_if(entering.begin(), entering.end(), [this](std::size_t i) { return nodes_[i].state.entering; }));
}

std::array<std::uint64_t, 4> ChurnAdversary::partial_histories() const {
    const auto& registry = world_->registry();
    std::map<sessionproto::SessionId, std::uint64_t> owner_swarm;
    // Per owner: the hashes its swarm's members hold for it, and how many each member holds.
    std::map<sessionproto::SessionId, std::set<std::string>> owned;
    std::map<std::pair<sessionproto::SessionId, std::size_t>, std::uint64_t> held;
    for (const auto& [id, members] : registry.swarms()) {
        for (const auto& pk : members) {
            const auto index = world_->service_node_index(pk);
            if (!index) continue;
            const std::size_t i = *index;
            world_->service_node(i).store().for_each([&](const sessionproto::StoredMessage& m) {
                auto [s, fresh] = owner_swarm.try_emplace(m.owner, sessionproto::INVALID_SWARM_ID.value);
                if (fresh) {
                    if (const auto sw = registry.swarm_for(m.owner)) s->second = sw->value;
                }
                if (s->second != id.value) return;
                owned[m.owner].insert(m.hash);
                ++held[{m.owner, i}];
            });
        }
    }
    std::array<std::uint64_t, 4> out{};  // pairs, pairs partial, owners partial, owners
    for (const auto& [owner, hashes] : owned) {
        const auto& members = registry.swarms().at(sessionproto::SwarmId(owner_swarm.at(owner)));
        bool partial = false;
        for (const auto& pk : members) {
            const auto index = world_->service_node_index(pk);
            if (!index || !nodes_[*index].state.up) continue;  // a down node answers nothing
            ++out[0];
            const auto h = held.find({owner, *index});
            if (h == held.end() || h->second < hashes.size()) {
                ++out[1];
                partial = true;
            }
        }
        out[2] += partial ? 1 : 0;
        ++out[3];
    }
    return out;
}

}  // namespace sessionsim::adversary
