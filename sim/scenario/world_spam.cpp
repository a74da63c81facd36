// Spam in the World (sim/adversary/spam.hpp): flooder hosts on their own IPs, aimed at users'
// inboxes, random swarms or single service nodes, from `start` on.
#include <set>
#include <string>

#include "sim/core/discrete_distributions.hpp"
#include "sim/scenario/world.hpp"

namespace sessionsim::scenario {

void World::build_spam() {
    const auto& spam = *spec_.spam;
    RandomStream rng = RandomStreams::derive(spec_.seed, "spam/targets");
    adversary::FlooderConfig config;
    config.rate_per_second = spam.rate_per_second / static_cast<double>(spam.flooders);
    config.message_size_bytes = spam.message_size_bytes;
    config.ttl_ms = spam.ttl.count() / 1'000'000;
    config.pow = spam.pow;
    config.session_messages = spam.session_messages;
    config.real_crypto_fraction = spec_.crypto.mode == CryptoMode::sampled ? spec_.crypto.fraction : 1.0;
    auto members_of = [this](const sessionproto::SessionId& owner) {
        std::vector<sessionproto::PeerAddress> out;
        for (const auto& rec : registry_.swarm_members_for(owner)) out.push_back(rec.address);
        return out;
    };
    auto random_id = [&rng] {
        std::array<std::byte, 32> key{};
        rng.fill(key);
        return sessionproto::SessionId(sessionproto::IdPrefix::standard, key);
    };
    switch (spam.target) {
        case adversary::SpamConfig::TargetKind::users: {
            // Distinct victims among the clients (the attacker knows their Session IDs).
            std::set<std::uint32_t> chosen;
            const auto count = std::min<std::uint64_t>(spam.target_count, clients_.size());
            while (chosen.size() < count) chosen.insert(static_cast<std::uint32_t>(rng.index(clients_.size())));
            for (const auto u : chosen) {
                spam_victims_.push_back(u);
                const auto owner = clients_[u]->host->protocol().account_id().as_session_id();
                config.targets.push_back({owner, members_of(owner)});
            }
            break;
        }
        case adversary::SpamConfig::TargetKind::swarms:
            for (std::uint64_t i = 0; i < spam.target_count; ++i) {
                const auto owner = random_id();
                config.targets.push_back({owner, members_of(owner)});
            }
            break;
        case adversary::SpamConfig::TargetKind::nodes:
            // A node is flooded with stores for an owner of its own swarm (so it stores them).
            for (std::uint64_t i = 0; i < spam.target_count && !nodes_.empty(); ++i) {
                const auto& node = nodes_[rng.index(nodes_.size())]->host->protocol();
                const auto record = registry_.find(node.ed25519());
                sessionproto::SessionId owner = random_id();
                for (int tries = 0; record && tries < 100'000; ++tries) {
                    const auto swarm = registry_.swarm_for(owner);
                    if (swarm && swarm->value == record->swarm_id) break;
                    owner = random_id();
                }
                config.targets.push_back({owner, {node.address()}});
            }
            break;
    }
    RandomStream placement = RandomStreams::derive(spec_.seed, "spam/placement");
    for (std::uint64_t f = 0; f < spam.flooders; ++f) {
        const net::HostSpec host_spec{pick_region(spec_.clients.regions, placement), spam.link.value_or(spec_.clients.link),
                                      std::nullopt};
        auto flooder = std::make_unique<host::NodeHost<adversary::Flooder>>(
            engine_, network_, host_spec,
            [&](sessionproto::PeerAddress) {
                const std::string name = "spam/flooder/" + std::to_string(f);
                return adversary::Flooder(config, RandomStreams::derive(spec_.seed, name),
                                          RandomStreams::derive(spec_.seed, name + "/crypto"));
            },
            host::HostSinks{}, spec_.epoch_unix_ms);
        auto* host = flooder.get();
        engine_.schedule_at(SIM_EPOCH + spam.start, [host] {
            host->protocol().start(host->protocol_now());
            host->apply();
        });
        flooders_.push_back(std::move(flooder));
    }
}

nlohmann::json World::spam_summary() const {
    adversary::FlooderStats total;
    for (const auto& f : flooders_) total += f->protocol().stats();
    nlohmann::json j;
    j["requests"] = total.requests;
    j["bytes"] = total.bytes;
    j["accepted"] = total.accepted;
    j["rate_limited"] = total.rate_limited;
    j["rejected"] = total.rejected;
    j["pow_hashes"] = total.pow_hashes;
    j["content"] = spec_.spam->session_messages ? "messages" : "random";
    j["seal_failures"] = total.seal_failures;
    // At the victims' clients: what they could not open (random content), showed in the inbox,
    // or held apart as message requests (spec session-network §5.2).
    std::uint64_t undecryptable = 0;
    for (const auto u : spam_victims_) {
        undecryptable += clients_[u]->host->protocol().counter(sessionproto::client_counter::undecryptable_message);
    }
    j["message_requests"] = spec_.spam->message_requests;
    j["victims_undecryptable"] = undecryptable;
    j["spam_shown"] = metrics_.counter("spam_shown");
    j["spam_held_as_requests"] = metrics_.counter("spam_held_as_requests");
    j["legitimate_held_as_requests"] = metrics_.counter("legitimate_held_as_requests");
    // What the legitimate users of the flooded inboxes got, against everyone else.
    std::uint64_t victim_sent = 0, victim_delivered = 0, other_sent = 0, other_delivered = 0;
    std::vector<double> victim_latency, other_latency;
    const std::set<std::uint32_t> victims(spam_victims_.begin(), spam_victims_.end());
    for (const auto& m : messages_) {
        if (m.sent_at + LATE_MESSAGE_WINDOW > end_time()) continue;
        const bool victim = victims.contains(m.recipient);
        (victim ? victim_sent : other_sent) += 1;
        (victim ? victim_delivered : other_delivered) += m.delivered ? 1 : 0;
        if (m.delivered) (victim ? victim_latency : other_latency).push_back(to_milliseconds(m.delivered_at - m.sent_at));
    }
    j["victim_e2e_latency_ms"] = sample_summary_json(metrics::summarize(std::move(victim_latency)));
    j["others_e2e_latency_ms"] = sample_summary_json(metrics::summarize(std::move(other_latency)));
    j["victim_messages"] = victim_sent;
    j["victim_delivery_ratio"] = victim_sent > 0 ? static_cast<double>(victim_delivered) / static_cast<double>(victim_sent) : 0.0;
    j["others_delivery_ratio"] = other_sent > 0 ? static_cast<double>(other_delivered) / static_cast<double>(other_sent) : 0.0;
    return j;
}

}  // namespace sessionsim::scenario
