// Link observers in the World (sim/adversary/link_observer.hpp): the taps, the stores whose
// datagram a tap saw, and the link correlator scored against the simulator's ground truth
// (which the observer never has).
#include <algorithm>
#include <cmath>

#include "sim/adversary/anonymity_metrics.hpp"
#include "sim/adversary/link_correlator.hpp"
#include "sim/scenario/correlation_scoring.hpp"
#include "sim/scenario/world.hpp"

namespace sessionsim::scenario {

void World::build_link_observer() {
    const auto& c = *spec_.link_observer;
    const auto region_id = [this](const std::string& name) {
        const auto r = topology_.find(name);
        if (!r) throw std::runtime_error("link_observer: region '" + name + "' is not in the topology (" + topology_.names() + ")");
        return *r;
    };
    std::vector<net::RegionId> regions;
    for (const auto& name : c.regions) regions.push_back(region_id(name));
    std::vector<std::pair<net::RegionId, net::RegionId>> links;
    for (const auto& [a, b] : c.links) links.emplace_back(region_id(a), region_id(b));
    link_observer_ = std::make_unique<adversary::LinkObserver>(network_, regions, c.transit, links);
    for (std::uint32_t u = 0; u < clients_.size(); ++u) link_observer_->set_candidate(clients_[u]->host->id(), u);
    // A uniform round(share·clients)-subset of access links (an ISP's customers).
    const std::size_t n = clients_.size();
    const auto m = static_cast<std::size_t>(std::llround(c.client_access_share * static_cast<double>(n)));
    RandomStream rng = RandomStreams::derive(spec_.seed, "adversary/link_observer/access");
    for (const auto k : sample_without_replacement(n, m, rng)) link_observer_->tap_host(clients_[k]->host->id());
    network_.add_interceptor(*link_observer_);
}

void World::on_store_for_observer(SimTime at, std::size_t node, const sessionproto::Observation& o) {
    if (o.kind != sessionproto::Observation::Kind::stored || !o.recipient) return;
    if (from_swarm_peer(node, o)) return;  // a replica, not the sender's store
    ++stores_total_;
    // The store is handled as its datagram is delivered: that datagram is the observer's last.
    const auto& d = link_observer_->last_delivery();
    if (d.observed && d.at == at && d.to == nodes_[node]->host->id()) {
        observed_stores_.push_back(ObservedStore{at, *o.recipient, d.size});
    }
}

nlohmann::json World::link_observer_summary() const {
    const auto& c = *spec_.link_observer;
    const auto& obs = *link_observer_;
    nlohmann::json j;
    j["regions"] = c.regions;
    j["transit"] = c.transit;
    j["links"] = nlohmann::json::array();
    for (const auto& [a, b] : c.links) j["links"].push_back({a, b});
    j["clients_tapped"] = obs.hosts_tapped();
    j["datagrams_sent"] = obs.datagrams_seen();
    j["datagrams_observed"] = obs.datagrams_observed();
    j["share_of_datagrams_observed"] =
        obs.datagrams_seen() == 0 ? 0.0 : static_cast<double>(obs.datagrams_observed()) / static_cast<double>(obs.datagrams_seen());
    j["bytes_observed"] = obs.bytes_observed();
    j["entries_seen"] = obs.entries().size();
    j["stores"] = stores_total_;
    j["stores_observed"] = observed_stores_.size();
    j["window_ms"] = to_milliseconds(c.window);
    j["layers_bytes"] = {c.layers_min_bytes, c.layers_max_bytes};

    // Ground truth for each observed store: the message it carried, and so its sender.
    const auto client_by_id = clients_by_session_id(*this);
    const auto messages_to = messages_by_recipient(messages_);
    const adversary::LinkCorrelator correlator(std::max<std::size_t>(clients_.size(), 1), c.window, obs.entries());
    struct Mode {
        std::optional<adversary::SizeMatch> match;
        std::vector<adversary::CandidateAssessment> targets;
        std::size_t truth_scored = 0;
        LinkTally links;
    };
    Mode timing{std::nullopt, {}, 0, {}}, sized{adversary::SizeMatch{c.layers_min_bytes, c.layers_max_bytes}, {}, 0, {}};
    for (const auto& store : observed_stores_) {
        const auto who = client_by_id.find(store.recipient);
        if (who == client_by_id.end()) continue;
        const MessageRecord* truth = message_stored_at(messages_, messages_to, who->second, store.at);
        if (truth == nullptr) continue;
        for (Mode* mode : {&timing, &sized}) {
            auto s = correlator.scores(store.at, store.size, mode->match);
            mode->truth_scored += s[truth->sender] > 0 ? 1 : 0;
            score_target(std::move(s), truth->sender, mode->targets, mode->links);
        }
    }
    const auto figures = [this](const Mode& mode) {
        nlohmann::json out;
        out["targets"] = mode.targets.size();
        out["targets_with_truth_scored"] = mode.truth_scored;
        put_population(out, mode.targets, clients_.size());
        out["roc"] = mode.links.summary();
        return out;
    };
    j["timing"] = figures(timing);
    j["timing_and_size"] = figures(sized);
    return j;
}

}  // namespace sessionsim::scenario
