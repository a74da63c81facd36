#include "sim/world/world_metrics.hpp"
#include "sim/adversary/spam/spam_adversary.hpp"

#include <set>
#include <string>

#include "sim/stats/sample_statistics.hpp"
#include "sim/world/message_ledger.hpp"
#include "sim/world/world_summary.hpp"

namespace sessionsim::adversary {

SpamAdversary::SpamAdversary(std::string name, SpamConfig config) : Adversary(std::move(name)), config_(std::move(config)) {}

void SpamAdversary::configure(sessionproto::ServiceNodeConfig& config) const {
    config.rate_limit_clients = config_.token_bucket;  // a defence switch
    if (config_.storage_cap_bytes) config.store_byte_limit = *config_.storage_cap_bytes;
}

void SpamAdversary::configure(sessionproto::ClientConfig& config) const {
    config.message_requests = config_.message_requests;  // a defence switch
}

std::vector<FlooderConfig::Target> SpamAdversary::pick_targets(world::World& world, RandomStream& rng) {
    const auto& registry = world.registry();
    auto members_of = [&registry](const sessionproto::SessionId& owner) {
        std::vector<sessionproto::PeerAddress> out;
        for (const auto& rec : registry.swarm_members_for(owner)) out.push_back(rec.address);
        return out;
    };
    auto random_id = [&rng] {
        std::array<std::byte, 32> key{};
        rng.fill(key);
        return sessionproto::SessionId(sessionproto::IdPrefix::standard, key);
    };
    std::vector<FlooderConfig::Target> targets;
    switch (config_.target) {
        case SpamConfig::TargetKind::users: {
            // Distinct victims among the clients (the attacker knows their Session IDs).
            std::set<std::uint32_t> chosen;
            const auto count = std::min<std::uint64_t>(config_.target_count, world.client_count());
            while (chosen.size() < count) chosen.insert(static_cast<std::uint32_t>(rng.index(world.client_count())));
            for (const auto u : chosen) {
                victims_.push_back(u);
                const auto owner = world.client(u).account_id().as_session_id();
                targets.push_back({owner, members_of(owner)});
            }
            break;
        }
        case SpamConfig::TargetKind::swarms:
            for (std::uint64_t i = 0; i < config_.target_count; ++i) {
                const auto owner = random_id();
                targets.push_back({owner, members_of(owner)});
            }
            break;
        case SpamConfig::TargetKind::nodes:
            // A node is flooded with stores for an owner of its own swarm (so it stores them).
            for (std::uint64_t i = 0; i < config_.target_count && world.service_node_count() > 0; ++i) {
                const auto& node = world.service_node(rng.index(world.service_node_count()));
                const auto record = registry.find(node.ed25519());
                sessionproto::SessionId owner = random_id();
                for (int tries = 0; record && tries < 100'000; ++tries) {
                    const auto swarm = registry.swarm_for(owner);
                    if (swarm && swarm->value == record->swarm_id) break;
                    owner = random_id();
                }
                targets.push_back({owner, {node.address()}});
            }
            break;
    }
    return targets;
}

void SpamAdversary::on_started(world::World& world) {
    if (config_.message_requests) {
        // Message requests: a user's contacts are its accepted conversations.
        for (std::uint32_t u = 0; u < world.client_count(); ++u) {
            for (const auto v : world.contacts().contacts(u)) {
                world.client_host(u).protocol().approve_contact(world.client(v).account_id());
            }
        }
    }
    const std::uint64_t seed = world.spec().seed;
    RandomStream rng = RandomStreams::derive(seed, name() + "/targets");
    FlooderConfig config;
    config.rate_per_second = config_.rate_per_second / static_cast<double>(config_.flooders);
    config.message_size_bytes = config_.message_size_bytes;
    config.ttl_ms = config_.ttl.count() / 1'000'000;
    config.pow = config_.pow;
    config.session_messages = config_.session_messages;
    config.real_crypto_fraction = world.spec().crypto.real_fraction();
    config.targets = pick_targets(world, rng);
    RandomStream placement = RandomStreams::derive(seed, name() + "/placement");
    const auto& clients = world.spec().clients;
    for (std::uint64_t f = 0; f < config_.flooders; ++f) {
        const net::HostSpec host_spec{world.pick_region(clients.regions, placement), config_.link.value_or(clients.link),
                                      std::nullopt};
        auto flooder = std::make_unique<host::NodeHost<Flooder>>(
            world.engine(), world.network(), host_spec,
            [&](sessionproto::PeerAddress) {
                const std::string stream = name() + "/flooder/" + std::to_string(f);
                return Flooder(config, RandomStreams::derive(seed, stream), RandomStreams::derive(seed, stream + "/crypto"));
            },
            host::HostSinks{}, world.spec().epoch_unix_ms);
        auto* host = flooder.get();
        if (const auto& identity = host->protocol().identity()) {
            if (const auto id = sessionproto::AccountId::from_ed25519(identity->pub)) flooder_ids_.insert(*id);
        }
        world.engine().schedule_at(SIM_EPOCH + config_.start, [host] {
            host->protocol().start(host->protocol_now());
            host->apply();
        });
        flooders_.push_back(std::move(flooder));
    }
    // Its messages that a client opened: shown in the inbox, or held apart as message requests.
    world.bus().subscribe<world::ForeignMessage>([this](const world::ForeignMessage& m) {
        if (m.claimed || !flooder_ids_.contains(m.sender)) return;
        m.claimed = true;
        ++(m.held_as_request ? held_as_requests_ : shown_);
    });
}

nlohmann::json SpamAdversary::summary(const world::World& world) const {
    FlooderStats total;
    for (const auto& f : flooders_) total += f->protocol().stats();
    nlohmann::json j;
    j["requests"] = total.requests;
    j["bytes"] = total.bytes;
    j["accepted"] = total.accepted;
    j["rate_limited"] = total.rate_limited;
    j["rejected"] = total.rejected;
    j["pow_hashes"] = total.pow_hashes;
    j["content"] = config_.session_messages ? "messages" : "random";
    j["seal_failures"] = total.seal_failures;
    // At the victims' clients: what they could not open (random content), showed in the inbox,
    // or held apart as message requests (spec session-network §5.2).
    std::uint64_t undecryptable = 0;
    for (const auto u : victims_) {
        undecryptable += world.client(u).counter(sessionproto::client_counter::undecryptable_message);
    }
    j["message_requests"] = config_.message_requests;
    j["victims_undecryptable"] = undecryptable;
    j["spam_shown"] = shown_;
    j["spam_held_as_requests"] = held_as_requests_;
    j["legitimate_held_as_requests"] = world.metrics().counter(world::metric::legitimate_held_as_requests);
    // What the legitimate users of the flooded inboxes got, against everyone else.
    std::uint64_t victim_sent = 0, victim_delivered = 0, other_sent = 0, other_delivered = 0;
    std::vector<double> victim_latency, other_latency;
    const std::set<std::uint32_t> victims(victims_.begin(), victims_.end());
    for (const auto& m : world.messages()) {
        if (m.sent_at + world::LATE_MESSAGE_WINDOW > world.end_time()) continue;
        const bool victim = victims.contains(m.recipient);
        (victim ? victim_sent : other_sent) += 1;
        (victim ? victim_delivered : other_delivered) += m.delivered ? 1 : 0;
        if (m.delivered) (victim ? victim_latency : other_latency).push_back(to_milliseconds(m.delivered_at - m.sent_at));
    }
    j["victim_e2e_latency_ms"] = world::sample_summary_json(stats::summarize(std::move(victim_latency)));
    j["others_e2e_latency_ms"] = world::sample_summary_json(stats::summarize(std::move(other_latency)));
    j["victim_messages"] = victim_sent;
    j["victim_delivery_ratio"] = victim_sent > 0 ? static_cast<double>(victim_delivered) / static_cast<double>(victim_sent) : 0.0;
    j["others_delivery_ratio"] = other_sent > 0 ? static_cast<double>(other_delivered) / static_cast<double>(other_sent) : 0.0;
    return j;
}

}  // namespace sessionsim::adversary
