#pragma once
// NodePool: the client's service-node pool (../CLIENT.md "Snode pool"; spec session-network
// §4.1; desktop snodePool.ts, getServiceNodesList.ts, SeedNodeAPI). It owns
// - the pool: a snapshot shared through the PoolCache, plus this client's removals (strikes) as
//   an overlay that never touches the snapshot;
// - the strike count per node (SNODE_FAILURE_THRESHOLD drops it);
// - the seed bootstrap (one request at a time, SEED_TRIES with p-retry backoff);
// - the refresh (REFRESH_NODES pool members through onion paths, their intersection).
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "models/session/node/client/config.hpp"
#include "models/session/node/client/context.hpp"
#include "models/session/node/client/reply_classifier.hpp"
#include "models/session/node/pool_cache.hpp"

namespace sessionproto {

class NodePool {
  public:
    /// Estimated heap bytes of this client's own pool state (removals, failure counts); the shared
    /// snapshot is the PoolCache's (perf.json "memory.structures").
    std::size_t heap_bytes() const;
    explicit NodePool(std::shared_ptr<PoolCache> cache);

    // ---- The pool ---------------------------------------------------------------------------------
    /// The shared snapshot (nullptr before bootstrap). Removed nodes are still in it.
    const SnodePoolPtr& snapshot() const noexcept { return pool_; }
    /// Snapshot size minus this client's removals.
    std::size_t size() const;
    bool contains(const Ed25519Pubkey& node) const;
    /// The snapshot without the removals, in key order.
    std::vector<SnodeRecord> members() const;
    /// True before bootstrap, and when strikes shrank the pool below the profile's min_pool (only when the
    /// snapshot itself was larger: a network smaller than that would otherwise ask the seed on
    /// every input).
    bool needs_seed() const;
    /// The profile's minimum pool (min_pool): below it, back to the seed.
    void set_min_pool(std::size_t n) noexcept { min_pool_ = n; }

    // ---- Strikes ----------------------------------------------------------------------------------
    std::uint32_t failures(const Ed25519Pubkey& node) const;
    /// One more failure; true when the node reached SNODE_FAILURE_THRESHOLD (the caller drops it).
    bool strike(const Ed25519Pubkey& node);
    /// Removes `node` and forgets its strikes. False when it was removed already.
    bool drop(const Ed25519Pubkey& node);
    /// Removes `node` and keeps its strike count (the guard of a path dropped for its failures).
    void exclude(const Ed25519Pubkey& node);

    // ---- Seed --------------------------------------------------------------------------------------
    /// Asks a random seed for the list, unless offline, a request is in flight or a retry is armed.
    void request_seed(Timestamp now, const ClientConfig& config, ClientContext& ctx);
    void on_seed_reply(Timestamp now, std::uint32_t status, ByteView body, const ClientConfig& config,
                       ClientContext& ctx);
    /// The seed request timed out.
    void on_seed_timeout(Timestamp now, const ClientConfig& config, ClientContext& ctx);
    void on_seed_retry_timer(Timestamp now, const ClientConfig& config, ClientContext& ctx);

    // ---- Refresh -----------------------------------------------------------------------------------
    /// The refresh timer: re-armed refresh_interval_ms later, then a refresh starts (or, with too
    /// few pool nodes or no path, the seed is asked). True when strikes were reset (the caller
    /// resets the paths' strikes too).
    bool on_refresh_timer(Timestamp now, bool have_paths, const ClientConfig& config, ClientContext& ctx);
    /// One refresh answer (a failed outcome for an onion failure). True when the refresh ended
    /// with consensus: a new pool and no strikes (the caller resets the paths' strikes too).
    bool on_refresh_reply(Timestamp now, const OnionOutcome& outcome, const ClientConfig& config,
                          ClientContext& ctx);

    /// The cache shared with the other clients of the world (pool snapshots, decoded pool replies).
    PoolCache& cache() noexcept { return *cache_; }

  private:
    std::size_t min_pool_ = 8;
    enum class SeedState : std::uint8_t { idle, in_flight, waiting_retry };

    void seed_failed(Timestamp now, const ClientConfig& config, ClientContext& ctx);
    bool start_refresh(Timestamp now, bool have_paths, const ClientConfig& config, ClientContext& ctx);
    bool finish_refresh(Timestamp now, const ClientConfig& config, ClientContext& ctx);
    void install(SnodePool nodes, bool reset_strikes);

    std::shared_ptr<PoolCache> cache_;
    SnodePoolPtr pool_;
    std::set<Ed25519Pubkey> removed_;
    std::map<Ed25519Pubkey, std::uint32_t> failures_;

    SeedState seed_ = SeedState::idle;
    std::size_t seed_tries_ = 0;

    bool refresh_scheduled_ = false;  ///< the refresh timer is set (from the first pool on)
    std::size_t refresh_outstanding_ = 0;
    std::vector<SnodePoolPtr> refresh_replies_;
    bool refresh_failed_ = false;
};

}  // namespace sessionproto
