#include "models/session/storage/json_fields.hpp"

#include <limits>

#include "models/session/common/bytes.hpp"

namespace sessionproto::json_field {

const json* find_field(const json& obj, const char* name) {
    if (!obj.is_object()) return nullptr;
    const auto it = obj.find(name);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
}

Error wrong_type(std::string_view name, std::string_view expected) {
    std::string m = "Invalid value given for '";
    m.append(name);
    m.append("': expected ");
    m.append(expected);
    return Error{ErrorCode::bad_encoding, std::move(m)};
}

Error missing(std::string_view name) {
    std::string m = "Required field '";
    m.append(name);
    m.append("' missing");
    return Error{ErrorCode::missing_field, std::move(m)};
}

Result<std::optional<std::string>> opt_string(const json& obj, const char* name) {
    const json* f = find_field(obj, name);
    if (f == nullptr) return std::optional<std::string>{};
    if (!f->is_string()) return wrong_type(name, "string");
    return std::optional<std::string>(f->get_ref<const std::string&>());
}

Result<std::optional<bool>> opt_bool(const json& obj, const char* name) {
    const json* f = find_field(obj, name);
    if (f == nullptr) return std::optional<bool>{};
    if (!f->is_boolean()) return wrong_type(name, "boolean");
    return std::optional<bool>(f->get<bool>());
}

Result<std::optional<int>> opt_int(const json& obj, const char* name) {
    const json* f = find_field(obj, name);
    if (f == nullptr) return std::optional<int>{};
    if (f->is_number_unsigned()) {
        const auto v = f->get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) return wrong_type(name, "integer");
        return std::optional<int>(static_cast<int>(v));
    }
    if (!f->is_number_integer()) return wrong_type(name, "integer");
    const auto v = f->get<std::int64_t>();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) return wrong_type(name, "integer");
    return std::optional<int>(static_cast<int>(v));
}

Result<std::int64_t> required_int64(const json& obj, const char* name) {
    const json* f = find_field(obj, name);
    if (f == nullptr) return missing(name);
    if (f->is_number_unsigned()) {
        const auto u = f->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return wrong_type(name, "integer");
        return static_cast<std::int64_t>(u);
    }
    if (!f->is_number_integer()) return wrong_type(name, "integer");
    return f->get<std::int64_t>();
}

Result<std::vector<std::string>> string_array(const json& j, std::string_view name) {
    if (!j.is_array()) return wrong_type(name, "string array");
    std::vector<std::string> out;
    for (const auto& x : j) {
        if (!x.is_string()) return wrong_type(name, "string array");
        out.push_back(x.get<std::string>());
    }
    return out;
}

Result<Signature> signature_from_base64(const std::string& text) {
    const bool length_ok = text.size() == 86 || (text.size() == 88 && text.compare(86, 2, "==") == 0);
    if (!length_ok) return Error{ErrorCode::bad_encoding, "invalid signature: expected base64 encoded Ed25519 signature"};
    auto raw = from_base64(text);
    if (!raw || raw->size() != 64) {
        return Error{ErrorCode::bad_encoding, "invalid signature: expected base64 encoded Ed25519 signature"};
    }
    return Signature::from(*raw);
}

std::string signature_to_base64(const Signature& signature) { return to_base64(signature.view()); }

std::optional<std::string> string_or_none(const json& obj, const char* name) {
    const json* f = find_field(obj, name);
    if (f == nullptr || !f->is_string()) return std::nullopt;
    return f->get<std::string>();
}

std::optional<std::int64_t> int64_or_none(const json& obj, const char* name) {
    const json* f = find_field(obj, name);
    if (f == nullptr) return std::nullopt;
    if (f->is_number_unsigned()) {
        const auto u = f->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return static_cast<std::int64_t>(u);
    }
    if (f->is_number_integer()) return f->get<std::int64_t>();
    return std::nullopt;
}

json parse_or_discard(std::string_view text) { return json::parse(text, nullptr, false); }

std::string safe_dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace sessionproto::json_field
