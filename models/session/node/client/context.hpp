#pragma once
// ClientContext: what a part of the client (node pool, path set, swarm cache, send queue,
// poller) may ask of the Client shell that owns it — ids, timers, counters, events, the entropy,
// and sending a request — without seeing the Client itself. Parts own their state and keep no
// reference to the shell: it is passed to each call, so a Client stays movable.
//
// Every id (requests, timers, jobs, paths, swarm lookups) comes from one counter, and every random
// choice from one Entropy, in the order the calls are made: a part must make them in the order
// the behaviour needs (the simulator's fingerprints depend on it).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/session/common/crypto_work.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/node/io.hpp"

namespace sessionproto {

/// What a client timer is for (its `ref` says which request, lookup or job).
enum class ClientTimer : std::uint8_t {
    request_timeout,  ///< ref = request id
    seed_retry,
    refresh,
    path_retry,
    swarm_retry,      ///< ref = lookup id
    store_retry,      ///< ref = job id
    poll,
    poll_round,       ///< ref = the poll round
    onion_retry,      ///< ref = the failed request's id (Client::onion_retries_)
    own_swarm_refresh,
    path_rotation,
    config_push,      ///< the user configs' push is due (client/config_sync.hpp)
};

/// What a client request is for; it decides where its reply goes.
enum class ClientRequest : std::uint8_t { seed, refresh, guard_test, get_swarm, store, retrieve, config_push };

class ClientContext {
  public:
    ClientContext() = default;
    ClientContext(const ClientContext&) = default;
    ClientContext& operator=(const ClientContext&) = default;

    virtual bool is_online() const = 0;
    virtual Entropy& entropy() = 0;
    /// The next id of the client's one counter.
    virtual std::uint64_t next_id() = 0;
    virtual TimerId set_timer(ClientTimer kind, std::uint64_t ref, Timestamp at) = 0;
    virtual void count(std::string_view reason, std::uint64_t n) = 0;
    virtual void event(AppEvent event) = 0;
    /// Sampled crypto: whether a new flow is real (a draw only when real_crypto_fraction < 1).
    virtual CryptoWork draw_crypto_work() = 0;
    /// A direct request to `target` over ENDPOINT_STORAGE_RPC (seed, guard test).
    virtual void send_direct(Timestamp now, ClientRequest kind, const SnodeRecord& target, std::string body,
                             std::int64_t timeout_ms) = 0;
    /// `rpc` onion-routed to `destination` through a path without it. Returns false (nothing sent)
    /// when offline, without a usable path, or when the onion cannot be built.
    virtual bool send_onion(Timestamp now, ClientRequest kind, std::uint64_t ref, CryptoWork work,
                            const SnodeRecord& destination, const std::string& rpc, std::int64_t timeout_ms) = 0;

  protected:
    ~ClientContext() = default;
};

// ---- Small helpers the parts share ------------------------------------------------------------------

inline Timestamp after(Timestamp now, std::int64_t ms) { return now + std::chrono::milliseconds(ms); }

inline bool contains_node(const std::vector<SnodeRecord>& nodes, const Ed25519Pubkey& key) {
    for (const auto& n : nodes) {
        if (n.ed25519 == key) return true;
    }
    return false;
}

inline std::uint32_t subnet24(const SnodeRecord& n) { return n.address.ipv4 >> 8; }

/// Fisher-Yates from the back, one draw per position.
template <class T>
void shuffle(std::vector<T>& v, Entropy& entropy) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(entropy.uniform(i));
        std::swap(v[i - 1], v[j]);
    }
}

/// A uniformly drawn member (one draw); nullopt, and no draw, when `nodes` is empty.
inline std::optional<SnodeRecord> random_member(const std::vector<SnodeRecord>& nodes, Entropy& entropy) {
    if (nodes.empty()) return std::nullopt;
    return nodes[static_cast<std::size_t>(entropy.uniform(nodes.size()))];
}

}  // namespace sessionproto
