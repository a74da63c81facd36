#include "sim/world/world_metrics.hpp"
#include "sim/adversary/compromised/compromised_adversary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string_view>

#include "sim/adversary/exposure.hpp"
#include "sim/core/discrete_distributions.hpp"

namespace sessionsim::adversary {

CompromisedNodesAdversary::CompromisedNodesAdversary(std::string name, CompromisedNodesConfig config)
    : Adversary(std::move(name)), config_(std::move(config)) {}

void CompromisedNodesAdversary::on_nodes_built(world::World& world) {
    world_ = &world;
    using Selection = CompromisedNodesConfig::Selection;
    const std::size_t n = world.service_node_count();
    std::vector<std::size_t> chosen;
    if (config_.selection == Selection::region) {
        const auto region = world.topology().find(config_.region);
        if (!region) throw std::runtime_error("compromised_nodes: region '" + config_.region + "' is not in the topology");
        for (std::size_t i = 0; i < n; ++i) {
            if (world.network().region(world.service_node_host(i).id()) == *region) chosen.push_back(i);
        }
    } else {
        std::size_t m = 0;
        if (config_.selection == Selection::count) {
            m = static_cast<std::size_t>(std::min<std::uint64_t>(config_.count, n));
        } else if (config_.selection == Selection::stake) {
            const double nodes = std::floor(config_.stake / (config_.operator_share * config_.staking_requirement));
            m = static_cast<std::size_t>(std::min(nodes, static_cast<double>(n)));
        } else {
            m = static_cast<std::size_t>(std::llround(config_.fraction * static_cast<double>(n)));
        }
        RandomStream rng = RandomStreams::derive(world.spec().seed, "adversary/" + name());
        chosen = sample_without_replacement(n, m, rng);
    }
    held_by_index_.assign(n, false);
    for (const auto i : chosen) {
        held_by_index_[i] = true;
        held_.insert(world.service_node(i).ed25519());
    }
    // Active nodes (active_compromise.hpp): an interceptor on what they send. Not registered when
    // passive, so a passive run draws and schedules exactly as with no adversary.
    if (config_.active.active()) {
        std::vector<net::HostId> hosts;
        for (const auto i : chosen) hosts.push_back(world.service_node_host(i).id());
        // The first adversary of this kind keeps the stream name it always had.
        const std::string stream = name() == "compromised" ? "adversary/active" : "adversary/" + name() + "/active";
        active_ = std::make_unique<ActiveCompromise>(
            config_.active, hosts, RandomStreams::derive(world.spec().seed, stream),
            [w = &world](const net::InFlight& p) { return w->client_at(p.to_address.value).has_value(); });
        world.network().add_interceptor(*active_);
    }
    world.bus().subscribe<world::NodeObserved>([this](const world::NodeObserved& seen) {
        if (seen.node < held_by_index_.size() && held_by_index_[seen.node]) on_observation(seen);
    });
    world.bus().subscribe<world::MessageStored>([this](const world::MessageStored& stored) {
        if (stored.message >= via_guard_.size()) via_guard_.resize(stored.message + 1, false);
        via_guard_[stored.message] = stored.guard && held_.contains(*stored.guard);
    });
}

void CompromisedNodesAdversary::on_observation(const world::NodeObserved& seen) {
    ++observations_;
    const auto& o = seen.observation;
    using Kind = sessionproto::Observation::Kind;
    if (o.kind == Kind::relayed) {
        // An onion request entering at this node from a client (not a service node's address).
        if (const auto client = world_->client_at(o.from.ipv4)) entries_.emplace_back(seen.at, *client);
    } else if (o.kind == Kind::stored && o.recipient) {
        // A store that did not come from a swarm peer (a replica): the one the sender asked for.
        if (!world_->from_swarm_peer(seen.node, o)) stores_.emplace_back(seen.at, *o.recipient);
    } else if (o.kind == Kind::retrieved && o.recipient) {
        // A poll for this Account ID (its owner's retrieve), for the poll correlator.
        retrieves_.emplace_back(seen.at, *o.recipient);
    } else if (o.kind == Kind::looked_up && o.recipient) {
        // A get_swarm sent straight from a client's address: a desktop guard test (onionPath.ts
        // testGuardNode) asks for the client's own Account ID, so IP and ID arrive together.
        if (const auto client = world_->client_at(o.from.ipv4)) direct_lookups_.emplace(*client, *o.recipient);
    }
}

std::vector<bool> CompromisedNodesAdversary::swarms_held_by_client(const world::World& world) const {
    std::vector<bool> out(world.client_count(), false);
    for (std::size_t u = 0; u < world.client_count(); ++u) {
        const auto owner = world.client(u).account_id().as_session_id();
        const auto members = world.registry().swarm_members_for(owner);
        out[u] = std::any_of(members.begin(), members.end(), [this](const auto& r) { return held_.contains(r.ed25519); });
    }
    return out;
}

nlohmann::json CompromisedNodesAdversary::summary(const world::World& world) const {
    nlohmann::json j;
    const std::size_t n = world.service_node_count();
    j["nodes"] = held_.size();
    j["share_of_nodes"] = n == 0 ? 0.0 : static_cast<double>(held_.size()) / static_cast<double>(n);
    j["observations"] = observations_;
    // Swarms with an adversary member (at the end).
    std::size_t swarms = 0, covered = 0;
    for (const auto& [id, members] : world.registry().swarms()) {
        ++swarms;
        covered += std::any_of(members.begin(), members.end(), [this](const auto& k) { return held_.contains(k); }) ? 1 : 0;
    }
    j["swarms"] = swarms;
    j["swarms_with_adversary"] = covered;
    // Clients with at least one compromised guard (of those that have guards).
    std::size_t with_guards = 0, bad_guard = 0;
    for (std::size_t u = 0; u < world.client_count(); ++u) {
        const auto& guards = world.client(u).guards();
        if (guards.empty()) continue;
        ++with_guards;
        bad_guard += std::any_of(guards.begin(), guards.end(), [this](const auto& g) { return held_.contains(g.ed25519); }) ? 1 : 0;
    }
    j["clients_with_guards"] = with_guards;
    j["clients_with_compromised_guard"] = bad_guard;
    // Stored messages whose sender IP (the store's path began at a compromised guard) and recipient
    // ID (a member of the recipient's swarm is compromised: every member stores it) the adversary
    // both saw.
    const auto recipient_seen = swarms_held_by_client(world);
    std::size_t stored = 0, both = 0;
    const auto& messages = world.messages();
    for (std::size_t id = 0; id < messages.size(); ++id) {
        if (!messages[id].stored) continue;
        ++stored;
        both += stored_via_held_guard(id) && recipient_seen[messages[id].recipient] ? 1 : 0;
    }
    j["messages_stored"] = stored;
    j["messages_sender_and_recipient_seen"] = both;
    j["correlation"] = correlation_summary(world);
    j["poll_correlation"] = poll_correlation_summary(world);
    j["time_to_first_compromise"] = first_compromise_summary(world);
    j["active"] = active_summary(world);
    j["guard_test_exposure"] = guard_test_exposure_summary(world);
    return j;
}

nlohmann::json CompromisedNodesAdversary::guard_test_exposure_summary(const world::World& world) const {
    // Clients whose IP and Account ID one held node saw together in a guard test, against the
    // closed form: a client that tested k distinct candidates drawn uniformly from the n nodes,
    // m of them held, is exposed with 1 − C(n−m, k)/C(n, k) (exposure.hpp); the count of exposed
    // clients is a sum of independent Bernoullis (mean Σp, variance Σp(1−p)).
    const std::size_t n = world.service_node_count();
    std::size_t tested = 0, exposed = 0;
    double expected = 0, variance = 0;
    for (std::size_t u = 0; u < world.client_count(); ++u) {
        const auto k = world.client(u).counter(sessionproto::client_counter::guard_tests);
        if (k == 0) continue;
        ++tested;
        const auto own = world.client(u).account_id().as_session_id();
        if (direct_lookups_.contains({static_cast<std::uint32_t>(u), own})) ++exposed;
        const double p = bad_guard_probability_exact(n, held_.size(), std::min<std::size_t>(k, n));
        expected += p;
        variance += p * (1 - p);
    }
    return {{"clients_tested", tested},
            {"clients_exposed", exposed},
            {"share_exposed", tested == 0 ? 0.0 : static_cast<double>(exposed) / static_cast<double>(tested)},
            {"expected_exposed", expected},
            {"expected_sd", std::sqrt(variance)}};
}

nlohmann::json CompromisedNodesAdversary::active_summary(const world::World& world) const {
    // What the active behaviour did, and what caught it downstream (scenarios/README.md).
    const auto& b = config_.active;
    const ActiveCompromise::Counts counts = active_ ? active_->counts() : ActiveCompromise::Counts{};
    nlohmann::json a;
    a["enabled"] = b.active();
    a["drop"] = b.drop;
    a["tamper"] = b.tamper;
    a["delay_mean_ms"] = b.delay.mean();
    a["target"] = to_string(b.target);
    a["datagrams_seen"] = counts.seen;
    a["datagrams_dropped"] = counts.dropped;
    a["datagrams_delayed"] = counts.delayed;
    a["datagrams_tampered"] = counts.tampered;
    a["delay_added_ms_mean"] =
        counts.delayed > 0 ? to_milliseconds(counts.delay_added) / static_cast<double>(counts.delayed) : 0.0;
    // Rejections by reason, summed over every service node and client (their own counters).
    nlohmann::json nodes = nlohmann::json::object();
    namespace nc = sessionproto::node_counter;
    for (const std::string_view reason : {nc::malformed_packet, nc::bad_onion, nc::bad_rpc, nc::bad_push, nc::unmatched_response}) {
        std::uint64_t n = 0;
        for (std::size_t i = 0; i < world.service_node_count(); ++i) n += world.service_node(i).counter(reason);
        nodes[std::string(reason)] = n;
    }
    nlohmann::json clients = nlohmann::json::object();
    namespace cc = sessionproto::client_counter;
    for (const std::string_view reason : {cc::malformed_packet, cc::unmatched_response, cc::bad_onion_reply, cc::onion_error,
                                          cc::onion_timeout, cc::bad_pool_reply, cc::bad_swarm_reply, cc::bad_retrieve_reply,
                                          cc::undecryptable_message}) {
        std::uint64_t n = 0;
        for (std::size_t u = 0; u < world.client_count(); ++u) n += world.client(u).counter(reason);
        clients[std::string(reason)] = n;
    }
    a["node_rejections"] = nodes;
    a["client_rejections"] = clients;
    const auto& metrics = world.metrics();
    a["onion_failures"] = metrics.counter(world::metric::onion_failures);
    a["node_requests_rejected"] = metrics.counter(world::metric::node_requests_rejected);
    a["deliveries_corrupted"] = metrics.counter(world::metric::deliveries_corrupted);
    return a;
}

}  // namespace sessionsim::adversary
