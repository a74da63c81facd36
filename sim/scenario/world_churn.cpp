// Service-node churn in the World (sim/adversary/churn.hpp): up and down periods, the obligation
// quorum's verdicts with Oxen's decommission credit, recommissions and joins. The registry applies
// each change at the next block; swarms re-form and the nodes move data as Session does.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "sim/scenario/world.hpp"

namespace sessionsim::scenario {


void World::start_churn() {
    const auto& churn = *spec_.churn;
    for (std::size_t i = 0; i < nodes_.size(); ++i) start_node_churn(i, churn.age.sample(nodes_[i]->churn_rng));
    if (churn.traced) {
        // The trace's rows at their times, in file order at a tie (the engine keeps insertion order).
        for (const auto& e : churn.trace) {
            const auto node = static_cast<std::size_t>(e.node);
            engine_.schedule_after(e.at, [this, node, kind = e.kind] {
                using Kind = adversary::ChurnTraceEvent::Kind;
                metrics_.add("churn_trace_rows");
                if (kind == Kind::join) {
                    join_node();
                } else if (kind == Kind::down) {
                    node_down(node);
                } else {
                    node_up(node, nodes_[node]->churn.episode);
                }
            });
        }
    } else if (churn.joins_per_hour > 0) {
        const double mean_s = 3600.0 / churn.joins_per_hour;
        engine_.schedule_after(from_seconds(join_rng_.exponential(1.0) * mean_s), [this] { join_node(); });
    }
    if (churn.new_member_check > SimDuration::zero()) {
        engine_.schedule_after(churn.new_member_check, [this] { membership_tick(); });
    }
}

void World::start_node_churn(std::size_t i, SimDuration age) {
    NodeSlot& n = *nodes_[i];
    const auto& churn = *spec_.churn;
    n.churn.credit_base = adversary::credit_after(churn.credit, churn.credit.initial, age);
    n.churn.credit_since = engine_.now();
    if (churn.traced) return;  // the trace says when it goes down
    engine_.schedule_after(churn.session.sample(n.churn_rng), [this, i] { node_down(i); });
}

void World::node_down(std::size_t i) {
    NodeSlot& n = *nodes_[i];
    if (!n.churn.up || n.churn.listing == ChurnState::Listing::deregistered) return;
    n.churn.up = false;
    const std::uint64_t episode = ++n.churn.episode;
    n.host->go_offline();
    metrics_.add("churn_node_downs");
    metrics_.series("churn_node_downs", engine_.now());
    const auto& churn = *spec_.churn;
    engine_.schedule_after(churn.detection, [this, i, episode] { node_detected(i, episode); });
    if (!churn.traced && churn.downtime.kind != net::DelayDistribution::Kind::none) {
        engine_.schedule_after(churn.downtime.sample(n.churn_rng), [this, i, episode] { node_up(i, episode); });
    }
}

void World::node_detected(std::size_t i, std::uint64_t episode) {
    NodeSlot& n = *nodes_[i];
    if (n.churn.up || n.churn.episode != episode || n.churn.listing != ChurnState::Listing::active) return;
    const auto& rules = spec_.churn->credit;
    const SimDuration credit = adversary::credit_after(rules, n.churn.credit_base, engine_.now() - n.churn.credit_since);
    const auto& key = n.host->protocol().ed25519();
    if (adversary::verdict_for(rules, credit) == adversary::QuorumVerdict::decommission) {
        (void)registry_.decommission(key);
        n.churn.listing = ChurnState::Listing::decommissioned;
        n.churn.credit_at_decommission = credit;
        n.churn.decommissioned_at = engine_.now();
        metrics_.add("churn_decommissions");
        // Credit drains while decommissioned: when it runs out, the next quorum deregisters.
        engine_.schedule_after(credit, [this, i, episode] { node_drained(i, episode); });
    } else {
        (void)registry_.deregister_node(key);
        n.churn.listing = ChurnState::Listing::deregistered;
        n.churn.deregistered_at = engine_.now();
        metrics_.add("churn_deregistrations");
    }
}

void World::node_drained(std::size_t i, std::uint64_t episode) {
    NodeSlot& n = *nodes_[i];
    if (n.churn.up || n.churn.episode != episode || n.churn.listing != ChurnState::Listing::decommissioned) return;
    (void)registry_.deregister_node(n.host->protocol().ed25519());
    n.churn.listing = ChurnState::Listing::deregistered;
    n.churn.deregistered_at = engine_.now();
    metrics_.add("churn_deregistrations");
}

void World::node_up(std::size_t i, std::uint64_t episode) {
    NodeSlot& n = *nodes_[i];
    // A deregistered node's stake is locked (30 days): it does not come back in a run.
    if (n.churn.up || n.churn.episode != episode || n.churn.listing == ChurnState::Listing::deregistered) return;
    n.churn.up = true;
    n.host->go_online();
    auto& node = n.host->protocol();
    node.restart(n.host->protocol_now());
    n.host->apply();
    n.host->deliver(registry_.swarm_update());  // the storage server asks oxend for the list on start
    n.churn.list_block = blocks_;
    metrics_.add("churn_node_ups");
    if (n.churn.listing == ChurnState::Listing::decommissioned) {
        (void)registry_.recommission(node.ed25519());
        n.churn.listing = ChurnState::Listing::active;
        n.churn.credit_base = adversary::credit_on_recommission(n.churn.credit_at_decommission,
                                                               engine_.now() - n.churn.decommissioned_at);
        n.churn.credit_since = engine_.now();
        metrics_.add("churn_recommissions");
    }
    if (spec_.churn->traced) return;
    engine_.schedule_after(spec_.churn->session.sample(n.churn_rng), [this, i] { node_down(i); });
}

void World::join_node() {
    const std::size_t i = nodes_.size();
    add_service_node(i, join_rng_);
    nodes_[i]->host->deliver(registry_.swarm_update());
    nodes_[i]->churn.list_block = blocks_;
    start_node_churn(i, SimDuration::zero());
    metrics_.add("churn_joins");
    if (spec_.churn->traced) return;
    const double mean_s = 3600.0 / spec_.churn->joins_per_hour;
    engine_.schedule_after(from_seconds(join_rng_.exponential(1.0) * mean_s), [this] { join_node(); });
}

nlohmann::json World::churn_summary() const {
    std::uint64_t up = 0, active = 0, decommissioned = 0, deregistered = 0;
    for (const auto& n : nodes_) {
        up += n->churn.up ? 1 : 0;
        active += n->churn.listing == ChurnState::Listing::active ? 1 : 0;
        decommissioned += n->churn.listing == ChurnState::Listing::decommissioned ? 1 : 0;
        deregistered += n->churn.listing == ChurnState::Listing::deregistered ? 1 : 0;
    }
    nlohmann::json c;
    for (const char* name : {"churn_node_downs", "churn_node_ups", "churn_decommissions", "churn_deregistrations",
                             "churn_recommissions", "churn_joins"}) {
        c[std::string(name).substr(6)] = metrics_.counter(name);
    }
    c["nodes_up_at_end"] = up;
    c["listed_active_at_end"] = active;
    c["decommissioned_at_end"] = decommissioned;
    c["deregistered_at_end"] = deregistered;
    if (spec_.churn->traced) c["trace_rows_replayed"] = metrics_.counter("churn_trace_rows");
    // New memberships (scenarios/README.md, "summary.json"): the time until each holds its swarm's
    // data, checked at every metrics bucket (the time's resolution).
    std::uint64_t entering_at_end = 0;
    for (const auto& n : nodes_) entering_at_end += n->churn.entering ? 1 : 0;
    const auto t = metrics_.summary("new_member_complete_s");
    const SimDuration check = spec_.churn->new_member_check > SimDuration::zero()
                                  ? std::min(spec_.churn->new_member_check, metrics_.bucket())
                                  : metrics_.bucket();
    c["new_members"] = {
        {"count", metrics_.counter("churn_memberships")},
        {"complete", metrics_.counter("churn_memberships_complete")},
        {"never_complete", metrics_.counter("churn_memberships_left_incomplete") + entering_at_end},
        {"left_incomplete", metrics_.counter("churn_memberships_left_incomplete")},
        {"incomplete_at_end", entering_at_end},
        {"check_interval_s", static_cast<double>(check.count()) / 1e9},
        {"time_to_complete_s", sample_summary_json(t)}};
    const auto h = partial_histories();
    c["partial_history"] = {{"owners", h[3]},
                            {"owners_partial", h[2]},
                            {"owner_member_pairs", h[0]},
                            {"pairs_partial", h[1]},
                            {"pairs_partial_share", h[0] > 0 ? static_cast<double>(h[1]) / static_cast<double>(h[0]) : 0.0}};
    c["pushes_refused_not_peer"] = [this] {
        std::uint64_t refused = 0;
        for (const auto& n : nodes_) refused += n->host->protocol().counter(sessionproto::node_counter::push_not_peer);
        return refused;
    }();
    return c;
}

void World::deliver_swarm_update(const sessionproto::SwarmUpdate& update) {
    const auto& lag = spec_.churn->list_lag;
    // The first block's list is the network as it starts: every node has it from the start.
    if (lag.kind == net::DelayDistribution::Kind::none || blocks_ <= 1) {
        // A node that is down learns the list when it comes back (node_up).
        for (auto& n : nodes_) {
            if (n->churn.up) n->host->deliver(update);
            n->churn.list_block = blocks_;
        }
        return;
    }
    if (!list_lag_rng_) list_lag_rng_.emplace(RandomStreams::derive(spec_.seed, "churn/list_lag"));
    const std::uint64_t block = blocks_;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (!nodes_[i]->churn.up) continue;
        engine_.schedule_after(lag.sample(*list_lag_rng_), [this, i, update, block] {
            NodeSlot& n = *nodes_[i];
            // A later list already applied (a long lag, or the node restarted): this one is stale.
            if (!n.churn.up || n.churn.list_block >= block) return;
            n.churn.list_block = block;
            n.host->deliver(update);
        });
    }
}

void World::track_memberships() {
    const SimTime now = engine_.now();
    for (auto& slot : nodes_) {
        ChurnState& c = slot->churn;
        const auto rec = registry_.find(slot->host->protocol().ed25519());
        const std::uint64_t swarm = rec ? rec->swarm_id : sessionproto::INVALID_SWARM_ID.value;
        if (swarm == c.swarm) continue;
        if (c.entering) {
            metrics_.add("churn_memberships_left_incomplete");
            c.entering = false;
        }
        c.swarm = swarm;
        // The first block's swarms are the initial assignment, not a change.
        if (swarm == sessionproto::INVALID_SWARM_ID.value || blocks_ <= 1) continue;
        c.entering = true;
        c.entered_at = now;
        metrics_.add("churn_memberships");
        metrics_.series("churn_new_memberships", now);
    }
}

void World::check_memberships() {
    const SimTime now = engine_.now();
    metrics_.gauge("new_members_incomplete", now, static_cast<double>(complete_memberships()));
    const auto h = partial_histories();
    metrics_.gauge("partial_history_pairs_share", now,
                   h[0] > 0 ? static_cast<double>(h[1]) / static_cast<double>(h[0]) : 0.0);
}

void World::membership_tick() {
    (void)complete_memberships();
    engine_.schedule_after(spec_.churn->new_member_check, [this] { membership_tick(); });
}

std::size_t World::complete_memberships() {
    std::vector<std::size_t> entering;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (nodes_[i]->churn.entering) entering.push_back(i);
    }
    const SimTime now = engine_.now();
    if (!entering.empty()) {
        const auto& index = node_by_key_;
        std::map<sessionproto::SessionId, std::uint64_t> owner_swarm;
        auto swarm_of = [&](const sessionproto::SessionId& owner) {
            auto [it, fresh] = owner_swarm.try_emplace(owner, sessionproto::INVALID_SWARM_ID.value);
            if (fresh) {
                if (const auto s = registry_.swarm_for(owner)) it->second = s->value;
            }
            return it->second;
        };
        for (const std::size_t i : entering) {
            ChurnState& c = nodes_[i]->churn;
            std::set<std::string> held;
            nodes_[i]->host->protocol().store().for_each([&](const sessionproto::StoredMessage& m) {
                if (swarm_of(m.owner) == c.swarm) held.insert(m.hash);
            });
            bool complete = true;
            for (const auto& rec : registry_.swarm_members(sessionproto::SwarmId(c.swarm))) {
                const auto it = index.find(rec.ed25519);
                if (it == index.end() || it->second == i) continue;
                nodes_[it->second]->host->protocol().store().for_each([&](const sessionproto::StoredMessage& m) {
                    if (complete && swarm_of(m.owner) == c.swarm && !held.contains(m.hash)) complete = false;
                });
                if (!complete) break;
            }
            if (!complete) continue;
            c.entering = false;
            metrics_.add("churn_memberships_complete");
            metrics_.sample("new_member_complete_s", static_cast<double>((now - c.entered_at).count()) / 1e9);
        }
        entering.erase(std::remove_if(entering.begin(), entering.end(),
                                      [this](std::size_t i) { return !nodes_[i]->churn.entering; }),
                       entering.end());
    }
    return entering.size();
}

std::array<std::uint64_t, 4> World::partial_histories() const {
    const auto& index = node_by_key_;
    std::map<sessionproto::SessionId, std::uint64_t> owner_swarm;
    // Per owner: the hashes its swarm's members hold for it, and how many each member holds.
    std::map<sessionproto::SessionId, std::set<std::string>> owned;
    std::map<std::pair<sessionproto::SessionId, std::size_t>, std::uint64_t> held;
    for (const auto& [id, members] : registry_.swarms()) {
        for (const auto& pk : members) {
            const auto it = index.find(pk);
            if (it == index.end()) continue;
            const std::size_t i = it->second;
            nodes_[i]->host->protocol().store().for_each([&](const sessionproto::StoredMessage& m) {
                auto [s, fresh] = owner_swarm.try_emplace(m.owner, sessionproto::INVALID_SWARM_ID.value);
                if (fresh) {
                    if (const auto sw = registry_.swarm_for(m.owner)) s->second = sw->value;
                }
                if (s->second != id.value) return;
                owned[m.owner].insert(m.hash);
                ++held[{m.owner, i}];
            });
        }
    }
    std::array<std::uint64_t, 4> out{};  // pairs, pairs partial, owners partial, owners
    for (const auto& [owner, hashes] : owned) {
        const auto& members = registry_.swarms().at(sessionproto::SwarmId(owner_swarm.at(owner)));
        bool partial = false;
        for (const auto& pk : members) {
            const auto it = index.find(pk);
            if (it == index.end() || !nodes_[it->second]->churn.up) continue;  // a down node answers nothing
            ++out[0];
            const auto h = held.find({owner, it->second});
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

}  // namespace sessionsim::scenario
