#pragma once
// Test support for the client's parts (models/session/node/client/): a recording ClientContext
// (ids, timers, counters, events and the requests a part sends, with a real DeterministicEntropy),
// and small service-node lists. A part is driven alone, with no Client.
#include <cstdint>
#include <memory>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "models/session/node/client/config.hpp"
#include "models/session/node/client/context.hpp"
#include "models/session/node/client/node_pool.hpp"
#include "models/session/storage/directory_rpc.hpp"

namespace sessionproto::test {

inline const Timestamp PART_T0{std::chrono::milliseconds(1'700'000'000'000)};

class FakeContext final : public ClientContext {
  public:
    struct Timer {
        TimerId id;
        ClientTimer kind;
        std::uint64_t ref;
        Timestamp at;
    };
    struct Sent {
        Timestamp at;
        ClientRequest kind;
        std::uint64_t ref;
        bool onion;
        SnodeRecord to;
        std::string body;
        std::int64_t timeout_ms;
    };

    explicit FakeContext(std::uint64_t seed = 1) : entropy_(seed, "client_parts") {}

    bool online = true;
    bool paths_available = true;  ///< send_onion succeeds
    std::uint64_t ids = 1;
    std::vector<Timer> timers;
    std::vector<Sent> sent;
    std::vector<AppEvent> events;
    std::map<std::string, std::uint64_t, std::less<>> counters;

    std::uint64_t counter(std::string_view name) const {
        const auto it = counters.find(name);
        return it == counters.end() ? 0 : it->second;
    }
    std::vector<Timer> timers_of(ClientTimer kind) const {
        std::vector<Timer> out;
        for (const auto& t : timers) {
            if (t.kind == kind) out.push_back(t);
        }
        return out;
    }
    /// The events of one kind, in order.
    template <class E>
    std::vector<E> events_of() const {
        std::vector<E> out;
        for (const auto& e : events) {
            if (const auto* typed = std::get_if<E>(&e)) out.push_back(*typed);
        }
        return out;
    }

    bool is_online() const override { return online; }
    Entropy& entropy() override { return entropy_; }
    std::uint64_t next_id() override { return ids++; }
    TimerId set_timer(ClientTimer kind, std::uint64_t ref, Timestamp at) override {
        const TimerId id = next_id();
        timers.push_back(Timer{id, kind, ref, at});
        return id;
    }
    void count(std::string_view reason, std::uint64_t n) override { counters[std::string(reason)] += n; }
    void event(AppEvent event) override { events.push_back(std::move(event)); }
    CryptoWork draw_crypto_work() override { return CryptoWork::real; }
    void send_direct(Timestamp now, ClientRequest kind, const SnodeRecord& target, std::string body,
                     std::int64_t timeout_ms) override {
        next_id();  // the request id
        sent.push_back(Sent{now, kind, 0, false, target, std::move(body), timeout_ms});
    }
    bool send_onion(Timestamp now, ClientRequest kind, std::uint64_t ref, CryptoWork /*work*/,
                    const SnodeRecord& destination, const std::string& rpc, std::int64_t timeout_ms) override {
        if (!online || !paths_available) return false;
        next_id();
        sent.push_back(Sent{now, kind, ref, true, destination, rpc, timeout_ms});
        return true;
    }

  private:
    DeterministicEntropy entropy_;
};

/// `n` service nodes at 10.0.<i>.1 (one /24 each), keys from the index, swarm i / 5.
inline std::vector<SnodeRecord> test_nodes(int n, std::uint8_t tag = 0x5e) {
    std::vector<SnodeRecord> out;
    for (int i = 0; i < n; ++i) {
        Ed25519Seed seed{};
        seed.data[0] = static_cast<std::byte>(i + 1);
        seed.data[1] = std::byte{tag};
        const auto ed = ed25519_from_seed(seed);
        out.push_back(SnodeRecord{ed.pub, x25519_from_ed25519(ed).pub,
                                  PeerAddress{(10u << 24) | (static_cast<std::uint32_t>(i) << 8) | 1u, STORAGE_HTTPS_PORT},
                                  static_cast<std::uint64_t>(i / 5)});
    }
    return out;
}

/// The get_service_nodes reply listing `nodes`.
inline std::string pool_reply(const std::vector<SnodeRecord>& nodes) {
    return get_service_nodes_reply(service_node_states_json(nodes));
}

/// A NodePool bootstrapped with `nodes` (through a seed reply on `ctx`).
inline NodePool bootstrapped_pool(const std::vector<SnodeRecord>& nodes, const ClientConfig& config, FakeContext& ctx) {
    NodePool pool(std::make_shared<PoolCache>());
    pool.request_seed(PART_T0, config, ctx);
    pool.on_seed_reply(PART_T0, 200, as_bytes(pool_reply(nodes)), config, ctx);
    return pool;
}

inline ClientConfig seeded_config() {
    ClientConfig c;
    c.seed_nodes = {PeerAddress{0x0A630001, STORAGE_HTTPS_PORT}};
    return c;
}

/// A recording context and a pool bootstrapped with 16 test nodes; nothing sent or set yet.
struct PoolFixture {
    FakeContext ctx;
    ClientConfig config = seeded_config();
    std::vector<SnodeRecord> nodes = test_nodes(16);
    NodePool pool{nullptr};

    PoolFixture() {
        pool = bootstrapped_pool(nodes, config, ctx);
        ctx.sent.clear();
        ctx.timers.clear();
    }
    /// nodes[from, to).
    std::vector<SnodeRecord> slice(int from, int to) const { return {nodes.begin() + from, nodes.begin() + to}; }
};

}  // namespace sessionproto::test
