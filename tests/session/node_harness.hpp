#pragma once
// A tiny virtual-time harness for sans-IO nodes (quinn-proto's two-endpoint `Pair`, for any
// number of endpoints): real ServiceNodes and Clients, each at a PeerAddress; datagrams are routed
// by address with a fixed latency, timers fire in time order (ties in the order they were set),
// and datagrams to an address without a node land in `inbox` (the test plays that endpoint).
// Addresses marked down swallow what is sent to them. Everything each node emits is recorded.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "models/session/node/io.hpp"
#include "models/session/node/service_node.hpp"

namespace sessionproto::test {

class NodeHarness {
  public:
    struct Delivered {
        Timestamp at;
        PeerAddress from;
        PeerAddress to;
        Bytes payload;
    };
    struct Emitted {
        PeerAddress node;
        Timestamp at;
        Effects effects;
    };

    explicit NodeHarness(Timestamp start, std::chrono::milliseconds latency = std::chrono::milliseconds(10))
        : now_(start), latency_(latency) {}

    /// A service node, at its own address.
    void add(ServiceNode& node) { add(node, node.address()); }
    /// Any sans-IO node (a Client, ...) at `address`. The node must outlive the harness.
    template <SansIoNode N>
    void add(N& node, const PeerAddress& address) {
        nodes_[address] = std::make_unique<Endpoint<N>>(node);
        addresses_[&node] = address;
    }
    void set_down(const PeerAddress& address, bool down = true) {
        if (down) {
            down_.insert(address);
        } else {
            down_.erase(address);
        }
    }
    Timestamp now() const noexcept { return now_; }

    /// A datagram from outside (a client), delivered after the latency.
    void send(const PeerAddress& from, const PeerAddress& to, Bytes payload) {
        queue_.emplace(Key{now_ + latency_, seq_++}, Event{false, from, to, std::move(payload), 0});
    }
    /// Hands an input to a node now and routes its effects.
    template <SansIoNode N>
    void input(N& node, Input in) {
        node.handle(now_, std::move(in));
        collect(address_of(&node));
    }
    /// Runs a command on a node now (`f(node)`, e.g. a client's start or send_message) and routes
    /// its effects.
    template <SansIoNode N, class F>
    void command(N& node, F&& f) {
        f(node);
        collect(address_of(&node));
    }
    /// Processes every event due at or before `until`, then sets the clock to `until`.
// GCC 12 with sanitizers sees the Input variant built in place below as "maybe uninitialized"
// (a false positive on std::variant's storage); only GCC knows this warning.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
    void run_until(Timestamp until) {
        while (!queue_.empty() && queue_.begin()->first.first <= until) {
            auto node_event = queue_.extract(queue_.begin());
            now_ = node_event.key().first;
            Event& e = node_event.mapped();
            const auto it = nodes_.find(e.to);
            if (e.is_timer) {
                if (it == nodes_.end() || cancelled_.contains({e.to, e.timer})) continue;
                it->second->handle(now_, TimerExpired{e.timer});
                collect(e.to);
                continue;
            }
            if (down_.contains(e.to)) continue;
            if (it == nodes_.end()) {
                inbox.push_back(Delivered{now_, e.from, e.to, std::move(e.payload)});
                continue;
            }
            it->second->handle(now_, Inbound{e.from, std::move(e.payload)});
            collect(e.to);
        }
        if (until > now_) now_ = until;
    }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
    void run_for(std::chrono::milliseconds d) { run_until(now_ + d); }

    std::vector<Delivered> inbox;
    std::vector<Emitted> emitted;

    /// Every observation / event a node emitted.
    std::vector<Observation> observations_of(const PeerAddress& node) const {
        std::vector<Observation> out;
        for (const auto& e : emitted) {
            if (e.node == node) out.insert(out.end(), e.effects.observations.begin(), e.effects.observations.end());
        }
        return out;
    }
    std::vector<AppEvent> events_of(const PeerAddress& node) const {
        std::vector<AppEvent> out;
        for (const auto& e : emitted) {
            if (e.node == node) out.insert(out.end(), e.effects.events.begin(), e.effects.events.end());
        }
        return out;
    }
    /// The events of one kind a node emitted.
    template <class E>
    std::vector<E> events_of(const PeerAddress& node) const {
        std::vector<E> out;
        for (auto& e : events_of(node)) {
            if (auto* typed = std::get_if<E>(&e)) out.push_back(std::move(*typed));
        }
        return out;
    }
    /// Datagrams a node sent to `to`.
    std::vector<Bytes> sent(const PeerAddress& from, const PeerAddress& to) const {
        std::vector<Bytes> out;
        for (const auto& e : emitted) {
            if (!(e.node == from)) continue;
            for (const auto& s : e.effects.sends) {
                if (s.to == to) out.push_back(s.payload);
            }
        }
        return out;
    }

  private:
    using Key = std::pair<Timestamp, std::uint64_t>;
    struct Event {
        bool is_timer = false;
        PeerAddress from;
        PeerAddress to;
        Bytes payload;
        TimerId timer = 0;
    };
    struct AnyEndpoint {
        virtual ~AnyEndpoint() = default;
        virtual void handle(Timestamp now, Input in) = 0;
        virtual Effects take_effects() = 0;
    };
    template <class N>
    struct Endpoint final : AnyEndpoint {
        explicit Endpoint(N& n) : node(n) {}
        void handle(Timestamp now, Input in) override { node.handle(now, std::move(in)); }
        Effects take_effects() override { return node.take_effects(); }
        N& node;
    };

    const PeerAddress& address_of(const void* node) const { return addresses_.at(node); }

    void collect(const PeerAddress& self) {
        Effects fx = nodes_.at(self)->take_effects();
        for (const auto& s : fx.sends) {
            queue_.emplace(Key{now_ + latency_, seq_++}, Event{false, self, s.to, s.payload, 0});
        }
        for (const auto& t : fx.timers) {
            queue_.emplace(Key{std::max(t.at, now_), seq_++}, Event{true, self, self, {}, t.id});
        }
        for (const auto id : fx.cancelled_timers) cancelled_.insert({self, id});
        emitted.push_back(Emitted{self, now_, std::move(fx)});
    }

    Timestamp now_;
    std::chrono::milliseconds latency_;
    std::uint64_t seq_ = 0;
    std::map<PeerAddress, std::unique_ptr<AnyEndpoint>> nodes_;
    std::map<const void*, PeerAddress> addresses_;
    std::set<PeerAddress> down_;
    std::set<std::pair<PeerAddress, TimerId>> cancelled_;
    std::map<Key, Event> queue_;
};

}  // namespace sessionproto::test
