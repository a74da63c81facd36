#include "models/session/storage/batch_rpc.hpp"

#include <cstdint>

#include "models/session/storage/json_fields.hpp"

namespace sessionproto {

using nlohmann::json;

std::string batch_body(const std::vector<RpcRequest>& requests) {
    json list = json::array();
    for (const auto& r : requests) {
        json sub = json::object();
        sub["method"] = std::string(method_name(method_of(r)));
        sub["params"] = to_params(r);
        list.push_back(std::move(sub));
    }
    json body = json::object();
    body["method"] = "batch";
    body["params"] = json::object({{"requests", std::move(list)}});
    return body.dump();
}

Result<std::vector<BatchSubrequest>> parse_batch_params(const json& params) {
    const json* list = json_field::find_field(params, "requests");
    if (list == nullptr) return json_field::missing("requests");
    if (!list->is_array()) return json_field::wrong_type("requests", "a list of requests");
    if (list->empty()) return Error{ErrorCode::bad_encoding, "Invalid batch: no sub-requests"};
    if (list->size() > BATCH_MAX_SUBREQUESTS) {
        return Error{ErrorCode::bad_encoding,
                     "Invalid batch: at most " + std::to_string(BATCH_MAX_SUBREQUESTS) + " sub-requests"};
    }
    std::vector<BatchSubrequest> out;
    out.reserve(list->size());
    for (const auto& sub : *list) {
        if (!sub.is_object()) return json_field::wrong_type("requests", "a list of objects");
        const json* method = json_field::find_field(sub, "method");
        if (method == nullptr) return json_field::missing("method");
        if (!method->is_string()) return json_field::wrong_type("method", "a string");
        const json* p = json_field::find_field(sub, "params");
        if (p == nullptr) return json_field::missing("params");
        if (!p->is_object()) return json_field::wrong_type("params", "an object");
        out.push_back(BatchSubrequest{method->get<std::string>(), *p});
    }
    return out;
}

std::string batch_reply_body(const std::vector<BatchAnswer>& answers) {
    std::string out = R"({"results":[)";
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (i > 0) out.push_back(',');
        out.append(R"({"code":)");
        out.append(std::to_string(answers[i].code));
        out.append(R"(,"body":)");
        out.append(answers[i].json ? answers[i].body : json_field::safe_dump(json(answers[i].body)));
        out.push_back('}');
    }
    out.append("]}");
    return out;
}

Result<std::vector<BatchResult>> parse_batch_reply(const json& body, std::size_t expected) {
    const json* list = json_field::find_field(body, "results");
    if (list == nullptr) return json_field::missing("results");
    if (!list->is_array()) return json_field::wrong_type("results", "a list");
    if (list->size() != expected) {
        return Error{ErrorCode::bad_encoding, "Invalid batch reply: " + std::to_string(list->size()) +
                                                  " results for " + std::to_string(expected) + " sub-requests"};
    }
    std::vector<BatchResult> out;
    out.reserve(list->size());
    for (const auto& r : *list) {
        if (!r.is_object()) return json_field::wrong_type("results", "a list of objects");
        const json* code = json_field::find_field(r, "code");
        if (code == nullptr) return json_field::missing("code");
        if (!code->is_number_integer() || code->get<std::int64_t>() < 100 || code->get<std::int64_t>() > 599) {
            return json_field::wrong_type("code", "an HTTP status");
        }
        const json* b = json_field::find_field(r, "body");
        out.push_back(BatchResult{code->get<int>(), b == nullptr ? json() : *b});
    }
    return out;
}

}  // namespace sessionproto
