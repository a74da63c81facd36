#include "models/session/storage/rpc.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <type_traits>
#include <limits>

#include "models/session/storage/json_fields.hpp"
#include "models/session/storage/limits.hpp"
#include "models/session/storage/message_hash.hpp"

namespace sessionproto {

using nlohmann::json;
using namespace json_field;

namespace {

// ---- Field access: each returns nullopt when absent or null (the server's "omitted") ----------

// A timestamp: a non-negative JSON integer in milliseconds, at least 1,000,000 s after the epoch
// (client_rpc_endpoints.cpp parse_field for time_point).
// JSON text gives a non-negative integer nlohmann's unsigned type; a json built in memory may hold
// it as a signed one: both are accepted, negative values are not.
bool is_non_negative_integer(const json& v) {
    return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
}

Result<std::int64_t> timestamp_value(const json& v, std::string_view name) {
    if (!is_non_negative_integer(v)) return wrong_type(name, "integer timestamp (in milliseconds)");
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return wrong_type(name, "integer timestamp (in milliseconds)");
    }
    const auto ms = static_cast<std::int64_t>(u);
    if (ms < MIN_TIMESTAMP_MS) {
        std::string m = "Invalid timestamp for '";
        m.append(name);
        m.append("': timestamp must be in milliseconds");
        return Error{ErrorCode::bad_timestamp, std::move(m)};
    }
    return ms;
}

Result<std::optional<std::int64_t>> opt_timestamp(const json& params, const char* name) {
    const json* f = find_field(params, name);
    if (f == nullptr) return std::optional<std::int64_t>{};
    auto v = timestamp_value(*f, name);
    if (!v.ok()) return v.error();
    return std::optional<std::int64_t>(*v);
}

// Integer or stringified integer (store's `timestamp` and `ttl`, for backwards compatibility).
template <class T>
Result<std::optional<T>> opt_stringified(const json& params, const char* name) {
    const json* f = find_field(params, name);
    if (f == nullptr) return std::optional<T>{};
    if (f->is_string()) {
        const std::string& s = f->get_ref<const std::string&>();
        T value{};
        const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) {
            std::string m = "Invalid value given for '";
            m.append(name);
            m.append("'");
            return Error{ErrorCode::bad_encoding, std::move(m)};
        }
        return std::optional<T>(value);
    }
    if constexpr (std::is_unsigned_v<T>) {
        if (!is_non_negative_integer(*f)) return wrong_type(name, "positive integer");
        return std::optional<T>(f->get<T>());
    } else {
        if (f->is_number_unsigned()) {
            const auto u = f->get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return wrong_type(name, "integer");
            return std::optional<T>(static_cast<T>(u));
        }
        if (!f->is_number_integer()) return wrong_type(name, "integer");
        return std::optional<T>(f->get<T>());
    }
}

Result<std::optional<Namespace>> opt_namespace(const json& params, const char* name) {
    const json* f = find_field(params, name);
    if (f == nullptr) return std::optional<Namespace>{};
    if (!f->is_number_integer()) return wrong_type(name, "16-bit integer");
    std::int64_t v = 0;
    if (f->is_number_unsigned()) {
        const auto u = f->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(NAMESPACE_MAX)) return Error{ErrorCode::bad_encoding, "namespace out of range"};
        v = static_cast<std::int64_t>(u);
    } else {
        v = f->get<std::int64_t>();
    }
    auto ns = namespace_from_int(v);
    if (!ns.ok()) return ns.error();
    return std::optional<Namespace>(*ns);
}

Result<NamespaceSelector> namespace_selector(const json& params, const char* name) {
    const json* f = find_field(params, name);
    if (f == nullptr) return NamespaceSelector{Namespace::default_ns};
    if (f->is_string()) {
        if (f->get_ref<const std::string&>() == "all") return NamespaceSelector{AllNamespaces{}};
        return wrong_type(name, "integer or \"all\"");
    }
    auto ns = opt_namespace(params, name);
    if (!ns.ok()) return ns.error();
    return NamespaceSelector{**ns};
}

// A list of strings, or a single string (becoming a one-element list).
Result<std::optional<std::vector<std::string>>> opt_string_list(const json& params, const char* name) {
    const json* f = find_field(params, name);
    if (f == nullptr) return std::optional<std::vector<std::string>>{};
    std::vector<std::string> out;
    if (f->is_string()) {
        out.push_back(f->get<std::string>());
    } else if (f->is_array()) {
        for (const auto& x : *f) {
            if (!x.is_string()) return wrong_type(name, "string array");
            out.push_back(x.get<std::string>());
        }
    } else {
        return wrong_type(name, "string array");
    }
    return std::optional<std::vector<std::string>>(std::move(out));
}

// A list of timestamps, or a single one.
Result<std::optional<std::vector<std::int64_t>>> opt_timestamp_list(const json& params, const char* name) {
    const json* f = find_field(params, name);
    if (f == nullptr) return std::optional<std::vector<std::int64_t>>{};
    std::vector<std::int64_t> out;
    if (f->is_array()) {
        for (const auto& x : *f) {
            if (!is_non_negative_integer(x)) return wrong_type(name, "timestamp array");
            const auto u = x.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                return wrong_type(name, "timestamp array");
            }
            out.push_back(static_cast<std::int64_t>(u));
        }
    } else {
        auto v = timestamp_value(*f, name);
        if (!v.ok()) return v.error();
        out.push_back(*v);
    }
    return std::optional<std::vector<std::int64_t>>(std::move(out));
}

// `pubkey` (and its legacy alias `pubKey` where the server accepts it): 66 hex characters.
Result<SessionId> load_pubkey(const json& params, bool allow_alias) {
    auto pk = opt_string(params, "pubkey");
    if (!pk.ok()) return pk.error();
    std::optional<std::string> value = *pk;
    if (allow_alias) {
        auto alt = opt_string(params, "pubKey");
        if (!alt.ok()) return alt.error();
        if (value && *alt) return Error{ErrorCode::bad_encoding, "Cannot specify both 'pubkey' and 'pubKey'"};
        if (!value) value = *alt;
    }
    if (!value) return missing("pubkey");
    return SessionId::parse(*value);
}

// The signature fields (client_rpc_endpoints.cpp load_pk_signature): `signature` is required,
// 86 base64 characters or 88 ending "=="; `pubkey_ed25519` only for 05 IDs, 64 hex characters.
struct SigFields {
    std::optional<Ed25519Pubkey> pubkey_ed25519;
    Signature signature{};
};

Result<SigFields> load_signature(const json& params, const SessionId& owner) {
    auto sub = find_field(params, "subaccount");
    if (sub != nullptr && !(sub->is_string() && sub->get_ref<const std::string&>().empty())) {
        return Error{ErrorCode::unsupported, "subaccount authentication is not modelled"};
    }
    SigFields out;
    auto pk_ed = opt_string(params, "pubkey_ed25519");
    if (!pk_ed.ok()) return pk_ed.error();
    if (*pk_ed) {
        if (owner.prefix() != IdPrefix::standard) {
            return Error{ErrorCode::bad_prefix, "pubkey_ed25519 is only permitted for 05[...] pubkeys"};
        }
        if ((*pk_ed)->size() != 64) {
            return Error{ErrorCode::bad_length, "Invalid pubkey_ed25519: expected 64 hex char pubkey"};
        }
        auto key = Ed25519Pubkey::from_hex(**pk_ed);
        if (!key.ok()) return Error{ErrorCode::bad_encoding, "invalid pubkey_ed25519: value is not hex"};
        out.pubkey_ed25519 = *key;
    }
    auto sig = opt_string(params, "signature");
    if (!sig.ok()) return sig.error();
    if (!*sig) return missing("signature");
    auto parsed = signature_from_base64(**sig);
    if (!parsed.ok()) return parsed.error();
    out.signature = *parsed;
    return out;
}

Status check_hashes(const std::vector<std::string>& hashes) {
    if (hashes.empty()) return Error{ErrorCode::missing_field, "messages does not contain any message hashes"};
    for (const auto& h : hashes) {
        if (!is_valid_message_hash(h)) {
            std::string m = "invalid message hash: ";
            m.append(h.substr(0, 64));
            return Error{ErrorCode::bad_encoding, std::move(m)};
        }
    }
    return Ok{};
}

Status verify(const SessionId& owner, const std::optional<Ed25519Pubkey>& pk_ed, const Signature& sig,
              const std::string& text) {
    return verify_request_signature(owner, pk_ed, sig, text);
}

std::optional<Ed25519Pubkey> signer_ed_for(const SessionId& owner, const Ed25519Keypair& signer) {
    if (owner.prefix() == IdPrefix::standard) return signer.pub;
    return std::nullopt;
}

json namespace_json(const NamespaceSelector& ns) {
    if (std::holds_alternative<AllNamespaces>(ns)) return "all";
    return to_int(std::get<Namespace>(ns));
}

void put_auth(json& p, const SessionId& owner, const std::optional<Ed25519Pubkey>& pk_ed, const Signature& sig) {
    p["pubkey"] = owner.hex();
    if (pk_ed) p["pubkey_ed25519"] = pk_ed->hex();
    p["signature"] = signature_to_base64(sig);
}

}  // namespace

std::string_view method_name(RpcMethod method) noexcept {
    switch (method) {
        case RpcMethod::store: return "store";
        case RpcMethod::retrieve: return "retrieve";
        case RpcMethod::delete_msgs: return "delete";
        case RpcMethod::delete_all: return "delete_all";
        case RpcMethod::delete_before: return "delete_before";
        case RpcMethod::expire: return "expire";
        case RpcMethod::expire_all: return "expire_all";
    }
    return "unknown";
}

const SessionId& owner_of(const RpcRequest& request) noexcept {
    return std::visit([](const auto& r) -> const SessionId& { return r.pubkey; }, request);
}

RpcMethod method_of(const RpcRequest& request) noexcept {
    static constexpr RpcMethod BY_INDEX[] = {RpcMethod::store,         RpcMethod::retrieve, RpcMethod::delete_msgs,
                                             RpcMethod::delete_all,    RpcMethod::delete_before,
                                             RpcMethod::expire,        RpcMethod::expire_all};
    return BY_INDEX[request.index()];
}

// ---- Parsing ------------------------------------------------------------------------------

Result<StoreRequest> parse_store(const json& params) {
    if (!params.is_object()) return Error{ErrorCode::bad_encoding, "params must be an object"};
    SP_TRY(data, opt_string(params, "data"));
    SP_TRY(expiry, opt_timestamp(params, "expiry"));
    SP_TRY(ns, opt_namespace(params, "namespace"));
    SP_TRY(sig_ts, opt_timestamp(params, "sig_timestamp"));
    SP_TRY(timestamp, opt_stringified<std::int64_t>(params, "timestamp"));
    SP_TRY(ttl, opt_stringified<std::uint64_t>(params, "ttl"));
    if (!*timestamp) return missing("timestamp");
    if (*expiry && *ttl) return Error{ErrorCode::bad_encoding, "Cannot specify both 'expiry' and 'ttl'"};
    if (!*expiry && !*ttl) return Error{ErrorCode::missing_field, "Required field 'expiry' or 'ttl' missing"};
    std::int64_t expiry_ms = 0;
    if (*expiry) {
        expiry_ms = **expiry;
    } else {
        const std::uint64_t t = **ttl;
        if (t > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() - **timestamp) ||
            **timestamp < 0) {
            return Error{ErrorCode::bad_ttl, "ttl out of range"};
        }
        expiry_ms = **timestamp + static_cast<std::int64_t>(t);
    }
    SP_TRY(pubkey, load_pubkey(params, true));
    StoreRequest r{.pubkey = *pubkey};
    r.timestamp_ms = **timestamp;
    r.expiry_ms = expiry_ms;
    if (*ns) r.ns = **ns;
    SP_TRY(has_sig, opt_string(params, "signature"));
    if (*has_sig) {
        SP_TRY(sig, load_signature(params, r.pubkey));
        r.pubkey_ed25519 = sig->pubkey_ed25519;
        r.signature = sig->signature;
        r.sig_timestamp_ms = sig_ts->value_or(r.timestamp_ms);
    }
    if (!*data) return missing("data");
    if ((*data)->size() > MAX_MESSAGE_BODY_BASE64) {
        return Error{ErrorCode::too_large, "Message body exceeds maximum allowed length of 76800 bytes"};
    }
    auto raw = from_base64(**data);
    if (!raw) return Error{ErrorCode::bad_encoding, "Invalid 'data' value: not base64 encoded"};
    SP_TRY(size_ok, check_message_size(raw->size()));
    r.data = std::move(*raw);
    return r;
}

Result<RetrieveRequest> parse_retrieve(const json& params) {
    if (!params.is_object()) return Error{ErrorCode::bad_encoding, "params must be an object"};
    SP_TRY(last_hash_alt, opt_string(params, "lastHash"));
    SP_TRY(last_hash, opt_string(params, "last_hash"));
    SP_TRY(max_count, opt_int(params, "max_count"));
    SP_TRY(max_size, opt_int(params, "max_size"));
    SP_TRY(ns, opt_namespace(params, "namespace"));
    SP_TRY(pk_ed, opt_string(params, "pubkey_ed25519"));
    SP_TRY(sig, opt_string(params, "signature"));
    SP_TRY(ts, opt_timestamp(params, "timestamp"));
    SP_TRY(pubkey, load_pubkey(params, true));
    RetrieveRequest r{.pubkey = *pubkey};
    if (*pk_ed || *sig || *ts || (*ns && !is_noauth_retrieve(**ns))) {
        SP_TRY(fields, load_signature(params, r.pubkey));
        if (!*ts) return missing("timestamp");
        r.pubkey_ed25519 = fields->pubkey_ed25519;
        r.signature = fields->signature;
        r.timestamp_ms = **ts;
        r.authenticated = true;
    }
    if (*ns) r.ns = **ns;
    if (*last_hash && *last_hash_alt) return Error{ErrorCode::bad_encoding, "Cannot specify both 'last_hash' and 'lastHash'"};
    std::optional<std::string> lh = *last_hash ? *last_hash : *last_hash_alt;
    if (lh) {
        if (lh->empty()) {
            lh.reset();
        } else if (lh->size() != MESSAGE_HASH_LENGTH) {
            return Error{ErrorCode::bad_length, "Invalid last_hash: expected base64 (43 chars)"};
        } else if (!is_valid_message_hash(*lh)) {
            return Error{ErrorCode::bad_encoding, "Invalid last_hash: not base64"};
        }
    }
    r.last_hash = std::move(lh);
    r.max_count = *max_count;
    r.max_size = *max_size;
    return r;
}

Result<DeleteRequest> parse_delete(const json& params) {
    if (!params.is_object()) return Error{ErrorCode::bad_encoding, "params must be an object"};
    SP_TRY(messages, opt_string_list(params, "messages"));
    SP_TRY(required, opt_bool(params, "required"));
    SP_TRY(pubkey, load_pubkey(params, false));
    SP_TRY(fields, load_signature(params, *pubkey));
    if (!*messages) return missing("messages");
    SP_TRY(hashes_ok, check_hashes(**messages));
    DeleteRequest r{.pubkey = *pubkey};
    r.pubkey_ed25519 = fields->pubkey_ed25519;
    r.signature = fields->signature;
    r.messages = std::move(**messages);
    r.required = required->value_or(false);
    return r;
}

Result<DeleteAllRequest> parse_delete_all(const json& params) {
    if (!params.is_object()) return Error{ErrorCode::bad_encoding, "params must be an object"};
    SP_TRY(ns, namespace_selector(params, "namespace"));
    SP_TRY(ts, opt_timestamp(params, "timestamp"));
    SP_TRY(pubkey, load_pubkey(params, false));
    SP_TRY(fields, load_signature(params, *pubkey));
    if (!*ts) return missing("timestamp");
    DeleteAllRequest r{.pubkey = *pubkey};
    r.pubkey_ed25519 = fields->pubkey_ed25519;
    r.signature = fields->signature;
    r.ns = *ns;
    r.timestamp_ms = **ts;
    return r;
}

Result<DeleteBeforeRequest> parse_delete_before(const json& params) {
    if (!params.is_object()) return Error{ErrorCode::bad_encoding, "params must be an object"};
    SP_TRY(before, opt_timestamp(params, "before"));
    SP_TRY(ns, namespace_selector(params, "namespace"));
    SP_TRY(pubkey, load_pubkey(params, false));
    SP_TRY(fields, load_signature(params, *pubkey));
    if (!*before) return missing("before");
    DeleteBeforeRequest r{.pubkey = *pubkey};
    r.pubkey_ed25519 = fields->pubkey_ed25519;
    r.signature = fields->signature;
    r.ns = *ns;
    r.before_ms = **before;
    return r;
}

Result<ExpireAllRequest> parse_expire_all(const json& params) {
    if (!params.is_object()) return Error{ErrorCode::bad_encoding, "params must be an object"};
    SP_TRY(expiry, opt_timestamp(params, "expiry"));
    SP_TRY(ns, namespace_selector(params, "namespace"));
    SP_TRY(pubkey, load_pubkey(params, false));
    SP_TRY(fields, load_signature(params, *pubkey));
    if (!*expiry) return missing("expiry");
    ExpireAllRequest r{.pubkey = *pubkey};
    r.pubkey_ed25519 = fields->pubkey_ed25519;
    r.signature = fields->signature;
    r.ns = *ns;
    r.expiry_ms = **expiry;
    return r;
}

Result<ExpireRequest> parse_expire(const json& params) {
    if (!params.is_object()) return Error{ErrorCode::bad_encoding, "params must be an object"};
    SP_TRY(expiry, opt_timestamp_list(params, "expiry"));
    SP_TRY(extend, opt_bool(params, "extend"));
    SP_TRY(messages, opt_string_list(params, "messages"));
    SP_TRY(shorten, opt_bool(params, "shorten"));
    SP_TRY(pubkey, load_pubkey(params, false));
    SP_TRY(fields, load_signature(params, *pubkey));
    if (!*expiry) return missing("expiry");
    if ((*expiry)->empty()) return Error{ErrorCode::missing_field, "'expiry' does not contain any expiration timestamps"};
    const bool s = shorten->value_or(false);
    const bool e = extend->value_or(false);
    if (s && e) return Error{ErrorCode::bad_encoding, "cannot specify both 'shorten' and 'extend'"};
    if (!*messages) return missing("messages");
    if ((*messages)->empty()) return Error{ErrorCode::missing_field, "messages does not contain any message hashes"};
    if ((*expiry)->size() > 1 && (*expiry)->size() != (*messages)->size()) {
        return Error{ErrorCode::bad_length, "'expiry' must be a single expiry, or the same length as 'messages'"};
    }
    SP_TRY(hashes_ok, check_hashes(**messages));
    ExpireRequest r{.pubkey = *pubkey};
    r.pubkey_ed25519 = fields->pubkey_ed25519;
    r.signature = fields->signature;
    r.messages = std::move(**messages);
    r.expiry_ms = std::move(**expiry);
    r.mode = s ? ExpireMode::shorten : e ? ExpireMode::extend : ExpireMode::set;
    return r;
}

Result<RpcRequest> parse_rpc_params(std::string_view method, const json& params) {
    auto wrap = [](auto result) -> Result<RpcRequest> {
        if (!result.ok()) return result.error();
        return RpcRequest{std::move(result).value()};
    };
    if (method == "store") return wrap(parse_store(params));
    if (method == "retrieve") return wrap(parse_retrieve(params));
    if (method == "delete") return wrap(parse_delete(params));
    if (method == "delete_all") return wrap(parse_delete_all(params));
    if (method == "delete_before") return wrap(parse_delete_before(params));
    if (method == "expire") return wrap(parse_expire(params));
    if (method == "expire_all") return wrap(parse_expire_all(params));
    std::string m = "no method ";
    m.append(method.substr(0, 64));
    return Error{ErrorCode::unsupported, std::move(m)};
}

Result<RpcRequest> parse_rpc_request(std::string_view body) {
    return parse_rpc_json(json::parse(body, nullptr, false));
}

Result<RpcRequest> parse_rpc_json(const json& j) {
    if (j.is_discarded() || !j.is_object()) return Error{ErrorCode::bad_encoding, "invalid json"};
    auto method = j.find("method");
    if (method == j.end() || !method->is_string()) {
        return Error{ErrorCode::missing_field, "invalid json: no `method` field"};
    }
    auto params = j.find("params");
    if (params == j.end() || !params->is_object()) {
        return Error{ErrorCode::missing_field, "invalid json: no `params` field"};
    }
    return parse_rpc_params(method->get_ref<const std::string&>(), *params);
}

// ---- Validation ---------------------------------------------------------------------------

Status validate(const StoreRequest& r, std::int64_t now_ms, CryptoWork work) {
    SP_TRY(ttl, check_store_ttl(r.ns, r.timestamp_ms, r.expiry_ms));
    SP_TRY(clock, check_store_clock(r.timestamp_ms, r.expiry_ms, now_ms));
    if (is_public_inbox(r.ns)) return Ok{};
    if (!r.signature) {
        return Error{ErrorCode::bad_signature, "store: signature required to store to namespace " +
                                                   std::to_string(to_int(r.ns))};
    }
    const std::int64_t sig_ts = r.sig_timestamp_ms.value_or(r.timestamp_ms);
    SP_TRY(window, check_signature_timestamp(sig_ts, now_ms));
    if (work == CryptoWork::modelled && all_zero(r.signature->view())) return Ok{};
    return verify(r.pubkey, r.pubkey_ed25519, *r.signature, store_signed_text(r.ns, sig_ts));
}

Status validate(const RetrieveRequest& r, std::int64_t now_ms, CryptoWork work) {
    if (!r.authenticated) {
        if (is_noauth_retrieve(r.ns)) return Ok{};
        return Error{ErrorCode::bad_signature, "retrieve: request signature required"};
    }
    SP_TRY(window, check_signature_timestamp(r.timestamp_ms, now_ms));
    if (work == CryptoWork::modelled && all_zero(r.signature.view())) return Ok{};
    return verify(r.pubkey, r.pubkey_ed25519, r.signature, retrieve_signed_text(r.ns, r.timestamp_ms));
}

Status validate(const DeleteRequest& r, std::int64_t /*now_ms*/) {
    return verify(r.pubkey, r.pubkey_ed25519, r.signature, delete_signed_text(r.messages));
}

Status validate(const DeleteAllRequest& r, std::int64_t now_ms, bool forwarded) {
    SP_TRY(window, check_signature_timestamp(r.timestamp_ms, now_ms, forwarded));
    return verify(r.pubkey, r.pubkey_ed25519, r.signature, delete_all_signed_text(r.ns, r.timestamp_ms));
}

Status validate(const DeleteBeforeRequest& r, std::int64_t now_ms) {
    SP_TRY(window, check_delete_before(r.before_ms, now_ms));
    return verify(r.pubkey, r.pubkey_ed25519, r.signature, delete_before_signed_text(r.ns, r.before_ms));
}

Status validate(const ExpireAllRequest& r, std::int64_t now_ms, bool forwarded) {
    SP_TRY(window, check_expire_all(r.expiry_ms, now_ms, forwarded));
    return verify(r.pubkey, r.pubkey_ed25519, r.signature, expire_all_signed_text(r.ns, r.expiry_ms));
}

Result<std::vector<std::int64_t>> validate_expire(const ExpireRequest& r, std::int64_t now_ms, CryptoWork work) {
    for (const auto e : r.expiry_ms) {
        SP_TRY(a, expire_applied_expiry(e, now_ms));
    }
    if (work != CryptoWork::modelled || !all_zero(r.signature.view())) {
        SP_TRY(sig, verify(r.pubkey, r.pubkey_ed25519, r.signature, expire_signed_text(r.mode, r.expiry_ms, r.messages)));
    }
    return applied_expiries(r, now_ms);
}

std::vector<std::int64_t> applied_expiries(const ExpireRequest& r, std::int64_t now_ms) {
    std::vector<std::int64_t> applied;
    applied.reserve(r.expiry_ms.size());
    for (const auto e : r.expiry_ms) {
        auto a = expire_applied_expiry(e, now_ms);
        if (a) applied.push_back(*a);
    }
    return applied;
}

int http_status(RpcMethod method, ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::bad_signature: return 401;
        case ErrorCode::bad_ttl: return 403;
        case ErrorCode::bad_timestamp:
            return (method == RpcMethod::delete_before || method == RpcMethod::expire) ? 401 : 406;
        case ErrorCode::wrong_swarm: return 421;
        case ErrorCode::not_found: return 404;
        default: return 400;
    }
}

RetrieveLimits effective_retrieve_limits(const RetrieveRequest& r) {
    std::optional<int> count = r.max_count;
    std::optional<int> size = r.max_size;
    if (count && *count <= 0) count.reset();  // 0: unset; negative: treated as unset (see header)
    if (size && *size == 0) size.reset();
    if (!count && !size) size = -RETRIEVE_DEFAULT_MAX_SIZE_DIVISOR;
    RetrieveLimits limits;
    if (count) limits.max_count = static_cast<std::size_t>(*count);
    if (size && *size < 0) {
        limits.max_size = static_cast<std::size_t>(RETRIEVE_MAX_SIZE / -static_cast<std::int64_t>(*size));
    } else if (!size || *size > RETRIEVE_MAX_SIZE) {
        limits.max_size = static_cast<std::size_t>(RETRIEVE_MAX_SIZE);
    } else {
        limits.max_size = static_cast<std::size_t>(*size);
    }
    return limits;
}

// ---- Client side --------------------------------------------------------------------------

StoreRequest make_store(const SessionId& owner, Namespace ns, Bytes data, std::int64_t timestamp_ms,
                        std::int64_t ttl_ms) {
    StoreRequest r{.pubkey = owner};
    r.ns = ns;
    r.timestamp_ms = timestamp_ms;
    r.expiry_ms = timestamp_ms + ttl_ms;
    r.data = std::move(data);
    return r;
}

void sign_store(StoreRequest& r, const Ed25519Keypair& signer, std::int64_t sig_timestamp_ms, CryptoWork work) {
    r.pubkey_ed25519 = signer_ed_for(r.pubkey, signer);
    r.sig_timestamp_ms = sig_timestamp_ms;
    r.signature = work == CryptoWork::real ? sign_request(signer.sec, store_signed_text(r.ns, sig_timestamp_ms))
                                           : Signature{};
}

RetrieveRequest make_retrieve(const SessionId& owner, Namespace ns, std::string last_hash, std::int64_t now_ms,
                              const Ed25519Keypair& signer, CryptoWork work) {
    RetrieveRequest r{.pubkey = owner};
    r.ns = ns;
    if (!last_hash.empty()) r.last_hash = std::move(last_hash);
    r.authenticated = true;
    r.pubkey_ed25519 = signer_ed_for(owner, signer);
    r.timestamp_ms = now_ms;
    if (work == CryptoWork::real) r.signature = sign_request(signer.sec, retrieve_signed_text(ns, now_ms));
    return r;
}

DeleteRequest make_delete(const SessionId& owner, std::vector<std::string> hashes, const Ed25519Keypair& signer) {
    DeleteRequest r{.pubkey = owner};
    r.pubkey_ed25519 = signer_ed_for(owner, signer);
    r.messages = std::move(hashes);
    r.signature = sign_request(signer.sec, delete_signed_text(r.messages));
    return r;
}

DeleteAllRequest make_delete_all(const SessionId& owner, NamespaceSelector ns, std::int64_t now_ms,
                                 const Ed25519Keypair& signer) {
    DeleteAllRequest r{.pubkey = owner};
    r.pubkey_ed25519 = signer_ed_for(owner, signer);
    r.ns = ns;
    r.timestamp_ms = now_ms;
    r.signature = sign_request(signer.sec, delete_all_signed_text(ns, now_ms));
    return r;
}

DeleteBeforeRequest make_delete_before(const SessionId& owner, NamespaceSelector ns, std::int64_t before_ms,
                                       const Ed25519Keypair& signer) {
    DeleteBeforeRequest r{.pubkey = owner};
    r.pubkey_ed25519 = signer_ed_for(owner, signer);
    r.ns = ns;
    r.before_ms = before_ms;
    r.signature = sign_request(signer.sec, delete_before_signed_text(ns, before_ms));
    return r;
}

ExpireRequest make_expire(const SessionId& owner, std::vector<std::string> hashes, std::vector<std::int64_t> expiry_ms,
                          ExpireMode mode, const Ed25519Keypair& signer, CryptoWork work) {
    ExpireRequest r{.pubkey = owner};
    r.pubkey_ed25519 = signer_ed_for(owner, signer);
    r.messages = std::move(hashes);
    r.expiry_ms = std::move(expiry_ms);
    r.mode = mode;
    if (work == CryptoWork::real) r.signature = sign_request(signer.sec, expire_signed_text(mode, r.expiry_ms, r.messages));
    return r;
}

ExpireAllRequest make_expire_all(const SessionId& owner, NamespaceSelector ns, std::int64_t expiry_ms,
                                 const Ed25519Keypair& signer) {
    ExpireAllRequest r{.pubkey = owner};
    r.pubkey_ed25519 = signer_ed_for(owner, signer);
    r.ns = ns;
    r.expiry_ms = expiry_ms;
    r.signature = sign_request(signer.sec, expire_all_signed_text(ns, expiry_ms));
    return r;
}

json to_params(const RpcRequest& request) {
    json p = json::object();
    std::visit(
        [&p](const auto& r) {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, StoreRequest>) {
                p["pubkey"] = r.pubkey.hex();
                p["namespace"] = to_int(r.ns);
                p["timestamp"] = r.timestamp_ms;
                p["expiry"] = r.expiry_ms;
                p["data"] = to_base64(r.data);
                if (r.signature) {
                    put_auth(p, r.pubkey, r.pubkey_ed25519, *r.signature);
                    if (r.sig_timestamp_ms) p["sig_timestamp"] = *r.sig_timestamp_ms;
                }
            } else if constexpr (std::is_same_v<T, RetrieveRequest>) {
                p["pubkey"] = r.pubkey.hex();
                p["namespace"] = to_int(r.ns);
                if (r.last_hash) p["last_hash"] = *r.last_hash;
                if (r.max_count) p["max_count"] = *r.max_count;
                if (r.max_size) p["max_size"] = *r.max_size;
                if (r.authenticated) {
                    put_auth(p, r.pubkey, r.pubkey_ed25519, r.signature);
                    p["timestamp"] = r.timestamp_ms;
                }
            } else if constexpr (std::is_same_v<T, DeleteRequest>) {
                put_auth(p, r.pubkey, r.pubkey_ed25519, r.signature);
                p["messages"] = r.messages;
                if (r.required) p["required"] = true;
            } else if constexpr (std::is_same_v<T, DeleteAllRequest>) {
                put_auth(p, r.pubkey, r.pubkey_ed25519, r.signature);
                p["namespace"] = namespace_json(r.ns);
                p["timestamp"] = r.timestamp_ms;
            } else if constexpr (std::is_same_v<T, DeleteBeforeRequest>) {
                put_auth(p, r.pubkey, r.pubkey_ed25519, r.signature);
                p["namespace"] = namespace_json(r.ns);
                p["before"] = r.before_ms;
            } else if constexpr (std::is_same_v<T, ExpireRequest>) {
                put_auth(p, r.pubkey, r.pubkey_ed25519, r.signature);
                p["messages"] = r.messages;
                if (r.expiry_ms.size() == 1) {
                    p["expiry"] = r.expiry_ms.front();
                } else {
                    p["expiry"] = r.expiry_ms;
                }
                if (r.mode == ExpireMode::shorten) p["shorten"] = true;
                if (r.mode == ExpireMode::extend) p["extend"] = true;
            } else {
                put_auth(p, r.pubkey, r.pubkey_ed25519, r.signature);
                p["namespace"] = namespace_json(r.ns);
                p["expiry"] = r.expiry_ms;
            }
        },
        request);
    return p;
}

std::string rpc_body(const RpcRequest& request) {
    json body = json::object();
    body["method"] = std::string(method_name(method_of(request)));
    body["params"] = to_params(request);
    return body.dump();
}

// ---- Replies ------------------------------------------------------------------------------

namespace {

template <class T>
json swarm_json(const SwarmReply<T>& reply, const std::function<json(const T&)>& node) {
    json j = json::object();
    json swarm = json::object();
    for (const auto& [key, result] : reply.swarm) {
        swarm[key.hex()] = result.index() == 0 ? node(std::get<0>(result)) : to_json(std::get<1>(result));
    }
    j["swarm"] = std::move(swarm);
    if (reply.hash) j["hash"] = *reply.hash;
    if (reply.t_ms) j["t"] = *reply.t_ms;
    return j;
}

template <class T>
Result<SwarmReply<T>> parse_swarm(const json& body, const std::function<Result<T>(const json&)>& node) {
    if (!body.is_object()) return Error{ErrorCode::bad_encoding, "reply must be an object"};
    const json* swarm = find_field(body, "swarm");
    if (swarm == nullptr) return missing("swarm");
    if (!swarm->is_object()) return wrong_type("swarm", "object");
    SwarmReply<T> out;
    for (const auto& [key_hex, entry] : swarm->items()) {
        auto key = Ed25519Pubkey::from_hex(key_hex);
        if (!key.ok()) return Error{ErrorCode::bad_encoding, "swarm key is not a 64-hex Ed25519 key"};
        if (!entry.is_object()) return wrong_type("swarm entry", "object");
        SP_TRY(failed, opt_bool(entry, "failed"));
        if (failed->value_or(false)) {
            SP_TRY(f, parse_swarm_failure(entry));
            out.swarm.emplace(*key, std::variant<T, SwarmFailure>(std::in_place_index<1>, *f));
        } else {
            SP_TRY(r, node(entry));
            out.swarm.emplace(*key, std::variant<T, SwarmFailure>(std::in_place_index<0>, std::move(*r)));
        }
    }
    SP_TRY(hash, opt_string(body, "hash"));
    out.hash = *hash;
    if (find_field(body, "t") != nullptr) {
        SP_TRY(t, required_int64(body, "t"));
        out.t_ms = *t;
    }
    return out;
}

}  // namespace

json to_json(const StoreReply& reply) {
    return swarm_json<StoreNodeResult>(reply, [](const StoreNodeResult& r) { return to_json(r); });
}

Result<StoreReply> parse_store_reply(const json& body) {
    return parse_swarm<StoreNodeResult>(body, [](const json& j) { return parse_store_result(j); });
}

json to_json(const SwarmReply<HashListNodeResult>& reply, std::string_view key) {
    return swarm_json<HashListNodeResult>(reply, [key](const HashListNodeResult& r) { return to_json(r, key); });
}

Result<SwarmReply<HashListNodeResult>> parse_hash_list_reply(const json& body, std::string_view key) {
    return parse_swarm<HashListNodeResult>(body, [key](const json& j) { return parse_hash_list_result(j, key); });
}

json to_json(const ExpireReply& reply) {
    return swarm_json<ExpireNodeResult>(reply, [](const ExpireNodeResult& r) { return to_json(r); });
}

Result<ExpireReply> parse_expire_reply(const json& body) {
    return parse_swarm<ExpireNodeResult>(body, [](const json& j) { return parse_expire_result(j); });
}

RetrieveReply make_retrieve_reply(const RetrieveResult& result, std::int64_t now_ms) {
    RetrieveReply reply;
    reply.more = result.more;
    reply.t_ms = now_ms;
    for (const auto& m : result.messages) reply.messages.push_back({m.hash, m.timestamp_ms, m.expiry_ms, m.data});
    return reply;
}

json to_json(const RetrieveReply& reply) {
    json messages = json::array();
    for (const auto& m : reply.messages) {
        json j = json::object();
        j["hash"] = m.hash;
        j["timestamp"] = m.timestamp_ms;
        j["expiration"] = m.expiry_ms;
        j["data"] = to_base64(m.data);
        messages.push_back(std::move(j));
    }
    json out = json::object();
    out["messages"] = std::move(messages);
    out["more"] = reply.more;
    if (reply.t_ms) out["t"] = *reply.t_ms;
    return out;
}

Result<RetrieveReply> parse_retrieve_reply(const json& body) {
    if (!body.is_object()) return Error{ErrorCode::bad_encoding, "reply must be an object"};
    const json* messages = find_field(body, "messages");
    if (messages == nullptr) return missing("messages");
    if (!messages->is_array()) return wrong_type("messages", "array");
    RetrieveReply out;
    for (const auto& m : *messages) {
        if (!m.is_object()) return wrong_type("messages", "array of objects");
        RetrievedMessage r;
        SP_TRY(hash, opt_string(m, "hash"));
        if (!*hash) return missing("hash");
        if (!is_valid_message_hash(**hash)) return Error{ErrorCode::bad_encoding, "invalid message hash"};
        r.hash = **hash;
        SP_TRY(ts, required_int64(m, "timestamp"));
        r.timestamp_ms = *ts;
        // The server writes "expiration" (its documentation says "expiry"); accept either.
        SP_TRY(exp, required_int64(m, find_field(m, "expiration") != nullptr ? "expiration" : "expiry"));
        r.expiry_ms = *exp;
        SP_TRY(data, opt_string(m, "data"));
        if (!*data) return missing("data");
        auto raw = from_base64(**data);
        if (!raw) return Error{ErrorCode::bad_encoding, "message data is not base64"};
        r.data = std::move(*raw);
        out.messages.push_back(std::move(r));
    }
    SP_TRY(more, opt_bool(body, "more"));
    out.more = more->value_or(false);
    if (find_field(body, "t") != nullptr) {
        SP_TRY(t, required_int64(body, "t"));
        out.t_ms = *t;
    }
    return out;
}

// ---- Node reply signatures ----------------------------------------------------------------

std::string store_result_signed_text(std::string_view hash) { return std::string(hash); }

std::string delete_result_signed_text(const SessionId& owner, const std::vector<std::string>& requested,
                                      const std::vector<std::string>& deleted) {
    std::string out = owner.hex();
    for (const auto& h : requested) out.append(h);
    for (const auto& h : deleted) out.append(h);
    return out;
}

std::string hash_list_result_signed_text(const SessionId& owner, std::int64_t number,
                                         const std::vector<std::string>& sorted_hashes) {
    std::string out = owner.hex();
    out.append(std::to_string(number));
    for (const auto& h : sorted_hashes) out.append(h);
    return out;
}

std::string expire_result_signed_text(const SessionId& owner, const std::vector<std::int64_t>& expiries,
                                      const std::vector<std::string>& requested,
                                      const std::vector<std::string>& updated,
                                      const std::map<std::string, std::int64_t>& unchanged) {
    std::string out = owner.hex();
    for (const auto e : expiries) out.append(std::to_string(e));
    for (const auto& h : requested) out.append(h);
    for (const auto& h : updated) out.append(h);
    for (const auto& [h, e] : unchanged) {
        out.append(h);
        out.append(std::to_string(e));
    }
    return out;
}

}  // namespace sessionproto
