// libFuzzer target: the storage RPC `batch` (storage/batch_rpc.hpp) both ways: a node reads a
// batch request from any client, and a client reads a batch reply from any service node. What a
// parser accepts must keep its bounds (1 to 20 sub-requests, HTTP codes) and survive being written
// and read again. A swarm peer's answer, as the entry node nests it (member_entry_from_peer: a
// canonical text as it came), must be the text dump() writes of what it parses to.
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "models/session/storage/batch_rpc.hpp"
#include "models/session/storage/json_fields.hpp"
#include "models/session/storage/member_result.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto j = nlohmann::json::parse(text, nullptr, false);
    const auto entry = member_entry_from_peer(text);
    if (entry.has_value() != (!j.is_discarded() && j.is_object())) std::abort();
    if (entry && (entry->text != json_field::safe_dump(j) || entry->failed != is_failure_entry(j))) std::abort();
    if (j.is_discarded()) return 0;
    if (auto subs = parse_batch_params(j)) {
        if (subs->empty() || subs->size() > BATCH_MAX_SUBREQUESTS) std::abort();
        for (const auto& s : *subs) {
            if (!s.params.is_object()) std::abort();
            (void)parse_rpc_params(s.method, s.params);
        }
    }
    for (std::size_t expected = 0; expected <= 3; ++expected) {
        auto results = parse_batch_reply(j, expected);
        if (!results) continue;
        if (results->size() != expected) std::abort();
        std::vector<BatchAnswer> answers;
        for (const auto& r : *results) {
            if (r.code < 100 || r.code > 599) std::abort();
            answers.push_back(BatchAnswer{r.code, r.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), true});
        }
        auto again = parse_batch_reply(nlohmann::json::parse(batch_reply_body(answers), nullptr, false), expected);
        if (!again || again->size() != expected) std::abort();
    }
    return 0;
}
