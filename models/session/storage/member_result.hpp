#pragma once
// One swarm member's result in a recursive storage RPC reply (store, delete*, expire*), and the
// failure entry that stands in for a member that did not answer: the value under
// `swarm[<member's Ed25519 hex>]` (spec session-network §3.1; oxenss request_handler.cpp). The
// entry node builds its own entry and each peer answers `sn.storage_cc` with its entry; the
// whole reply (rpc.hpp `SwarmReply`) is these entries keyed by member.
//
// Decoders never throw on hostile JSON; errors as rpc.hpp (bad_encoding, missing_field).
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "models/session/common/result.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/storage/namespace.hpp"

namespace sessionproto {

/// A swarm member's failure entry in a recursive reply ("failed": true and details).
struct SwarmFailure {
    bool timeout = false;
    std::optional<int> code;
    std::optional<std::string> reason;
    bool bad_peer_response = false;
    bool query_failure = false;
    friend bool operator==(const SwarmFailure&, const SwarmFailure&) = default;
};

/// One member's store result: the hash, the node's signature of the hash text, the expiry, and
/// `already` when the hash was stored before.
struct StoreNodeResult {
    std::string hash;
    Signature signature{};
    std::int64_t expiry_ms = 0;
    bool already = false;
    friend bool operator==(const StoreNodeResult&, const StoreNodeResult&) = default;
};

/// One member's result of delete / delete_all / delete_before / expire_all: the affected hashes
/// (one list, or per namespace for "all") and the node's signature.
struct HashListNodeResult {
    std::variant<std::vector<std::string>, std::map<Namespace, std::vector<std::string>>> hashes;
    Signature signature{};
    friend bool operator==(const HashListNodeResult&, const HashListNodeResult&) = default;
};

/// One member's expire result.
struct ExpireNodeResult {
    std::vector<std::string> updated;
    std::vector<std::int64_t> expiry_ms;  ///< one value (single-expiry request) or one per updated hash
    bool multi = false;                    ///< the request had several expiries: "expiry" is a list
    std::optional<std::map<std::string, std::int64_t>> unchanged;  ///< present with shorten/extend
    Signature signature{};
    friend bool operator==(const ExpireNodeResult&, const ExpireNodeResult&) = default;
};

/// `{"failed": true, "timeout"?, "code"?, "reason"?, "bad_peer_response"?, "query_failure"?}`.
nlohmann::json to_json(const SwarmFailure& failure);
/// `{"hash", "signature", "expiry", "already"?}`.
nlohmann::json to_json(const StoreNodeResult& result);
/// `{<key>: [hashes] | {"<ns>": [hashes]}, "signature"}`; `key` is "deleted" or "updated".
nlohmann::json to_json(const HashListNodeResult& result, std::string_view key);
/// `{"updated", "expiry": ms | [ms], "unchanged"?, "signature"}`.
nlohmann::json to_json(const ExpireNodeResult& result);

/// The details of a failure entry (the caller has seen `"failed": true`).
Result<SwarmFailure> parse_swarm_failure(const nlohmann::json& entry);
Result<StoreNodeResult> parse_store_result(const nlohmann::json& entry);
Result<HashListNodeResult> parse_hash_list_result(const nlohmann::json& entry, std::string_view key);
Result<ExpireNodeResult> parse_expire_result(const nlohmann::json& entry);

/// A member entry that counts as a failure: not an object, or `"failed": true`.
bool is_failure_entry(const nlohmann::json& entry);

// ---- The entry node's reply, written from its members' entries --------------------------------

/// One member's entry as compact JSON text, ready to nest in the reply, and whether it is a
/// failure entry (is_failure_entry).
struct MemberEntryText {
    std::string text;
    bool failed = false;
    friend bool operator==(const MemberEntryText&, const MemberEntryText&) = default;
};
/// An entry written here (this node's own result, or a failure standing for a peer).
MemberEntryText member_entry_text(const nlohmann::json& entry);
/// A peer's 200 answer to sn.storage_cc as the entry the storage server nests (it parses the
/// answer and writes it back): canonical text (common/canonical_json.hpp) as it came, any other
/// JSON object parsed and written back; not an object: nullopt (a bad peer response).
std::optional<MemberEntryText> member_entry_from_peer(std::string_view body);
/// The entry node's reply to a recursive request, compact, byte for byte what dump() writes of
/// `{"hash"?: top_hash, "swarm": {<member hex>: entry, ...}, "t": t_ms}` (keys sorted as
/// nlohmann::json sorts them), built by nesting the entries' texts.
std::string swarm_reply_text(const std::map<Ed25519Pubkey, MemberEntryText>& entries,
                             const std::optional<std::string>& top_hash, std::int64_t t_ms);

}  // namespace sessionproto
