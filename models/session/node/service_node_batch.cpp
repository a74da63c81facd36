// ServiceNode::on_batch: the storage RPC `batch` (../storage/batch_rpc.hpp), answered as oxenss
// does: each sub-request in order, one reply with a result per sub-request (oxen-io/
// oxen-storage-server oxenss/rpc/request_handler.cpp, c3b96a2). A sub-request fails on its own
// (its code in its result); the batch itself fails only when it is malformed or the node has no
// swarm. Clients batch their polls: a retrieve per namespace.
#include <utility>
#include <vector>

#include "models/session/node/service_node.hpp"
#include "models/session/storage/batch_rpc.hpp"
#include "models/session/storage/json_fields.hpp"

namespace sessionproto {

void ServiceNode::on_batch(Timestamp now, const nlohmann::json* params, ReplyRoute route, const PeerAddress& from) {
    auto subs = params != nullptr && params->is_object() ? parse_batch_params(*params)
                                                         : Result<std::vector<BatchSubrequest>>(json_field::missing("params"));
    if (!subs.ok()) {
        reject(node_counter::bad_rpc);
        respond(route, 400, subs.error().message);
        return;
    }
    if (own_swarm_ == INVALID_SWARM_ID) {
        reject(node_counter::no_swarm);
        respond(route, 503, "Service node is not ready: no swarm");
        return;
    }
    const bool modelled = route.onion && route.onion->modelled;
    std::vector<BatchAnswer> answers;
    answers.reserve(subs->size());
    for (const auto& sub : *subs) {
        auto parsed = parse_rpc_params(sub.method, sub.params);
        if (!parsed.ok()) {
            reject(node_counter::bad_rpc);
            answers.push_back(BatchAnswer{400, parsed.error().message, false});
            continue;
        }
        const auto* r = std::get_if<RetrieveRequest>(&*parsed);
        if (r == nullptr) {
            // Recursive sub-requests (store, expire, delete...) fan out to the swarm; inside a
            // batch that is not modelled yet (no client sends one): refused plainly.
            count(node_counter::batch_not_modelled);
            answers.push_back(BatchAnswer{501, "only retrieve sub-requests are modelled in a batch", false});
            continue;
        }
        if (auto wrong = wrong_swarm_body(r->pubkey)) {
            reject(node_counter::wrong_swarm);
            answers.push_back(BatchAnswer{421, std::move(*wrong), true});
            continue;
        }
        auto [status, body] = answer_retrieve(now, *r, modelled, from);
        answers.push_back(BatchAnswer{status, std::move(body), status == 200});
    }
    respond(route, 200, batch_reply_body(answers));
}

}  // namespace sessionproto
