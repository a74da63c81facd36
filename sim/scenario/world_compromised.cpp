// Compromised service nodes in the World (sim/adversary/compromised_nodes.hpp): which nodes the
// adversary holds, and the exposure they give (spec anonymity §3), from the simulator's ground
// truth (never available to the adversary itself).
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include "sim/adversary/anonymity_metrics.hpp"
#include "sim/adversary/exposure.hpp"
#include "sim/adversary/intervals.hpp"
#include "sim/adversary/poll_correlator.hpp"
#include "sim/adversary/timing_correlator.hpp"
#include "sim/scenario/correlation_scoring.hpp"
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
        std::size_t m = 0;
        if (c.selection == Selection::count) {
            m = static_cast<std::size_t>(std::min<std::uint64_t>(c.count, n));
        } else if (c.selection == Selection::stake) {
            const double nodes = std::floor(c.stake / (c.operator_share * c.staking_requirement));
            m = static_cast<std::size_t>(std::min(nodes, static_cast<double>(n)));
        } else {
            m = static_cast<std::size_t>(std::llround(c.fraction * static_cast<double>(n)));
        }
        RandomStream rng = RandomStreams::derive(spec_.seed, "adversary/compromised");
        chosen = sample_without_replacement(n, m, rng);
    }
    for (const auto i : chosen) {
        nodes_[i]->compromised = true;
        compromised_.insert(nodes_[i]->host->protocol().ed25519());
    }
    // Active nodes (sim/adversary/active_compromise.hpp): an interceptor on what they send. Not
    // registered when passive, so a passive run draws and schedules exactly as before.
    if (c.active.active()) {
        std::vector<net::HostId> hosts;
        for (const auto i : chosen) hosts.push_back(nodes_[i]->host->id());
        active_compromise_ = std::make_unique<adversary::ActiveCompromise>(
            c.active, hosts, RandomStreams::derive(spec_.seed, "adversary/active"),
            [this](const net::InFlight& p) { return client_by_ip_.contains(p.to_address.value); });
        network_.add_interceptor(*active_compromise_);
    }
}

void World::on_compromised_observation(SimTime at, std::size_t node, const sessionproto::Observation& o) {
    ++compromised_observations_;
    using Kind = sessionproto::Observation::Kind;
    if (o.kind == Kind::relayed) {
        // An onion request entering at this node from a client (not a service node's address).
        if (const auto it = client_by_ip_.find(o.from.ipv4); it != client_by_ip_.end()) {
            adversary_entries_.emplace_back(at, it->second);
        }
    } else if (o.kind == Kind::stored && o.recipient) {
        // A store that did not come from a swarm peer (a replica): the one the sender asked for.
        if (!from_swarm_peer(node, o)) adversary_stores_.emplace_back(at, *o.recipient);
    } else if (o.kind == Kind::retrieved && o.recipient) {
        // A poll for this Account ID (its owner's retrieve), for the poll correlator.
        adversary_retrieves_.emplace_back(at, *o.recipient);
    }
}

std::vector<bool> World::swarms_with_adversary_by_client() const {
    std::vector<bool> out(clients_.size(), false);
    for (std::size_t u = 0; u < clients_.size(); ++u) {
        const auto owner = clients_[u]->host->protocol().account_id().as_session_id();
        const auto members = registry_.swarm_members_for(owner);
        out[u] = std::any_of(members.begin(), members.end(), [this](const auto& r) { return compromised_.contains(r.ed25519); });
    }
    return out;
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
    const auto recipient_seen = swarms_with_adversary_by_client();
    std::size_t stored = 0, both = 0;
    for (const auto& m : messages_) {
        if (!m.stored) continue;
        ++stored;
        both += m.stored_via_compromised_guard && recipient_seen[m.recipient] ? 1 : 0;
    }
    j["messages_stored"] = stored;
    j["messages_sender_and_recipient_seen"] = both;
    j["correlation"] = correlation_summary();
    j["poll_correlation"] = poll_correlation_summary();
    j["time_to_first_compromise"] = first_compromise_summary();
    j["active"] = active_compromise_summary();
    return j;
}

nlohmann::json World::correlation_summary() const {
    // The entry-versus-store timing correlator over what the compromised nodes saw (spec
    // anonymity §2), scored against the ground truth: for each store the adversary saw, the
    // message it was (same recipient, sent before, confirmed after) and its sender.
    adversary::TimingCorrelator correlator(std::max<std::size_t>(clients_.size(), 1), CORRELATION_WINDOW);
    for (const auto& [at, client] : adversary_entries_) correlator.add_entry(at, client);
    const auto client_by_id = clients_by_session_id(*this);
    LinkTally links;
    const auto messages_to = messages_by_recipient(messages_);
    std::vector<adversary::CandidateAssessment> targets;
    std::size_t truth_scored = 0, truth_scored_via_compromised_guard = 0, via_compromised_guard = 0;
    for (const auto& [at, recipient] : adversary_stores_) {
        const auto who = client_by_id.find(recipient);
        if (who == client_by_id.end()) continue;
        const MessageRecord* truth = message_stored_at(messages_, messages_to, who->second, at);
        if (truth == nullptr) continue;
        auto scores = correlator.scores_for_store(at);
        const bool seen = scores[truth->sender] > 0;
        truth_scored += seen ? 1 : 0;
        via_compromised_guard += truth->stored_via_compromised_guard ? 1 : 0;
        truth_scored_via_compromised_guard += (seen && truth->stored_via_compromised_guard) ? 1 : 0;
        score_target(std::move(scores), truth->sender, targets, links);
    }
    nlohmann::json c;
    c["window_ms"] = to_milliseconds(CORRELATION_WINDOW);
    c["entries_seen"] = adversary_entries_.size();
    c["stores_seen"] = adversary_stores_.size();
    c["targets"] = targets.size();
    c["targets_via_compromised_guard"] = via_compromised_guard;
    c["targets_with_truth_scored"] = truth_scored;
    c["targets_via_compromised_guard_with_truth_scored"] = truth_scored_via_compromised_guard;
    put_population(c, targets, clients_.size());
    c["roc"] = links.summary();
    return c;
}

nlohmann::json World::poll_correlation_summary() const {
    // The poll-versus-retrieve correlator (sim/adversary/poll_correlator.hpp; spec anonymity §2,
    // "Bob's IP ↔ Bob's Session ID") over what the compromised nodes saw: for each Account ID
    // whose retrieves an adversary swarm member saw, a belief over the client IPs that entered an
    // adversary guard just before, accumulated over all its retrieves; scored against the client
    // that owns the ID.
    const std::size_t candidates = std::max<std::size_t>(clients_.size(), 1);
    // π0: the chance that none of an owner's guards (one per path) is the adversary's, which the
    // adversary knows from its share of nodes (spec anonymity §3, 1 − P_g, hypergeometric). Kept
    // below 1: with no compromised node nothing is seen anyway.
    const double prior_unseen = std::min(
        1.0 - adversary::bad_guard_probability_exact(nodes_.size(), compromised_.size(), static_cast<std::size_t>(spec_.clients.paths)),
        1.0 - 1e-9);
    adversary::PollCorrelator correlator(candidates, CORRELATION_WINDOW, POLL_MISS_PROBABILITY, prior_unseen);
    for (const auto& [at, client] : adversary_entries_) correlator.add_entry(at, client);
    const auto client_by_id = clients_by_session_id(*this);
    std::size_t unknown = 0;  // retrieves for an ID no client owns (none in the workload)
    for (const auto& [at, id] : adversary_retrieves_) {
        const auto who = client_by_id.find(id);
        if (who == client_by_id.end()) {
            ++unknown;
            continue;
        }
        correlator.add_retrieve(at, who->second);
    }
    std::vector<adversary::CandidateAssessment> targets;
    LinkTally links;
    std::size_t truth_seen = 0, retrieves_with_entries = 0;
    double in_windows = 0;
    for (const auto& [owner, evidence] : correlator.evidence()) {
        const auto belief = evidence.belief(candidates);
        targets.push_back(adversary::assess(belief, owner));
        links.add_target(belief, owner);
        truth_seen += evidence.credit.contains(owner) ? 1 : 0;
        retrieves_with_entries += evidence.retrieves_with_entries;
        in_windows += static_cast<double>(evidence.credit.size());
    }
    nlohmann::json c;
    c["window_ms"] = to_milliseconds(CORRELATION_WINDOW);
    c["miss_probability"] = POLL_MISS_PROBABILITY;
    c["prior_unseen"] = prior_unseen;
    c["entries_seen"] = adversary_entries_.size();
    c["retrieves_seen"] = adversary_retrieves_.size() - unknown;
    c["retrieves_with_entries"] = retrieves_with_entries;
    c["targets"] = targets.size();
    c["targets_with_truth_seen"] = truth_seen;
    if (!targets.empty()) c["mean_candidates_in_windows"] = in_windows / static_cast<double>(targets.size());
    put_population(c, targets, clients_.size());
    c["roc"] = links.summary();
    return c;
}

nlohmann::json World::first_compromise_summary() const {
    // Time to first compromise per user (spec anonymity §3, TorPS style): the send time of the
    // user's first message the adversary could link, Alice-IP ↔ Bob-ID: the confirmed store's path
    // began at a compromised guard and the recipient's swarm (at the end) has a compromised member.
    const auto covered = swarms_with_adversary_by_client();
    std::set<std::uint32_t> sent, stored;
    std::map<std::uint32_t, SimTime> first;  // user -> first linkable send
    for (const auto& m : messages_) {  // in send order, so the first hit per user is its earliest
        sent.insert(m.sender);
        if (!m.stored) continue;
        stored.insert(m.sender);
        if (!m.stored_via_compromised_guard || first.contains(m.sender) || !covered[m.recipient]) continue;
        first.emplace(m.sender, m.sent_at);
    }
    nlohmann::json j;
    j["users"] = clients_.size();
    j["users_who_sent"] = sent.size();
    j["users_with_stored_message"] = stored.size();
    j["users_compromised"] = first.size();
    j["share_compromised"] = sent.empty() ? 0.0 : static_cast<double>(first.size()) / static_cast<double>(sent.size());
    std::vector<double> seconds_to;
    for (const auto& [user, at] : first) seconds_to.push_back(to_seconds(at));
    std::sort(seconds_to.begin(), seconds_to.end());
    if (!seconds_to.empty()) {
        j["p10_s"] = adversary::empirical_quantile(seconds_to, 0.10);
        j["p50_s"] = adversary::empirical_quantile(seconds_to, 0.50);
        j["p90_s"] = adversary::empirical_quantile(seconds_to, 0.90);
    }
    // The CDF over users who sent: share compromised by each tenth of the run.
    nlohmann::json cdf = nlohmann::json::array();
    const double duration_s = to_seconds(spec_.duration);
    for (int k = 1; k <= 10; ++k) {
        const double t = duration_s * k / 10;
        const auto by_t = std::upper_bound(seconds_to.begin(), seconds_to.end(), t) - seconds_to.begin();
        cdf.push_back({{"t_s", t}, {"share", sent.empty() ? 0.0 : static_cast<double>(by_t) / static_cast<double>(sent.size())}});
    }
    j["cdf"] = cdf;
    return j;
}

}  // namespace sessionsim::scenario
