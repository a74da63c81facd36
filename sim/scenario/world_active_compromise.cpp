// Active compromised service nodes in the World (sim/adversary/active_compromise.hpp): what they
// did to the datagrams they sent (the interceptor is registered in World::pick_compromised), and
// what caught it downstream.
#include <string>
#include <string_view>

#include "sim/scenario/world.hpp"

namespace sessionsim::scenario {

nlohmann::json World::active_compromise_summary() const {
    // What the active behaviour did, and what caught it downstream (scenarios/README.md).
    const auto& b = spec_.compromised->active;
    const adversary::ActiveCompromise::Counts counts =
        active_compromise_ ? active_compromise_->counts() : adversary::ActiveCompromise::Counts{};
    nlohmann::json a;
    a["enabled"] = b.active();
    a["drop"] = b.drop;
    a["tamper"] = b.tamper;
    a["delay_mean_ms"] = b.delay.kind == net::DelayDistribution::Kind::none ? 0.0 : b.delay.mean_ms();
    a["target"] = adversary::to_string(b.target);
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
        for (const auto& node : nodes_) n += node->host->protocol().counter(reason);
        nodes[std::string(reason)] = n;
    }
    nlohmann::json clients = nlohmann::json::object();
    namespace cc = sessionproto::client_counter;
    for (const std::string_view reason : {cc::malformed_packet, cc::unmatched_response, cc::bad_onion_reply, cc::onion_error,
                                          cc::onion_timeout, cc::bad_pool_reply, cc::bad_swarm_reply, cc::bad_retrieve_reply,
                                          cc::undecryptable_message}) {
        std::uint64_t n = 0;
        for (const auto& client : clients_) n += client->host->protocol().counter(reason);
        clients[std::string(reason)] = n;
    }
    a["node_rejections"] = nodes;
    a["client_rejections"] = clients;
    a["onion_failures"] = metrics_.counter("onion_failures");
    a["node_requests_rejected"] = metrics_.counter("node_requests_rejected");
    a["deliveries_corrupted"] = metrics_.counter("deliveries_corrupted");
    return a;
}

}  // namespace sessionsim::scenario
