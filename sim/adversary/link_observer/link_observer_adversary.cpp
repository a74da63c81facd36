#include "sim/adversary/link_observer/link_observer_adversary.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "sim/adversary/anonymity_metrics.hpp"
#include "sim/adversary/correlation_scoring.hpp"
#include "sim/adversary/link_observer/link_correlator.hpp"
#include "sim/core/discrete_distributions.hpp"

namespace sessionsim::adversary {

LinkObserverAdversary::LinkObserverAdversary(std::string name, LinkObserverConfig config)
    : Adversary(std::move(name)), config_(std::move(config)) {}

void LinkObserverAdversary::on_started(world::World& world) {
    world_ = &world;
    const auto& topology = world.topology();
    const auto region_id = [&topology](const std::string& name) {
        const auto r = topology.find(name);
        if (!r) throw std::runtime_error("link_observer: region '" + name + "' is not in the topology (" + topology.names() + ")");
        return *r;
    };
    std::vector<net::RegionId> regions;
    for (const auto& name : config_.regions) regions.push_back(region_id(name));
    std::vector<std::pair<net::RegionId, net::RegionId>> links;
    for (const auto& [a, b] : config_.links) links.emplace_back(region_id(a), region_id(b));
    tap_ = std::make_unique<LinkObserver>(world.network(), regions, config_.transit, links);
    const std::size_t n = world.client_count();
    for (std::uint32_t u = 0; u < n; ++u) tap_->set_candidate(world.client_host(u).id(), u);
    // A uniform round(share·clients)-subset of access links (an ISP's customers).
    const auto m = static_cast<std::size_t>(std::llround(config_.client_access_share * static_cast<double>(n)));
    RandomStream rng = RandomStreams::derive(world.spec().seed, "adversary/" + name() + "/access");
    for (const auto k : sample_without_replacement(n, m, rng)) tap_->tap_host(world.client_host(k).id());
    world.network().add_interceptor(*tap_);
    if (!config_.layers_given) {
        // The window of every cipher the clients use (an adversary measures its own client).
        bool first = true;
        for (std::size_t u = 0; u < n; ++u) {
            const auto& p = world.client_profile(u);
            const auto [lo, hi] = layers_window(p.enc_type);
            config_.layers_min_bytes = first ? lo : std::min(config_.layers_min_bytes, lo);
            config_.layers_max_bytes = first ? hi : std::max(config_.layers_max_bytes, hi);
            first = false;
        }
    }
    world.bus().subscribe<world::NodeObserved>([this](const world::NodeObserved& seen) { on_observation(seen); });
}

void LinkObserverAdversary::on_observation(const world::NodeObserved& seen) {
    const auto& o = seen.observation;
    if (o.kind != sessionproto::Observation::Kind::stored || !o.recipient) return;
    if (world_->from_swarm_peer(seen.node, o)) return;  // a replica, not the sender's store
    ++stores_total_;
    // The store is handled as its datagram is delivered: that datagram is the observer's last.
    const auto& d = tap_->last_delivery();
    if (d.observed && d.at == seen.at && d.to == world_->service_node_host(seen.node).id()) {
        observed_stores_.push_back(ObservedStore{seen.at, *o.recipient, d.size});
    }
}

nlohmann::json LinkObserverAdversary::summary(const world::World& world) const {
    const auto& c = config_;
    const auto& obs = *tap_;
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
    const std::size_t clients = world.client_count();
    const auto client_by_id = clients_by_session_id(world);
    const auto& messages = world.messages();
    const auto messages_to = messages_by_recipient(messages);
    const LinkCorrelator correlator(std::max<std::size_t>(clients, 1), c.window, obs.entries());
    struct Mode {
        std::optional<SizeMatch> match;
        std::vector<CandidateAssessment> targets;
        std::size_t truth_scored = 0;
        LinkTally links;
    };
    Mode timing{std::nullopt, {}, 0, {}}, sized{SizeMatch{c.layers_min_bytes, c.layers_max_bytes}, {}, 0, {}};
    for (const auto& store : observed_stores_) {
        const auto who = client_by_id.find(store.recipient);
        if (who == client_by_id.end()) continue;
        const world::MessageRecord* truth = message_stored_at(messages, messages_to, who->second, store.at);
        if (truth == nullptr) continue;
        for (Mode* mode : {&timing, &sized}) {
            auto s = correlator.scores(store.at, store.size, mode->match);
            mode->truth_scored += s[truth->sender] > 0 ? 1 : 0;
            score_target(std::move(s), truth->sender, mode->targets, mode->links);
        }
    }
    const auto figures = [clients](const Mode& mode) {
        nlohmann::json out;
        out["targets"] = mode.targets.size();
        out["targets_with_truth_scored"] = mode.truth_scored;
        put_population(out, mode.targets, clients);
        out["roc"] = mode.links.summary();
        return out;
    };
    j["timing"] = figures(timing);
    j["timing_and_size"] = figures(sized);
    return j;
}

}  // namespace sessionsim::adversary
