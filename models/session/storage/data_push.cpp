#include "models/session/storage/data_push.hpp"

#include <cstdint>

#include "models/session/storage/json_fields.hpp"
#include "models/session/storage/limits.hpp"

namespace sessionproto {

using nlohmann::json;
using namespace json_field;

namespace {

json push_item(const StoredMessage& m) {
    json j = json::object();
    j["pubkey"] = m.owner.hex();
    j["namespace"] = to_int(m.ns);
    j["timestamp"] = m.timestamp_ms;
    j["expiry"] = m.expiry_ms;
    j["data"] = to_base64(m.data);
    return j;
}

Error bad_item(std::string what) { return Error{ErrorCode::bad_encoding, "push item: " + std::move(what)}; }

Result<PushItem> parse_item(const json& item) {
    if (!item.is_object()) return bad_item("not an object");
    const auto pk = string_or_none(item, "pubkey");
    const auto ns = int64_or_none(item, "namespace");
    const auto ts = int64_or_none(item, "timestamp");
    const auto expiry = int64_or_none(item, "expiry");
    const auto data_b64 = string_or_none(item, "data");
    if (!pk) return bad_item("pubkey");
    auto owner = SessionId::parse(*pk);
    if (!owner) return owner.error();
    if (!ns || *ns < INT16_MIN || *ns > INT16_MAX) return bad_item("namespace");
    if (!ts) return bad_item("timestamp");
    if (!expiry) return bad_item("expiry");
    if (!data_b64) return bad_item("data");
    auto data = from_base64(*data_b64);
    if (!data) return bad_item("data is not base64");
    if (auto size = check_message_size(data->size()); !size.ok()) return size.error();
    return PushItem{*owner, static_cast<Namespace>(static_cast<std::int16_t>(*ns)), *ts, *expiry, std::move(*data)};
}

}  // namespace

std::vector<std::string> encode_push_batches(const std::vector<const StoredMessage*>& messages,
                                             std::size_t batch_bytes) {
    std::vector<std::string> batches;
    json batch = json::array();
    std::size_t used = 0;
    auto flush = [&] {
        json body = json::object();
        body["push"] = std::move(batch);
        batches.push_back(safe_dump(body));
        batch = json::array();
        used = 0;
    };
    for (const StoredMessage* m : messages) {
        const std::size_t size = m->data.size() / 3 * 4 + 256;
        if (!batch.empty() && used + size > batch_bytes) flush();
        batch.push_back(push_item(*m));
        used += size;
    }
    if (!batch.empty()) flush();
    return batches;
}

bool is_push(const json& body) { return body.is_object() && body.contains("push"); }

Result<std::vector<Result<PushItem>>> parse_push(const json& body) {
    const auto push = body.is_object() ? body.find("push") : body.end();
    if (!body.is_object() || push == body.end() || !push->is_array()) {
        return Error{ErrorCode::bad_encoding, "push is not a list"};
    }
    std::vector<Result<PushItem>> items;
    items.reserve(push->size());
    for (const auto& item : *push) items.push_back(parse_item(item));
    return items;
}

}  // namespace sessionproto
