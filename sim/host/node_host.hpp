#pragma once
// NodeHost: the only bridge between the simulator and a sans-IO protocol node (ServiceNode,
// Client). Datagrams from the network become Inbound inputs, timer events TimerExpired inputs,
// with the protocol time (Unix ms) of the simulated clock; the node's Effects become network
// sends, engine timers, metric events and observations.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <type_traits>
#include <utility>

#include "models/session/node/io.hpp"
#include "sim/core/engine.hpp"
#include "sim/host/cpu_model.hpp"
#include "sim/net/network.hpp"

namespace sessionsim::host {

/// A node that says which queue an input waits in when it is busy, and what it answers one it
/// cannot queue (sessionproto::ServiceNode: node/service_node_queues.hpp).
template <class Node>
concept NodeWithInputQueues = requires(sessionproto::ByteView payload) {
    { Node::input_queue(payload) } -> std::same_as<sessionproto::InputQueue>;
    { Node::busy_reply(payload) } -> std::same_as<std::optional<sessionproto::Bytes>>;
};

/// Simulated time 0 is the scenario's epoch (Unix ms; default 2026-01-01T00:00:00Z).
inline constexpr std::int64_t DEFAULT_EPOCH_UNIX_MS = 1767225600000;

/// Protocol time of a simulated instant (milliseconds, rounded down).
inline sessionproto::Timestamp to_protocol(SimTime t, std::int64_t epoch_unix_ms) noexcept {
    return sessionproto::Timestamp{std::chrono::milliseconds{epoch_unix_ms + to_nanoseconds(t) / 1'000'000}};
}
/// The simulated instant of a protocol time (callers clamp it to `now`).
inline SimTime to_sim(sessionproto::Timestamp t, std::int64_t epoch_unix_ms) noexcept {
    return SIM_EPOCH + milliseconds(sessionproto::unix_ms(t) - epoch_unix_ms);
}

/// Where a host's node-level outputs go.
struct HostSinks {
    std::function<void(SimTime, net::HostId, const sessionproto::AppEvent&)> on_event;
    std::function<void(SimTime, net::HostId, const sessionproto::Observation&)> on_observation;
};

struct HostStats {
    std::uint64_t datagrams_in = 0;
    std::uint64_t datagrams_out = 0;
    std::uint64_t sends_to_unknown_address = 0;  ///< dropped: no host has that IP
    std::uint64_t timers_fired = 0;
};

template <sessionproto::SansIoNode Node>
class NodeHost {
  public:
    /// Attaches a new host to the network (`spec`: region, link, optional address) and builds its
    /// node with `make_node(address)`, the host's IPv4 address with port 0.
    template <class Factory>
        requires std::is_invocable_r_v<Node, Factory, sessionproto::PeerAddress>
    NodeHost(Engine& engine, net::Network& network, const net::HostSpec& spec, Factory make_node, HostSinks sinks,
             std::int64_t epoch_unix_ms = DEFAULT_EPOCH_UNIX_MS)
        : engine_(engine),
          network_(network),
          sinks_(std::move(sinks)),
          epoch_(epoch_unix_ms),
          id_(network_.add_host(spec, [this](net::Datagram&& d) { on_datagram(std::move(d)); })),
          node_(make_node(sessionproto::PeerAddress{network_.address(id_).value, 0})) {}

    /// Attaches an already built node.
    NodeHost(Engine& engine, net::Network& network, const net::HostSpec& spec, Node node, HostSinks sinks,
             std::int64_t epoch_unix_ms = DEFAULT_EPOCH_UNIX_MS)
        : NodeHost(engine, network, spec, [&node](sessionproto::PeerAddress) { return std::move(node); },
                   std::move(sinks), epoch_unix_ms) {}
    NodeHost(const NodeHost&) = delete;
    NodeHost& operator=(const NodeHost&) = delete;

    net::HostId id() const noexcept { return id_; }
    sessionproto::PeerAddress address(std::uint16_t port) const noexcept {
        return sessionproto::PeerAddress{network_.address(id_).value, port};
    }
    Node& protocol() noexcept { return node_; }
    const Node& protocol() const noexcept { return node_; }
    const HostStats& stats() const noexcept { return stats_; }

    /// Gives the node a processor (cpu_model.hpp): from now on a datagram is handled when a core
    /// is free, the node's replies leave when the core has spent cost_of(work) on it, and what
    /// arrives while every core is busy waits in one FIFO. A node with input queues
    /// (NodeWithInputQueues: the service node) caps clients' and other nodes' requests apart
    /// (https_queue_limit, sn_queue_limit) and answers what it cannot queue as it says (a 503, or
    /// nothing); replies are never capped. Any other node's inputs all count against
    /// https_queue_limit and get no answer. Timers and direct deliveries are handled at once,
    /// off the cores.
    void use_cpu(CpuModel model) {
        cpu_.emplace();
        cpu_->cores.resize(model.cores);
        for (unsigned c = model.cores; c > 0; --c) cpu_->free_cores.push_back(c - 1);
        cpu_->limits = {model.https_queue_limit, model.sn_queue_limit, 0};  // by InputQueue; replies uncapped
        cpu_->model = std::move(model);
    }
    /// The processor's figures; null when the host has none.
    const CpuStats* cpu_stats() const noexcept { return cpu_ ? &cpu_->stats : nullptr; }
    /// Inputs waiting for a core now (replies included).
    std::size_t cpu_queue_length() const noexcept { return cpu_ ? cpu_->waiting.size() : 0; }
    /// Estimated heap bytes of the inputs waiting for a core (their records and payloads).
    std::size_t cpu_queue_bytes() const noexcept {
        std::size_t bytes = 0;
        if (cpu_) {
            for (const Waiting& w : cpu_->waiting) bytes += sizeof(Waiting) + w.datagram.payload.capacity();
        }
        return bytes;
    }
    sessionproto::Timestamp protocol_now() const noexcept { return to_protocol(engine_.now(), epoch_); }

    /// Feeds an input now (a swarm update, a command's effects) and applies the effects.
    void deliver(sessionproto::Input input) {
        node_.handle(protocol_now(), std::move(input));
        apply();
    }
    /// Applies whatever the node has pending (after calling one of its commands directly).
    void apply() { apply(node_.take_effects()); }

    /// Takes the host off the network (churn): pending timers are cancelled.
    void go_offline() {
        for (auto& [id, handle] : timers_) engine_.cancel(handle);
        timers_.clear();
        if (cpu_) {  // what the cores were doing and what waited for them is lost with the process
            cpu_->free_cores.clear();
            for (unsigned c = 0; c < cpu_->cores.size(); ++c) {
                Core& core = cpu_->cores[c];
                if (core.busy) engine_.cancel(core.done);
                core = Core{};
                cpu_->free_cores.push_back(static_cast<unsigned>(cpu_->cores.size()) - 1 - c);
            }
            cpu_->waiting.clear();
            cpu_->queued.fill(0);
        }
        network_.detach(id_);
    }
    void go_online() {
        network_.attach(id_, [this](net::Datagram&& d) { on_datagram(std::move(d)); });
    }

  private:
    struct TimerEvent {  // 24 bytes: stored in place in the engine's slot
        NodeHost* host;
        sessionproto::TimerId id;
        void operator()() const { host->on_timer(id); }
    };

    /// One core: free, or busy with a job whose sends wait until it is done.
    struct Core {
        bool busy = false;
        EventHandle done{};
        std::vector<sessionproto::Outbound> sends;
    };
    struct Waiting {
        SimTime arrived;
        net::Datagram datagram;
        sessionproto::InputQueue queue;
    };
    struct Cpu {
        CpuModel model;
        std::vector<Core> cores;            ///< one slot per core, reused: no allocation per job
        std::vector<unsigned> free_cores;   ///< the lowest-numbered free core last
        std::deque<Waiting> waiting;
        std::array<std::size_t, 3> queued{};  ///< of `waiting`, by InputQueue
        std::array<std::size_t, 3> limits{};  ///< by InputQueue; 0 = unbounded
        CpuStats stats;
    };
    struct JobDone {  // 16 bytes: stored in place in the engine's slot
        NodeHost* host;
        unsigned core;
        void operator()() const { host->on_job_done(core); }
    };

    void on_datagram(net::Datagram&& d) {
        ++stats_.datagrams_in;
        if (!cpu_) {
            handle_datagram(std::move(d));
            apply();
            return;
        }
        if (!cpu_->free_cores.empty()) {
            start_job(std::move(d));
            return;
        }
        sessionproto::InputQueue queue = sessionproto::InputQueue::https;
        if constexpr (NodeWithInputQueues<Node>) queue = Node::input_queue(d.payload);
        const auto q = static_cast<std::size_t>(queue);
        if (cpu_->limits[q] != 0 && cpu_->queued[q] >= cpu_->limits[q]) {
            ++cpu_->stats.dropped;
            if constexpr (NodeWithInputQueues<Node>) {
                if (auto reply = Node::busy_reply(d.payload)) {
                    ++cpu_->stats.busy_replies;
                    ++stats_.datagrams_out;
                    network_.send(net::Datagram{id_, d.from, std::move(*reply), 0});
                }
            }
            return;
        }
        ++cpu_->queued[q];
        cpu_->waiting.push_back(Waiting{engine_.now(), std::move(d), queue});
        cpu_->stats.peak_queue = std::max<std::uint64_t>(cpu_->stats.peak_queue, cpu_->waiting.size());
    }

    void handle_datagram(net::Datagram&& d) {
        const sessionproto::PeerAddress from{network_.address(d.from).value, 0};
        node_.handle(protocol_now(), sessionproto::Inbound{from, std::move(d.payload)});
    }

    /// A free core takes `d`: the node handles it now; its sends leave when the core is done.
    void start_job(net::Datagram&& d) {
        const unsigned c = cpu_->free_cores.back();
        cpu_->free_cores.pop_back();
        ++cpu_->stats.jobs;
        handle_datagram(std::move(d));
        sessionproto::Effects effects = node_.take_effects();
        const SimDuration cost = cost_of(effects.work, cpu_->model);
        cpu_->stats.busy_ns += static_cast<std::uint64_t>(cost.count());
        Core& core = cpu_->cores[c];
        core.busy = true;
        core.sends.swap(effects.sends);  // effects.sends is left empty (the core's old, cleared vector)
        core.done = engine_.schedule_after(cost, id_.value, JobDone{this, c});
        apply(std::move(effects));
    }

    void on_job_done(unsigned c) {
        Core& core = cpu_->cores[c];
        sessionproto::Effects held;
        held.sends.swap(core.sends);
        core.busy = false;
        cpu_->free_cores.push_back(c);
        apply(std::move(held));
        if (cpu_->waiting.empty()) return;
        Waiting next = std::move(cpu_->waiting.front());
        cpu_->waiting.pop_front();
        --cpu_->queued[static_cast<std::size_t>(next.queue)];
        const auto waited = static_cast<std::uint64_t>((engine_.now() - next.arrived).count());
        ++cpu_->stats.waited;
        cpu_->stats.wait_ns += waited;
        cpu_->stats.max_wait_ns = std::max(cpu_->stats.max_wait_ns, waited);
        start_job(std::move(next.datagram));
    }

    void on_timer(sessionproto::TimerId id) {
        timers_.erase(id);
        ++stats_.timers_fired;
        node_.handle(protocol_now(), sessionproto::TimerExpired{id});
        apply();
    }

    void apply(sessionproto::Effects effects) {
        const SimTime now = engine_.now();
        for (sessionproto::TimerId id : effects.cancelled_timers) {
            if (const auto it = timers_.find(id); it != timers_.end()) {
                engine_.cancel(it->second);
                timers_.erase(it);
            }
        }
        for (const auto& t : effects.timers) {
            if (const auto it = timers_.find(t.id); it != timers_.end()) engine_.cancel(it->second);
            const SimTime at = std::max(now, to_sim(t.at, epoch_));
            timers_[t.id] = engine_.schedule_at(at, id_.value, TimerEvent{this, t.id});
        }
        for (auto& out : effects.sends) {
            const auto to = network_.host_at(net::Ipv4Address{out.to.ipv4});
            if (!to) {
                ++stats_.sends_to_unknown_address;
                continue;
            }
            ++stats_.datagrams_out;
            network_.send(net::Datagram{id_, *to, std::move(out.payload), out.handshake_round_trips});
        }
        if (sinks_.on_event) {
            for (const auto& e : effects.events) sinks_.on_event(now, id_, e);
        }
        if (sinks_.on_observation) {
            for (const auto& o : effects.observations) sinks_.on_observation(now, id_, o);
        }
    }

    Engine& engine_;
    net::Network& network_;
    HostSinks sinks_;
    std::int64_t epoch_;
    net::HostId id_{};
    Node node_;
    std::map<sessionproto::TimerId, EventHandle> timers_;
    HostStats stats_;
    std::optional<Cpu> cpu_;
};

}  // namespace sessionsim::host
