#include "models/session/storage/directory_rpc.hpp"

#include <utility>

#include "models/session/storage/json_fields.hpp"

namespace sessionproto {

using nlohmann::json;
using namespace json_field;

namespace {

std::optional<std::uint16_t> parse_port(const json& j) {
    std::int64_t v = -1;
    if (j.is_number_integer()) {
        v = j.get<std::int64_t>();
    } else if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (s.empty() || s.size() > 5) return std::nullopt;
        v = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return std::nullopt;
            v = v * 10 + (c - '0');
        }
    }
    if (v <= 0 || v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

/// One node of a pool or swarm entry; nullopt for a malformed entry or IP 0.0.0.0.
std::optional<SnodeRecord> parse_node(const json& j, const char* ip_field, const char* port_field) {
    if (!j.is_object()) return std::nullopt;
    const auto ip = j.find(ip_field);
    const auto port = j.find(port_field);
    if (ip == j.end() || !ip->is_string() || port == j.end()) return std::nullopt;
    const auto ipv4 = parse_ipv4(ip->get_ref<const std::string&>());
    const auto p = parse_port(*port);
    auto ed = key_or_none<Ed25519Pubkey>(j, "pubkey_ed25519");
    auto x = key_or_none<X25519Pubkey>(j, "pubkey_x25519");
    if (!ipv4 || *ipv4 == 0 || !p || !ed || !x) return std::nullopt;
    SnodeRecord rec;
    rec.ed25519 = *ed;
    rec.x25519 = *x;
    rec.address = PeerAddress{*ipv4, *p};
    if (const auto sw = j.find("swarm_id"); sw != j.end() && sw->is_number_unsigned()) {
        rec.swarm_id = sw->get<std::uint64_t>();
    }
    return rec;
}

Error no_nodes(std::string_view what) {
    std::string m(what);
    m.append(": no usable node");
    return Error{ErrorCode::bad_encoding, std::move(m)};
}

}  // namespace

// ---- Requests ----------------------------------------------------------------------------------------

std::string get_swarm_request(const SessionId& pubkey) {
    return safe_dump(json{{"method", "get_swarm"}, {"params", {{"pubkey", pubkey.hex()}}}});
}

std::string get_service_nodes_request() {
    json fields = {{"public_ip", true},
                   {"storage_port", true},
                   {"pubkey_ed25519", true},
                   {"pubkey_x25519", true},
                   {"swarm_id", true}};
    json inner = {{"active_only", true}, {"fields", std::move(fields)}};
    json params = {{"endpoint", "get_service_nodes"}, {"params", std::move(inner)}};
    return safe_dump(json{{"method", "oxend_request"}, {"params", std::move(params)}});
}

Result<SessionId> parse_get_swarm_params(const json& params) {
    const auto pk = string_or_none(params, "pubkey");
    auto id = pk ? SessionId::parse(*pk) : Result<SessionId>(ErrorCode::missing_field, "");
    if (!id) return Error{id.error().code, "get_swarm: pubkey must be a 66-character ID"};
    return id;
}

Status parse_oxend_request_params(const json& params) {
    const auto endpoint = string_or_none(params, "endpoint");
    if (!endpoint || *endpoint != "get_service_nodes") {
        return Error{ErrorCode::unsupported, "oxend_request: only get_service_nodes is served"};
    }
    return Ok{};
}

// ---- Replies: building --------------------------------------------------------------------------------

std::string get_swarm_reply(std::span<const SnodeRecord> members, std::optional<SwarmId> swarm) {
    json snodes = json::array();
    for (const auto& rec : members) {
        json s = json::object();
        s["pubkey_ed25519"] = rec.ed25519.hex();
        s["pubkey_x25519"] = rec.x25519.hex();
        s["ip"] = rec.address.ip_string();
        s["port"] = std::to_string(rec.address.port);
        s["port_omq"] = STORAGE_OMQ_PORT;
        snodes.push_back(std::move(s));
    }
    json body = json::object();
    body["snodes"] = std::move(snodes);
    body["swarm"] = swarm ? swarm->hex() : std::string();
    return safe_dump(body);
}

std::string service_node_states_json(std::span<const SnodeRecord> nodes) {
    json states = json::array();
    for (const auto& rec : nodes) {
        json s = json::object();
        s["public_ip"] = rec.address.ip_string();
        s["storage_port"] = rec.address.port;
        s["pubkey_ed25519"] = rec.ed25519.hex();
        s["pubkey_x25519"] = rec.x25519.hex();
        s["swarm_id"] = rec.swarm_id;
        states.push_back(std::move(s));
    }
    return states.dump();  // keys and values are ASCII: no replacement needed
}

std::string get_service_nodes_reply(std::string_view states_json) {
    std::string reply;
    reply.reserve(states_json.size() + 40);
    reply.append(R"({"result":{"service_node_states":)").append(states_json).append("}}");
    return reply;
}

// ---- Replies: parsing ----------------------------------------------------------------------------------

Result<std::vector<SnodeRecord>> parse_get_swarm_reply(std::string_view body) {
    const json j = parse_or_discard(body);
    if (j.is_discarded() || !j.is_object()) return Error{ErrorCode::bad_encoding, "get_swarm reply: not a JSON object"};
    const auto snodes = j.find("snodes");
    if (snodes == j.end() || !snodes->is_array()) return wrong_type("snodes", "array");
    std::optional<std::uint64_t> swarm;
    if (const auto s = j.find("swarm"); s != j.end() && s->is_string()) {
        const auto& hex = s->get_ref<const std::string&>();
        if (!hex.empty() && hex.size() <= 16 && hex.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
            swarm = std::stoull(hex, nullptr, 16);
        }
    }
    std::vector<SnodeRecord> out;
    for (const auto& entry : *snodes) {
        const bool has_port = entry.is_object() && entry.contains("port");
        auto rec = parse_node(entry, "ip", has_port ? "port" : "port_https");
        if (!rec) continue;
        if (swarm) rec->swarm_id = *swarm;
        out.push_back(std::move(*rec));
    }
    if (out.empty()) return no_nodes("get_swarm reply");
    return out;
}

Result<std::vector<SnodeRecord>> parse_get_service_nodes_reply(std::string_view body) {
    const json j = parse_or_discard(body);
    if (j.is_discarded() || !j.is_object()) {
        return Error{ErrorCode::bad_encoding, "get_service_nodes reply: not a JSON object"};
    }
    const json* states = nullptr;
    if (const auto r = j.find("result"); r != j.end() && r->is_object()) {
        if (const auto s = r->find("service_node_states"); s != r->end()) states = &*s;
    } else if (const auto s = j.find("service_node_states"); s != j.end()) {
        states = &*s;
    }
    if (states == nullptr || !states->is_array()) return wrong_type("service_node_states", "array");
    std::vector<SnodeRecord> out;
    for (const auto& entry : *states) {
        if (auto rec = parse_node(entry, "public_ip", "storage_port")) out.push_back(std::move(*rec));
    }
    if (out.empty()) return no_nodes("get_service_nodes reply");
    return out;
}

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
    std::uint32_t out = 0;
    int parts = 0;
    std::size_t i = 0;
    while (parts < 4) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
        std::uint32_t v = 0;
        std::size_t digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 4) {
            v = v * 10 + static_cast<std::uint32_t>(text[i] - '0');
            ++i;
            ++digits;
        }
        if (v > 255 || digits > 3) return std::nullopt;
        out = (out << 8) | v;
        ++parts;
        if (parts < 4) {
            if (i >= text.size() || text[i] != '.') return std::nullopt;
            ++i;
        }
    }
    if (i != text.size()) return std::nullopt;
    return out;
}

}  // namespace sessionproto
