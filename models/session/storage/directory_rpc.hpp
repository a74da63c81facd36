#pragma once
// The directory RPCs: how a client learns the network from service nodes (spec session-network
// §4.1, §4.2; node/CLIENT.md "RPC shapes"). Both are storage RPC bodies on `/storage_rpc/v1` or
// inside an onion request:
// - `get_swarm`: `{"method":"get_swarm","params":{"pubkey":"05<64 hex>"}}` → 200
//   `{"snodes":[{"ip","port","port_omq","pubkey_ed25519","pubkey_x25519"}...],"swarm":"<hex id>"}`
//   (oxenss; the same body is a 421 wrong-swarm answer);
// - `oxend_request` proxying oxend's `get_service_nodes` → 200
//   `{"result":{"service_node_states":[{"public_ip","storage_port","pubkey_ed25519","pubkey_x25519","swarm_id"}...]}}`.
//
// Requests are built by the client and answered by the node; replies are built by the node
// (service_node.cpp, swarm_snapshot.cpp) and parsed by the client. The parsers read untrusted
// bytes: they never throw, drop malformed entries (and IP 0.0.0.0, as desktop snodePool.ts) and
// fail (bad_encoding) only when the body is not the expected object or no entry survives.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/node/io.hpp"
#include "models/session/swarm/swarm_space.hpp"

namespace sessionproto {

// ---- Requests (client) ----------------------------------------------------------------------------

/// The get_swarm body for `pubkey`.
std::string get_swarm_request(const SessionId& pubkey);
/// The pool request (seed and refresh): oxenss `oxend_request` proxying oxend's
/// `get_service_nodes` with the fields desktop asks for (getServiceNodesList.ts), plus swarm_id.
std::string get_service_nodes_request();

// ---- Requests (node) -------------------------------------------------------------------------------

/// The pubkey of get_swarm's params. Errors: bad_encoding/missing_field/bad_length/bad_prefix
/// (message "get_swarm: pubkey must be a 66-character ID").
Result<SessionId> parse_get_swarm_params(const nlohmann::json& params);
/// oxend_request's params: only `{"endpoint": "get_service_nodes", ...}` is served. Errors:
/// unsupported ("oxend_request: only get_service_nodes is served").
Status parse_oxend_request_params(const nlohmann::json& params);

// ---- Replies (node) --------------------------------------------------------------------------------

/// The get_swarm / 421 body: `members` in the order given, `swarm` as hex ("" when none).
std::string get_swarm_reply(std::span<const SnodeRecord> members, std::optional<SwarmId> swarm);
/// The JSON array of oxend's service_node_states for `nodes`, in the order given.
std::string service_node_states_json(std::span<const SnodeRecord> nodes);
/// `{"result":{"service_node_states":<states>}}` around a states array from service_node_states_json.
std::string get_service_nodes_reply(std::string_view states_json);

// ---- Replies (client) ------------------------------------------------------------------------------

/// `{"snodes": [{"ip", "port" | "port_https", "pubkey_ed25519", "pubkey_x25519", ...}], "swarm"?: hex}`:
/// the members, each with the swarm id when `swarm` is a hex id. `port` may be a string or a number;
/// extra fields are ignored.
Result<std::vector<SnodeRecord>> parse_get_swarm_reply(std::string_view body);
/// `{"result": {"service_node_states": [...]}}`, or a bare `{"service_node_states": [...]}`;
/// `swarm_id` is optional.
Result<std::vector<SnodeRecord>> parse_get_service_nodes_reply(std::string_view body);

/// "a.b.c.d" with decimal parts 0..255 (no sign, at most 3 digits each), host byte order.
std::optional<std::uint32_t> parse_ipv4(std::string_view text);

}  // namespace sessionproto
