#include "models/session/onion/response.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <nlohmann/json.hpp>

#include "models/session/common/canonical_json.hpp"

namespace sessionproto {
namespace {

using json = nlohmann::json;

Result<Bytes> finish(const FinalDestination& request, Result<Bytes> sealed) {
    if (!sealed) return sealed;
    if (!request.base64) return sealed;
    return to_bytes(to_base64(*sealed));
}

/// The base64 alphabet and '=' (a table: replies can be hundreds of kilobytes).
constexpr std::array<bool, 256> BASE64_CHARS = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) {
        t[static_cast<std::size_t>(c)] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                         c == '+' || c == '/' || c == '=';
    }
    return t;
}();

bool looks_like_base64(ByteView reply) {
    return !reply.empty() && std::all_of(reply.begin(), reply.end(), [](std::byte b) {
        return BASE64_CHARS[std::to_integer<unsigned char>(b)];
    });
}

/// decode_snode_response's reading of a canonical {"body", "status"} text, straight from the text
/// (the values are what the parsed tree would give: a string body's characters, any other body's
/// text, which is its dump()); nullopt when the text is not canonical (then the tree decides).
std::optional<Result<OnionResponse>> read_canonical_reply(std::string_view text) {
    std::optional<std::string_view> body, status;
    if (!is_canonical_json_object(text, [&](const CanonicalMember& m) {
            if (m.key == "body") body = m.value;
            if (m.key == "status") status = m.value;
        })) {
        return std::nullopt;
    }
    // A canonical value is never empty, and a number in it is always an integer.
    const bool integer = status && (status->front() == '-' || (status->front() >= '0' && status->front() <= '9'));
    if (!integer || !body) return Result<OnionResponse>(Error{ErrorCode::missing_field, "reply lacks an integer status or a body"});
    std::int64_t value = 0;  // at most 18 digits (canonical): always fits
    std::from_chars(status->data(), status->data() + status->size(), value);
    OnionResponse out;
    out.status = static_cast<int>(value);
    out.body = body->front() == '"' ? canonical_json_string_content(*body) : std::string(*body);
    return Result<OnionResponse>(std::move(out));
}

}  // namespace

std::string snode_response_json(const FinalDestination& request, const OnionResponse& response) {
    // A canonical JSON body is nested as it is: the bytes dump() writes after parsing it.
    if (request.json_body && is_canonical_json_object(response.body)) {
        std::string out;
        out.reserve(response.body.size() + 32);
        out += "{\"body\":";
        out += response.body;
        out += ",\"status\":";
        out += std::to_string(response.status);
        out += '}';
        return out;
    }
    // A body sent as a string (not JSON, or not asked for as JSON) of printable ASCII: its escapes
    // are the only difference from the text.
    if (!request.json_body || response.body.empty() || (response.body.front() != '{' && response.body.front() != '[')) {
        std::string out;
        out.reserve(response.body.size() + response.body.size() / 8 + 32);
        out += "{\"body\":";
        if (append_canonical_json_string(out, response.body) &&
            (!request.json_body || json::parse(response.body, nullptr, false).is_discarded())) {
            out += ",\"status\":";
            out += std::to_string(response.status);
            out += '}';
            return out;
        }
    }
    json out;
    out["status"] = response.status;
    json body = request.json_body ? json::parse(response.body, nullptr, false) : json();
    if (request.json_body && !body.is_discarded()) {
        out["body"] = std::move(body);
    } else {
        out["body"] = response.body;
    }
    return out.dump();
}

Bytes seal_snode_response_modelled(const FinalDestination& request, std::string_view response_json) {
    Bytes sealed = seal_layer_modelled(request.enc_type, as_bytes(response_json));
    if (!request.base64) return sealed;
    return to_bytes(to_base64(sealed));
}

Result<Bytes> seal_snode_response(const FinalDestination& request, std::string_view response_json, Entropy& entropy) {
    if (request.modelled) return seal_snode_response_modelled(request, response_json);
    return finish(request, seal_layer(request.enc_type, request.reply_key, as_bytes(response_json), entropy));
}

Result<Bytes> encode_snode_response(const FinalDestination& request, const OnionResponse& response, Entropy& entropy) {
    return seal_snode_response(request, snode_response_json(request, response), entropy);
}

Result<Bytes> encode_snode_response(const FinalDestination& request, const OnionResponse& response, ByteView nonce) {
    return finish(request,
                  seal_layer(request.enc_type, request.reply_key, as_bytes(snode_response_json(request, response)), nonce));
}

Result<OnionResponse> decode_snode_response(const OnionRequest& request, ByteView reply) {
    Bytes raw;
    if (looks_like_base64(reply)) {
        auto decoded = from_base64(to_string(reply));
        if (!decoded) return Error{ErrorCode::bad_encoding, "reply is not valid base64"};
        raw = std::move(*decoded);
    } else {
        raw.assign(reply.begin(), reply.end());
    }
    if (auto opened = request.modelled ? open_layer_modelled_in_place(request.enc_type, raw)
                                       : open_layer_in_place(request.enc_type, request.destination_key, raw);
        !opened) {
        return opened.error();
    }
    return read_snode_response_json(as_text(raw));
}

Result<OnionResponse> read_snode_response_json(std::string_view text) {
    if (auto fast = read_canonical_reply(text)) return std::move(*fast);
    const json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error{ErrorCode::bad_encoding, "reply is not a JSON object"};
    const auto status = j.find("status");
    const auto body = j.find("body");
    if (status == j.end() || !status->is_number_integer() || body == j.end()) {
        return Error{ErrorCode::missing_field, "reply lacks an integer status or a body"};
    }
    OnionResponse out;
    out.status = status->get<int>();
    out.body = body->is_string() ? body->get<std::string>() : body->dump();
    return out;
}

}  // namespace sessionproto
