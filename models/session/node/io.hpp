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
};
struct TimerRequest {
    TimerId id;
    Timestamp at;
};

/// Application-level happenings a host turns into metrics (typed, never parsed from logs).
struct AppEvent {
    enum class Kind : std::uint8_t {
        message_stored,     ///< a node stored a new message (first copy on this node)
        message_replicated, ///< a node stored a message received from a swarm peer
        message_sent,       ///< a client handed a message to the network (a store request left)
        store_confirmed,    ///< a client's store got a 200 reply
        store_failed,       ///< a client gave up on a store (retries exhausted)
        message_delivered,  ///< a client decrypted a new message for itself
        message_request,    ///< ... from a sender it has not approved, held apart (message requests)
        path_built,
        path_dropped,
        onion_round_trip,   ///< a client's onion request got its reply (value = latency ms)
        onion_failed,
        request_rejected,   ///< a node refused a request (reason in `detail`)
    };
    Kind kind;
    std::string id;          ///< message hash, path id, ... (meaning per kind)
    std::int64_t value = 0;  ///< a latency in ms, a size in bytes, ... (meaning per kind)
    std::string detail;
};

/// A neutral trace point: what this node could see (for adversaries; a real node ignores it).
struct Observation {
    enum class Kind : std::uint8_t { received, relayed, stored, retrieved };
    Kind kind;
    PeerAddress from;                    ///< previous hop or client address
    std::optional<Ed25519Pubkey> next;   ///< next hop, when relaying
    std::size_t size = 0;
    std::optional<SessionId> recipient;  ///< only where the node really learns it (store, retrieve)
};
/// "received", "relayed", "stored", "retrieved".
const char* to_string(Observation::Kind kind) noexcept;

struct Effects {
    std::vector<Outbound> sends;
    std::vector<TimerRequest> timers;
    std::vector<TimerId> cancelled_timers;
    std::vector<AppEvent> events;
    std::vector<Observation> observations;
    bool empty() const noexcept {
        return sends.empty() && timers.empty() && cancelled_timers.empty() && events.empty() && observations.empty();
    }
};

/// What a host needs from a node.
template <class N>
concept SansIoNode = requires(N node, const N cnode, Timestamp now, Input in) {
    { node.handle(now, std::move(in)) } -> std::same_as<void>;
    { node.take_effects() } -> std::same_as<Effects>;
};

}  // namespace sessionproto
