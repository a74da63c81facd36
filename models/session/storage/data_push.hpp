#pragma once
// The `sn.data` push: the messages a service node sends, once and unasked, to a new member of
// its swarm or of the swarm that now owns them (spec session-network §2.6; oxenss
// `sn.data`, modelled on the `sn.storage_cc` endpoint, node/README.md). Body:
// `{"push": [{"pubkey": "<66 hex>", "namespace": n, "timestamp": ms, "expiry": ms, "data": "<base64>"}, ...]}`.
//
// The decoder reads untrusted bytes and never throws: a body whose "push" is not a list is an
// error; within a list, each bad item is an error of its own (the receiver skips and counts it).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/storage/message_store.hpp"
#include "models/session/storage/namespace.hpp"

namespace sessionproto {

/// One pushed message, as the receiver stores it (no signature or swarm check: the server
/// bulk-inserts with "ON CONFLICT DO NOTHING").
struct PushItem {
    SessionId owner;
    Namespace ns = Namespace::default_ns;
    std::int64_t timestamp_ms = 0;
    std::int64_t expiry_ms = 0;
    Bytes data;
    friend bool operator==(const PushItem&, const PushItem&) = default;
};

/// The bodies of a push of `messages` (in the order given), cut so that each body's estimated
/// size (base64 data + 256 per message) stays within `batch_bytes` (a message larger than that
/// travels alone). Empty for no messages.
std::vector<std::string> encode_push_batches(const std::vector<const StoredMessage*>& messages,
                                             std::size_t batch_bytes);

/// Whether a JSON object received on `sn.storage_cc` is a push (has a "push" field) rather than a
/// forwarded storage RPC.
bool is_push(const nlohmann::json& body);

/// The items of a push body. Errors: bad_encoding when "push" is not a list. Each item is
/// its own Result: bad_encoding for a non-object, a missing or mistyped field, bad base64, a
/// namespace outside int16; bad_prefix/bad_length for a bad pubkey; too_large for oversize data.
Result<std::vector<Result<PushItem>>> parse_push(const nlohmann::json& body);

}  // namespace sessionproto
