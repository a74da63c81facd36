// libFuzzer target: an sn.data push body (storage/data_push.hpp) as a service node receives it
// from another node's IP. Accepted items must re-encode and parse back to themselves.
#include <cstdlib>
#include <string_view>

#include "models/session/storage/data_push.hpp"
#include "models/session/storage/json_fields.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto body = json_field::parse_or_discard(std::string_view(reinterpret_cast<const char*>(data), size));
    if (body.is_discarded() || !is_push(body)) return 0;
    auto items = parse_push(body);
    if (!items) return 0;
    for (const auto& item : *items) {
        if (!item) continue;
        const StoredMessage m{item->owner, item->ns, "", item->timestamp_ms, item->expiry_ms, item->data};
        const auto batches = encode_push_batches({&m}, 1'000'000);
        auto again = parse_push(json_field::parse_or_discard(batches.at(0)));
        if (!again || again->size() != 1 || !(*again)[0] || !(*(*again)[0] == *item)) std::abort();
    }
    return 0;
}
