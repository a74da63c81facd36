// libFuzzer target: a storage RPC request body ({"method", "params"}) as a node receives it at
// the final hop, parsed and validated (signatures, TTL and timestamp rules) at a fixed time.
#include <string_view>
#include <variant>

#include "models/session/storage/rpc.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    constexpr std::int64_t NOW_MS = 1767225600000;  // 2026-01-01T00:00:00Z
    auto request = parse_rpc_request(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!request) return 0;
    std::visit(
        [&](const auto& r) {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, ExpireRequest>) {
                (void)validate_expire(r, NOW_MS);
            } else {
                (void)validate(r, NOW_MS);
            }
        },
        *request);
    return 0;
}
