#pragma once
// Client: a Session client (desktop or Android profile) as a sans-IO state machine (DESIGN.md §4,
// STYLE.md "Sans-IO protocol node"; spec session-network §4, §7.1). Behaviour, constants with
// their sources, and the RPC shapes it sends and expects are in CLIENT.md next to this file.
//
// Driven by handle(now, input) with Inbound datagrams and TimerExpired (SwarmUpdate is ignored:
// clients learn the network only through RPC), and by the commands start / send_message /
// set_online. Everything it wants done comes out of take_effects(). Hostile bytes never throw:
// they are dropped and counted by reason (counters()).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/session/common/entropy.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/node/io.hpp"
#include "models/session/node/pool_cache.hpp"
#include "models/session/onion/builder.hpp"
#include "models/session/onion/hop_encryption.hpp"
#include "models/session/storage/limits.hpp"

namespace sessionproto {

enum class ClientProfile : std::uint8_t { desktop, android };

struct ClientConfig {
    ClientProfile profile = ClientProfile::desktop;
    /// Paths kept: 2 (desktop onionPath.ts, Android targetPathCount); 3 for the older desktop.
    std::size_t path_count = 2;
    /// Nodes per path (guard, middle, edge); the destination is a 4th node outside the path.
    std::size_t path_hops = 3;
    EncType enc_type = EncType::xchacha20;
    /// Seed nodes (bootstrap). Must not be empty for start() to do anything.
    std::vector<PeerAddress> seed_nodes;

    // Timeouts (spec §7.1).
    std::int64_t onion_timeout_ms = 25'000;       ///< whole onion round trip at the guard
    std::int64_t seed_timeout_ms = 5'000;         ///< seed node
    std::int64_t snode_list_timeout_ms = 4'000;   ///< get_service_nodes from a pool member (refresh)
    std::int64_t get_swarm_timeout_ms = 4'000;    ///< get_swarm (onion)
    std::int64_t guard_test_timeout_ms = 10'000;  ///< desktop guard test (libsession: 3 s)

    // Polling (spec §4.4).
    std::int64_t desktop_poll_interval_ms = 5'000;  ///< own swarm, re-armed after each round
    std::int64_t android_all_tried_delay_ms = 2'000;
    std::int64_t android_max_delay_ms = 15'000;  ///< failure backoff ×1.2 capped here

    /// Sampled crypto (common/crypto_work.hpp, a simulator mode): the share of flows done with
    /// real crypto — a message (its encryption and every store attempt) or any other onion
    /// request (a poll, a swarm lookup, a refresh) — the rest being modelled stand-ins of the same
    /// sizes. 1 (the default) is Session: real everywhere, nothing drawn, stand-ins refused.
    /// Below 1 the client also reads stand-ins (in replies and in stored messages).
    double real_crypto_fraction = 1.0;

    /// TTL of content messages (desktop constants.ts TTL_DEFAULT: 14 days).
    std::int64_t message_ttl_ms = TTL_MAXIMUM_MS;

    /// Message requests (spec session-network §5.2: a client-side feature, not the network's):
    /// a message whose sender is not an approved contact (approve_contact) is held apart as a
    /// request (AppEvent::message_request) instead of shown (message_delivered). Off: every
    /// message that opens is shown.
    bool message_requests = false;

    // Pool refresh (spec §4.1, desktop).
    std::int64_t first_refresh_after_ms = 5 * 60'000;
    std::int64_t refresh_interval_ms = 60 * 60'000;
};

/// Counter names used by Client::counters().
namespace client_counter {
inline constexpr std::string_view malformed_packet = "malformed_packet";
inline constexpr std::string_view unexpected_request = "unexpected_request";
inline constexpr std::string_view unmatched_response = "unmatched_response";
inline constexpr std::string_view unknown_timer = "unknown_timer";
inline constexpr std::string_view bad_pool_reply = "bad_pool_reply";
inline constexpr std::string_view bad_swarm_reply = "bad_swarm_reply";
inline constexpr std::string_view bad_onion_reply = "bad_onion_reply";
inline constexpr std::string_view bad_retrieve_reply = "bad_retrieve_reply";
inline constexpr std::string_view onion_build_failed = "onion_build_failed";
inline constexpr std::string_view onion_timeout = "onion_timeout";
inline constexpr std::string_view onion_error = "onion_error";
inline constexpr std::string_view destination_error = "destination_error";
inline constexpr std::string_view clock_error = "clock_error";
inline constexpr std::string_view wrong_swarm = "wrong_swarm";
inline constexpr std::string_view next_node_not_found = "next_node_not_found";
inline constexpr std::string_view node_dropped = "node_dropped";
inline constexpr std::string_view guard_test_failed = "guard_test_failed";
inline constexpr std::string_view path_build_failed = "path_build_failed";
inline constexpr std::string_view seed_failed = "seed_failed";
inline constexpr std::string_view refresh_failed = "refresh_failed";
inline constexpr std::string_view seal_failed = "seal_failed";
inline constexpr std::string_view undecryptable_message = "undecryptable_message";
inline constexpr std::string_view duplicate_message = "duplicate_message";
inline constexpr std::string_view message_requests = "message_requests";  ///< held apart (unknown sender)
inline constexpr std::string_view swarm_fetch_failed = "swarm_fetch_failed";
inline constexpr std::string_view polls = "polls";
inline constexpr std::string_view polls_failed = "polls_failed";
inline constexpr std::string_view onion_real = "onion_real";              ///< onion requests built with real crypto
inline constexpr std::string_view onion_modelled = "onion_modelled";      ///< ... as modelled stand-ins
inline constexpr std::string_view messages_real = "messages_real";        ///< messages really encrypted
inline constexpr std::string_view messages_modelled = "messages_modelled";  ///< ... modelled
}  // namespace client_counter

/// Thresholds and retry schedules (sources in CLIENT.md).
inline constexpr std::uint32_t PATH_FAILURE_THRESHOLD = 3;
inline constexpr std::uint32_t SNODE_FAILURE_THRESHOLD = 3;
inline constexpr std::size_t GUARD_TEST_BATCH = 2;
inline constexpr std::size_t GUARD_TEST_ROUNDS = 6;
inline constexpr std::size_t PATH_BUILD_ATTEMPTS = 10;
inline constexpr std::int64_t PATH_BUILD_RETRY_MS = 1'000;
inline constexpr std::size_t SEED_TRIES = 4;
inline constexpr std::int64_t SEED_RETRY_BASE_MS = 1'000;  ///< ×2 per try
inline constexpr std::size_t SWARM_FETCH_TRIES = 4;              ///< per target, and targets
inline constexpr std::int64_t SWARM_FETCH_RETRY_BASE_MS = 100;   ///< ×2 per try
inline constexpr std::int64_t SWARM_FETCH_INNER_MAX_MS = 2'000;  ///< same target
inline constexpr std::int64_t SWARM_FETCH_OUTER_MAX_MS = 4'000;  ///< new target
inline constexpr std::size_t STORE_ATTEMPTS = 3;
inline constexpr std::int64_t STORE_RETRY_MS = 1'000;
inline constexpr std::size_t MIN_SWARM_CACHE_MEMBERS = 3;
inline constexpr std::size_t MIN_POOL_COUNT = 8;
inline constexpr std::size_t REFRESH_NODES = 3;
inline constexpr std::size_t MIN_REFRESH_INTERSECTION = 24;

/// One onion path as the client keeps it (first node = guard).
struct OnionPath {
    std::uint64_t id = 0;
    std::vector<SnodeRecord> nodes;
    std::uint32_t failures = 0;
};

class Client {
  public:
    Client(Ed25519Keypair identity, ClientConfig config, std::shared_ptr<PoolCache> pools, Entropy& entropy);

    /// Never throws on hostile bytes. SwarmUpdate is ignored.
    void handle(Timestamp now, Input input);
    /// Moves out and clears the pending effects.
    Effects take_effects();
    /// The earliest timer still set, if any.
    std::optional<Timestamp> next_wakeup() const;

    // ---- Commands (they only add to the effects) ------------------------------------------
    /// Goes online and bootstraps: seed request, guards, paths, own swarm, polling.
    void start(Timestamp now);
    /// Queues a 1-to-1 text message. `message_id` names it in message_sent / store_confirmed /
    /// store_failed events; the recipient's message_delivered carries the body.
    void send_message(Timestamp now, const AccountId& recipient, std::string body, std::string message_id);
    /// Offline: nothing leaves (no polls, no sends, no path building); queued sends wait.
    void set_online(Timestamp now, bool online);
    /// A contact whose messages are shown even with message requests on (an accepted conversation).
    void approve_contact(const AccountId& contact) { contacts_.insert(contact.hex()); }

    // ---- Inspection (tests, metrics) --------------------------------------------------------
    const AccountId& account_id() const noexcept { return account_; }
    const Ed25519Pubkey& ed25519() const noexcept { return identity_.pub; }
    bool online() const noexcept { return online_; }
    /// The shared snapshot (nullptr before bootstrap). Nodes this client dropped are still in it.
    const SnodePoolPtr& pool_snapshot() const noexcept { return pool_; }
    /// Snapshot size minus the nodes dropped by strikes.
    std::size_t pool_size() const;
    bool in_pool(const Ed25519Pubkey& node) const;
    const std::vector<SnodeRecord>& guards() const noexcept { return guards_; }
    const std::vector<OnionPath>& paths() const noexcept { return paths_; }
    /// Cached swarm of `pubkey` (empty when not cached).
    std::vector<SnodeRecord> cached_swarm(const SessionId& pubkey) const;
    std::uint32_t node_failures(const Ed25519Pubkey& node) const;
    std::uint64_t paths_built() const noexcept { return paths_built_; }
    std::uint64_t paths_dropped() const noexcept { return paths_dropped_; }
    /// last_hash per polled node (own account, namespace 0).
    std::optional<std::string> last_hash(const Ed25519Pubkey& node) const;
    std::size_t pending_sends() const noexcept { return jobs_.size(); }
    const std::map<std::string, std::uint64_t, std::less<>>& counters() const noexcept { return counters_; }
    std::uint64_t counter(std::string_view reason) const;

  private:
    enum class TimerKind : std::uint8_t {
        request_timeout,  ///< ref = request id
        seed_retry,
        refresh,
        path_retry,
        swarm_retry,      ///< ref = fetch id
        store_retry,      ///< ref = job id
        poll,
    };
    struct TimerEntry {
        TimerKind kind = TimerKind::poll;
        std::uint64_t ref = 0;
        Timestamp at{};
    };
    enum class RequestKind : std::uint8_t { seed, refresh, guard_test, get_swarm, store, retrieve };
    struct Pending {
        RequestKind kind = RequestKind::seed;
        std::uint64_t ref = 0;        ///< fetch id / job id / poll round
        std::uint64_t path_id = 0;    ///< onion requests
        SnodeRecord target;           ///< the onion destination, or the direct peer
        std::optional<OnionRequest> onion;
        Timestamp sent_at{};
        TimerId timer = 0;
    };
    /// A get_swarm lookup for one pubkey, with the operations waiting on it.
    struct SwarmFetch {
        SessionId pubkey;
        std::optional<SnodeRecord> target{};  ///< the pool node asked (kept for the inner retries)
        std::size_t inner_tries = 0;          ///< requests to `target`
        std::size_t outer_tries = 0;          ///< targets used
        bool in_flight = false;
        bool waiting_retry = false;
        std::vector<std::uint64_t> waiting_jobs{};
        bool poll_waiting = false;
    };
    /// One outgoing message.
    struct SendJob {
        AccountId recipient;
        std::string message_id{};
        Bytes data{};
        std::int64_t created_ms = 0;
        std::size_t attempts = 0;  ///< store attempts started
        CryptoWork work = CryptoWork::real;  ///< sampled crypto: this message's flow
        enum class State : std::uint8_t { ready, waiting_swarm, in_flight, waiting_retry } state = State::ready;
    };
    /// An onion reply, decrypted.
    struct OnionOutcome {
        bool ok = false;           ///< the destination answered (any status)
        int status = 0;            ///< the destination's status
        std::string body;
        std::uint64_t path_id = 0; ///< the path it went through
    };

    // Inputs.
    void on_inbound(Timestamp now, Inbound in);
    void on_timer(Timestamp now, TimerId id);
    void on_request_timeout(Timestamp now, std::uint64_t request_id);

    // Effects helpers.
    TimerId set_timer(TimerKind kind, std::uint64_t ref, Timestamp at);
    void cancel_timer(TimerId id);
    std::uint64_t send_request(Timestamp now, RequestKind kind, std::uint64_t ref, const SnodeRecord& target,
                               const PeerAddress& to, const char* endpoint, Bytes body, std::int64_t timeout_ms,
                               std::uint64_t path_id, std::optional<OnionRequest> onion);
    /// Sends `rpc` onion-routed to `destination`. Returns false (nothing sent) without a usable path.
    /// Sampled crypto: real for a real_crypto_fraction share of flows (a draw only below 1).
    CryptoWork draw_crypto_work();
    bool send_onion(Timestamp now, RequestKind kind, std::uint64_t ref, CryptoWork work, const SnodeRecord& destination,
                    const std::string& rpc, std::int64_t timeout_ms);
    void event(AppEvent::Kind kind, std::string id, std::int64_t value = 0, std::string detail = {});
    void count(std::string_view reason, std::uint64_t n = 1);

    // The main loop: progresses everything that waits for the pool, paths or swarms.
    void drive(Timestamp now);

    // Pool.
    void request_seed(Timestamp now);
    void on_seed_reply(Timestamp now, std::uint32_t status, ByteView body);
    void seed_failed(Timestamp now);
    void start_refresh(Timestamp now);
    void on_refresh_reply(Timestamp now, const OnionOutcome& outcome);
    void finish_refresh(Timestamp now);
    void install_pool(Timestamp now, SnodePool nodes, bool reset_strikes);
    std::vector<SnodeRecord> pool_members() const;

    // Guards and paths.
    void ensure_paths(Timestamp now);
    void start_guard_round(Timestamp now);
    void on_guard_reply(Timestamp now, const SnodeRecord& node, bool ok);
    bool build_missing_paths(Timestamp now);
    std::optional<SnodeRecord> draw_path_node(const std::vector<SnodeRecord>& weighted,
                                              const std::vector<SnodeRecord>& path);
    void path_failure(Timestamp now, std::uint64_t path_id, std::string_view reason);
    void node_failure(Timestamp now, const Ed25519Pubkey& node);
    void drop_node(Timestamp now, const Ed25519Pubkey& node);
    void drop_path(std::size_t index, std::string_view reason);
    void path_build_gave_up(Timestamp now);

    // Swarms.
    /// The cached swarm while at least MIN_SWARM_CACHE_MEMBERS of it are in the pool.
    std::optional<std::vector<SnodeRecord>> usable_swarm(const SessionId& pubkey) const;
    std::uint64_t want_swarm(const SessionId& pubkey);
    void try_fetch(Timestamp now, std::uint64_t fetch_id);
    void on_swarm_reply(Timestamp now, std::uint64_t fetch_id, const OnionOutcome& outcome);
    void fetch_failed(Timestamp now, std::uint64_t fetch_id);
    void finish_fetch(Timestamp now, std::uint64_t fetch_id, bool ok);
    /// Replaces a swarm from a get_swarm or 421 body; false when it does not parse.
    bool update_swarm_from(const SessionId& pubkey, std::string_view body);
    std::optional<SnodeRecord> random_member(const std::vector<SnodeRecord>& swarm);

    // Sending.
    void try_send(Timestamp now, std::uint64_t job_id);
    void on_store_reply(Timestamp now, std::uint64_t job_id, const OnionOutcome& outcome);
    void store_attempt_failed(Timestamp now, std::uint64_t job_id, std::string_view reason);

    // Polling.
    void schedule_poll(Timestamp at);
    void try_poll(Timestamp now);
    void on_retrieve_reply(Timestamp now, const Ed25519Pubkey& node, const OnionOutcome& outcome);
    void poll_done(Timestamp now, bool ok);

    // Onion replies.
    void on_onion_reply(Timestamp now, Pending pending, std::uint32_t status, ByteView body);
    void onion_failed(Timestamp now, const Pending& pending);

    Ed25519Keypair identity_;
    X25519Keypair x25519_;
    AccountId account_;
    ClientConfig config_;
    std::shared_ptr<PoolCache> pools_;
    Entropy& entropy_;
    Effects effects_;
    std::map<std::string, std::uint64_t, std::less<>> counters_;
    std::set<std::string, std::less<>> contacts_;  ///< approved senders' Account IDs (hex)

    bool online_ = false;
    bool started_ = false;
    std::uint64_t next_id_ = 1;  // request ids, timer ids, job ids, path ids, fetch ids

    std::map<TimerId, TimerEntry> timers_;
    std::map<std::uint64_t, Pending> pending_;

    // Pool.
    SnodePoolPtr pool_;
    std::set<Ed25519Pubkey> removed_;
    std::map<Ed25519Pubkey, std::uint32_t> node_failures_;
    bool seed_in_flight_ = false;
    bool seed_retry_armed_ = false;
    std::size_t seed_tries_ = 0;
    bool refresh_armed_ = false;
    std::size_t refresh_outstanding_ = 0;
    std::vector<SnodePoolPtr> refresh_replies_;
    bool refresh_failed_ = false;

    // Guards and paths.
    std::vector<SnodeRecord> guards_;
    std::vector<OnionPath> paths_;
    std::vector<SnodeRecord> guard_candidates_;  // shuffled pool, tested in order
    std::set<Ed25519Pubkey> guard_tests_in_flight_;
    std::size_t guard_rounds_ = 0;
    std::size_t build_attempts_ = 0;
    bool path_retry_armed_ = false;
    std::uint64_t paths_built_ = 0;
    std::uint64_t paths_dropped_ = 0;

    // Swarms.
    std::map<SessionId, std::vector<SnodeRecord>> swarms_;
    std::map<std::uint64_t, SwarmFetch> fetches_;
    std::map<SessionId, std::uint64_t> fetch_by_pubkey_;

    // Sending.
    std::map<std::uint64_t, SendJob> jobs_;

    // Polling.
    bool poll_armed_ = false;
    bool poll_due_ = false;
    bool poll_in_flight_ = false;
    std::map<Ed25519Pubkey, std::string> last_hashes_;
    std::map<std::string, std::int64_t, std::less<>> seen_;  // message hash -> expiry (dedupe)
    std::optional<Ed25519Pubkey> android_node_;               // the member Android polls back-to-back
    std::set<Ed25519Pubkey> android_tried_;
    std::int64_t android_delay_ms_ = 0;
};

static_assert(SansIoNode<Client>);

}  // namespace sessionproto
