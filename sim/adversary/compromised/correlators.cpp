// The compromised nodes' correlators, over what they saw and scored against the World's ground
// truth: entry versus store (timing), poll versus retrieve, and the time to first compromise.
#include <algorithm>
#include <map>
#include <set>

#include "sim/adversary/anonymity_metrics.hpp"
#include "sim/adversary/compromised/compromised_adversary.hpp"
#include "sim/adversary/compromised/poll_correlator.hpp"
#include "sim/adversary/compromised/timing_correlator.hpp"
#include "sim/adversary/correlation_scoring.hpp"
#include "sim/adversary/exposure.hpp"
#include "sim/stats/sample_statistics.hpp"

namespace sessionsim::adversary {

nlohmann::json CompromisedNodesAdversary::correlation_summary(const world::World& world) const {
    // The entry-versus-store timing correlator over what the compromised nodes saw (spec
    // anonymity §2), scored against the ground truth: for each store the adversary saw, the
    // message it was (same recipient, sent before, confirmed after) and its sender.
    const std::size_t clients = world.client_count();
    TimingCorrelator correlator(std::max<std::size_t>(clients, 1), CORRELATION_WINDOW);
    for (const auto& [at, client] : entries_) correlator.add_entry(at, client);
    const auto client_by_id = clients_by_session_id(world);
    LinkTally links;
    const auto& messages = world.messages();
    const auto messages_to = messages_by_recipient(messages);
    std::vector<CandidateAssessment> targets;
    std::size_t truth_scored = 0, truth_scored_via_compromised_guard = 0, via_compromised_guard = 0;
    for (const auto& [at, recipient] : stores_) {
        const auto who = client_by_id.find(recipient);
        if (who == client_by_id.end()) continue;
        const world::MessageRecord* truth = message_stored_at(messages, messages_to, who->second, at);
        if (truth == nullptr) continue;
        const bool via_guard = stored_via_held_guard(static_cast<std::size_t>(truth - messages.data()));
        auto scores = correlator.scores_for_store(at);
        const bool seen = scores[truth->sender] > 0;
        truth_scored += seen ? 1 : 0;
        via_compromised_guard += via_guard ? 1 : 0;
        truth_scored_via_compromised_guard += (seen && via_guard) ? 1 : 0;
        score_target(std::move(scores), truth->sender, targets, links);
    }
    nlohmann::json c;
    c["window_ms"] = to_milliseconds(CORRELATION_WINDOW);
    c["entries_seen"] = entries_.size();
    c["stores_seen"] = stores_.size();
    c["targets"] = targets.size();
    c["targets_via_compromised_guard"] = via_compromised_guard;
    c["targets_with_truth_scored"] = truth_scored;
    c["targets_via_compromised_guard_with_truth_scored"] = truth_scored_via_compromised_guard;
    put_population(c, targets, clients);
    c["roc"] = links.summary();
    return c;
}

nlohmann::json CompromisedNodesAdversary::poll_correlation_summary(const world::World& world) const {
    // The poll-versus-retrieve correlator (poll_correlator.hpp; spec anonymity §2, "Bob's IP ↔
    // Bob's Session ID") over what the compromised nodes saw: for each Account ID whose retrieves
    // an adversary swarm member saw, a belief over the client IPs that entered an adversary guard
    // just before, accumulated over all its retrieves; scored against the client that owns the ID.
    const std::size_t clients = world.client_count();
    const std::size_t candidates = std::max<std::size_t>(clients, 1);
    // π0: the chance that none of an owner's guards (one per path) is the adversary's, which the
    // adversary knows from its share of nodes (spec anonymity §3, 1 − P_g, hypergeometric). Kept
    // below 1: with no compromised node nothing is seen anyway.
    const double prior_unseen =
        std::min(1.0 - bad_guard_probability_exact(world.service_node_count(), held_.size(),
                                                   world.client_count() > 0 ? world.client_profile(0).path_count : 2),
                 1.0 - 1e-9);
    PollCorrelator correlator(candidates, CORRELATION_WINDOW, POLL_MISS_PROBABILITY, prior_unseen);
    for (const auto& [at, client] : entries_) correlator.add_entry(at, client);
    const auto client_by_id = clients_by_session_id(world);
    std::size_t unknown = 0;  // retrieves for an ID no client owns (none in the workload)
    for (const auto& [at, id] : retrieves_) {
        const auto who = client_by_id.find(id);
        if (who == client_by_id.end()) {
            ++unknown;
            continue;
        }
        correlator.add_retrieve(at, who->second);
    }
    std::vector<CandidateAssessment> targets;
    LinkTally links;
    std::size_t truth_seen = 0, retrieves_with_entries = 0;
    double in_windows = 0;
    for (const auto& [owner, evidence] : correlator.evidence()) {
        const auto belief = evidence.belief(candidates);
        targets.push_back(assess(belief, owner));
        links.add_target(belief, owner);
        truth_seen += evidence.credit.contains(owner) ? 1 : 0;
        retrieves_with_entries += evidence.retrieves_with_entries;
        in_windows += static_cast<double>(evidence.credit.size());
    }
    nlohmann::json c;
    c["window_ms"] = to_milliseconds(CORRELATION_WINDOW);
    c["miss_probability"] = POLL_MISS_PROBABILITY;
    c["prior_unseen"] = prior_unseen;
    c["entries_seen"] = entries_.size();
    c["retrieves_seen"] = retrieves_.size() - unknown;
    c["retrieves_with_entries"] = retrieves_with_entries;
    c["targets"] = targets.size();
    c["targets_with_truth_seen"] = truth_seen;
    if (!targets.empty()) c["mean_candidates_in_windows"] = in_windows / static_cast<double>(targets.size());
    put_population(c, targets, clients);
    c["roc"] = links.summary();
    return c;
}

nlohmann::json CompromisedNodesAdversary::first_compromise_summary(const world::World& world) const {
    // Time to first compromise per user (spec anonymity §3, TorPS style): the send time of the
    // user's first message the adversary could link, Alice-IP ↔ Bob-ID: the confirmed store's path
    // began at a compromised guard and the recipient's swarm (at the end) has a compromised member.
    const auto covered = swarms_held_by_client(world);
    std::set<std::uint32_t> sent, stored;
    std::map<std::uint32_t, SimTime> first;  // user -> first linkable send
    const auto& messages = world.messages();
    for (std::size_t id = 0; id < messages.size(); ++id) {  // in send order: the first hit per user is its earliest
        const auto& m = messages[id];
        sent.insert(m.sender);
        if (!m.stored) continue;
        stored.insert(m.sender);
        if (!stored_via_held_guard(id) || first.contains(m.sender) || !covered[m.recipient]) continue;
        first.emplace(m.sender, m.sent_at);
    }
    nlohmann::json j;
    j["users"] = world.client_count();
    j["users_who_sent"] = sent.size();
    j["users_with_stored_message"] = stored.size();
    j["users_compromised"] = first.size();
    j["share_compromised"] = sent.empty() ? 0.0 : static_cast<double>(first.size()) / static_cast<double>(sent.size());
    std::vector<double> seconds_to;
    for (const auto& [user, at] : first) seconds_to.push_back(to_seconds(at));
    std::sort(seconds_to.begin(), seconds_to.end());
    if (!seconds_to.empty()) {
        j["p10_s"] = stats::empirical_quantile(seconds_to, 0.10);
        j["p50_s"] = stats::empirical_quantile(seconds_to, 0.50);
        j["p90_s"] = stats::empirical_quantile(seconds_to, 0.90);
    }
    // The CDF over users who sent: share compromised by each tenth of the run.
    nlohmann::json cdf = nlohmann::json::array();
    const double duration_s = to_seconds(world.spec().duration);
    for (int k = 1; k <= 10; ++k) {
        const double t = duration_s * k / 10;
        const auto by_t = std::upper_bound(seconds_to.begin(), seconds_to.end(), t) - seconds_to.begin();
        cdf.push_back({{"t_s", t}, {"share", sent.empty() ? 0.0 : static_cast<double>(by_t) / static_cast<double>(sent.size())}});
    }
    j["cdf"] = cdf;
    return j;
}

}  // namespace sessionsim::adversary
