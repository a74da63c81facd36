#pragma once
// The sans-IO contract of Session's nodes (DESIGN.md §4, STYLE.md "Sans-IO protocol node"):
// a ServiceNode or Client is driven by handle(now, input) and hands back Effects — datagrams to
// send, timers to set or cancel, application events, and neutral observations — drained with
// take_effects(). Nothing here owns a clock, socket, thread or random source.
#include <chrono>
#include <compare>
#include <concepts>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"

namespace sessionproto {

/// Protocol time: Unix milliseconds, as Session signs and stores it.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
using TimerId = std::uint64_t;

inline std::int64_t unix_ms(Timestamp t) noexcept { return t.time_since_epoch().count(); }

/// Where a datagram comes from or goes to: an IPv4 address and port.
struct PeerAddress {
    std::uint32_t ipv4 = 0;  ///< host byte order
    std::uint16_t port = 0;
    friend auto operator<=>(const PeerAddress&, const PeerAddress&) = default;
    std::string to_string() const;     ///< "11.0.7.9:22021"
    std::string ip_string() const;     ///< "11.0.7.9"
};

/// Mainnet defaults (spec session-network §1.3): storage server HTTPS (clients, onion entry)
/// and OxenMQ (node to node).
inline constexpr std::uint16_t STORAGE_HTTPS_PORT = 22021;
inline constexpr std::uint16_t STORAGE_OMQ_PORT = 22020;

/// What everyone may know of a service node (the service-node list).
struct SnodeRecord {
    Ed25519Pubkey ed25519;
    X25519Pubkey x25519;
    PeerAddress address;  ///< port = STORAGE_HTTPS_PORT; OMQ uses the same IP on STORAGE_OMQ_PORT
    std::uint64_t swarm_id = UINT64_MAX;
    friend bool operator==(const SnodeRecord&, const SnodeRecord&) = default;
};

struct Inbound {
    PeerAddress from;
    Bytes payload;
};
struct TimerExpired {
    TimerId id;
};
class SwarmSnapshot;  // node/swarm_snapshot.hpp
/// The service-node list after a block: every active node with its swarm, one immutable snapshot
/// shared by every node that receives it (make_swarm_update builds one). Null: an empty list.
struct SwarmUpdate {
    std::uint64_t height = 0;
    std::shared_ptr<const SwarmSnapshot> snapshot;
};
using Input = std::variant<Inbound, TimerExpired, SwarmUpdate>;

struct Outbound {
    PeerAddress to;
    Bytes payload;
    /// Round trips the datagram waits for before it leaves: the TCP and TLS handshakes of a new
    /// client connection (client/connections.hpp); 0 on an open one and between nodes.
    std::uint8_t handshake_round_trips = 0;
};
struct TimerRequest {
    TimerId id;
    Timestamp at;
};

/// Application-level happenings a host turns into metrics: one struct per kind, every field
/// typed (never parsed from text). A message is named by its storage hash
/// (storage/message_hash.hpp: what a service node stores it under and a retrieve returns).
namespace app {
// ---- Service node ---------------------------------------------------------------------------
/// A node stored a message it did not hold: from a client (`replica` false: the first copy in its
/// swarm), or from a swarm peer (a replicated store or an sn.data push).
struct MessageStored {
    std::string hash;
    SessionId owner;
    std::size_t bytes = 0;
    bool replica = false;
};
/// A node refused a request (`reason`: a node_counter name).
struct RequestRejected {
    std::string_view reason;
};
// ---- Client ---------------------------------------------------------------------------------
/// A store request for one of the client's messages left (attempt 1, 2, ...).
struct MessageSent {
    std::string hash;
    std::size_t attempt = 0;
    SessionId owner;
};
/// A store got its 200; `guard`: the first hop of the path it took (unset when that path is gone).
struct StoreConfirmed {
    std::string hash;
    std::int64_t latency_ms = 0;  ///< from send_message to the reply
    std::optional<Ed25519Pubkey> guard;
};
/// The client gave up on a message (its hash is empty when it could not even be sealed).
struct StoreFailed {
    std::string hash;
    std::size_t attempts = 0;
    std::string reason;  ///< "seal failed", "clock error", the last attempt's failure
};
/// The client opened a new message for itself: shown, or held apart by message requests.
struct MessageReceived {
    std::string hash;
    AccountId sender;
    std::string body;
    std::int64_t age_ms = 0;  ///< now minus the sender's timestamp
    bool held_as_request = false;
};
struct PathBuilt {
    std::uint64_t path = 0;
    std::vector<Ed25519Pubkey> nodes;  ///< guard first
};
struct PathDropped {
    std::uint64_t path = 0;
    std::string reason;
};
/// An onion request got its reply from the destination (any status).
struct OnionRoundTrip {
    std::uint64_t path = 0;
    std::int64_t latency_ms = 0;
};
/// An onion request failed on its path: a timeout (status 0), an error status, an undecryptable reply.
struct OnionFailed {
    std::uint64_t path = 0;
    int status = 0;               ///< 0: no answer (timeout)
    std::int64_t elapsed_ms = 0;  ///< from the request to the failure
    std::string reason;
};
}  // namespace app

using AppEvent = std::variant<app::MessageStored, app::RequestRejected, app::MessageSent, app::StoreConfirmed,
                              app::StoreFailed, app::MessageReceived, app::PathBuilt, app::PathDropped,
                              app::OnionRoundTrip, app::OnionFailed>;

/// A neutral trace point: what this node could see (for adversaries; a real node ignores it).
struct Observation {
    /// looked_up: a get_swarm for `recipient` (from the previous hop, or, sent direct as a
    /// desktop guard test, from the client itself: its IP and its Account ID together).
    enum class Kind : std::uint8_t { received, relayed, stored, retrieved, looked_up };
    Kind kind;
    PeerAddress from;                    ///< previous hop or client address
    std::optional<Ed25519Pubkey> next;   ///< next hop, when relaying
    std::size_t size = 0;
    std::optional<SessionId> recipient;  ///< only where the node really learns it (store, retrieve, get_swarm)
};
/// "received", "relayed", "stored", "retrieved", "looked_up".
const char* to_string(Observation::Kind kind) noexcept;

/// Which queue an input waits in at a busy node (a host with a processor model): a client's
/// request, another node's request, or a reply to the node's own request
/// (node/service_node_queues.hpp has the storage server's rules).
enum class InputQueue : std::uint8_t { https, sn, reply };

/// The operations handling one input took: what a host with a processor model charges time for
/// (sim/host/cpu_model.hpp); a real node just does them. Counted as the real operation also for a
/// modelled flow of a sampled run (common/crypto_work.hpp), whose cipher work is skipped.
struct Work {
    std::uint32_t requests = 0;          ///< transport packets decoded (requests and replies)
    std::uint32_t onion_layers = 0;      ///< onion layers opened: X25519 + AEAD decryption
    std::uint32_t onion_replies = 0;     ///< onion replies encrypted for a client
    std::uint32_t signature_checks = 0;  ///< Ed25519 verifications of a request's signature
    std::uint32_t signatures = 0;        ///< Ed25519 signatures made (a swarm member's result)
    std::uint32_t hashes = 0;            ///< message hashes computed (BLAKE2b of a store)
    std::uint32_t db_writes = 0;         ///< stores, deletes and expiry updates applied
    std::uint32_t db_reads = 0;          ///< retrieves answered from the store
    std::uint64_t crypto_bytes = 0;      ///< bytes through AEAD layers and hashes
    Work& operator+=(const Work& o) noexcept {
        requests += o.requests;
        onion_layers += o.onion_layers;
        onion_replies += o.onion_replies;
        signature_checks += o.signature_checks;
        signatures += o.signatures;
        hashes += o.hashes;
        db_writes += o.db_writes;
        db_reads += o.db_reads;
        crypto_bytes += o.crypto_bytes;
        return *this;
    }
    bool empty() const noexcept {
        return requests == 0 && onion_layers == 0 && onion_replies == 0 && signature_checks == 0 && signatures == 0 &&
               hashes == 0 && db_writes == 0 && db_reads == 0 && crypto_bytes == 0;
    }
};

struct Effects {
    std::vector<Outbound> sends;
    std::vector<TimerRequest> timers;
    std::vector<TimerId> cancelled_timers;
    std::vector<AppEvent> events;
    std::vector<Observation> observations;
    Work work;
    bool empty() const noexcept {
        return sends.empty() && timers.empty() && cancelled_timers.empty() && events.empty() && observations.empty() &&
               work.empty();
    }
};

/// What a host needs from a node.
template <class N>
concept SansIoNode = requires(N node, const N cnode, Timestamp now, Input in) {
    { node.handle(now, std::move(in)) } -> std::same_as<void>;
    { node.take_effects() } -> std::same_as<Effects>;
};

}  // namespace sessionproto
