#include "models/session/storage/batch_rpc.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "models/session/common/canonical_json.hpp"
#include "models/session/storage/json_fields.hpp"

namespace sessionproto {

using nlohmann::json;

std::string batch_body(const std::vector<RpcRequest>& requests, BatchKind kind) {
    json list = json::array();
    for (const auto& r : requests) {
        json sub = json::object();
        sub["method"] = std::string(method_name(method_of(r)));
        sub["params"] = to_params(r);
        list.push_back(std::move(sub));
    }
    json body = json::object();
    body["method"] = kind == BatchKind::sequence ? "sequence" : "batch";
    body["params"] = json::object({{"requests", std::move(list)}});
    return body.dump();
}

namespace {

/// The field `name` of `obj`, present and of the kind `is` checks; else the storage server's
/// "missing" or "wrong type" error (json_fields.hpp).
Result<const json*> checked_field(const json& obj, const char* name, bool (json::*is)() const noexcept,
                                  std::string_view expected) {
    const json* f = json_field::find_field(obj, name);
    if (f == nullptr) return json_field::missing(name);
    if (!(f->*is)()) return json_field::wrong_type(name, expected);
    return f;
}

}  // namespace

Result<std::vector<BatchSubrequest>> parse_batch_params(const json& params) {
    SP_TRY(list, checked_field(params, "requests", &json::is_array, "a list of requests"));
    if ((*list)->empty()) return Error{ErrorCode::bad_encoding, "Invalid batch: no sub-requests"};
    if ((*list)->size() > BATCH_MAX_SUBREQUESTS) {
        return Error{ErrorCode::bad_encoding,
                     "Invalid batch: at most " + std::to_string(BATCH_MAX_SUBREQUESTS) + " sub-requests"};
    }
    std::vector<BatchSubrequest> out;
    out.reserve((*list)->size());
    for (const auto& sub : **list) {
        if (!sub.is_object()) return json_field::wrong_type("requests", "a list of objects");
        SP_TRY(method, checked_field(sub, "method", &json::is_string, "a string"));
        SP_TRY(p, checked_field(sub, "params", &json::is_object, "an object"));
        out.push_back(BatchSubrequest{(*method)->get<std::string>(), **p});
    }
    return out;
}

std::string batch_reply_body(const std::vector<BatchAnswer>& answers) {
    std::string out = R"({"results":[)";
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (i > 0) out.push_back(',');
        out.append(R"({"body":)");
        out.append(answers[i].json ? answers[i].body : json_field::safe_dump(json(answers[i].body)));
        out.append(R"(,"code":)");
        out.append(std::to_string(answers[i].code));
        out.push_back('}');
    }
    out.append("]}");
    return out;
}

Result<std::vector<BatchResult>> parse_batch_reply(json body, std::size_t expected) {
    SP_TRY(found, checked_field(body, "results", &json::is_array, "a list"));
    if ((*found)->size() != expected) {
        return Error{ErrorCode::bad_encoding, "Invalid batch reply: " + std::to_string((*found)->size()) +
                                                  " results for " + std::to_string(expected) + " sub-requests"};
    }
    std::vector<BatchResult> out;
    out.reserve(expected);
    for (auto& r : body["results"]) {  // the list `found` points at, taken apart (its bodies moved)
        if (!r.is_object()) return json_field::wrong_type("results", "a list of objects");
        SP_TRY(code, json_field::required_int64(r, "code"));
        if (*code < 100 || *code > 599) return json_field::wrong_type("code", "an HTTP status");
        const auto b = r.find("body");
        out.push_back(BatchResult{static_cast<int>(*code), b == r.end() ? json() : std::move(*b)});
    }
    return out;
}

namespace {

/// The canonical path of parse_batch_reply_text: nullopt unless every check parse_batch_reply makes
/// passes on the text (then the tree path gives the answer and the error).
std::optional<std::vector<BatchResult>> split_canonical_batch_reply(std::string_view text, std::size_t expected,
                                                                    std::size_t bodies_read) {
    std::optional<std::string_view> results;
    if (!is_canonical_json_object(text, [&](const CanonicalMember& m) {
            if (m.key == "results") results = m.value;
        }) ||
        !results || results->front() != '[') {
        return std::nullopt;
    }
    auto items = canonical_json_array_items(*results);
    if (!items || items->size() != expected) return std::nullopt;
    std::vector<BatchResult> out;
    out.reserve(expected);
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string_view item = (*items)[i];
        if (item.front() != '{') return std::nullopt;
        std::optional<std::string_view> code, body;
        is_canonical_json_object(item, [&](const CanonicalMember& m) {
            if (m.key == "code") code = m.value;
            if (m.key == "body") body = m.value;
        });
        // A canonical number is an integer of at most 18 digits; a status has 3.
        if (!code || code->size() != 3 || (*code)[0] < '1' || (*code)[0] > '5') return std::nullopt;
        if (!std::all_of(code->begin(), code->end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
        BatchResult r;
        r.code = ((*code)[0] - '0') * 100 + ((*code)[1] - '0') * 10 + ((*code)[2] - '0');
        if (body && i < bodies_read) r.body = json_field::parse_or_discard(*body);  // canonical: it parses
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

Result<std::vector<BatchResult>> parse_batch_reply_text(std::string_view text, std::size_t expected,
                                                        std::size_t bodies_read) {
    if (auto fast = split_canonical_batch_reply(text, expected, bodies_read)) return std::move(*fast);
    json j = json_field::parse_or_discard(text);
    if (j.is_discarded()) return Error{ErrorCode::bad_encoding, "not JSON"};
    auto results = parse_batch_reply(std::move(j), expected);
    if (results) {
        for (std::size_t i = bodies_read; i < results->size(); ++i) (*results)[i].body = json();
    }
    return results;
}

}  // namespace sessionproto
