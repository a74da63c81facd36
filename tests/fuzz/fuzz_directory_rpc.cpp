// libFuzzer target: the directory RPC replies a client reads (storage/directory_rpc.hpp): the
// get_swarm / 421 body and the get_service_nodes list, from untrusted service nodes. Every
// record that comes out must be usable (non-zero IPv4 and port), and the replies the parsers
// accept must survive being written and read again.
#include <cstdlib>
#include <string_view>

#include "models/session/storage/directory_rpc.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto swarm = parse_get_swarm_reply(text)) {
        for (const auto& n : *swarm) {
            if (n.address.ipv4 == 0 || n.address.port == 0) std::abort();
        }
        auto again = parse_get_swarm_reply(get_swarm_reply(*swarm, std::nullopt));
        if (!again || again->size() != swarm->size()) std::abort();
    }
    if (auto pool = parse_get_service_nodes_reply(text)) {
        auto again = parse_get_service_nodes_reply(get_service_nodes_reply(service_node_states_json(*pool)));
        if (!again || *again != *pool) std::abort();
    }
    (void)parse_ipv4(text);
    return 0;
}
