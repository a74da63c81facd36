#include "sim/world/world.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/core/discrete_distributions.hpp"
#include "sim/host/randombytes_guard.hpp"
#include "sim/world/world_metrics.hpp"

namespace sessionsim::world {

std::string message_body(std::uint32_t size) { return std::string(std::max<std::uint32_t>(size, 1), 'x'); }

const char* to_string(CryptoMode mode) noexcept { return mode == CryptoMode::real ? "real" : "sampled"; }

net::Topology World::load_topology(const WorldSpec& spec) {
    if (spec.topology.builtin_world) return net::Topology::world();
    return net::Topology::from_graphml(spec.topology.graphml);
}

World::World(const WorldSpec& spec, const std::vector<WorldPlugin*>& plugins)
    : spec_(spec),
      engine_(spec.seed),
      topology_(load_topology(spec)),
      network_(engine_, topology_),
      block_rng_(RandomStreams::derive(spec.seed, "registry/blocks")),
      placement_rng_(RandomStreams::derive(spec.seed, "world/service_nodes/placement")) {
    host::install_randombytes_guard();
    node_config_.accept_modelled_crypto = spec_.crypto.mode == CryptoMode::sampled;
    // One client configuration per profile of the mix (client/profile.hpp), each adjusted by
    // the scenario's overrides, then by the plug-ins (each plug-in: the node's, then the clients').
    for (const auto& share : spec_.clients.profiles) {
        const auto found = sessionproto::find_client_profile(share.name);
        if (found.profile == nullptr) throw std::runtime_error("unknown client profile '" + share.name + "'");
        sessionproto::ClientConfig config;
        config.profile = *found.profile;
        if (spec_.clients.paths) config.profile.path_count = static_cast<std::size_t>(*spec_.clients.paths);
        if (spec_.clients.poll_interval) config.profile.poll_interval_ms = spec_.clients.poll_interval->count() / 1'000'000;
        config.message_ttl_ms = spec_.workload.ttl.count() / 1'000'000;
        config.real_crypto_fraction = spec_.crypto.real_fraction();
        client_configs_.push_back(std::move(config));
    }
    for (const WorldPlugin* p : plugins) {
        p->configure(node_config_);
        for (auto& config : client_configs_) p->configure(config);
    }
    build_service_nodes();
    for (WorldPlugin* p : plugins) p->on_nodes_built(*this);
    on_block();  // block 1 at time 0: the initial swarms
    build_clients();
    start_workload();
    for (WorldPlugin* p : plugins) p->on_started(*this);
    sample_levels();
}

void World::sample_levels() {
    // Once per metrics bucket: storage per service node and the swarms, as levels over time.
    double total = 0, largest = 0;
    for (const auto& n : nodes_) {
        const auto bytes = static_cast<double>(n->host->protocol().store().total_bytes());
        total += bytes;
        largest = std::max(largest, bytes);
    }
    const SimTime now = engine_.now();
    if (!nodes_.empty()) metrics_.gauge(metric::storage_bytes_per_node_mean, now, total / static_cast<double>(nodes_.size()));
    metrics_.gauge(metric::storage_bytes_per_node_max, now, largest);
    metrics_.gauge(metric::swarms, now, static_cast<double>(registry_.swarms().size()));
    bus_.publish(LevelsSampled{now});
    if (MemoryBreakdown m = measure_memory(*this); m.total() > memory_peak_.total()) memory_peak_ = m;
    double members = 0;
    for (const auto& [id, m] : registry_.swarms()) members += static_cast<double>(m.size());
    if (!registry_.swarms().empty()) {
        metrics_.gauge(metric::swarm_size_mean, now, members / static_cast<double>(registry_.swarms().size()));
    }
    engine_.schedule_after(metrics_.bucket(), [this] { sample_levels(); });
}

net::RegionId World::pick_region(const RegionWeights& weights, RandomStream& rng) const {
    if (weights.all) return net::RegionId{static_cast<std::uint32_t>(rng.index(topology_.region_count()))};
    std::vector<double> w;
    for (const auto& [name, weight] : weights.weights) w.push_back(weight);
    const std::size_t i = WeightedChoice(w).sample(rng);
    const auto region = topology_.find(weights.weights[i].first);
    if (!region) throw std::runtime_error("region '" + weights.weights[i].first + "' is not in the topology");
    return *region;
}

void World::build_service_nodes() {
    nodes_.reserve(spec_.service_nodes.count);
    for (std::uint64_t i = 0; i < spec_.service_nodes.count; ++i) add_service_node(placement_rng_);
}

std::size_t World::add_service_node(RandomStream& placement) {
    const std::size_t index = nodes_.size();
    const std::string name = "service_node/" + std::to_string(index);
    host::SimEntropy identity_entropy(RandomStreams::derive(spec_.seed, name + "/identity"));
    const auto identity = sessionproto::ed25519_generate(identity_entropy);
    const net::HostSpec host_spec{pick_region(spec_.service_nodes.regions, placement), spec_.service_nodes.link,
                                  std::nullopt};
    auto slot = std::make_unique<NodeSlot>(RandomStreams::derive(spec_.seed, name + "/entropy"));
    host::SimEntropy& entropy = slot->entropy;
    slot->host.emplace(
        engine_, network_, host_spec,
        [&](sessionproto::PeerAddress address) {
            address.port = sessionproto::STORAGE_HTTPS_PORT;
            return sessionproto::ServiceNode(identity, address, node_config_, entropy);
        },
        host::HostSinks{[this](SimTime at, net::HostId, const sessionproto::AppEvent& e) { on_node_event(at, e); },
                        [this, index](SimTime at, net::HostId, const sessionproto::Observation& o) {
                            bus_.publish(NodeObserved{at, index, o});
                        }},
        spec_.epoch_unix_ms);
    if (spec_.service_nodes.cpu) slot->host->use_cpu(*spec_.service_nodes.cpu);
    const auto& node = slot->host->protocol();
    const auto status = registry_.register_node(
        sessionproto::SnodeRecord{node.ed25519(), node.x25519(), node.address(), sessionproto::INVALID_SWARM_ID.value});
    if (!status) throw std::runtime_error("registering " + name + ": " + status.error().message);
    // Key outputs join the fingerprint: who the nodes are and where they sit.
    engine_.fingerprint().add_bytes(sessionproto::to_string(node.ed25519().view()));
    engine_.fingerprint().add_value(node.address().ipv4);
    node_by_key_.emplace(node.ed25519(), index);
    nodes_.push_back(std::move(slot));
    return index;
}

std::optional<std::size_t> World::service_node_index(const sessionproto::Ed25519Pubkey& node) const {
    const auto it = node_by_key_.find(node);
    if (it == node_by_key_.end()) return std::nullopt;
    return it->second;
}

bool World::from_swarm_peer(std::size_t node, const sessionproto::Observation& o) const {
    const auto& peers = nodes_[node]->host->protocol().swarm_peers();
    return std::any_of(peers.begin(), peers.end(),
                       [&](const sessionproto::SnodeRecord& p) { return p.address.ipv4 == o.from.ipv4; });
}

void World::set_swarm_update_delivery(SwarmUpdateDelivery delivery) {
    if (swarm_update_delivery_) throw std::logic_error("World: a second plug-in set how swarm updates are delivered");
    swarm_update_delivery_ = std::move(delivery);
}

void World::build_clients() {
    RandomStream placement = RandomStreams::derive(spec_.seed, "world/clients/placement");
    for (auto& config : client_configs_) {
        for (std::size_t i = 0; i < std::min(SEED_NODES, nodes_.size()); ++i) {
            config.seed_nodes.push_back(nodes_[i]->host->protocol().address());
        }
    }
    assign_profiles();
    clients_.reserve(spec_.clients.count);
    for (std::uint64_t i = 0; i < spec_.clients.count; ++i) {
        std::string name = "client/";
        name.append(std::to_string(i));
        host::SimEntropy identity_entropy(RandomStreams::derive(spec_.seed, name + "/identity"));
        const auto identity = sessionproto::ed25519_generate(identity_entropy);
        const net::HostSpec host_spec{pick_region(spec_.clients.regions, placement), spec_.clients.link, std::nullopt};
        auto slot = std::make_unique<ClientSlot>(RandomStreams::derive(spec_.seed, name + "/entropy"));
        host::SimEntropy& entropy = slot->entropy;
        const auto index = static_cast<std::uint32_t>(i);
        slot->host.emplace(
            engine_, network_, host_spec,
            [&](sessionproto::PeerAddress) {
                return sessionproto::Client(identity, client_configs_[client_profile_[i]], pools_, entropy);
            },
            host::HostSinks{[this, index](SimTime at, net::HostId, const sessionproto::AppEvent& e) {
                                on_client_event(at, index, e);
                            },
                            {}},
            spec_.epoch_unix_ms);
        engine_.fingerprint().add_bytes(sessionproto::to_string(identity.pub.view()));
        client_by_ip_.emplace(network_.address(slot->host->id()).value, index);
        clients_.push_back(std::move(slot));
    }
}

void World::assign_profiles() {
    // Exact counts by largest remainder (ties to the earlier profile), then a shuffle of who runs
    // which; a single profile draws nothing (the streams of a one-profile run stay as they were).
    const std::size_t n = spec_.clients.count;
    const auto& shares = spec_.clients.profiles;
    client_profile_.assign(n, 0);
    if (shares.size() <= 1) return;
    double total = 0;
    for (const auto& s : shares) total += s.weight;
    std::vector<std::size_t> counts(shares.size(), 0);
    std::vector<std::pair<double, std::size_t>> remainders;
    std::size_t given = 0;
    for (std::size_t k = 0; k < shares.size(); ++k) {
        const double exact = shares[k].weight / total * static_cast<double>(n);
        counts[k] = static_cast<std::size_t>(exact);
        given += counts[k];
        remainders.emplace_back(exact - static_cast<double>(counts[k]), k);
    }
    std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t r = 0; given < n; ++r, ++given) ++counts[remainders[r % remainders.size()].second];
    std::size_t u = 0;
    for (std::size_t k = 0; k < shares.size(); ++k) {
        for (std::size_t c = 0; c < counts[k]; ++c) client_profile_[u++] = static_cast<std::uint8_t>(k);
    }
    RandomStream rng = RandomStreams::derive(spec_.seed, "world/clients/profiles");
    for (std::size_t i = n; i > 1; --i) std::swap(client_profile_[i - 1], client_profile_[rng.index(i)]);
}

const sessionproto::ClientProfile& World::client_profile(std::size_t client) const {
    return client_configs_[client_profile_.at(client)].profile;
}

std::optional<std::uint32_t> World::client_at(std::uint32_t ipv4) const {
    const auto it = client_by_ip_.find(ipv4);
    if (it == client_by_ip_.end()) return std::nullopt;
    return it->second;
}

void World::start_workload() {
    RandomStream graph_rng = RandomStreams::derive(spec_.seed, "workload/contacts");
    contacts_ = workload::ContactGraph::generate(clients_.size(), spec_.workload.contacts, graph_rng);
    workload::ScheduleConfig schedule;
    schedule.rate_per_user_per_hour = spec_.workload.rate_per_user_per_hour;
    schedule.activity = spec_.workload.activity;
    schedule.diurnal_amplitude = spec_.workload.diurnal_amplitude;
    schedule.diurnal_peak_hour = spec_.workload.diurnal_peak_hour;
    schedule.message_size_bytes = spec_.workload.message_size_bytes;
    schedule.epoch_unix_ms = spec_.epoch_unix_ms;
    const RandomStreams streams(spec_.seed);
    schedule_.emplace(schedule, contacts_, streams);
    online_.emplace(workload::OnlineConfig{spec_.clients.sessions.always_online, spec_.clients.sessions.online,
                                           spec_.clients.sessions.offline},
                    clients_.size(), streams);
    // Clients come up over the first 10 seconds (not all in one instant), or as the scenario's
    // arrival distribution says, online or not as their session schedule says; each then sends
    // its workload.
    RandomStream stagger = RandomStreams::derive(spec_.seed, "world/clients/start");
    RandomStream arrival = RandomStreams::derive(spec_.seed, "world/clients/arrival");
    for (std::uint32_t u = 0; u < clients_.size(); ++u) {
        const SimTime start = spec_.clients.arrival ? SIM_EPOCH + spec_.clients.arrival->sample_duration(arrival)
                                                    : SIM_EPOCH + from_seconds(stagger.uniform_real(0.0, 10.0));
        clients_[u]->started_at = start;
        const bool online = online_->starts_online(u);
        engine_.schedule_at(start, [this, u, online] {
            ClientSlot& c = *clients_[u];
            record_online(u, online);
            c.host->protocol().start(c.host->protocol_now());
            if (!online) c.host->protocol().set_online(c.host->protocol_now(), false);
            c.host->apply();
            if (!online_->always_online()) {
                engine_.schedule_after(online_->next_period(u, online), [this, u] { toggle_online(u); });
            }
        });
        send_next(u, start);
    }
}

void World::record_online(std::uint32_t user, bool online) {
    ClientSlot& c = *clients_[user];
    c.online = online;
    c.history.emplace_back(engine_.now(), online);
}

SimDuration World::online_time_after(std::size_t i, SimTime from) const {
    const auto& history = clients_.at(i)->history;
    SimDuration total{};
    for (std::size_t k = 0; k < history.size(); ++k) {
        if (!history[k].second) continue;
        const SimTime until = k + 1 < history.size() ? history[k + 1].first : std::max(end_time(), engine_.now());
        const SimTime begin = std::max(from, history[k].first);
        if (until > begin) total += until - begin;
    }
    return total;
}

void World::set_client_online(std::size_t i, bool online) {
    ClientSlot& c = *clients_.at(i);
    record_online(static_cast<std::uint32_t>(i), online);
    c.host->protocol().set_online(c.host->protocol_now(), online);
    c.host->apply();
}

void World::toggle_online(std::uint32_t user) {
    ClientSlot& c = *clients_[user];
    record_online(user, !c.online);
    c.host->protocol().set_online(c.host->protocol_now(), c.online);
    c.host->apply();
    metrics_.add(c.online ? metric::client_sessions_started : metric::client_sessions_ended);
    engine_.schedule_after(online_->next_period(user, c.online), [this, user] { toggle_online(user); });
}

void World::send_next(std::uint32_t user, SimTime after) {
    const auto next = schedule_->next(user, after);
    if (!next || next->at > end_time()) return;
    engine_.schedule_at(next->at, [this, m = *next] {
        send_next(m.sender, m.at);
        // A user writes only while the app is open: a message drawn for an offline time is not sent.
        if (!clients_[m.sender]->online) {
            metrics_.add(metric::messages_skipped_offline);
            return;
        }
        const std::uint32_t id = ledger_.add(m.at, m.sender, m.recipient, m.size_bytes);
        // The body is only its size (the content is nobody's business): the ledger knows the
        // message by the storage hash its sender's client returns.
        ClientSlot& sender = *clients_[m.sender];
        const auto& recipient = clients_[m.recipient]->host->protocol().account_id();
        auto hash = sender.host->protocol().send_message(sender.host->protocol_now(), recipient, message_body(m.size_bytes));
        if (hash && !ledger_.bind(std::move(*hash), id)) metrics_.add(metric::messages_hash_collisions);
        sender.host->apply();
        metrics_.add(metric::messages_sent);
        metrics_.series(metric::messages_sent, m.at);
    });
}

void World::on_client_event(SimTime at, std::uint32_t client, const sessionproto::AppEvent& event) {
    namespace app = sessionproto::app;
    if (const auto* e = std::get_if<app::StoreConfirmed>(&event)) {
        const auto id = ledger_.find(e->hash);
        if (!id || !ledger_.mark_stored(ledger_.at(*id), at)) return;
        metrics_.add(metric::messages_stored);
        bus_.publish(MessageStored{at, *id, e->guard});
    } else if (std::holds_alternative<app::StoreFailed>(event)) {
        metrics_.add(metric::store_failures);
    } else if (const auto* e = std::get_if<app::MessageReceived>(&event)) {
        on_message_received(at, client, *e);
    } else if (const auto* e = std::get_if<app::OnionRoundTrip>(&event)) {
        metrics_.add(metric::onion_round_trips);
        metrics_.sample(metric::onion_latency_ms, static_cast<double>(e->latency_ms));
    } else if (std::holds_alternative<app::OnionFailed>(event)) {
        metrics_.add(metric::onion_failures);
    } else if (std::holds_alternative<app::PathBuilt>(event)) {
        metrics_.add(metric::paths_built);
    } else if (std::holds_alternative<app::PathDropped>(event)) {
        metrics_.add(metric::path_rebuilds);
        metrics_.series(metric::path_rebuilds, at);
    }
}

void World::on_message_received(SimTime at, std::uint32_t client, const sessionproto::app::MessageReceived& e) {
    const auto id = ledger_.find(e.hash);
    if (!id) {
        // Not the workload's: its sender (a plug-in's host) may claim it.
        const ForeignMessage foreign{at, client, e.held_as_request, e.sender, e.body};
        bus_.publish(foreign);
        if (!foreign.claimed) metrics_.add(metric::deliveries_unrecognised);
        return;
    }
    MessageRecord& m = ledger_.at(*id);
    if (e.held_as_request) {
        // Held apart by message requests (never, with the contact graph as the accepted conversations).
        metrics_.add(metric::legitimate_held_as_requests);
        return;
    }
    if (m.recipient != client) {
        metrics_.add(metric::deliveries_unrecognised);
        return;
    }
    if (m.delivered) {
        metrics_.add(metric::deliveries_duplicate);
        return;
    }
    const bool intact = e.body.size() == std::max<std::uint32_t>(m.size, 1) &&
                        e.body.find_first_not_of('x') == std::string::npos;  // == message_body(m.size)
    if (!intact) metrics_.add(metric::deliveries_corrupted);
    ledger_.mark_delivered(m, at);
    metrics_.add(metric::messages_delivered);
    metrics_.series(metric::messages_delivered, at);
    metrics_.sample(metric::e2e_latency_ms, to_milliseconds(at - m.sent_at));
    bus_.publish(MessageDelivered{at, *id});
}

void World::on_node_event(SimTime at, const sessionproto::AppEvent& event) {
    namespace app = sessionproto::app;
    if (const auto* e = std::get_if<app::MessageStored>(&event)) {
        const auto name = e->replica ? metric::node_messages_replicated : metric::node_messages_stored;
        metrics_.add(name);
        metrics_.series(name, at);
    } else if (std::holds_alternative<app::RequestRejected>(event)) {
        metrics_.add(metric::node_requests_rejected);
    }
}

void World::on_block() {
    ++blocks_;
    sessionproto::BlockHash hash{};
    block_rng_.fill(hash);
    const auto changed = registry_.apply_block(blocks_, hash);
    const bool swarms_changed = changed && *changed;
    if (swarms_changed) {
        for (const auto& [id, members] : registry_.swarms()) {
            engine_.fingerprint().add_value(id.value);
            engine_.fingerprint().add_value(members.size());
        }
    }
    bus_.publish(BlockApplied{engine_.now(), blocks_, swarms_changed});
    if (swarms_changed) {
        const sessionproto::SwarmUpdate update = registry_.swarm_update();
        if (swarm_update_delivery_) {
            swarm_update_delivery_(update);
        } else {
            for (auto& n : nodes_) n->host->deliver(update);
        }
    }
    engine_.schedule_after(BLOCK_TIME, [this] { on_block(); });
}

void World::run(const std::function<void(const RunProgress&)>& progress) {
    const SimTime end = end_time();
    const auto start = std::chrono::steady_clock::now();
    const SimDuration slice = std::max<SimDuration>(spec_.duration / 200, milliseconds(1));
    SimTime t = SIM_EPOCH;
    while (t < end) {
        t = std::min(end, t + slice);
        engine_.run_until(t);
        if (progress) {
            const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            progress(RunProgress{engine_.now(), end, engine_.events_processed(), wall});
        }
    }
}

std::uint64_t World::undelivered_stored_before(SimTime t) const {
    std::uint64_t n = 0;
    for (const auto& m : messages()) n += (m.stored && !m.delivered && m.stored_at <= t) ? 1 : 0;
    return n;
}

std::uint64_t World::undelivered_sent_before(SimTime t) const {
    std::uint64_t n = 0;
    for (const auto& m : messages()) n += (!m.delivered && m.sent_at <= t) ? 1 : 0;
    return n;
}

}  // namespace sessionsim::world
