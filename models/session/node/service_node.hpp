#pragma once
// ServiceNode: a Session service node's storage server as a sans-IO state machine (DESIGN.md §4;
// spec session-network §2.6, §3, §3.6, §7.1; oxen-io/oxen-storage-server oxenss/snode/
// service_node.cpp, swarm.cpp, rpc/request_handler.cpp, rpc/rate_limiter.cpp). Behaviour, endpoints
// and body formats are described in README.md next to this file.
//
// Driven by handle(now, input) with Inbound datagrams, TimerExpired and SwarmUpdate; everything it
// wants done comes out of take_effects(). Hostile bytes never throw: they are dropped or answered
// with an error status, and counted by reason (counters()).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/session/common/entropy.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/node/io.hpp"
#include "models/session/node/service_node_queues.hpp"
#include "models/session/node/swarm_snapshot.hpp"
#include "models/session/node/token_bucket.hpp"
#include "models/session/onion/hop_processing.hpp"
#include "models/session/storage/batch_rpc.hpp"
#include "models/session/storage/limits.hpp"
#include "models/session/storage/message_store.hpp"
#include "models/session/storage/rpc.hpp"
#include "models/session/swarm/swarm_space.hpp"

namespace sessionproto {

struct ServiceNodeConfig {
    std::int64_t cleanup_period_ms = CLEANUP_PERIOD_MS;  ///< expiry sweep period (database.hpp CLEANUP_PERIOD)
    std::int64_t replicate_timeout_ms = 5'000;           ///< per swarm peer, for store fan-out and pushes
    std::int64_t relay_timeout_ms = 30'000;              ///< SN -> SN onion relay
    bool rate_limit_clients = true;                      ///< the per-IP token bucket on client requests
    std::uint32_t client_rate_per_s = 300;               ///< per client IPv4 token refill
    std::uint32_t client_burst = 600;                    ///< per client IPv4 bucket size
    std::size_t max_tracked_clients = 10'000;            ///< client IPs tracked by the rate limiter
    std::size_t push_batch_bytes = 1'000'000;            ///< bound on one push datagram's body (approx.)
    std::uint64_t store_byte_limit = static_cast<std::uint64_t>(DATABASE_SIZE_LIMIT);
    /// Sampled crypto runs only (common/crypto_work.hpp): open modelled onion layers and accept
    /// the modelled signature of a retrieve that came in one. Off: refused, as Session does.
    bool accept_modelled_crypto = false;
    /// oxen-storage-server PR #507's fix (2025), off by default (c3b96a2 pushes at once): before
    /// pushing its data to a new swarm member an existing member asks it `snode.data_ready`, and
    /// pushes only once it answers OK (it is reachable and lists the asker as a swarm peer); a
    /// timeout or any other answer is retried after data_ready_retry_ms.
    bool push_waits_for_data_ready = false;
    std::int64_t data_ready_retry_ms = 30'000;  ///< PR #507: "reattempted after another ~30s"
};

/// Sampled runs only: the field a node adds to a recursive request of a modelled flow when it
/// forwards it to its swarm peers, so that they too accept its stand-in signature. Real-crypto
/// flows are forwarded exactly as the client sent them.
inline constexpr const char* MODELLED_FIELD = "sessionsim_modelled";

/// Counter names used by ServiceNode::counters(): rejected, malformed or abandoned inputs, and
/// pushes_sent (sn.data batches sent when the swarms changed, spec §2.6).
namespace node_counter {
inline constexpr std::string_view malformed_packet = "malformed_packet";
inline constexpr std::string_view unknown_endpoint = "unknown_endpoint";
inline constexpr std::string_view unmatched_response = "unmatched_response";
inline constexpr std::string_view unknown_timer = "unknown_timer";
inline constexpr std::string_view rate_limited = "rate_limited";
inline constexpr std::string_view bad_onion = "bad_onion";
inline constexpr std::string_view unknown_next_hop = "unknown_next_hop";
inline constexpr std::string_view relay_timeout = "relay_timeout";
inline constexpr std::string_view proxy_not_modelled = "proxy_not_modelled";
inline constexpr std::string_view not_from_node = "not_from_node";
inline constexpr std::string_view bad_rpc = "bad_rpc";
inline constexpr std::string_view rejected_rpc = "rejected_rpc";
inline constexpr std::string_view wrong_swarm = "wrong_swarm";
inline constexpr std::string_view no_swarm = "no_swarm";
inline constexpr std::string_view store_full = "store_full";
inline constexpr std::string_view replicate_timeout = "replicate_timeout";
inline constexpr std::string_view replicate_failed = "replicate_failed";
inline constexpr std::string_view push_timeout = "push_timeout";
inline constexpr std::string_view push_failed = "push_failed";
inline constexpr std::string_view bad_push = "bad_push";
/// A push refused because the receiver does not list the sender as a service node (oxenss: the
/// "sn" OMQ category admits only keys in its latest list of active nodes, set_active_sns).
inline constexpr std::string_view push_unknown_sender = "push_unknown_sender";
inline constexpr std::string_view data_ready_sent = "data_ready_sent";        ///< snode.data_ready asked (not a failure)
inline constexpr std::string_view data_ready_not_ready = "data_ready_not_ready";  ///< answered other than OK, or timed out
inline constexpr std::string_view pushes_sent = "pushes_sent";  ///< push batches sent (not a failure)
}  // namespace node_counter

/// A service node's estimated heap bytes by structure (perf.json "memory.structures").
struct ServiceNodeMemory {
    std::size_t message_data = 0;  ///< the stored messages' bytes (MessageStore::total_bytes)
    std::size_t store_index = 0;   ///< the store's records, hashes and indexes
    std::size_t pending = 0;       ///< relays, fan-outs, batches, peer requests and timers in flight
    std::size_t other = 0;         ///< the object itself, swarm peers, counters, rate limiter
    std::size_t total() const noexcept { return message_data + store_index + pending + other; }
    ServiceNodeMemory& operator+=(const ServiceNodeMemory& o) noexcept {
        message_data += o.message_data;
        store_index += o.store_index;
        pending += o.pending;
        other += o.other;
        return *this;
    }
};

class ServiceNode {
  public:
    ServiceNode(Ed25519Keypair identity, PeerAddress address, ServiceNodeConfig config, Entropy& entropy);

    /// Never throws on hostile bytes.
    void handle(Timestamp now, Input input);
    /// A process restart after the host was down: requests in flight, relays, timers and the
    /// service-node list are forgotten (oxenss holds them in memory); the stored messages (on
    /// disk) stay. The expiry sweep is re-armed. The next SwarmUpdate is then a first list.
    void restart(Timestamp now);
    /// Moves out and clears the pending effects.
    Effects take_effects();
    /// A busy node's queues (service_node_queues.hpp): where `payload` waits, what it gets when
    /// there is no room.
    static InputQueue input_queue(ByteView payload) { return service_node_input_queue(payload); }
    static std::optional<Bytes> busy_reply(ByteView payload) { return service_node_busy_reply(payload); }
    /// The earliest timer still set, if any.
    std::optional<Timestamp> next_wakeup() const;

    // Read-only inspection (tests, adversaries, metrics).
    const MessageStore& store() const noexcept { return store_; }
    const Ed25519Pubkey& ed25519() const noexcept { return identity_.pub; }
    const X25519Pubkey& x25519() const noexcept { return x25519_.pub; }
    const PeerAddress& address() const noexcept { return address_; }
    /// This node's swarm in the latest SwarmUpdate (INVALID_SWARM_ID before one, or if not listed).
    SwarmId swarm_id() const noexcept { return own_swarm_; }
    /// The other members of this node's swarm, sorted by Ed25519 key.
    const std::vector<SnodeRecord>& swarm_peers() const noexcept { return peers_; }
    /// The swarm responsible for `pubkey` in the latest update (nullopt: no swarms known).
    std::optional<SwarmId> swarm_for(const SessionId& pubkey) const;
    /// The members of swarm `id`, sorted by Ed25519 key.
    std::vector<SnodeRecord> swarm_members(SwarmId id) const;
    /// Counters by reason (see node_counter); absent = 0.
    const std::map<std::string, std::uint64_t, std::less<>>& counters() const noexcept { return counters_; }
    /// Estimated heap bytes by structure.
    ServiceNodeMemory memory() const;
    std::uint64_t counter(std::string_view reason) const;
    const TokenBucketMap& rate_limiter() const noexcept { return buckets_; }

  private:
    /// Where and how to answer a request.
    struct ReplyRoute {
        PeerAddress to;
        std::uint64_t request_id = 0;
        std::optional<FinalDestination> onion;  ///< set: encrypt the reply for the onion's client
    };
    struct PendingRelay {
        PeerAddress reply_to;
        std::uint64_t reply_request_id = 0;
        TimerId timer = 0;
    };
    /// A recursive request (store, delete, expire...) waiting for its swarm peers. Its reply
    /// goes to `route`, or, for a sub-request of a batch (batch != 0), into that batch's answers.
    struct Fanout {
        ReplyRoute route;
        std::uint64_t batch = 0;
        std::size_t batch_index = 0;
        RpcMethod method = RpcMethod::store;
        std::optional<std::string> top_hash;                 ///< store: the entry node's hash
        std::map<Ed25519Pubkey, MemberEntryText> results;    ///< member -> result or failure entry
        std::size_t outstanding = 0;
    };
    /// A `batch` or `sequence` (service_node_batch.cpp) whose recursive sub-requests still wait
    /// for their swarm peers.
    struct PendingBatch {
        ReplyRoute route;
        PeerAddress from;
        bool modelled = false;    ///< came in a modelled onion layer (sampled crypto)
        bool sequence = false;    ///< one sub-request at a time, stopping at the first failure
        std::vector<BatchSubrequest> subs;
        std::vector<std::optional<BatchAnswer>> answers;
        std::size_t next = 0;         ///< the next sub-request to run
        std::size_t outstanding = 0;  ///< sub-requests waiting for their fan-out
        bool stopped = false;         ///< sequence: a sub-request failed; the rest never run
        bool advancing = false;       ///< advance_batch is on the stack (no re-entry)
    };
    /// A request this node sent to a swarm peer.
    struct PeerRequest {
        std::uint64_t fanout = 0;  ///< 0: a push to a new member, or a data_ready question
        Ed25519Pubkey peer;
        TimerId timer = 0;
        bool data_ready = false;  ///< a snode.data_ready question (PR #507)
    };
    enum class TimerKind : std::uint8_t { sweep, relay, peer_request, data_ready_retry };
    struct TimerEntry {
        TimerKind kind = TimerKind::sweep;
        std::uint64_t request_id = 0;
        Timestamp at{};
    };
    /// A locally applied RPC: a member result JSON, or an HTTP error.
    struct LocalOutcome {
        int status = 200;
        std::string error;
        nlohmann::json member;
        std::optional<std::string> hash;
    };

    void on_inbound(Timestamp now, Inbound in);
    void on_timer(Timestamp now, TimerId id);
    void on_swarm_update(Timestamp now, SwarmUpdate update);

    void on_onion(Timestamp now, const PeerAddress& from, std::uint64_t request_id, OnionHop hop);
    void on_rpc(Timestamp now, std::string_view body, ReplyRoute route, const PeerAddress& from);
    void on_replicate(Timestamp now, const PeerAddress& from, std::uint64_t request_id, ByteView body);
    /// An sn.data push (storage/data_push.hpp) from a known node: every item stored.
    void on_push(Timestamp now, const PeerAddress& from, std::uint64_t request_id, const nlohmann::json& body);
    void on_response(Timestamp now, std::uint64_t request_id, std::uint32_t status, Bytes body);
    void finish_fanout(Timestamp now, std::uint64_t fanout_id);
    /// Starts the fan-out of `request` (it passed check_recursive): `forward_body` goes to every
    /// swarm peer first (sn.storage_cc, a timer each), then the request is applied here. The
    /// caller says where the reply goes, then finishes it at once when there were no peers.
    /// `forward_body`: already marked (MODELLED_FIELD) by the caller for a modelled flow, which
    /// holds it parsed (no second parse here).
    std::uint64_t start_fanout(Timestamp now, const RpcRequest& request, std::string_view forward_body,
                               const PeerAddress& from, CryptoWork work);

    /// The error a recursive `request` fails this node's checks with, if any (oxenss validates
    /// before it forwards or applies anything). `forwarded`: from a swarm peer. `work`: modelled
    /// for a request of a modelled flow (sampled crypto: an all-zero signature stands for a
    /// valid one).
    /// Counts its signature check (Work).
    std::optional<Error> check_recursive(const RpcRequest& request, std::int64_t now_ms, bool forwarded,
                                         CryptoWork work);
    /// Applies a request that passed check_recursive on this node only.
    /// `work`: modelled for a modelled flow's request (its member result carries a stand-in signature).
    LocalOutcome apply_valid(Timestamp now, const RpcRequest& request, const PeerAddress& from, bool forwarded,
                             CryptoWork work);
    /// check_recursive, then apply_valid (a request from a swarm peer).
    LocalOutcome apply_local(Timestamp now, const RpcRequest& request, const PeerAddress& from, bool forwarded,
                             CryptoWork work);
    /// A retrieve on this node: validated, answered from the store (status, body), observed.
    std::pair<int, std::string> answer_retrieve(Timestamp now, const RetrieveRequest& r, bool modelled,
                                                const PeerAddress& from);
    /// `batch` and `sequence` (service_node_batch.cpp): each sub-request answered in order, one
    /// reply once every recursive sub-request heard from its swarm.
    void on_batch(Timestamp now, const nlohmann::json* params, ReplyRoute route, const PeerAddress& from,
                  bool sequence);
    /// Runs the sub-requests of batch `id` that may run now; answers once all are done.
    void advance_batch(Timestamp now, std::uint64_t id);
    /// Sub-request `index` of batch `id`: answered at once, or its fan-out started.
    void run_subrequest(Timestamp now, std::uint64_t id, std::size_t index);
    /// A sub-request's answer (a finished fan-out's, or one given at once).
    void batch_answer(Timestamp now, std::uint64_t id, std::size_t index, BatchAnswer answer, bool was_outstanding);
    /// 421 body or nullopt when `owner` belongs to this node's swarm.
    std::optional<std::string> wrong_swarm_body(const SessionId& owner) const;
    /// {"snodes": [...], "swarm": hex}: the members of a swarm, as get_swarm and 421 give them.
    std::string swarm_body(std::optional<SwarmId> swarm) const;
    /// get_swarm and oxend_request(get_service_nodes): answered from the latest SwarmUpdate.
    /// False when `method` is not one of these (then it is a storage RPC). `params` may be null.
    bool on_directory_rpc(const std::string& method, const nlohmann::json* params, const ReplyRoute& route);
    /// Pushes `messages` to each of `members` (sn.data batches, one try each, 5 s timeout).
    void push_messages(Timestamp now, const std::vector<const StoredMessage*>& messages,
                       const std::vector<SnodeRecord>& members);
    /// Pushes all stored messages to each of `members` (new members of this node's swarm).
    void push_all(Timestamp now, const std::vector<SnodeRecord>& members);
    /// PR #507: asks `peer` snode.data_ready (5 s timeout), pushing when it answers OK.
    void ask_data_ready(Timestamp now, const Ed25519Pubkey& peer);
    /// A data_ready question failed (not OK, or timeout): asks again after data_ready_retry_ms.
    void retry_data_ready(Timestamp now, const Ed25519Pubkey& peer);
    void on_data_ready(const PeerAddress& from, std::uint64_t request_id);
    /// The peer of this node's swarm with key `key`, or null.
    const SnodeRecord* swarm_peer(const Ed25519Pubkey& key) const;

    void respond(const ReplyRoute& route, int status, std::string body);
    /// respond() with this block's get_service_nodes reply, from the shared PoolReply.
    void respond_pool(const ReplyRoute& route);
    /// An onion reply of `body_size` bytes of text, sealed (or the seal's error, answered 500), and its work.
    void send_onion_reply(const ReplyRoute& route, std::size_t body_size, Result<Bytes> sealed);
    void send_response(const PeerAddress& to, std::uint64_t request_id, std::uint32_t status, Bytes body);
    std::uint64_t send_request(const PeerAddress& to, std::string_view endpoint, Bytes body);
    TimerId set_timer(Timestamp at, TimerKind kind, std::uint64_t request_id);
    void cancel_timer(TimerId id);
    void ensure_sweep(Timestamp now);
    void count(std::string_view reason, std::uint64_t n = 1);
    void reject(std::string_view reason);
    bool is_known_node_ip(std::uint32_t ipv4) const;

    Ed25519Keypair identity_;
    X25519Keypair x25519_;
    PeerAddress address_;
    ServiceNodeConfig config_;
    Entropy& entropy_;
    MessageStore store_;
    TokenBucketMap buckets_;
    Effects effects_;

    std::shared_ptr<const SwarmSnapshot> list_;  ///< the latest service-node list, shared (never null)
    bool have_update_ = false;
    SwarmId own_swarm_ = INVALID_SWARM_ID;
    std::vector<SnodeRecord> peers_;

    std::uint64_t next_request_id_ = 1;
    std::uint64_t next_fanout_id_ = 1;
    TimerId next_timer_id_ = 1;
    std::optional<TimerId> sweep_timer_;
    std::map<TimerId, TimerEntry> timers_;
    std::map<std::uint64_t, PendingRelay> relays_;
    std::map<std::uint64_t, Fanout> fanouts_;
    std::map<std::uint64_t, PendingBatch> batches_;
    std::uint64_t next_batch_id_ = 1;
    std::map<std::uint64_t, PeerRequest> peer_requests_;
    /// data_ready retry timers: retry id -> the new member to ask again.
    std::map<std::uint64_t, Ed25519Pubkey> data_ready_retries_;
    std::uint64_t next_retry_id_ = 1;
    std::map<std::string, std::uint64_t, std::less<>> counters_;
};

static_assert(SansIoNode<ServiceNode>);

}  // namespace sessionproto
