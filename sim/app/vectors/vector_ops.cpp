#include "sim/app/vectors/vector_ops.hpp"

namespace sessionsim::vectors {

const json& Input::field(const std::string& name) const {
    if (!j_.is_object() || !j_.contains(name)) throw VectorError("input field '" + name + "' is missing");
    return j_.at(name);
}

sessionproto::Bytes Input::hex(const std::string& name) const {
    const json& f = field(name);
    if (!f.is_string()) throw VectorError("input field '" + name + "' must be a hex string");
    auto bytes = sessionproto::from_hex(f.get<std::string>());
    if (!bytes) throw VectorError("input field '" + name + "' is not valid hex");
    return std::move(*bytes);
}

sessionproto::Bytes Input::hex(const std::string& name, std::size_t size) const {
    auto bytes = hex(name);
    if (bytes.size() != size) {
        throw VectorError("input field '" + name + "' must be " + std::to_string(size) + " bytes, got " +
                          std::to_string(bytes.size()));
    }
    return bytes;
}

std::vector<sessionproto::Bytes> Input::hex_list(const std::string& name) const {
    const json& f = field(name);
    if (!f.is_array()) throw VectorError("input field '" + name + "' must be a list of hex strings");
    std::vector<sessionproto::Bytes> out;
    for (const json& item : f) {
        if (!item.is_string()) throw VectorError("input field '" + name + "' must be a list of hex strings");
        auto bytes = sessionproto::from_hex(item.get<std::string>());
        if (!bytes) throw VectorError("input field '" + name + "' has an entry that is not valid hex");
        out.push_back(std::move(*bytes));
    }
    return out;
}

sessionproto::Bytes Input::b64(const std::string& name) const {
    const std::string t = text(name);
    auto bytes = sessionproto::from_base64(t);
    if (!bytes) throw VectorError("input field '" + name + "' is not valid base64");
    return std::move(*bytes);
}

std::string Input::text(const std::string& name) const {
    const json& f = field(name);
    if (!f.is_string()) throw VectorError("input field '" + name + "' must be a string");
    return f.get<std::string>();
}

std::optional<std::string> Input::text_or_null(const std::string& name) const {
    const json& f = field(name);
    if (f.is_null()) return std::nullopt;
    if (!f.is_string()) throw VectorError("input field '" + name + "' must be a string or null");
    return f.get<std::string>();
}

std::vector<std::string> Input::text_list(const std::string& name) const {
    const json& f = field(name);
    if (!f.is_array()) throw VectorError("input field '" + name + "' must be a list of strings");
    std::vector<std::string> out;
    for (const json& item : f) {
        if (!item.is_string()) throw VectorError("input field '" + name + "' must be a list of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::int64_t Input::integer(const std::string& name) const {
    const json& f = field(name);
    if (!f.is_number_integer()) throw VectorError("input field '" + name + "' must be an integer");
    if (f.is_number_unsigned() && f.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        throw VectorError("input field '" + name + "' is beyond the signed 64-bit range");
    }
    return f.get<std::int64_t>();
}

std::vector<std::int64_t> Input::integer_list(const std::string& name) const {
    const json& f = field(name);
    if (!f.is_array()) throw VectorError("input field '" + name + "' must be a list of integers");
    std::vector<std::int64_t> out;
    for (const json& item : f) {
        if (!item.is_number_integer()) throw VectorError("input field '" + name + "' must be a list of integers");
        out.push_back(item.get<std::int64_t>());
    }
    return out;
}

bool Input::boolean(const std::string& name) const {
    const json& f = field(name);
    if (!f.is_boolean()) throw VectorError("input field '" + name + "' must be true or false");
    return f.get<bool>();
}

const OpTable& all_ops() {
    static const OpTable table = [] {
        OpTable ops;
        register_identity_ops(ops);
        register_session_encrypt_ops(ops);
        register_storage_ops(ops);
        register_onion_ops(ops);
        register_blinding_ops(ops);
        register_group_ops(ops);
        register_misc_crypto_ops(ops);
        return ops;
    }();
    return table;
}

}  // namespace sessionsim::vectors
