// Compromised service nodes in the World (sim/adversary/compromised_nodes.hpp): which nodes the
// adversary holds, and the exposure they give (spec anonymity §3), from the simulator's ground
// truth (never available to the adversary itself).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/adversary/anonymity_metrics.hpp"
#include "sim/adversary/timing_correlator.hpp"
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
    for (const auto i : chosen) {
        nodes_[i]->compromised = true;
        compromised_.insert(nodes_[i]->host->protocol().ed25519());
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
        const auto& peers = nodes_[node]->host->protocol().swarm_peers();
        const bool replica = std::any_of(peers.begin(), peers.end(),
                                         [&](const sessionproto::SnodeRecord& p) { return p.address.ipv4 == o.from.ipv4; });
        if (!replica) adversary_stores_.emplace_back(at, *o.recipient);
    }
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
    j["correlation"] = correlation_summary();
    return j;
}

nlohmann::json World::correlation_summary() const {
    // The entry-versus-store timing correlator over what the compromised nodes saw (spec
    // anonymity §2), scored against the ground truth: for each store the adversary saw, the
    // message it was (same recipient, sent before, confirmed after) and its sender.
    adversary::TimingCorrelator correlator(std::max<std::size_t>(clients_.size(), 1), CORRELATION_WINDOW);
    for (const auto& [at, client] : adversary_entries_) correlator.add_entry(at, client);
    std::map<sessionproto::SessionId, std::uint32_t> client_by_id;
    for (std::uint32_t u = 0; u < clients_.size(); ++u) {
        client_by_id.emplace(clients_[u]->host->protocol().account_id().as_session_id(), u);
    }
    std::map<std::uint32_t, std::vector<std::size_t>> messages_to;  // recipient -> message ids
    for (std::size_t i = 0; i < messages_.size(); ++i) messages_to[messages_[i].recipient].push_back(i);
    std::vector<adversary::CandidateAssessment> targets;
    std::size_t truth_scored = 0, truth_scored_via_compromised_guard = 0, via_compromised_guard = 0;
    for (const auto& [at, recipient] : adversary_stores_) {
        const auto who = client_by_id.find(recipient);
        if (who == client_by_id.end()) continue;
        const MessageRecord* truth = nullptr;
        for (const auto i : messages_to[who->second]) {
            const auto& m = messages_[i];
            if (m.stored && m.sent_at <= at && m.stored_at >= at && (truth == nullptr || m.sent_at > truth->sent_at)) truth = &m;
        }
        if (truth == nullptr) continue;
        auto scores = correlator.scores_for_store(at);
        const bool seen = scores[truth->sender] > 0;
        truth_scored += seen ? 1 : 0;
        via_compromised_guard += truth->stored_via_compromised_guard ? 1 : 0;
        truth_scored_via_compromised_guard += (seen && truth->stored_via_compromised_guard) ? 1 : 0;
        if (std::all_of(scores.begin(), scores.end(), [](double x) { return x == 0; })) {
            std::fill(scores.begin(), scores.end(), 1.0);  // nothing seen: every client is as likely
        }
        targets.push_back(adversary::assess(scores, truth->sender));
    }
    nlohmann::json c;
    c["window_ms"] = to_milliseconds(CORRELATION_WINDOW);
    c["entries_seen"] = adversary_entries_.size();
    c["stores_seen"] = adversary_stores_.size();
    c["targets"] = targets.size();
    c["targets_via_compromised_guard"] = via_compromised_guard;
    c["targets_with_truth_scored"] = truth_scored;
    c["targets_via_compromised_guard_with_truth_scored"] = truth_scored_via_compromised_guard;
    if (!targets.empty()) {
        const auto p = adversary::summarise_population(targets, 5);
        double set = 0;
        for (const auto& t : targets) set += static_cast<double>(t.anonymity_set_size);
        c["mean_anonymity_set_size"] = set / static_cast<double>(targets.size());
        c["mean_entropy_bits"] = p.mean_entropy_bits;
        c["entropy_p05_bits"] = p.entropy_p05_bits;
        c["max_entropy_bits"] = std::log2(static_cast<double>(clients_.size()));
        c["deanonymised_share"] = p.deanonymised_share;
        c["top1_accuracy"] = p.top1_accuracy;
        c["top5_accuracy"] = p.top_k_accuracy;
    }
    return c;
}

}  // namespace sessionsim::scenario
