#include "models/session/storage/member_result.hpp"

#include <charconv>

#include "models/session/common/canonical_json.hpp"
#include "models/session/storage/json_fields.hpp"

namespace sessionproto {

using nlohmann::json;
using namespace json_field;

namespace {

Result<Signature> required_signature(const json& j) {
    SP_TRY(sig, opt_string(j, "signature"));
    if (!*sig) return missing("signature");
    return signature_from_base64(**sig);
}

}  // namespace

json to_json(const SwarmFailure& f) {
    json j = json::object();
    j["failed"] = true;
    if (f.timeout) j["timeout"] = true;
    if (f.code) j["code"] = *f.code;
    if (f.reason) j["reason"] = *f.reason;
    if (f.bad_peer_response) j["bad_peer_response"] = true;
    if (f.query_failure) j["query_failure"] = true;
    return j;
}

json to_json(const StoreNodeResult& r) {
    json j = json::object();
    j["hash"] = r.hash;
    j["signature"] = signature_to_base64(r.signature);
    j["expiry"] = r.expiry_ms;
    if (r.already) j["already"] = true;
    return j;
}

json to_json(const HashListNodeResult& r, std::string_view key) {
    const std::string k(key);
    json j = json::object();
    if (r.hashes.index() == 0) {
        j[k] = std::get<0>(r.hashes);
    } else {
        json by_ns = json::object();
        for (const auto& [ns, hashes] : std::get<1>(r.hashes)) by_ns[std::to_string(to_int(ns))] = hashes;
        j[k] = std::move(by_ns);
    }
    j["signature"] = signature_to_base64(r.signature);
    return j;
}

json to_json(const ExpireNodeResult& r) {
    json j = json::object();
    j["updated"] = r.updated;
    if (r.multi) {
        j["expiry"] = r.expiry_ms;
    } else {
        j["expiry"] = r.expiry_ms.empty() ? std::int64_t{0} : r.expiry_ms.front();
    }
    if (r.unchanged) {
        json u = json::object();
        for (const auto& [h, e] : *r.unchanged) u[h] = e;
        j["unchanged"] = std::move(u);
    }
    j["signature"] = signature_to_base64(r.signature);
    return j;
}

Result<SwarmFailure> parse_swarm_failure(const json& j) {
    SwarmFailure f;
    SP_TRY(timeout, opt_bool(j, "timeout"));
    SP_TRY(code, opt_int(j, "code"));
    SP_TRY(reason, opt_string(j, "reason"));
    SP_TRY(bad_peer, opt_bool(j, "bad_peer_response"));
    SP_TRY(query, opt_bool(j, "query_failure"));
    f.timeout = timeout->value_or(false);
    f.code = *code;
    f.reason = *reason;
    f.bad_peer_response = bad_peer->value_or(false);
    f.query_failure = query->value_or(false);
    return f;
}

Result<StoreNodeResult> parse_store_result(const json& j) {
    StoreNodeResult r;
    SP_TRY(hash, opt_string(j, "hash"));
    if (!*hash) return missing("hash");
    r.hash = **hash;
    SP_TRY(sig, required_signature(j));
    r.signature = *sig;
    SP_TRY(expiry, required_int64(j, "expiry"));
    r.expiry_ms = *expiry;
    SP_TRY(already, opt_bool(j, "already"));
    r.already = already->value_or(false);
    return r;
}

Result<HashListNodeResult> parse_hash_list_result(const json& j, std::string_view key) {
    const std::string k(key);
    HashListNodeResult r;
    const json* list = find_field(j, k.c_str());
    if (list == nullptr) return missing(k);
    if (list->is_array()) {
        SP_TRY(hashes, string_array(*list, k));
        r.hashes = std::move(*hashes);
    } else if (list->is_object()) {
        std::map<Namespace, std::vector<std::string>> by_ns;
        for (const auto& [ns_text, hashes_json] : list->items()) {
            std::int64_t n = 0;
            const auto [p, ec] = std::from_chars(ns_text.data(), ns_text.data() + ns_text.size(), n);
            if (ec != std::errc{} || p != ns_text.data() + ns_text.size()) return wrong_type(k, "namespace keys");
            SP_TRY(ns, namespace_from_int(n));
            SP_TRY(hashes, string_array(hashes_json, k));
            by_ns[*ns] = std::move(*hashes);
        }
        r.hashes = std::move(by_ns);
    } else {
        return wrong_type(k, "list or object");
    }
    SP_TRY(sig, required_signature(j));
    r.signature = *sig;
    return r;
}

Result<ExpireNodeResult> parse_expire_result(const json& j) {
    ExpireNodeResult r;
    const json* updated = find_field(j, "updated");
    if (updated == nullptr) return missing("updated");
    SP_TRY(list, string_array(*updated, "updated"));
    r.updated = std::move(*list);
    const json* expiry = find_field(j, "expiry");
    if (expiry == nullptr) return missing("expiry");
    if (expiry->is_array()) {
        r.multi = true;
        for (const auto& x : *expiry) {
            if (!x.is_number_integer()) return wrong_type("expiry", "integer array");
            r.expiry_ms.push_back(x.get<std::int64_t>());
        }
    } else {
        SP_TRY(e, required_int64(j, "expiry"));
        r.expiry_ms.push_back(*e);
    }
    if (const json* u = find_field(j, "unchanged"); u != nullptr) {
        if (!u->is_object()) return wrong_type("unchanged", "object");
        std::map<std::string, std::int64_t> m;
        for (const auto& [h, e] : u->items()) {
            if (!e.is_number_integer()) return wrong_type("unchanged", "hash to integer");
            m[h] = e.get<std::int64_t>();
        }
        r.unchanged = std::move(m);
    }
    SP_TRY(sig, required_signature(j));
    r.signature = *sig;
    return r;
}

bool is_failure_entry(const json& entry) {
    if (!entry.is_object()) return true;
    const auto it = entry.find("failed");
    return it != entry.end() && it->is_boolean() && it->get<bool>();
}

MemberEntryText member_entry_text(const json& entry) {
    return MemberEntryText{json_field::safe_dump(entry), is_failure_entry(entry)};
}

std::optional<MemberEntryText> member_entry_from_peer(std::string_view body) {
    bool failed = false;
    const bool canonical = is_canonical_json_object(body, [&failed](const CanonicalMember& m) {
        if (m.key == "failed") failed = m.value == "true";
    });
    if (canonical) return MemberEntryText{std::string(body), failed};
    const json entry = json_field::parse_or_discard(body);
    if (entry.is_discarded() || !entry.is_object()) return std::nullopt;
    return member_entry_text(entry);
}

std::string swarm_reply_text(const std::map<Ed25519Pubkey, MemberEntryText>& entries,
                             const std::optional<std::string>& top_hash, std::int64_t t_ms) {
    std::size_t size = 64;
    for (const auto& [key, entry] : entries) size += 2 * key.data.size() + 4 + entry.text.size();
    std::string out;
    out.reserve(size + (top_hash ? top_hash->size() + 16 : 0));
    out += '{';
    if (top_hash) {
        out += "\"hash\":";
        out += json_field::safe_dump(json(*top_hash));  // a string, escaped as dump() escapes it
        out += ',';
    }
    out += "\"swarm\":{";
    bool first = true;
    for (const auto& [key, entry] : entries) {  // Ed25519Pubkey order = its lowercase hex's order
        if (!first) out += ',';
        first = false;
        out += '"';
        out += key.hex();
        out += "\":";
        out += entry.text;
    }
    out += "},\"t\":";
    out += std::to_string(t_ms);
    out += '}';
    return out;
}

}  // namespace sessionproto
