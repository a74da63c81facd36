#include "sim/scenario/world.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "sim/core/discrete_distributions.hpp"
#include "sim/host/randombytes_guard.hpp"

namespace sessionsim::scenario {

net::Topology World::load_topology(const ScenarioSpec& spec) {
    if (spec.topology.builtin_world) return net::Topology::world();
    return net::Topology::from_graphml(spec.topology.graphml);
}

World::World(const ScenarioSpec& spec)
    : spec_(spec),
      engine_(spec.seed),
      topology_(load_topology(spec)),
      network_(engine_, topology_),
      block_rng_(RandomStreams::derive(spec.seed, "registry/blocks")),
      placement_rng_(RandomStreams::derive(spec.seed, "world/service_nodes/placement")),
      join_rng_(RandomStreams::derive(spec.seed, "churn/joins")) {
    host::install_randombytes_guard();
    build_service_nodes();
    if (spec_.compromised) pick_compromised();
    on_block();  // block 1 at time 0: the initial swarms
    build_clients();
    start_workload();
    if (spec_.churn) start_churn();
    if (spec_.spam) build_spam();
    if (spec_.link_observer) build_link_observer();
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
    if (!nodes_.empty()) metrics_.gauge("storage_bytes_per_node_mean", now, total / static_cast<double>(nodes_.size()));
    metrics_.gauge("storage_bytes_per_node_max", now, largest);
    metrics_.gauge("swarms", now, static_cast<double>(registry_.swarms().size()));
    if (spec_.churn) {
        double up = 0;
        for (const auto& n : nodes_) up += n->churn.up ? 1 : 0;
        metrics_.gauge("service_nodes_up", now, up);
        metrics_.gauge("service_nodes_active", now, static_cast<double>(registry_.active_count()));
        metrics_.gauge("replication_coverage", now, replication_coverage());
        const auto [dead, total] = dead_and_total_storage();
        metrics_.gauge("storage_dead_share", now, total > 0 ? static_cast<double>(dead) / static_cast<double>(total) : 0.0);
        check_memberships();  // world_churn.cpp
    }
    double members = 0;
    for (const auto& [id, m] : registry_.swarms()) members += static_cast<double>(m.size());
    if (!registry_.swarms().empty()) {
        metrics_.gauge("swarm_size_mean", now, members / static_cast<double>(registry_.swarms().size()));
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
    for (std::uint64_t i = 0; i < spec_.service_nodes.count; ++i) add_service_node(i, placement_rng_);
}

void World::add_service_node(std::size_t i, RandomStream& placement) {
    const std::string name = "service_node/" + std::to_string(i);
    host::SimEntropy identity_entropy(RandomStreams::derive(spec_.seed, name + "/identity"));
    const auto identity = sessionproto::ed25519_generate(identity_entropy);
    const net::HostSpec host_spec{pick_region(spec_.service_nodes.regions, placement), spec_.service_nodes.link,
                                  std::nullopt};
    auto slot = std::make_unique<NodeSlot>(RandomStreams::derive(spec_.seed, name + "/entropy"),
                                           RandomStreams::derive(spec_.seed, name + "/churn"));
    host::SimEntropy& entropy = slot->entropy;
    slot->host.emplace(
        engine_, network_, host_spec,
        [&](sessionproto::PeerAddress address) {
            address.port = sessionproto::STORAGE_HTTPS_PORT;
            sessionproto::ServiceNodeConfig config;
            config.accept_modelled_crypto = spec_.crypto.mode == CryptoMode::sampled;
            if (spec_.spam) config.rate_limit_clients = spec_.spam->token_bucket;  // a defence switch
            if (spec_.churn) config.push_requires_peer = spec_.churn->push_requires_peer;  // #507's race
            if (spec_.spam && spec_.spam->storage_cap_bytes) config.store_byte_limit = *spec_.spam->storage_cap_bytes;
            return sessionproto::ServiceNode(identity, address, config, entropy);
        },
        host::HostSinks{[this](SimTime at, net::HostId, const sessionproto::AppEvent& e) { on_node_event(at, e); },
                        [this, index = i](SimTime at, net::HostId, const sessionproto::Observation& o) {
                            if (observation_sink_) observation_sink_(at, index, o);
                            if (nodes_[index]->compromised) on_compromised_observation(at, index, o);
                            if (link_observer_) on_store_for_observer(at, index, o);
                        }},
        spec_.epoch_unix_ms);
    const auto& node = slot->host->protocol();
    const auto status = registry_.register_node(
        sessionproto::SnodeRecord{node.ed25519(), node.x25519(), node.address(), sessionproto::INVALID_SWARM_ID.value});
    if (!status) throw std::runtime_error("registering " + name + ": " + status.error().message);
    // Key outputs join the fingerprint: who the nodes are and where they sit.
    engine_.fingerprint().add_bytes(sessionproto::to_string(node.ed25519().view()));
    engine_.fingerprint().add_value(node.address().ipv4);
    node_by_key_.emplace(node.ed25519(), nodes_.size());
    nodes_.push_back(std::move(slot));
}

/// How many service nodes act as the seed nodes clients bootstrap from (Session has three,
/// seed1-3.getsession.org, spec session-network §1.3).
constexpr std::size_t SEED_NODES = 3;

void World::build_clients() {
    RandomStream placement = RandomStreams::derive(spec_.seed, "world/clients/placement");
    sessionproto::ClientConfig config;
    config.profile = spec_.clients.profile == ClientProfile::android ? sessionproto::ClientProfile::android
                                                                      : sessionproto::ClientProfile::desktop;
    config.path_count = static_cast<std::size_t>(spec_.clients.paths);
    config.desktop_poll_interval_ms = spec_.clients.poll_interval.count() / 1'000'000;
    config.message_ttl_ms = spec_.workload.ttl.count() / 1'000'000;
    config.real_crypto_fraction = spec_.crypto.mode == CryptoMode::sampled ? spec_.crypto.fraction : 1.0;
    config.message_requests = spec_.spam && spec_.spam->message_requests;  // a defence switch
    for (std::size_t i = 0; i < std::min(SEED_NODES, nodes_.size()); ++i) {
        config.seed_nodes.push_back(nodes_[i]->host->protocol().address());
    }
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
            [&](sessionproto::PeerAddress) { return sessionproto::Client(identity, config, pools_, entropy); },
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
    if (spec_.spam && spec_.spam->message_requests) {
        // Message requests: a user's contacts are its accepted conversations.
        for (std::uint32_t u = 0; u < clients_.size(); ++u) {
            for (const auto v : contacts_.contacts(u)) {
                clients_[u]->host->protocol().approve_contact(clients_[v]->host->protocol().account_id());
            }
        }
    }
    // Clients come up over the first 10 seconds (not all in one instant), online or not as their
    // session schedule says; each then sends its workload.
    RandomStream stagger = RandomStreams::derive(spec_.seed, "world/clients/start");
    for (std::uint32_t u = 0; u < clients_.size(); ++u) {
        const SimTime start = SIM_EPOCH + from_seconds(stagger.uniform_real(0.0, 10.0));
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
    metrics_.add(c.online ? "client_sessions_started" : "client_sessions_ended");
    engine_.schedule_after(online_->next_period(user, c.online), [this, user] { toggle_online(user); });
}

void World::send_next(std::uint32_t user, SimTime after) {
    const auto next = schedule_->next(user, after);
    if (!next || next->at > end_time()) return;
    engine_.schedule_at(next->at, [this, m = *next] {
        send_next(m.sender, m.at);
        // A user writes only while the app is open: a message drawn for an offline time is not sent.
        if (!clients_[m.sender]->online) {
            metrics_.add("messages_skipped_offline");
            return;
        }
        const auto id = static_cast<std::uint32_t>(messages_.size());
        messages_.push_back(MessageRecord{m.at, m.sender, m.recipient, m.size_bytes});
        // The body names the message (for the recipient's delivery event) and fills up to its size.
        std::string body(1, 'm');
        body.append(std::to_string(id)).push_back(':');
        if (body.size() < m.size_bytes) body.append(m.size_bytes - body.size(), 'x');
        ClientSlot& sender = *clients_[m.sender];
        const auto& recipient = clients_[m.recipient]->host->protocol().account_id();
        sender.host->protocol().send_message(sender.host->protocol_now(), recipient, std::move(body), std::to_string(id));
        sender.host->apply();
        metrics_.add("messages_sent");
        metrics_.series("messages_sent", m.at);
    });
}

void World::on_client_event(SimTime at, std::uint32_t client, const sessionproto::AppEvent& e) {
    using Kind = sessionproto::AppEvent::Kind;
    auto message_of = [this](std::string_view id) -> MessageRecord* {
        std::uint64_t n = 0;
        for (char c : id) {
            if (c < '0' || c > '9') return nullptr;
            n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        return id.empty() || n >= messages_.size() ? nullptr : &messages_[n];
    };
    switch (e.kind) {
        case Kind::store_confirmed:
            if (MessageRecord* m = message_of(e.id); m != nullptr && !m->stored) {
                m->stored = true;
                m->stored_at = at;
                if (!compromised_.empty()) {
                    const auto guard = sessionproto::Ed25519Pubkey::from(sessionproto::from_hex(e.detail).value_or(sessionproto::Bytes{}));
                    m->stored_via_compromised_guard = guard.ok() && compromised_.contains(*guard);
                }
                metrics_.add("messages_stored");
            }
            break;
        case Kind::store_failed:
            metrics_.add("store_failures");
            break;
        case Kind::message_delivered: {
            // The body starts "m<id>:".
            const std::size_t colon = e.id.find(':');
            MessageRecord* m = e.id.size() > 1 && e.id[0] == 'm' && colon != std::string::npos
                                   ? message_of(std::string_view(e.id).substr(1, colon - 1))
                                   : nullptr;
            if (m == nullptr && e.id.starts_with("spam:")) {
                metrics_.add("spam_shown");  // a flooder's message in a victim's inbox
                break;
            }
            if (m == nullptr || m->recipient != client) {
                metrics_.add("deliveries_unrecognised");
                break;
            }
            if (m->delivered) {
                metrics_.add("deliveries_duplicate");
                break;
            }
            // The body is "m<id>:" filled with 'x' up to the message's size.
            if (e.id.size() != std::max<std::size_t>(m->size, colon + 1) ||
                e.id.find_first_not_of('x', colon + 1) != std::string::npos) {
                metrics_.add("deliveries_corrupted");
            }
            m->delivered = true;
            m->delivered_at = at;
            ++delivered_;
            metrics_.add("messages_delivered");
            metrics_.series("messages_delivered", at);
            metrics_.sample("e2e_latency_ms", to_milliseconds(at - m->sent_at));
            break;
        }
        case Kind::message_request:
            // Held apart by message requests: a flooder's, or (never, with the contact graph as
            // the accepted conversations) a legitimate message.
            metrics_.add(e.id.starts_with("spam:") ? "spam_held_as_requests" : "legitimate_held_as_requests");
            break;
        case Kind::onion_round_trip:
            metrics_.add("onion_round_trips");
            metrics_.sample("onion_latency_ms", static_cast<double>(e.value));
            break;
        case Kind::onion_failed:
            metrics_.add("onion_failures");
            break;
        case Kind::path_built:
            metrics_.add("paths_built");
            break;
        case Kind::path_dropped:
            metrics_.add("path_rebuilds");
            metrics_.series("path_rebuilds", at);
            break;
        default:
            break;
    }
}

void World::on_node_event(SimTime at, const sessionproto::AppEvent& e) {
    switch (e.kind) {
        case sessionproto::AppEvent::Kind::message_stored:
            metrics_.add("node_messages_stored");
            metrics_.series("node_messages_stored", at);
            break;
        case sessionproto::AppEvent::Kind::message_replicated:
            metrics_.add("node_messages_replicated");
            metrics_.series("node_messages_replicated", at);
            break;
        case sessionproto::AppEvent::Kind::request_rejected:
            metrics_.add("node_requests_rejected");
            break;
        default:
            break;
    }
}

void World::on_block() {
    ++blocks_;
    sessionproto::BlockHash hash{};
    block_rng_.fill(hash);
    const auto changed = registry_.apply_block(blocks_, hash);
    if (changed && *changed) {
        for (const auto& [id, members] : registry_.swarms()) {
            engine_.fingerprint().add_value(id.value);
            engine_.fingerprint().add_value(members.size());
        }
        const sessionproto::SwarmUpdate update = registry_.swarm_update();
        if (spec_.churn) {
            track_memberships();  // world_churn.cpp
            deliver_swarm_update(update);
        } else {
            for (auto& n : nodes_) n->host->deliver(update);
        }
    }
    engine_.schedule_after(BLOCK_TIME, [this] { on_block(); });
}

void World::run(const std::function<void(const RunProgress&)>& progress) {
    const SimTime end = SIM_EPOCH + spec_.duration;
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

}  // namespace sessionsim::scenario

namespace sessionsim::scenario {

nlohmann::json World::summary() const {
    nlohmann::json s;
    const auto sent = static_cast<double>(messages_.size());
    s["messages_sent"] = messages_.size();
    s["messages_stored"] = metrics_.counter("messages_stored");
    s["messages_delivered"] = delivered_;
    // Undelivered messages by fate (scenarios/README.md): pending when sent in the last
    // LATE_MESSAGE_WINDOW; awaiting their sender (not stored, the sender online for less than
    // the window since) or their recipient (stored, the recipient online for less than the window
    // since); otherwise lost: the network had its chance and did not deliver.
    std::uint64_t lost = 0, pending = 0, awaiting_sender = 0, awaiting_recipient = 0;
    for (const auto& m : messages_) {
        if (m.delivered) continue;
        if (m.sent_at + LATE_MESSAGE_WINDOW > end_time()) {
            ++pending;
        } else if (!m.stored && online_time_after(m.sender, m.sent_at) < LATE_MESSAGE_WINDOW) {
            ++awaiting_sender;
        } else if (m.stored && online_time_after(m.recipient, m.stored_at) < LATE_MESSAGE_WINDOW) {
            ++awaiting_recipient;
        } else {
            ++lost;
        }
    }
    s["messages_lost"] = lost;
    s["messages_pending_at_end"] = pending;
    s["messages_awaiting_sender"] = awaiting_sender;
    s["messages_awaiting_recipient"] = awaiting_recipient;
    s["delivery_ratio"] = sent > 0 ? static_cast<double>(delivered_) / sent : 0.0;
    s["e2e_latency_ms"] = sample_summary_json(metrics_.summary("e2e_latency_ms"));
    s["onion_latency_ms"] = sample_summary_json(metrics_.summary("onion_latency_ms"));
    const double trips = static_cast<double>(metrics_.counter("onion_round_trips"));
    const double failed = static_cast<double>(metrics_.counter("onion_failures"));
    s["onion_failure_rate"] = trips + failed > 0 ? failed / (trips + failed) : 0.0;
    s["path_rebuilds"] = metrics_.counter("path_rebuilds");
    s["replication_coverage"] = replication_coverage();
    s["clients"] = clients_.size();
    // Storage per service node at the end of the run.
    std::vector<double> bytes;
    for (const auto& n : nodes_) bytes.push_back(static_cast<double>(n->host->protocol().store().total_bytes()));
    const auto storage = metrics::summarize(bytes);
    s["storage_bytes_per_node"] = {{"mean", storage.mean}, {"p50", storage.p50}, {"p90", storage.p90},
                                   {"max", storage.max}};
    const auto [dead, total] = dead_and_total_storage();
    s["storage_dead_bytes"] = dead;
    s["storage_dead_share"] = total > 0 ? static_cast<double>(dead) / static_cast<double>(total) : 0.0;
    std::vector<double> sizes;
    for (const auto& [id, members] : registry_.swarms()) sizes.push_back(static_cast<double>(members.size()));
    const auto swarm = metrics::summarize(sizes);
    s["swarms"] = {{"count", sizes.size()}, {"size_mean", swarm.mean}, {"size_min", sizes.empty() ? 0.0 : *std::min_element(sizes.begin(), sizes.end())},
                   {"size_max", swarm.max}};
    s["service_nodes"] = nodes_.size();
    s["blocks"] = blocks_;
    const auto& net = network_.stats();
    s["network"] = {{"datagrams_sent", net.sent},
                    {"datagrams_delivered", net.delivered},
                    {"datagrams_lost", net.lost},
                    {"dropped_by_interceptor", net.dropped_by_interceptor},
                    {"dropped_queue_full", net.dropped_queue_full},
                    {"dropped_detached", net.dropped_detached},
                    {"bytes_sent", net.bytes_sent}};
    s["counters"] = nlohmann::json::object();
    for (const char* name : {"store_failures", "deliveries_duplicate", "deliveries_unrecognised",
                             "deliveries_corrupted", "paths_built",
                             "node_messages_stored", "node_messages_replicated", "node_requests_rejected",
                             "client_sessions_started", "client_sessions_ended", "messages_skipped_offline"}) {
        s["counters"][name] = metrics_.counter(name);
    }
    // How the crypto was run: flows with real crypto and modelled ones (scenarios/README.md).
    std::uint64_t onion_real = 0, onion_modelled = 0, messages_real = 0, messages_modelled = 0;
    for (const auto& c : clients_) {
        const auto& client = c->host->protocol();
        onion_real += client.counter(sessionproto::client_counter::onion_real);
        onion_modelled += client.counter(sessionproto::client_counter::onion_modelled);
        messages_real += client.counter(sessionproto::client_counter::messages_real);
        messages_modelled += client.counter(sessionproto::client_counter::messages_modelled);
    }
    s["crypto"] = {{"mode", to_string(spec_.crypto.mode)},
                   {"fraction", spec_.crypto.mode == CryptoMode::real ? 1.0 : spec_.crypto.fraction},
                   {"onion_requests_real", onion_real},
                   {"onion_requests_modelled", onion_modelled},
                   {"messages_real", messages_real},
                   {"messages_modelled", messages_modelled}};
    if (spec_.churn) s["churn"] = churn_summary();
    if (spec_.spam) s["spam"] = spam_summary();
    if (spec_.compromised) s["compromised"] = compromised_summary();
    if (spec_.link_observer) s["link_observer"] = link_observer_summary();
    s["events"] = engine_.events_processed();
    s["fingerprint"] = engine_.fingerprint().hex();
    return s;
}

}  // namespace sessionsim::scenario

namespace sessionsim::scenario {

bool World::from_swarm_peer(std::size_t node, const sessionproto::Observation& o) const {
    const auto& peers = nodes_[node]->host->protocol().swarm_peers();
    return std::any_of(peers.begin(), peers.end(),
                       [&](const sessionproto::SnodeRecord& p) { return p.address.ipv4 == o.from.ipv4; });
}

nlohmann::json sample_summary_json(const metrics::SampleSummary& l) {
    return nlohmann::json{{"count", l.count}, {"mean", l.mean}, {"p50", l.p50}, {"p90", l.p90}, {"p99", l.p99},
                          {"max", l.max}};
}

double World::replication_coverage() const {
    // For every stored message (by hash): is it on every member of its owner's swarm?
    std::map<std::string, std::pair<sessionproto::SessionId, std::set<std::size_t>>> holders;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        nodes_[i]->host->protocol().store().for_each([&holders, i](const sessionproto::StoredMessage& m) {
            auto [it, fresh] = holders.try_emplace(m.hash, m.owner, std::set<std::size_t>{});
            it->second.second.insert(i);
        });
    }
    if (holders.empty()) return 1.0;
    const auto& index = node_by_key_;
    std::size_t covered = 0;
    for (const auto& [hash, entry] : holders) {
        const auto members = registry_.swarm_members_for(entry.first);
        bool all = !members.empty();
        for (const auto& rec : members) {
            const auto it = index.find(rec.ed25519);
            all = all && it != index.end() && entry.second.count(it->second) != 0;
        }
        covered += all ? 1 : 0;
    }
    return static_cast<double>(covered) / static_cast<double>(holders.size());
}

}  // namespace sessionsim::scenario

namespace sessionsim::scenario {

std::pair<std::uint64_t, std::uint64_t> World::dead_and_total_storage() const {
    std::uint64_t dead = 0, total = 0;
    for (const auto& n : nodes_) {
        const auto& node = n->host->protocol();
        const auto record = registry_.find(node.ed25519());
        const std::uint64_t own = record ? record->swarm_id : sessionproto::INVALID_SWARM_ID.value;
        node.store().for_each([&](const sessionproto::StoredMessage& m) {
            total += m.data.size();
            const auto owner_swarm = registry_.swarm_for(m.owner);
            if (!owner_swarm || owner_swarm->value != own) dead += m.data.size();
        });
    }
    return {dead, total};
}

std::uint64_t World::undelivered_stored_before(SimTime t) const {
    std::uint64_t n = 0;
    for (const auto& m : messages_) n += (m.stored && !m.delivered && m.sent_at <= t) ? 1 : 0;
    return n;
}

std::uint64_t World::undelivered_sent_before(SimTime t) const {
    std::uint64_t n = 0;
    for (const auto& m : messages_) n += (!m.delivered && m.sent_at <= t) ? 1 : 0;
    return n;
}

}  // namespace sessionsim::scenario
