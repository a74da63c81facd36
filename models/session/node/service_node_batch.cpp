// ServiceNode::on_batch: the storage RPCs `batch` and `sequence` (../storage/batch_rpc.hpp),
// answered as oxenss does (oxen-io/oxen-storage-server oxenss/rpc/request_handler.cpp
// process_client_req(rpc::batch / rpc::sequence), c3b96a2):
// - each sub-request is answered as it would be alone: a retrieve from the store, a recursive
//   one (store, delete, expire...) validated, forwarded to the swarm peers, applied here, and
//   answered with its {"swarm": {...}} once every peer answered or timed out;
// - `batch` starts every sub-request at once; `sequence` runs them one after another and stops
//   at the first that fails (not 2xx): the results end there;
// - one reply, {"results": [...]}, once every sub-request that ran has its answer. A sub-request
//   fails on its own (its code in its result); the batch fails as a whole only when malformed or
//   the node has no swarm.
// Clients batch their polls (a retrieve per namespace and an expire of the config hashes) and
// their config pushes.
#include <utility>
#include <vector>

#include "models/session/node/service_node.hpp"
#include "models/session/storage/json_fields.hpp"

namespace sessionproto {

namespace {

bool is_2xx(int code) { return code >= 200 && code < 300; }

}  // namespace

void ServiceNode::on_batch(Timestamp now, const nlohmann::json* params, ReplyRoute route, const PeerAddress& from,
                           bool sequence) {
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
    const std::uint64_t id = next_batch_id_++;
    PendingBatch& b = batches_[id];
    b.modelled = route.onion && route.onion->modelled;
    b.route = std::move(route);
    b.from = from;
    b.sequence = sequence;
    b.subs = std::move(*subs);
    b.answers.resize(b.subs.size());
    advance_batch(now, id);
}

void ServiceNode::advance_batch(Timestamp now, std::uint64_t id) {
    const auto it = batches_.find(id);
    if (it == batches_.end()) return;
    PendingBatch& b = it->second;  // std::map: stays put while other batches come and go
    b.advancing = true;
    while (!b.stopped && b.next < b.subs.size() && !(b.sequence && b.outstanding > 0)) {
        run_subrequest(now, id, b.next++);
    }
    b.advancing = false;
    if (b.outstanding > 0 || (!b.stopped && b.next < b.subs.size())) return;
    std::vector<BatchAnswer> answers;
    answers.reserve(b.answers.size());
    for (auto& a : b.answers) {
        if (!a) break;  // sequence: nothing ran after the failure
        answers.push_back(std::move(*a));
    }
    const ReplyRoute route = std::move(b.route);
    batches_.erase(it);
    respond(route, 200, batch_reply_body(answers));
}

void ServiceNode::run_subrequest(Timestamp now, std::uint64_t id, std::size_t index) {
    PendingBatch& b = batches_.at(id);
    const BatchSubrequest& sub = b.subs[index];
    auto parsed = parse_rpc_params(sub.method, sub.params);
    if (!parsed.ok()) {
        reject(node_counter::bad_rpc);
        batch_answer(now, id, index, BatchAnswer{400, parsed.error().message, false}, false);
        return;
    }
    if (auto wrong = wrong_swarm_body(owner_of(*parsed))) {
        reject(node_counter::wrong_swarm);
        batch_answer(now, id, index, BatchAnswer{421, std::move(*wrong), true}, false);
        return;
    }
    if (const auto* r = std::get_if<RetrieveRequest>(&*parsed)) {
        auto [status, body] = answer_retrieve(now, *r, b.modelled, b.from);
        batch_answer(now, id, index, BatchAnswer{status, std::move(body), status == 200}, false);
        return;
    }
    const RpcMethod method = method_of(*parsed);
    const CryptoWork work = b.modelled ? CryptoWork::modelled : CryptoWork::real;
    if (auto invalid = check_recursive(*parsed, unix_ms(now), false, work)) {
        reject(node_counter::rejected_rpc);
        batch_answer(now, id, index, BatchAnswer{http_status(method, invalid->code), std::move(invalid->message), false},
                     false);
        return;
    }
    // The peers get the sub-request alone, as a client would have sent it (its params are not
    // read again here).
    nlohmann::json forward = nlohmann::json::object();
    forward["method"] = sub.method;
    forward["params"] = std::move(b.subs[index].params);
    if (work == CryptoWork::modelled) forward[MODELLED_FIELD] = true;  // see start_fanout
    ++b.outstanding;
    const std::uint64_t fanout_id = start_fanout(now, *parsed, json_field::safe_dump(forward), b.from, work);
    Fanout& f = fanouts_[fanout_id];
    f.batch = id;
    f.batch_index = index;
    if (f.outstanding == 0) finish_fanout(now, fanout_id);
}

void ServiceNode::batch_answer(Timestamp now, std::uint64_t id, std::size_t index, BatchAnswer answer,
                               bool was_outstanding) {
    const auto it = batches_.find(id);
    if (it == batches_.end()) return;  // forgotten by a restart
    PendingBatch& b = it->second;
    if (b.sequence && !is_2xx(answer.code)) b.stopped = true;
    b.answers[index] = std::move(answer);
    if (was_outstanding) --b.outstanding;
    if (!b.advancing) advance_batch(now, id);
}

}  // namespace sessionproto
