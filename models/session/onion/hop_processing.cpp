#include "models/session/onion/hop_processing.hpp"

#include <nlohmann/json.hpp>

#include "models/session/onion/bencode.hpp"
#include "models/session/onion/frame.hpp"

namespace sessionproto {
namespace {

using json = nlohmann::json;

/// A hex-encoded 32-byte key from a JSON field.
template <class Key>
Result<Key> key_field(const json& control, const char* name) {
    const auto it = control.find(name);
    if (it == control.end() || !it->is_string()) {
        return Error{ErrorCode::missing_field, std::string("control JSON lacks string field '") + name + "'"};
    }
    auto key = Key::from_hex(it->get<std::string>());
    if (!key) return Error{ErrorCode::bad_encoding, std::string("field '") + name + "': " + key.error().message};
    return key;
}

/// "enc_type", absent meaning aes-gcm.
Result<EncType> enc_type_field(const json& control) {
    const auto it = control.find("enc_type");
    if (it == control.end()) return EncType::aes_gcm;
    if (!it->is_string()) return Error{ErrorCode::bad_encoding, "enc_type must be a string"};
    const auto type = parse_enc_type(it->get<std::string>());
    if (!type) return Error{ErrorCode::unknown_enc_type, "unknown enc_type '" + it->get<std::string>() + "'"};
    return *type;
}

bool bool_field(const json& control, const char* name, bool fallback) {
    const auto it = control.find(name);
    return it != control.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace

Result<OnionHop> parse_entry_request(ByteView body) {
    if (body.size() > MAX_ONION_REQUEST_BYTES) return Error{ErrorCode::too_large, "onion request too large"};
    auto framed = parse_frame(body);
    if (!framed) return framed.error();
    auto eph = key_field<X25519Pubkey>(framed->control, "ephemeral_key");
    if (!eph) return eph.error();
    auto type = enc_type_field(framed->control);
    if (!type) return type.error();
    std::uint32_t hop_no = 0;
    if (const auto it = framed->control.find("hop_no"); it != framed->control.end()) {
        if (!it->is_number_unsigned() || it->get<std::uint64_t>() > MAX_ONION_HOPS) {
            return Error{ErrorCode::hop_limit, "hop_no must be an integer 0.." + std::to_string(MAX_ONION_HOPS)};
        }
        hop_no = static_cast<std::uint32_t>(it->get<std::uint64_t>());
    }
    return OnionHop{Bytes(framed->blob.begin(), framed->blob.end()), *eph, *type, hop_no};
}

Bytes encode_relay(const OnionHop& hop) {
    BencodeDict d;
    d["data"] = to_string(hop.ciphertext);
    d["enc_type"] = std::string(to_string(hop.enc_type));
    d["ephemeral_key"] = to_string(hop.ephemeral.view());
    d["hop_no"] = static_cast<std::int64_t>(hop.hop_no);
    return bencode_dict(d);
}

Result<OnionHop> parse_relay(ByteView message) {
    if (message.size() > MAX_ONION_REQUEST_BYTES) return Error{ErrorCode::too_large, "relayed request too large"};
    auto decoded = bdecode_dict(message);
    if (!decoded) return decoded.error();
    const BencodeDict& d = *decoded;
    auto str = [&](const char* name) -> const std::string* {
        const auto it = d.find(name);
        return it == d.end() ? nullptr : std::get_if<std::string>(&it->second);
    };
    const std::string* data = str("data");
    const std::string* eph = str("ephemeral_key");
    const std::string* type = str("enc_type");
    const auto hop_no = d.find("hop_no");
    if (data == nullptr || eph == nullptr || type == nullptr || hop_no == d.end() ||
        !std::holds_alternative<std::int64_t>(hop_no->second)) {
        return Error{ErrorCode::missing_field, "relay message needs data, ephemeral_key, enc_type and hop_no"};
    }
    auto key = X25519Pubkey::from(as_bytes(*eph));
    if (!key) return key.error();
    const auto enc = parse_enc_type(*type);
    if (!enc) return Error{ErrorCode::unknown_enc_type, "unknown enc_type '" + *type + "'"};
    const std::int64_t n = std::get<std::int64_t>(hop_no->second);
    if (n < 0 || n > static_cast<std::int64_t>(MAX_ONION_HOPS)) {
        return Error{ErrorCode::hop_limit, "hop_no " + std::to_string(n) + " beyond the limit"};
    }
    return OnionHop{to_bytes(*data), *key, *enc, static_cast<std::uint32_t>(n)};
}

Result<HopAction> peel_onion_layer(const X25519Keypair& own, OnionHop hop, bool accept_modelled) {
    const bool modelled = accept_modelled && all_zero(hop.ephemeral.view());
    Result<SymmetricKey> key = SymmetricKey{};
    if (!modelled) key = node_layer_key(hop.enc_type, own.sec, own.pub, hop.ephemeral);
    if (!key) return key.error();
    Bytes plain = std::move(hop.ciphertext);
    if (auto opened = modelled ? open_layer_modelled_in_place(hop.enc_type, plain)
                               : open_layer_in_place(hop.enc_type, *key, plain);
        !opened) {
        return opened.error();
    }
    auto framed = parse_frame(plain);
    if (!framed) return framed.error();
    const json& control = framed->control;

    if (control.contains("headers")) {
        FinalDestination final;
        final.reply_key = *key;
        final.enc_type = hop.enc_type;
        final.modelled = modelled;
        final.json_body = bool_field(control, "json", false);
        final.base64 = bool_field(control, "base64", true);
        const std::size_t offset = static_cast<std::size_t>(framed->blob.data() - plain.data());
        const std::size_t size = framed->blob.size();
        plain.erase(plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(offset));  // in place
        plain.resize(size);
        final.request = std::move(plain);
        return HopAction{std::move(final)};
    }

    if (control.contains("host")) {
        ProxyToServer proxy;
        const json& host = control.at("host");
        const auto target = control.find("target");
        if (!host.is_string() || target == control.end() || !target->is_string()) {
            return Error{ErrorCode::missing_field, "a server request needs string fields host and target"};
        }
        proxy.host = host.get<std::string>();
        proxy.target = target->get<std::string>();
        if (!onion_target_allowed(proxy.target)) {
            return Error{ErrorCode::invalid_argument, "server target '" + proxy.target + "' is not allowed"};
        }
        const auto method = control.find("method");
        proxy.method = method != control.end() && method->is_string() ? method->get<std::string>() : "POST";
        const auto protocol = control.find("protocol");
        proxy.protocol = protocol != control.end() && protocol->is_string() ? protocol->get<std::string>() : "https";
        if (proxy.protocol != "https" && proxy.protocol != "http") {
            return Error{ErrorCode::invalid_argument, "protocol must be http or https"};
        }
        proxy.port = proxy.protocol == "https" ? 443 : 80;
        if (const auto port = control.find("port"); port != control.end()) {
            if (!port->is_number_unsigned() || port->get<std::uint64_t>() == 0 || port->get<std::uint64_t>() > 65535) {
                return Error{ErrorCode::invalid_argument, "port must be 1..65535"};
            }
            proxy.port = static_cast<std::uint16_t>(port->get<std::uint64_t>());
        }
        proxy.body = std::move(plain);  // the whole decrypted frame goes to the server
        return HopAction{std::move(proxy)};
    }

    auto next = key_field<Ed25519Pubkey>(control, "destination");
    if (!next) return next.error();
    auto eph = key_field<X25519Pubkey>(control, "ephemeral_key");
    if (!eph) return eph.error();
    auto type = enc_type_field(control);
    if (!type) return type.error();
    if (hop.hop_no + 1 > MAX_ONION_HOPS) {
        return Error{ErrorCode::hop_limit, "onion request passed " + std::to_string(MAX_ONION_HOPS) + " hops"};
    }
    const std::size_t offset = static_cast<std::size_t>(framed->blob.data() - plain.data());
    const std::size_t size = framed->blob.size();
    plain.erase(plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(offset));
    plain.resize(size);
    return HopAction{RelayToNode{*next, OnionHop{std::move(plain), *eph, *type, hop.hop_no + 1}}};
}

}  // namespace sessionproto
