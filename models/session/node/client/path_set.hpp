#pragma once
// PathSet: the client's guards and onion paths (../CLIENT.md "Onion paths"; spec
// session-network §4.3; desktop onionPath.ts, onions.ts). It owns
// - the guards, found by testing shuffled pool members GUARD_TEST_BATCH at a time with a direct
//   get_swarm, up to GUARD_TEST_ROUNDS rounds (profile guard_tests; otherwise drawn untested),
//   and replaced all together when fewer are left (replace_all_guards);
// - after a drop, every path rebuilt (rebuild_all_paths_on_drop), and the relays rotated on a
//   timer (path_rotate_ms);
// - the paths (path_count paths of path_hops nodes, first = a guard), built as onionPath.ts does,
//   with no node reused across paths and no two nodes of a path in one /24;
// - the path strikes (PATH_FAILURE_THRESHOLD drops a path) and the build retries
//   (PATH_BUILD_RETRY_MS, PATH_BUILD_ATTEMPTS before the waiting requests fail).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/session/node/client/config.hpp"
#include "models/session/node/client/context.hpp"
#include "models/session/node/client/node_pool.hpp"

namespace sessionproto {

/// One onion path as the client keeps it (first node = guard).
struct OnionPath {
    std::uint64_t id = 0;
    std::vector<SnodeRecord> nodes;
    std::uint32_t failures = 0;
};

class PathSet {
  public:
    /// Estimated heap bytes (guards, paths, candidates; perf.json "memory.structures").
    std::size_t heap_bytes() const;
    /// `own` is the client's pubkey, asked for in guard tests.
    explicit PathSet(SessionId own) : own_(std::move(own)) {}

    const std::vector<SnodeRecord>& guards() const noexcept { return guards_; }
    const std::vector<OnionPath>& paths() const noexcept { return paths_; }
    bool empty() const noexcept { return paths_.empty(); }
    std::uint64_t built() const noexcept { return built_; }
    std::uint64_t dropped() const noexcept { return dropped_; }

    enum class Progress : std::uint8_t {
        ready,     ///< path_count paths
        building,  ///< guard tests in flight, a retry armed, or a failed attempt (retry armed)
        gave_up,   ///< PATH_BUILD_ATTEMPTS failed: the caller fails what waits, then arm_retry()
    };
    /// Drops guards and paths whose nodes left the pool, then tests guards or builds the missing
    /// paths. Call with a pool.
    Progress ensure(Timestamp now, const NodePool& pool, const ClientConfig& config, ClientContext& ctx);
    /// Arms the PATH_BUILD_RETRY_MS retry after the caller handled a give-up.
    void arm_retry(Timestamp now, ClientContext& ctx);
    void on_retry_timer() { retry_armed_ = false; }
    /// A guard test's answer (ok = a 200) or timeout (ok = false).
    void on_guard_reply(const SnodeRecord& node, bool ok, const NodePool& pool, const ClientConfig& config,
                        ClientContext& ctx);

    /// A random path without `destination` (one draw); nullptr, and no draw, when there is none.
    const OnionPath* choose(const Ed25519Pubkey& destination, Entropy& entropy) const;
    /// Path `path_id`; nullptr when it is gone.
    const OnionPath* find(std::uint64_t path_id) const;
    /// The guard of path `path_id`; unset when the path is gone.
    std::optional<Ed25519Pubkey> guard_of(std::uint64_t path_id) const;

    /// One failure of path `path_id`. At PATH_FAILURE_THRESHOLD the path is dropped (event
    /// path_dropped) and its guard leaves the guard list; returns the path's nodes then (the
    /// caller strikes the nodes on every failure and, on desktop, takes the guard out of the pool).
    std::optional<std::vector<SnodeRecord>> strike(std::uint64_t path_id, std::string_view reason, ClientContext& ctx);
    /// `node` left the pool: a guard's path goes; elsewhere the node is replaced by a random pool
    /// node, untested (desktop dropSnodeFromPath), or the path goes when none fits. Call after the
    /// pool dropped it.
    void drop_node(const Ed25519Pubkey& node, const NodePool& pool, ClientContext& ctx);
    /// A refresh reached consensus: every path's strikes are forgotten.
    void reset_strikes();
    /// The rotation timer (profile path_rotate_ms): every path goes, its guard stays; ensure()
    /// builds them again with fresh relays.
    void rotate_relays(ClientContext& ctx);

  private:
    /// True on a give-up (the rounds were used up PATH_BUILD_ATTEMPTS times).
    bool start_guard_round(Timestamp now, const NodePool& pool, const ClientConfig& config, ClientContext& ctx);
    /// A failed attempt: counted, then a retry, or (returned true) a give-up.
    bool attempt_failed(Timestamp now, ClientContext& ctx);
    bool build_missing(const NodePool& pool, const ClientConfig& config, ClientContext& ctx);
    /// Guards without a test (profile guard_tests off): random pool members outside the paths.
    bool choose_untested_guards(const NodePool& pool, const ClientConfig& config, ClientContext& ctx);
    std::optional<SnodeRecord> draw_node(const std::vector<SnodeRecord>& weighted, const std::vector<SnodeRecord>& path,
                                         Entropy& entropy) const;
    /// `failed`: a drop the profile may answer by rebuilding every path (rebuild_all_paths_on_drop).
    void drop_path(std::size_t index, std::string_view reason, ClientContext& ctx, bool failed = true);

    SessionId own_;
    std::vector<SnodeRecord> guards_;
    std::vector<OnionPath> paths_;
    std::vector<SnodeRecord> guard_candidates_;  // shuffled pool, tested in order
    std::set<Ed25519Pubkey> guard_tests_in_flight_;
    std::size_t guard_rounds_ = 0;
    std::size_t build_attempts_ = 0;
    bool retry_armed_ = false;
    bool rebuild_pending_ = false;  ///< a path dropped since the last ensure()
    std::uint64_t built_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace sessionproto
