#pragma once
// SwarmCache: the swarms the client knows and the get_swarm lookups that fill it (../CLIENT.md
// "Swarm discovery"; spec session-network §4.2; desktop getSwarmFor.ts). It owns
// - the cached swarm per pubkey (shuffled as received, usable while MIN_SWARM_CACHE_MEMBERS of
//   it are still in the pool);
// - one lookup per pubkey at a time, with what waits on it (send jobs, the own poll), and its
//   retry schedule: SWARM_FETCH_TRIES tries on one random pool node inside SWARM_FETCH_TRIES
//   targets, 100 ms doubling (at most 2 s / 4 s apart).
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "models/session/crypto/account_id.hpp"
#include "models/session/node/client/config.hpp"
#include "models/session/node/client/context.hpp"
#include "models/session/node/client/node_pool.hpp"
#include "models/session/node/client/reply_classifier.hpp"

namespace sessionproto {

class SwarmCache {
  public:
    /// Estimated heap bytes (cached swarms and lookups; perf.json "memory.structures").
    std::size_t heap_bytes() const;
    /// A lookup that ended, with what waited on it (the caller resumes or fails them, in this order).
    struct Finished {
        bool ok = false;
        std::vector<std::uint64_t> waiting_jobs;
        bool poll_waiting = false;
    };

    /// The profile's cap on the delay before a new target (swarm_fetch_outer_max_ms).
    void set_outer_max_ms(std::int64_t ms) noexcept { outer_max_ms_ = ms; }

    // ---- The cache ---------------------------------------------------------------------------------
    /// The cached swarm of `pubkey` (empty when not cached).
    std::vector<SnodeRecord> cached(const SessionId& pubkey) const;
    /// The cached members still in the pool, while at least min(MIN_SWARM_CACHE_MEMBERS, cached
    /// size) of them are (desktop getSwarmFromCacheOrDb); nullopt otherwise.
    std::optional<std::vector<SnodeRecord>> usable(const SessionId& pubkey, const NodePool& pool) const;
    /// Replaces the swarm of `pubkey` from a get_swarm or 421 body, shuffled (desktop shuffles
    /// before caching); false when it does not parse.
    bool replace_from(const SessionId& pubkey, std::string_view body, Entropy& entropy);
    /// Removes `node` from the swarm of `pubkey` (a 421 whose body did not parse).
    void forget_member(const SessionId& pubkey, const Ed25519Pubkey& node);
    /// Forgets the cached swarm of `pubkey`: the next use looks it up afresh.
    void forget(const SessionId& pubkey);
    /// Removes `node` from every cached swarm (it left the pool).
    void forget_node(const Ed25519Pubkey& node);

    // ---- Lookups ------------------------------------------------------------------------------------
    /// Job `job_id` waits for the swarm of `pubkey` (a lookup starts if none runs).
    void wait_job(const SessionId& pubkey, std::uint64_t job_id, ClientContext& ctx);
    /// The own poll waits for the swarm of `pubkey`.
    void wait_poll(const SessionId& pubkey, ClientContext& ctx);
    /// Lookups neither in flight nor waiting for a retry, in id order.
    std::vector<std::uint64_t> idle() const;
    /// Sends lookup `fetch_id` (to its target, or a new random pool node) unless it is busy.
    void try_fetch(Timestamp now, std::uint64_t fetch_id, const NodePool& pool, const ClientConfig& config,
                   ClientContext& ctx);
    /// The answer to lookup `fetch_id` (a failed outcome for an onion failure): the cache is
    /// updated, or a retry armed; the lookup when it ended.
    std::optional<Finished> on_reply(Timestamp now, std::uint64_t fetch_id, const OnionOutcome& outcome,
                                     const NodePool& pool, ClientContext& ctx);
    void on_retry_timer(std::uint64_t fetch_id);
    /// Ends lookup `fetch_id` (counted swarm_fetch_failed when not ok).
    std::optional<Finished> finish(std::uint64_t fetch_id, bool ok, ClientContext& ctx);

  private:
    /// A get_swarm lookup for one pubkey, with the operations waiting on it.
    struct Fetch {
        enum class State : std::uint8_t { idle, in_flight, waiting_retry };
        SessionId pubkey;
        std::optional<SnodeRecord> target{};  ///< the pool node asked (kept for the inner retries)
        std::size_t inner_tries = 0;          ///< requests to `target`
        std::size_t outer_tries = 0;          ///< targets used
        State state = State::idle;
        std::vector<std::uint64_t> waiting_jobs{};
        bool poll_waiting = false;
    };

    Fetch& want(const SessionId& pubkey, ClientContext& ctx);
    std::optional<Finished> failed(Timestamp now, std::uint64_t fetch_id, ClientContext& ctx);

    std::int64_t outer_max_ms_ = SWARM_FETCH_OUTER_MAX_MS;
    std::map<SessionId, std::vector<SnodeRecord>> swarms_;
    std::map<std::uint64_t, Fetch> fetches_;
    std::map<SessionId, std::uint64_t> fetch_by_pubkey_;
};

}  // namespace sessionproto
