#include "models/session/node/pool_reply.hpp"

#include "models/session/common/entropy.hpp"
#include "models/session/onion/response.hpp"
#include "models/session/storage/directory_rpc.hpp"

namespace sessionproto {

PoolReply::PoolReply(std::string_view states_json) : text_(get_service_nodes_reply(states_json)) {}

const std::string& PoolReply::response_json(const FinalDestination& request) const {
    auto& slot = response_json_[request.json_body ? 1 : 0];
    if (!slot) slot = snode_response_json(request, OnionResponse{200, text_});
    return *slot;
}

const Bytes& PoolReply::modelled_reply(const FinalDestination& request) const {
    const auto key = std::make_tuple(request.enc_type, request.base64, request.json_body);
    auto it = modelled_.find(key);
    if (it == modelled_.end()) {
        // A modelled seal draws no randomness: one reply serves every request of this shape.
        it = modelled_.emplace(key, seal_snode_response_modelled(request, response_json(request))).first;
    }
    return it->second;
}

}  // namespace sessionproto
