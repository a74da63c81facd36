#pragma once
// Storage RPC requests and replies in the storage server's JSON (spec session-network §3;
// oxen-io/oxen-storage-server oxenss/rpc/client_rpc_endpoints.{h,cpp}, request_handler.cpp).
// The JSON shapes, with the source of each rule and what is left out, are in README.md.
//
// Untrusted JSON never throws here: bodies are parsed with nlohmann's non-throwing parser and every
// field's type is checked before it is read. Errors:
// - bad_encoding: not JSON, a field of the wrong type, bad base64/hex, a value out of its range;
// - missing_field: a required field is absent (or null, which the server treats as absent);
// - bad_length / bad_prefix: a pubkey that is not 66 hex characters with a known prefix;
// - too_large: data over 76,800 bytes;
// - unsupported: an unknown method, or subaccount authentication (not modelled);
// - bad_timestamp / bad_ttl / bad_signature: from validation against `now`.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/crypto_work.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/storage/member_result.hpp"
#include "models/session/storage/message_store.hpp"
#include "models/session/storage/namespace.hpp"
#include "models/session/storage/request_signature.hpp"

namespace sessionproto {

enum class RpcMethod : std::uint8_t { store, retrieve, delete_msgs, delete_all, delete_before, expire, expire_all };

/// The method's name on the wire ("store", "retrieve", "delete", ...).
std::string_view method_name(RpcMethod method) noexcept;

// ---- Requests -----------------------------------------------------------------------------

struct StoreRequest {
    SessionId pubkey;
    Namespace ns = Namespace::default_ns;
    std::int64_t timestamp_ms = 0;
    std::int64_t expiry_ms = 0;  ///< from `expiry`, or `timestamp + ttl`
    Bytes data{};
    std::optional<Ed25519Pubkey> pubkey_ed25519{};
    std::optional<Signature> signature{};
    std::optional<std::int64_t> sig_timestamp_ms{};  ///< defaults to timestamp when signed
};

struct RetrieveRequest {
    SessionId pubkey;
    Namespace ns = Namespace::default_ns;
    std::optional<std::string> last_hash{};  ///< absent or "" = from the start
    std::optional<int> max_count{};
    std::optional<int> max_size{};
    bool authenticated = false;  ///< a signature was given (then timestamp and signature are set)
    std::optional<Ed25519Pubkey> pubkey_ed25519{};
    std::int64_t timestamp_ms = 0;
    Signature signature{};
};

struct DeleteRequest {
    SessionId pubkey;
    std::optional<Ed25519Pubkey> pubkey_ed25519{};
    std::vector<std::string> messages{};
    bool required = false;  ///< reply 404 when nothing was deleted anywhere
    Signature signature{};
};

struct DeleteAllRequest {
    SessionId pubkey;
    std::optional<Ed25519Pubkey> pubkey_ed25519{};
    NamespaceSelector ns = Namespace::default_ns;
    std::int64_t timestamp_ms = 0;
    Signature signature{};
};

struct DeleteBeforeRequest {
    SessionId pubkey;
    std::optional<Ed25519Pubkey> pubkey_ed25519{};
    NamespaceSelector ns = Namespace::default_ns;
    std::int64_t before_ms = 0;
    Signature signature{};
};

struct ExpireRequest {
    SessionId pubkey;
    std::optional<Ed25519Pubkey> pubkey_ed25519{};
    std::vector<std::string> messages{};
    std::vector<std::int64_t> expiry_ms{};  ///< one for all messages, or one per message
    ExpireMode mode = ExpireMode::set;
    Signature signature{};
};

struct ExpireAllRequest {
    SessionId pubkey;
    std::optional<Ed25519Pubkey> pubkey_ed25519{};
    NamespaceSelector ns = Namespace::default_ns;
    std::int64_t expiry_ms = 0;
    Signature signature{};
};

using RpcRequest = std::variant<StoreRequest, RetrieveRequest, DeleteRequest, DeleteAllRequest, DeleteBeforeRequest,
                                ExpireRequest, ExpireAllRequest>;

RpcMethod method_of(const RpcRequest& request) noexcept;
/// The account a request is about (its `pubkey`).
const SessionId& owner_of(const RpcRequest& request) noexcept;

/// Parses `{"method": "...", "params": {...}}` (the body of storage_rpc and of an onion request's
/// final hop). Outputs: the typed request. Errors: see the top of this file.
Result<RpcRequest> parse_rpc_request(std::string_view body);
/// The same, of a body already parsed (a discarded value is "invalid json").
Result<RpcRequest> parse_rpc_json(const nlohmann::json& j);
/// Parses the params object of a named method.
Result<RpcRequest> parse_rpc_params(std::string_view method, const nlohmann::json& params);

Result<StoreRequest> parse_store(const nlohmann::json& params);
Result<RetrieveRequest> parse_retrieve(const nlohmann::json& params);
Result<DeleteRequest> parse_delete(const nlohmann::json& params);
Result<DeleteAllRequest> parse_delete_all(const nlohmann::json& params);
Result<DeleteBeforeRequest> parse_delete_before(const nlohmann::json& params);
Result<ExpireRequest> parse_expire(const nlohmann::json& params);
Result<ExpireAllRequest> parse_expire_all(const nlohmann::json& params);

// ---- Server-side validation (after parsing; the swarm check is the node's) -----------------

/// store: TTL (bad_ttl), clock (bad_timestamp), then outside public inboxes: signature required
/// (bad_signature), sig_timestamp within ±60 s (bad_timestamp), signature (bad_signature).
/// A signature sent to a public inbox is not checked, as on the server.
/// With CryptoWork::modelled (a request from a modelled flow of a sampled run) an all-zero
/// signature stands for a valid one, as for a retrieve.
Status validate(const StoreRequest& request, std::int64_t now_ms, CryptoWork work = CryptoWork::real);
/// retrieve: a signature is required except in no-auth namespaces (bad_signature); when signed,
/// timestamp within ±60 s (bad_timestamp) and the signature (bad_signature).
/// With CryptoWork::modelled (a modelled onion request in a sampled run, common/crypto_work.hpp)
/// an all-zero signature stands for a valid one and is not verified; any other is verified.
Status validate(const RetrieveRequest& request, std::int64_t now_ms, CryptoWork work = CryptoWork::real);
/// delete: the signature only (no timestamp in it).
Status validate(const DeleteRequest& request, std::int64_t now_ms);
/// delete_all: timestamp within ±60 s (±70 s when forwarded), then the signature.
Status validate(const DeleteAllRequest& request, std::int64_t now_ms, bool forwarded = false);
/// delete_before: before ≤ now + 60 s, then the signature.
Status validate(const DeleteBeforeRequest& request, std::int64_t now_ms);
/// expire_all: expiry ≥ now − 60 s (70 s forwarded), then the signature.
Status validate(const ExpireAllRequest& request, std::int64_t now_ms, bool forwarded = false);
/// expire: every expiry ≥ now − 60 s, then the signature. Outputs: the expiries to apply, each
/// capped at now + 30 days (the signature covers the requested values). CryptoWork as for a store.
Result<std::vector<std::int64_t>> validate_expire(const ExpireRequest& request, std::int64_t now_ms,
                                                  CryptoWork work = CryptoWork::real);
/// The expiries an expire that passed validate_expire applies (each capped at now + 30 days).
std::vector<std::int64_t> applied_expiries(const ExpireRequest& request, std::int64_t now_ms);

/// The HTTP status the server answers a rejected request with: 400 for parse errors, 401 for
/// signatures (and for delete_before/expire timestamps), 403 for TTLs, 406 for other timestamps,
/// 421 for the wrong swarm, 404 for not_found.
int http_status(RpcMethod method, ErrorCode code) noexcept;

/// The database limits of a retrieve: 0 means unset; neither set means max_size = −5; a negative
/// max_size −k means RETRIEVE_MAX_SIZE / k; otherwise capped at RETRIEVE_MAX_SIZE (also when only
/// max_count is given). A negative max_count is treated as unset.
RetrieveLimits effective_retrieve_limits(const RetrieveRequest& request);

// ---- Client side: building signed requests ------------------------------------------------

/// An unsigned store (for public inboxes): expiry = timestamp + ttl.
StoreRequest make_store(const SessionId& owner, Namespace ns, Bytes data, std::int64_t timestamp_ms,
                        std::int64_t ttl_ms);
/// Signs a store ("store" ‖ ns ‖ sig_timestamp); sets pubkey_ed25519 for 05 owners.
/// With CryptoWork::modelled the signature is the all-zero stand-in (no signing).
void sign_store(StoreRequest& request, const Ed25519Keypair& signer, std::int64_t sig_timestamp_ms,
                CryptoWork work = CryptoWork::real);
/// With CryptoWork::modelled the signature is the all-zero stand-in (no signing).
RetrieveRequest make_retrieve(const SessionId& owner, Namespace ns, std::string last_hash, std::int64_t now_ms,
                              const Ed25519Keypair& signer, CryptoWork work = CryptoWork::real);
DeleteRequest make_delete(const SessionId& owner, std::vector<std::string> hashes, const Ed25519Keypair& signer);
DeleteAllRequest make_delete_all(const SessionId& owner, NamespaceSelector ns, std::int64_t now_ms,
                                 const Ed25519Keypair& signer);
DeleteBeforeRequest make_delete_before(const SessionId& owner, NamespaceSelector ns, std::int64_t before_ms,
                                       const Ed25519Keypair& signer);
/// With CryptoWork::modelled the signature is the all-zero stand-in (no signing).
ExpireRequest make_expire(const SessionId& owner, std::vector<std::string> hashes, std::vector<std::int64_t> expiry_ms,
                          ExpireMode mode, const Ed25519Keypair& signer, CryptoWork work = CryptoWork::real);
ExpireAllRequest make_expire_all(const SessionId& owner, NamespaceSelector ns, std::int64_t expiry_ms,
                                 const Ed25519Keypair& signer);

/// The params object of a request, as a client sends it.
nlohmann::json to_params(const RpcRequest& request);
/// `{"method": ..., "params": ...}`, compact.
std::string rpc_body(const RpcRequest& request);

// ---- Replies ------------------------------------------------------------------------------

/// A recursive reply: per swarm member (keyed by its Ed25519 key) a result or a failure, plus the
/// server time `t`. `hash` is the store reply's top-level copy of the entry node's hash.
template <class T>
struct SwarmReply {
    std::map<Ed25519Pubkey, std::variant<T, SwarmFailure>> swarm;
    std::optional<std::string> hash;
    std::optional<std::int64_t> t_ms;
    friend bool operator==(const SwarmReply&, const SwarmReply&) = default;
};
using StoreReply = SwarmReply<StoreNodeResult>;
using DeleteReply = SwarmReply<HashListNodeResult>;  ///< delete, delete_all, delete_before ("deleted")
using ExpireAllReply = SwarmReply<HashListNodeResult>;  ///< expire_all ("updated")
using ExpireReply = SwarmReply<ExpireNodeResult>;

/// 200 unless every member failed (500), as request_handler.cpp `reply_or_fail`.
template <class T>
int reply_status(const SwarmReply<T>& reply) {
    for (const auto& [node, result] : reply.swarm) {
        if (result.index() == 0) return 200;
    }
    return 500;
}

nlohmann::json to_json(const StoreReply& reply);
Result<StoreReply> parse_store_reply(const nlohmann::json& body);
/// `key` is "deleted" (delete, delete_all, delete_before) or "updated" (expire_all).
nlohmann::json to_json(const SwarmReply<HashListNodeResult>& reply, std::string_view key);
Result<SwarmReply<HashListNodeResult>> parse_hash_list_reply(const nlohmann::json& body, std::string_view key);
nlohmann::json to_json(const ExpireReply& reply);
Result<ExpireReply> parse_expire_reply(const nlohmann::json& body);

/// A retrieved message: hash, timestamp, expiry ("expiration" on the wire), data.
struct RetrievedMessage {
    std::string hash;
    std::int64_t timestamp_ms = 0;
    std::int64_t expiry_ms = 0;
    Bytes data;
    friend bool operator==(const RetrievedMessage&, const RetrievedMessage&) = default;
};
struct RetrieveReply {
    std::vector<RetrievedMessage> messages;
    bool more = false;
    std::optional<std::int64_t> t_ms;
    friend bool operator==(const RetrieveReply&, const RetrieveReply&) = default;
};
RetrieveReply make_retrieve_reply(const RetrieveResult& result, std::int64_t now_ms);
nlohmann::json to_json(const RetrieveReply& reply);
Result<RetrieveReply> parse_retrieve_reply(const nlohmann::json& body);

// ---- Swarm members' reply signatures (signed with the node's Ed25519 key) -------------------

/// store: the hash text.
std::string store_result_signed_text(std::string_view hash);
/// delete: owner hex ‖ requested hashes ‖ deleted hashes.
std::string delete_result_signed_text(const SessionId& owner, const std::vector<std::string>& requested,
                                      const std::vector<std::string>& deleted);
/// delete_all / delete_before / expire_all: owner hex ‖ number (timestamp, before, expiry) ‖ the
/// affected hashes sorted (across namespaces for "all").
std::string hash_list_result_signed_text(const SessionId& owner, std::int64_t number,
                                         const std::vector<std::string>& sorted_hashes);
/// expire: owner hex ‖ expiries ‖ requested ‖ updated ‖ (hash ‖ expiry of each unchanged, by hash).
std::string expire_result_signed_text(const SessionId& owner, const std::vector<std::int64_t>& expiries,
                                      const std::vector<std::string>& requested,
                                      const std::vector<std::string>& updated,
                                      const std::map<std::string, std::int64_t>& unchanged);

}  // namespace sessionproto
