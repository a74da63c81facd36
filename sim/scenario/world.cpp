#include "sim/scenario/world.hpp"

#include <algorithm>
#include <chrono>
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
      block_rng_(RandomStreams::derive(spec.seed, "registry/blocks")) {
    host::install_randombytes_guard();
    build_service_nodes();
    on_block();  // block 1 at time 0: the initial swarms
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
    RandomStream placement = RandomStreams::derive(spec_.seed, "world/service_nodes/placement");
    nodes_.reserve(spec_.service_nodes.count);
    for (std::uint64_t i = 0; i < spec_.service_nodes.count; ++i) {
        const std::string name = "service_node/" + std::to_string(i);
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
                return sessionproto::ServiceNode(identity, address, sessionproto::ServiceNodeConfig{}, entropy);
            },
            host::HostSinks{[this](SimTime at, net::HostId, const sessionproto::AppEvent& e) { on_node_event(at, e); },
                            {}},
            spec_.epoch_unix_ms);
        const auto& node = slot->host->protocol();
        const auto status = registry_.register_node(
            sessionproto::SnodeRecord{node.ed25519(), node.x25519(), node.address(), sessionproto::INVALID_SWARM_ID.value});
        if (!status) throw std::runtime_error("registering " + name + ": " + status.error().message);
        // Key outputs join the fingerprint: who the nodes are and where they sit.
        engine_.fingerprint().add_bytes(sessionproto::to_string(node.ed25519().view()));
        engine_.fingerprint().add_value(node.address().ipv4);
        nodes_.push_back(std::move(slot));
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
        for (auto& n : nodes_) n->host->deliver(update);
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
    // Storage per service node at the end of the run.
    std::vector<double> bytes;
    for (const auto& n : nodes_) bytes.push_back(static_cast<double>(n->host->protocol().store().total_bytes()));
    const auto storage = metrics::summarize(bytes);
    s["storage_bytes_per_node"] = {{"mean", storage.mean}, {"p50", storage.p50}, {"p90", storage.p90},
                                   {"max", storage.max}};
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
    s["events"] = engine_.events_processed();
    s["fingerprint"] = engine_.fingerprint().hex();
    return s;
}

}  // namespace sessionsim::scenario
