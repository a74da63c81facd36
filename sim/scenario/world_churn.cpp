// Service-node churn in the World (sim/adversary/churn.hpp): up and down periods, the obligation
// quorum's verdicts with Oxen's decommission credit, recommissions and joins. The registry applies
// each change at the next block; swarms re-form and the nodes move data as Session does.
#include <string>

#include "sim/scenario/world.hpp"

namespace sessionsim::scenario {


void World::start_churn() {
    const auto& churn = *spec_.churn;
    for (std::size_t i = 0; i < nodes_.size(); ++i) start_node_churn(i, churn.age.sample(nodes_[i]->churn_rng));
    if (churn.joins_per_hour > 0) {
        const double mean_s = 3600.0 / churn.joins_per_hour;
        engine_.schedule_after(from_seconds(join_rng_.exponential(1.0) * mean_s), [this] { join_node(); });
    }
}

void World::start_node_churn(std::size_t i, SimDuration age) {
    NodeSlot& n = *nodes_[i];
    const auto& churn = *spec_.churn;
    n.churn.credit_base = adversary::credit_after(churn.credit, churn.credit.initial, age);
    n.churn.credit_since = engine_.now();
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
    if (churn.downtime.kind != net::DelayDistribution::Kind::none) {
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
    metrics_.add("churn_node_ups");
    if (n.churn.listing == ChurnState::Listing::decommissioned) {
        (void)registry_.recommission(node.ed25519());
        n.churn.listing = ChurnState::Listing::active;
        n.churn.credit_base = adversary::credit_on_recommission(n.churn.credit_at_decommission,
                                                               engine_.now() - n.churn.decommissioned_at);
        n.churn.credit_since = engine_.now();
        metrics_.add("churn_recommissions");
    }
    engine_.schedule_after(spec_.churn->session.sample(n.churn_rng), [this, i] { node_down(i); });
}

void World::join_node() {
    const std::size_t i = nodes_.size();
    add_service_node(i, join_rng_);
    nodes_[i]->host->deliver(registry_.swarm_update());
    start_node_churn(i, SimDuration::zero());
    metrics_.add("churn_joins");
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
    return c;
}

}  // namespace sessionsim::scenario
