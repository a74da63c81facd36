#include "models/session/storage/batch_rpc.hpp"

#include <cstdint>
#include <string_view>
#include <utility>

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

}  // namespace sessionproto
