#include "models/session/node/service_node.hpp"

#include <algorithm>
#include <set>
#include <utility>
#include <variant>

#include "models/session/common/memory_estimate.hpp"
#include "models/session/node/replicate_parse_memo.hpp"
#include "models/session/node/transport.hpp"
#include "models/session/onion/response.hpp"
#include "models/session/storage/data_push.hpp"
#include "models/session/storage/directory_rpc.hpp"
#include "models/session/storage/json_fields.hpp"

namespace sessionproto {

using nlohmann::json;
using json_field::safe_dump;

namespace {

std::chrono::milliseconds ms(std::int64_t v) { return std::chrono::milliseconds(v); }

/// Builds the hashes of a delete_all / delete_before / expire_all member result: one list, or
/// per namespace when the request selected all namespaces. Outputs also the sorted hash list.
HashListNodeResult hash_list_result(const NamespaceSelector& selector,
                                    const std::vector<std::pair<Namespace, std::string>>& pairs,
                                    std::vector<std::string>& sorted) {
    sorted.clear();
    for (const auto& p : pairs) sorted.push_back(p.second);
    std::sort(sorted.begin(), sorted.end());
    HashListNodeResult r;
    if (std::holds_alternative<AllNamespaces>(selector)) {
        std::map<Namespace, std::vector<std::string>> by_ns;
        for (const auto& [ns, hash] : pairs) by_ns[ns].push_back(hash);
        for (auto& [ns, hashes] : by_ns) std::sort(hashes.begin(), hashes.end());
        r.hashes = std::move(by_ns);
    } else {
        r.hashes = sorted;
    }
    return r;
}

}  // namespace

ServiceNode::ServiceNode(Ed25519Keypair identity, PeerAddress address, ServiceNodeConfig config, Entropy& entropy)
    : identity_(identity),
      x25519_(x25519_from_ed25519(identity)),
      address_(address),
      config_(config),
      entropy_(entropy),
      store_(config.store_byte_limit),
      buckets_(config.client_rate_per_s, config.client_burst, config.max_tracked_clients),
      list_(empty_swarm_snapshot()) {}

// ---- Driving --------------------------------------------------------------------------------

void ServiceNode::handle(Timestamp now, Input input) {
    ensure_sweep(now);
    if (auto* in = std::get_if<Inbound>(&input)) {
        on_inbound(now, std::move(*in));
    } else if (auto* t = std::get_if<TimerExpired>(&input)) {
        on_timer(now, t->id);
    } else if (auto* u = std::get_if<SwarmUpdate>(&input)) {
        on_swarm_update(now, std::move(*u));
    }
}

void ServiceNode::restart(Timestamp now) {
    // oxenss keeps the service-node list in memory only: a restarted storage server knows no
    // swarm and no node until oxend answers its first poll (snode/service_node.cpp, c3b96a2;
    // persisting the swarms came later, PR #511). Its first list then pushes nothing: "Only
    // started in a swarm, nothing to do" (snode/swarm.cpp derive_swarm_events, c3b96a2). The
    // messages are on disk and stay.
    list_ = empty_swarm_snapshot();
    have_update_ = false;
    own_swarm_ = INVALID_SWARM_ID;
    peers_.clear();
    timers_.clear();
    relays_.clear();
    fanouts_.clear();
    batches_.clear();
    peer_requests_.clear();
    data_ready_retries_.clear();
    sweep_timer_.reset();
    ensure_sweep(now);
}

Effects ServiceNode::take_effects() {
    Effects out = std::move(effects_);
    effects_ = Effects{};
    return out;
}

std::optional<Timestamp> ServiceNode::next_wakeup() const {
    std::optional<Timestamp> best;
    for (const auto& [id, entry] : timers_) {
        if (!best || entry.at < *best) best = entry.at;
    }
    return best;
}

std::uint64_t ServiceNode::counter(std::string_view reason) const {
    const auto it = counters_.find(reason);
    return it == counters_.end() ? 0 : it->second;
}

std::optional<SwarmId> ServiceNode::swarm_for(const SessionId& pubkey) const {
    return closest_swarm(pubkey_to_swarm_space(pubkey), list_->swarm_ids());
}

std::vector<SnodeRecord> ServiceNode::swarm_members(SwarmId id) const {
    const auto members = list_->members(id);
    return {members.begin(), members.end()};
}

// ---- Inbound datagrams --------------------------------------------------------------------

void ServiceNode::on_inbound(Timestamp now, Inbound in) {
    auto packet = decode_packet(in.payload);
    if (!packet.ok()) {
        count(node_counter::malformed_packet);
        return;
    }
    TransportPacket& p = *packet;
    ++effects_.work.requests;
    if (!p.is_request) {
        on_response(now, p.request_id, p.status, std::move(p.body));
        return;
    }
    effects_.observations.push_back(
        Observation{Observation::Kind::received, in.from, std::nullopt, in.payload.size(), std::nullopt});

    const bool onion_entry = p.endpoint == ENDPOINT_ONION_REQ;
    const bool direct_rpc = p.endpoint == ENDPOINT_STORAGE_RPC;
    // Only a direct client RPC is rate-limited: oxenss calls the limiter in
    // HTTPS::process_storage_rpc_req (server/https.cpp) and MQBase::handle_client_rpc when not
    // forwarded (server/mqbase.cpp), never in process_onion_req_v2 nor for the storage RPC at an
    // onion's final hop (oxen-io/oxen-storage-server c3b96a2).
    if (direct_rpc && config_.rate_limit_clients) {
        if (!buckets_.admit(in.from.ipv4, now)) {
            reject(node_counter::rate_limited);
            send_response(in.from, p.request_id, 429, to_bytes("Too Many Requests"));
            return;
        }
    }
    if (onion_entry) {
        auto hop = parse_entry_request(p.body);
        if (!hop.ok()) {
            reject(node_counter::bad_onion);
            send_response(in.from, p.request_id, 400, to_bytes("Invalid onion request"));
            return;
        }
        on_onion(now, in.from, p.request_id, std::move(*hop));
    } else if (direct_rpc) {
        on_rpc(now, to_string(p.body), ReplyRoute{in.from, p.request_id, std::nullopt}, in.from);
    } else if (p.endpoint == ENDPOINT_ONION_RELAY) {
        if (!is_known_node_ip(in.from.ipv4)) {
            reject(node_counter::not_from_node);
            send_response(in.from, p.request_id, 403, to_bytes("Not a service node"));
            return;
        }
        auto hop = parse_relay(p.body);
        if (!hop.ok()) {
            reject(node_counter::bad_onion);
            send_response(in.from, p.request_id, 400, to_bytes("Invalid onion request"));
            return;
        }
        on_onion(now, in.from, p.request_id, std::move(*hop));
    } else if (p.endpoint == ENDPOINT_REPLICATE) {
        on_replicate(now, in.from, p.request_id, p.body);
    } else if (p.endpoint == ENDPOINT_DATA_READY) {
        on_data_ready(in.from, p.request_id);
    } else {
        count(node_counter::unknown_endpoint);
        send_response(in.from, p.request_id, 404, to_bytes("Unknown endpoint"));
    }
}

void ServiceNode::on_onion(Timestamp now, const PeerAddress& from, std::uint64_t request_id, OnionHop hop) {
    ++effects_.work.onion_layers;
    effects_.work.crypto_bytes += hop.ciphertext.size();
    auto action = peel_onion_layer(x25519_, std::move(hop), config_.accept_modelled_crypto);
    if (!action.ok()) {
        reject(node_counter::bad_onion);
        send_response(from, request_id, 400, to_bytes("Invalid onion request"));
        return;
    }
    if (auto* relay = std::get_if<RelayToNode>(&*action)) {
        const SnodeRecord* next = list_->find(relay->next);
        if (next == nullptr) {
            reject(node_counter::unknown_next_hop);
            std::string text = "Next node not found: ";
            text.append(relay->next.hex());
            send_response(from, request_id, 502, to_bytes(text));
            return;
        }
        const std::size_t size = relay->hop.ciphertext.size();
        const std::uint64_t out_id = send_request(next->address, ENDPOINT_ONION_RELAY, encode_relay(relay->hop));
        const TimerId timer = set_timer(now + ms(config_.relay_timeout_ms), TimerKind::relay, out_id);
        relays_.emplace(out_id, PendingRelay{from, request_id, timer});
        effects_.observations.push_back(
            Observation{Observation::Kind::relayed, from, relay->next, size, std::nullopt});
    } else if (auto* final_hop = std::get_if<FinalDestination>(&*action)) {
        const std::string body = to_string(final_hop->request);
        on_rpc(now, body, ReplyRoute{from, request_id, std::move(*final_hop)}, from);
    } else {
        // External HTTP servers are not modelled yet: refuse, plainly (there is no reply key).
        reject(node_counter::proxy_not_modelled);
        send_response(from, request_id, 502, to_bytes("Proxy to external servers is not available"));
    }
}

// ---- Storage RPC ----------------------------------------------------------------------------

void ServiceNode::on_rpc(Timestamp now, std::string_view body, ReplyRoute route, const PeerAddress& from) {
    // The body is parsed once: directory methods are answered here, storage methods go on to
    // parse_rpc_params (a malformed body falls back to parse_rpc_request for its error).
    const json j = json::parse(body, nullptr, false);
    const json* method_field = nullptr;
    const json* params = nullptr;
    if (j.is_object()) {
        if (const auto m = j.find("method"); m != j.end() && m->is_string()) method_field = &*m;
        if (const auto p = j.find("params"); p != j.end()) params = &*p;
    }
    if (method_field != nullptr && on_directory_rpc(method_field->get_ref<const std::string&>(), params, route)) {
        return;
    }
    if (method_field != nullptr && (*method_field == "batch" || *method_field == "sequence")) {
        on_batch(now, params, std::move(route), from, *method_field == "sequence");  // service_node_batch.cpp
        return;
    }
    auto parsed = method_field != nullptr && params != nullptr && params->is_object()
                      ? parse_rpc_params(method_field->get_ref<const std::string&>(), *params)
                      : parse_rpc_request(body);
    if (!parsed.ok()) {
        reject(node_counter::bad_rpc);
        respond(route, 400, parsed.error().message);
        return;
    }
    const RpcRequest& request = *parsed;
    const RpcMethod method = method_of(request);
    if (own_swarm_ == INVALID_SWARM_ID) {
        reject(node_counter::no_swarm);
        respond(route, 503, "Service node is not ready: no swarm");
        return;
    }
    if (auto wrong = wrong_swarm_body(owner_of(request))) {
        reject(node_counter::wrong_swarm);
        respond(route, 421, std::move(*wrong));
        return;
    }
    if (const auto* r = std::get_if<RetrieveRequest>(&request)) {
        auto [status, reply] = answer_retrieve(now, *r, route.onion && route.onion->modelled, from);
        respond(route, status, std::move(reply));
        return;
    }

    // oxenss validates the request, then sends it to its swarm peers "right away, before we
    // process it ourselves" (rpc/request_handler.cpp setup_recursive_request / distribute_command,
    // oxen-io/oxen-storage-server c3b96a2), then applies it locally: the peers' sn.storage_cc go
    // out before this node's own store. A request that fails validation is answered with its
    // error and never forwarded.
    const CryptoWork work = route.onion && route.onion->modelled ? CryptoWork::modelled : CryptoWork::real;
    if (auto invalid = check_recursive(request, unix_ms(now), false, work)) {
        reject(node_counter::rejected_rpc);
        respond(route, http_status(method, invalid->code), std::move(invalid->message));
        return;
    }
    // A modelled flow's request is forwarded marked (MODELLED_FIELD), built from the body parsed
    // above; a real one exactly as the client sent it.
    std::string marked;
    if (work == CryptoWork::modelled && !peers_.empty()) {
        json with_marker = j;
        with_marker[MODELLED_FIELD] = true;
        marked = safe_dump(with_marker);
    }
    const std::uint64_t fanout_id = start_fanout(now, request, marked.empty() ? body : marked, from, work);
    Fanout& f = fanouts_[fanout_id];
    f.route = std::move(route);
    if (f.outstanding == 0) finish_fanout(now, fanout_id);
}

std::uint64_t ServiceNode::start_fanout(Timestamp now, const RpcRequest& request, std::string_view forward_body,
                                        const PeerAddress& from, CryptoWork work) {
    const std::uint64_t fanout_id = next_fanout_id_++;
    Fanout& f = fanouts_[fanout_id];
    f.method = method_of(request);
    // Forward the request as the client sent it (sn.storage_cc), one 5 s timer per peer.
    for (const auto& peer : peers_) {
        const std::uint64_t out_id = send_request(peer.address, ENDPOINT_REPLICATE, to_bytes(forward_body));
        const TimerId timer = set_timer(now + ms(config_.replicate_timeout_ms), TimerKind::peer_request, out_id);
        peer_requests_.emplace(out_id, PeerRequest{fanout_id, peer.ed25519, timer});
        ++f.outstanding;
    }
    LocalOutcome own = apply_valid(now, request, from, false, work);
    f.top_hash = own.hash;
    f.results[identity_.pub] = member_entry_text(own.member);
    return fanout_id;
}

std::pair<int, std::string> ServiceNode::answer_retrieve(Timestamp now, const RetrieveRequest& r, bool modelled,
                                                         const PeerAddress& from) {
    const std::int64_t now_ms = unix_ms(now);
    if (r.authenticated) ++effects_.work.signature_checks;
    auto ok = validate(r, now_ms, modelled ? CryptoWork::modelled : CryptoWork::real);
    if (!ok.ok()) {
        reject(node_counter::rejected_rpc);
        return {http_status(RpcMethod::retrieve, ok.error().code), ok.error().message};
    }
    ++effects_.work.db_reads;
    const auto result = store_.retrieve(r.pubkey, r.ns, r.last_hash.value_or(""), now_ms, effective_retrieve_limits(r));
    std::string reply = safe_dump(to_json(make_retrieve_reply(result, now_ms)));
    effects_.observations.push_back(Observation{Observation::Kind::retrieved, from, std::nullopt, reply.size(), r.pubkey});
    return {200, std::move(reply)};
}

std::optional<Error> ServiceNode::check_recursive(const RpcRequest& request, std::int64_t now_ms, bool forwarded,
                                                  CryptoWork work) {
    // Every recursive method but an unauthenticated store carries a signature to verify.
    const auto* store = std::get_if<StoreRequest>(&request);
    if (store == nullptr || store->signature) ++effects_.work.signature_checks;
    auto error_of = [](const Status& st) { return st.ok() ? std::nullopt : std::optional<Error>(st.error()); };
    if (const auto* r = std::get_if<StoreRequest>(&request)) return error_of(validate(*r, now_ms, work));
    if (const auto* r = std::get_if<DeleteRequest>(&request)) return error_of(validate(*r, now_ms));
    if (const auto* r = std::get_if<DeleteAllRequest>(&request)) return error_of(validate(*r, now_ms, forwarded));
    if (const auto* r = std::get_if<DeleteBeforeRequest>(&request)) return error_of(validate(*r, now_ms));
    if (const auto* r = std::get_if<ExpireAllRequest>(&request)) return error_of(validate(*r, now_ms, forwarded));
    if (const auto* r = std::get_if<ExpireRequest>(&request)) {
        auto expiries = validate_expire(*r, now_ms, work);
        return expiries.ok() ? std::nullopt : std::optional<Error>(expiries.error());
    }
    return Error{ErrorCode::bad_encoding, "not a recursive method"};  // retrieve
}

ServiceNode::LocalOutcome ServiceNode::apply_local(Timestamp now, const RpcRequest& request, const PeerAddress& from,
                                                   bool forwarded, CryptoWork work) {
    if (auto invalid = check_recursive(request, unix_ms(now), forwarded, work)) {
        LocalOutcome out;
        out.status = http_status(method_of(request), invalid->code);
        out.error = std::move(invalid->message);
        return out;
    }
    return apply_valid(now, request, from, forwarded, work);
}

ServiceNode::LocalOutcome ServiceNode::apply_valid(Timestamp now, const RpcRequest& request, const PeerAddress& from,
                                                   bool forwarded, CryptoWork work) {
    const std::int64_t now_ms = unix_ms(now);
    // A member's signed result; a modelled flow's carries the stand-in (an all-zero signature of
    // the same size: common/crypto_work.hpp), since no client checks it.
    const auto sign = [&](const std::string& text) {
        return work == CryptoWork::modelled ? Signature{} : ed25519_sign(identity_.sec, as_bytes(text));
    };
    LocalOutcome out;
    const SessionId& owner = owner_of(request);

    if (!std::holds_alternative<RetrieveRequest>(request)) {
        ++effects_.work.db_writes;
        ++effects_.work.signatures;  // every member result below is signed
    }
    if (const auto* r = std::get_if<StoreRequest>(&request)) {
        ++effects_.work.hashes;
        effects_.work.crypto_bytes += r->data.size();
        const StoreResult res = store_.store(r->pubkey, r->ns, r->timestamp_ms, r->expiry_ms, r->data);
        if (res.outcome == StoreOutcome::full) {
            count(node_counter::store_full);
            SwarmFailure failure;
            failure.reason = "database full";
            out.member = to_json(failure);
            return out;
        }
        effects_.observations.push_back(
            Observation{Observation::Kind::stored, from, std::nullopt, r->data.size(), r->pubkey});
        if (res.outcome == StoreOutcome::stored) {
            effects_.events.push_back(app::MessageStored{res.hash, owner, r->data.size(), forwarded});
        }
        const StoreNodeResult node{res.hash, sign(store_result_signed_text(res.hash)),
                                   res.expiry_ms, res.outcome != StoreOutcome::stored};
        out.member = to_json(node);
        out.hash = res.hash;
        return out;
    }
    if (const auto* r = std::get_if<DeleteRequest>(&request)) {
        const auto deleted = store_.delete_by_hash(owner, r->messages);
        HashListNodeResult node;
        node.hashes = deleted;
        node.signature = sign(delete_result_signed_text(owner, r->messages, deleted));
        out.member = to_json(node, "deleted");
        return out;
    }
    auto hash_list = [&](const NamespaceSelector& ns, const std::vector<std::pair<Namespace, std::string>>& pairs,
                         std::int64_t number, std::string_view key) {
        std::vector<std::string> sorted;
        HashListNodeResult node = hash_list_result(ns, pairs, sorted);
        node.signature = sign(hash_list_result_signed_text(owner, number, sorted));
        out.member = to_json(node, key);
        return out;
    };
    if (const auto* r = std::get_if<DeleteAllRequest>(&request)) {
        return hash_list(r->ns, store_.delete_all(owner, r->ns), r->timestamp_ms, "deleted");
    }
    if (const auto* r = std::get_if<DeleteBeforeRequest>(&request)) {
        return hash_list(r->ns, store_.delete_before(owner, r->ns, r->before_ms), r->before_ms, "deleted");
    }
    if (const auto* r = std::get_if<ExpireAllRequest>(&request)) {
        return hash_list(r->ns, store_.shorten_all(owner, r->ns, r->expiry_ms), r->expiry_ms, "updated");
    }
    if (const auto* r = std::get_if<ExpireRequest>(&request)) {
        // Checked by check_recursive; the expiries are a pure function of the request and the time.
        const std::vector<std::int64_t> expiries = applied_expiries(*r, now_ms);
        const auto changed = store_.update_expiry(owner, r->messages, expiries, r->mode);
        ExpireNodeResult node;
        for (const auto& [hash, expiry] : changed) node.updated.push_back(hash);
        node.multi = expiries.size() > 1;
        if (node.multi) {
            for (const auto& [hash, expiry] : changed) node.expiry_ms.push_back(expiry);
        } else if (!expiries.empty()) {
            node.expiry_ms.push_back(expiries.front());
        }
        std::map<std::string, std::int64_t> unchanged;
        if (r->mode != ExpireMode::set) {
            unchanged = store_.get_expiries(owner, r->messages);
            for (const auto& hash : node.updated) unchanged.erase(hash);
            node.unchanged = unchanged;
        }
        node.signature = sign(expire_result_signed_text(owner, expiries, r->messages, node.updated, unchanged));
        out.member = to_json(node);
        return out;
    }
    out.status = 400;  // unreachable after check_recursive (retrieve is not a recursive method)
    out.error = "not a recursive method";
    return out;
}

void ServiceNode::finish_fanout(Timestamp now, std::uint64_t fanout_id) {
    const auto it = fanouts_.find(fanout_id);
    if (it == fanouts_.end()) return;
    Fanout f = std::move(it->second);
    fanouts_.erase(it);
    bool any_ok = false;
    for (const auto& [key, member] : f.results) any_ok = any_ok || !member.failed;
    // {"hash", "swarm": {<member>: <entry>}, "t"}: the entries' texts nested as they are (the
    // bytes oxenss writes after parsing them: member_result.hpp swarm_reply_text).
    std::string reply = swarm_reply_text(f.results, f.top_hash, unix_ms(now));
    const int status = any_ok ? 200 : 500;
    if (f.batch != 0) {
        batch_answer(now, f.batch, f.batch_index, BatchAnswer{status, std::move(reply), true}, true);
        return;
    }
    respond(f.route, status, std::move(reply));
}

std::optional<std::string> ServiceNode::wrong_swarm_body(const SessionId& owner) const {
    const auto target = swarm_for(owner);
    if (target && *target == own_swarm_) return std::nullopt;
    return swarm_body(target);
}

std::string ServiceNode::swarm_body(std::optional<SwarmId> swarm) const {
    return get_swarm_reply(swarm ? swarm_members(*swarm) : std::vector<SnodeRecord>{}, swarm);
}

bool ServiceNode::on_directory_rpc(const std::string& name, const json* params, const ReplyRoute& route) {
    if (name != "get_swarm" && name != "oxend_request") return false;
    if (params == nullptr || !params->is_object()) {
        reject(node_counter::bad_rpc);
        respond(route, 400, name + ": params must be an object");
        return true;
    }
    if (!have_update_) {
        reject(node_counter::no_swarm);
        respond(route, 503, "Service node is not ready: no service node list");
        return true;
    }
    if (name == "get_swarm") {
        // oxenss get_swarm: the members of the swarm responsible for `pubkey`.
        const auto id = parse_get_swarm_params(*params);
        if (!id) {
            reject(node_counter::bad_rpc);
            respond(route, 400, id.error().message);
            return true;
        }
        // The node learns who is asked for, from whom: a desktop guard test comes direct from
        // the client (onionPath.ts testGuardNode), so its IP and Account ID arrive together.
        std::string reply = swarm_body(swarm_for(*id));
        effects_.observations.push_back(Observation{Observation::Kind::looked_up, route.to, std::nullopt, reply.size(), *id});
        respond(route, 200, std::move(reply));
        return true;
    }
    // oxend_request: the storage server proxies a few oxend RPCs; get_service_nodes is what
    // clients bootstrap and refresh their pool with (spec session-network §4.1).
    if (const auto served = parse_oxend_request_params(*params); !served) {
        reject(node_counter::bad_rpc);
        respond(route, 400, served.error().message);
        return true;
    }
    // oxend's {"result": {"service_node_states": [...]}}: built, wrapped and (modelled) sealed
    // once per block and shared by every node (pool_reply.hpp).
    respond_pool(route);
    return true;
}

void ServiceNode::respond_pool(const ReplyRoute& route) {
    const PoolReply& pool = list_->pool_reply();
    if (!route.onion) {
        send_response(route.to, route.request_id, 200, to_bytes(pool.text()));
        return;
    }
    send_onion_reply(route, pool.text().size(),
                     route.onion->modelled ? Result<Bytes>(pool.modelled_reply(*route.onion))
                                           : seal_snode_response(*route.onion, pool.response_json(*route.onion), entropy_));
}

// ---- Node to node: replication and pushes -------------------------------------------------

void ServiceNode::on_replicate(Timestamp now, const PeerAddress& from, std::uint64_t request_id, ByteView body) {
    // oxenss admits node-to-node commands (the "sn" OMQ category: sn.data, sn.storage_cc) only
    // from a key in its latest list of active service nodes (server/omq.cpp, set_active_sns in
    // snode/service_node.cpp on_swarm_update, c3b96a2); here the sender's IPv4 stands for its key.
    // Nothing else is checked for a push: handle_sn_data stores the batch from any such node,
    // swarm peer or not (omq.cpp handle_sn_data, c3b96a2).
    if (!is_known_node_ip(from.ipv4)) {
        if (is_push(json_field::parse_or_discard(as_text(body)))) count(node_counter::push_unknown_sender);
        reject(node_counter::not_from_node);
        send_response(from, request_id, 403, to_bytes("Not a service node"));
        return;
    }
    // A replicated request reaches every peer with the same bytes: its reading comes from the
    // thread's memo when another peer read them first (replicate_parse_memo.hpp).
    ReplicateParseMemo& memo = ReplicateParseMemo::for_this_thread();
    std::shared_ptr<const ReplicatedRequest> reading = memo.find(body);
    if (!reading) {
        const json j = json_field::parse_or_discard(as_text(body));  // parsed in place, not copied
        if (j.is_discarded() || !j.is_object()) {
            reject(node_counter::bad_rpc);
            send_response(from, request_id, 400, to_bytes("Invalid request"));
            return;
        }
        if (is_push(j)) {
            on_push(now, from, request_id, j);
            return;
        }
        reading = std::make_shared<const ReplicatedRequest>(ReplicatedRequest{parse_rpc_json(j), j.contains(MODELLED_FIELD)});
        memo.keep(body, reading);
    }
    const Result<RpcRequest>& parsed = reading->request;
    if (!parsed.ok()) {
        reject(node_counter::bad_rpc);
        send_response(from, request_id, 400, to_bytes(parsed.error().message));
        return;
    }
    if (own_swarm_ == INVALID_SWARM_ID) {
        reject(node_counter::no_swarm);
        send_response(from, request_id, 503, to_bytes("Service node is not ready: no swarm"));
        return;
    }
    if (auto wrong = wrong_swarm_body(owner_of(*parsed))) {
        reject(node_counter::wrong_swarm);
        send_response(from, request_id, 421, to_bytes(*wrong));
        return;
    }
    // A modelled flow's request (sampled runs, marked by start_fanout's caller) is checked as modelled.
    const bool modelled = config_.accept_modelled_crypto && reading->modelled;
    LocalOutcome out = apply_local(now, *parsed, from, true, modelled ? CryptoWork::modelled : CryptoWork::real);
    if (out.status != 200) {
        reject(node_counter::rejected_rpc);
        send_response(from, request_id, static_cast<std::uint32_t>(out.status), to_bytes(out.error));
        return;
    }
    send_response(from, request_id, 200, to_bytes(safe_dump(out.member)));
}

void ServiceNode::on_push(Timestamp now, const PeerAddress& from, std::uint64_t request_id, const json& j) {
    auto items = parse_push(j);
    if (!items) {
        reject(node_counter::bad_push);
        send_response(from, request_id, 400, to_bytes("Invalid push"));
        return;
    }
    const std::int64_t now_ms = unix_ms(now);
    std::int64_t stored = 0;
    for (auto& item : *items) {
        if (!item) {
            count(node_counter::bad_push);
            continue;
        }
        if (item->expiry_ms <= now_ms) continue;  // already expired: the sweep would drop it anyway
        const std::size_t size = item->data.size();
        ++effects_.work.db_writes;
        ++effects_.work.hashes;
        effects_.work.crypto_bytes += size;
        const StoreResult res = store_.store(item->owner, item->ns, item->timestamp_ms, item->expiry_ms, std::move(item->data));
        if (res.outcome == StoreOutcome::full) {
            count(node_counter::store_full);
            continue;
        }
        if (res.outcome == StoreOutcome::stored) {
            ++stored;
            effects_.observations.push_back(
                Observation{Observation::Kind::stored, from, std::nullopt, size, item->owner});
            effects_.events.push_back(app::MessageStored{res.hash, item->owner, size, true});
        }
    }
    json reply = json::object();
    reply["stored"] = stored;
    send_response(from, request_id, 200, to_bytes(safe_dump(reply)));
}

void ServiceNode::on_response(Timestamp now, std::uint64_t request_id, std::uint32_t status, Bytes body) {
    if (const auto r = relays_.find(request_id); r != relays_.end()) {
        const PendingRelay relay = r->second;
        relays_.erase(r);
        cancel_timer(relay.timer);
        send_response(relay.reply_to, relay.reply_request_id, status, std::move(body));
        return;
    }
    const auto p = peer_requests_.find(request_id);
    if (p == peer_requests_.end()) {
        count(node_counter::unmatched_response);
        return;
    }
    const PeerRequest req = p->second;
    peer_requests_.erase(p);
    cancel_timer(req.timer);
    if (req.data_ready) {
        if (status == 200 && to_string(body) == "OK") {
            if (const SnodeRecord* peer = swarm_peer(req.peer)) push_all(now, {*peer});
        } else {
            retry_data_ready(now, req.peer);
        }
        return;
    }
    if (req.fanout == 0) {
        if (status != 200) count(node_counter::push_failed);
        return;
    }
    const auto f = fanouts_.find(req.fanout);
    if (f == fanouts_.end()) return;
    std::optional<MemberEntryText> member;
    if (status == 200) member = member_entry_from_peer(as_text(body));
    if (!member) {
        count(node_counter::replicate_failed);
        SwarmFailure failure;
        if (status == 200) {
            failure.bad_peer_response = true;
        } else {
            failure.code = static_cast<int>(status);
            failure.reason = to_string(body);
        }
        member = member_entry_text(to_json(failure));
    }
    f->second.results[req.peer] = std::move(*member);
    if (--f->second.outstanding == 0) finish_fanout(now, req.fanout);
}

void ServiceNode::on_swarm_update(Timestamp now, SwarmUpdate update) {
    const SwarmId old_swarm = own_swarm_;
    const bool had_update = have_update_;
    const std::shared_ptr<const SwarmSnapshot> old_list = list_;
    std::set<Ed25519Pubkey> old_peers;
    for (const auto& p : peers_) old_peers.insert(p.ed25519);

    list_ = update.snapshot ? std::move(update.snapshot) : empty_swarm_snapshot();
    have_update_ = true;
    const SnodeRecord* self = list_->find(identity_.pub);
    own_swarm_ = self == nullptr ? INVALID_SWARM_ID : SwarmId(self->swarm_id);
    peers_.clear();
    if (own_swarm_ != INVALID_SWARM_ID) {
        for (const auto& rec : swarm_members(own_swarm_)) {
            if (rec.ed25519 != identity_.pub) peers_.push_back(rec);
        }
    }
    // What the storage server pushes when the swarms change (spec session-network §2.6). An
    // inactive node (decommissioned, not listed) and a node's first list push nothing.
    if (!had_update || own_swarm_ == INVALID_SWARM_ID || old_swarm == INVALID_SWARM_ID) return;
    const auto& old_ids = old_list->swarm_ids();
    // The messages are read in place (pushes serialise them, nothing here keeps them), and only
    // when something is pushed: most blocks change nothing for most nodes.
    if (old_swarm == own_swarm_) {
        // Same swarm, new members: every existing member pushes all its messages to each, once.
        std::vector<SnodeRecord> fresh;
        for (const auto& p : peers_) {
            if (!old_peers.contains(p.ed25519)) fresh.push_back(p);
        }
        if (config_.push_waits_for_data_ready) {
            for (const auto& p : fresh) ask_data_ready(now, p.ed25519);  // PR #507: ask first
        } else {
            push_all(now, fresh);  // c3b96a2: at once, once
        }
        // Same swarm, new swarms elsewhere: the messages now owned by a new swarm go to every
        // member of it. (No new swarm id: nothing to scan.)
        const auto& ids = list_->swarm_ids();
        const bool new_swarms = std::any_of(ids.begin(), ids.end(), [&old_ids](SwarmId id) {
            return !std::binary_search(old_ids.begin(), old_ids.end(), id);
        });
        if (!new_swarms) return;
        std::map<SwarmId, std::vector<const StoredMessage*>> moved;
        store_.for_each([&](const StoredMessage& m) {
            const auto owner_swarm = swarm_for(m.owner);
            if (owner_swarm && *owner_swarm != own_swarm_ &&
                !std::binary_search(old_ids.begin(), old_ids.end(), *owner_swarm)) {
                moved[*owner_swarm].push_back(&m);
            }
        });
        for (const auto& [swarm, owned] : moved) push_messages(now, owned, swarm_members(swarm));
        return;
    }
    // Moved to another swarm: if the old one dissolved, every message goes to the swarm that now
    // owns it; if the old one still exists nothing is pushed and the old data stays as dead data
    // until it expires (oxen-storage-server#470).
    if (std::binary_search(list_->swarm_ids().begin(), list_->swarm_ids().end(), old_swarm)) return;
    std::map<SwarmId, std::vector<const StoredMessage*>> relocated;
    store_.for_each([&](const StoredMessage& m) {
        if (const auto owner_swarm = swarm_for(m.owner)) relocated[*owner_swarm].push_back(&m);
    });
    for (const auto& [swarm, owned] : relocated) {
        std::vector<SnodeRecord> members;
        for (const auto& rec : swarm_members(swarm)) {
            if (rec.ed25519 != identity_.pub) members.push_back(rec);
        }
        push_messages(now, owned, members);
    }
}

void ServiceNode::push_messages(Timestamp now, const std::vector<const StoredMessage*>& messages,
                                const std::vector<SnodeRecord>& members) {
    if (messages.empty() || members.empty()) return;
    const std::vector<std::string> batches = encode_push_batches(messages, config_.push_batch_bytes);
    for (const auto& member : members) {
        for (const auto& b : batches) {
            const std::uint64_t out_id = send_request(member.address, ENDPOINT_REPLICATE, to_bytes(b));
            const TimerId timer = set_timer(now + ms(config_.replicate_timeout_ms), TimerKind::peer_request, out_id);
            peer_requests_.emplace(out_id, PeerRequest{0, member.ed25519, timer});
        }
    }
    count(node_counter::pushes_sent, members.size() * batches.size());
}

void ServiceNode::push_all(Timestamp now, const std::vector<SnodeRecord>& members) {
    if (members.empty()) return;
    std::vector<const StoredMessage*> messages;
    messages.reserve(store_.message_count());
    store_.for_each([&messages](const StoredMessage& m) { messages.push_back(&m); });
    push_messages(now, messages, members);
}

// ---- snode.data_ready (oxen-storage-server PR #507) -------------------------------------------
// PR #507 (merged 2025-04; its description, as its code is not in the stored snapshot): "existing
// swarm members now send periodic snode.data_ready requests to the new member(s), and do not
// attempt to push swarm data to that member until they get back a successful reply (thus
// indicating that we can reach the node, and that the node properly recognizes us as a swarm
// peer) ... If the command times out, or the remote returns anything other than OK, the new
// member is returned to the queue and contact will be reattempted after another ~30s."

void ServiceNode::ask_data_ready(Timestamp now, const Ed25519Pubkey& peer) {
    const SnodeRecord* rec = swarm_peer(peer);
    if (rec == nullptr) return;  // no longer a member of this node's swarm: nothing to push
    const std::uint64_t out_id = send_request(rec->address, ENDPOINT_DATA_READY, to_bytes("{}"));
    const TimerId timer = set_timer(now + ms(config_.replicate_timeout_ms), TimerKind::peer_request, out_id);
    peer_requests_.emplace(out_id, PeerRequest{0, peer, timer, true});
    count(node_counter::data_ready_sent);
}

void ServiceNode::retry_data_ready(Timestamp now, const Ed25519Pubkey& peer) {
    count(node_counter::data_ready_not_ready);
    if (swarm_peer(peer) == nullptr) return;
    const std::uint64_t retry = next_retry_id_++;
    data_ready_retries_.emplace(retry, peer);
    set_timer(now + ms(config_.data_ready_retry_ms), TimerKind::data_ready_retry, retry);
}

void ServiceNode::on_data_ready(const PeerAddress& from, std::uint64_t request_id) {
    if (!is_known_node_ip(from.ipv4)) {
        reject(node_counter::not_from_node);
        send_response(from, request_id, 403, to_bytes("Not a service node"));
        return;
    }
    // OK when this node lists the asker as a member of its own swarm: it has applied the list
    // that made it (or the asker) a member.
    const bool ready = own_swarm_ != INVALID_SWARM_ID &&
                       std::any_of(peers_.begin(), peers_.end(),
                                   [&from](const SnodeRecord& p) { return p.address.ipv4 == from.ipv4; });
    if (ready) {
        send_response(from, request_id, 200, to_bytes("OK"));
    } else {
        send_response(from, request_id, 503, to_bytes("not ready"));
    }
}

const SnodeRecord* ServiceNode::swarm_peer(const Ed25519Pubkey& key) const {
    const auto it = std::find_if(peers_.begin(), peers_.end(), [&key](const SnodeRecord& p) { return p.ed25519 == key; });
    return it == peers_.end() ? nullptr : &*it;
}

// ---- Timers ---------------------------------------------------------------------------------

void ServiceNode::on_timer(Timestamp now, TimerId id) {
    const auto it = timers_.find(id);
    if (it == timers_.end()) {
        count(node_counter::unknown_timer);
        return;
    }
    const TimerEntry entry = it->second;
    timers_.erase(it);
    switch (entry.kind) {
        case TimerKind::sweep:
            store_.sweep(unix_ms(now));
            buckets_.cleanup(now);
            sweep_timer_.reset();
            ensure_sweep(now);
            break;
        case TimerKind::relay: {
            const auto r = relays_.find(entry.request_id);
            if (r == relays_.end()) break;
            const PendingRelay relay = r->second;
            relays_.erase(r);
            count(node_counter::relay_timeout);
            send_response(relay.reply_to, relay.reply_request_id, 504, to_bytes("Request time out"));
            break;
        }
        case TimerKind::data_ready_retry: {
            const auto r = data_ready_retries_.find(entry.request_id);
            if (r == data_ready_retries_.end()) break;
            const Ed25519Pubkey peer = r->second;
            data_ready_retries_.erase(r);
            ask_data_ready(now, peer);
            break;
        }
        case TimerKind::peer_request: {
            const auto p = peer_requests_.find(entry.request_id);
            if (p == peer_requests_.end()) break;
            const PeerRequest req = p->second;
            peer_requests_.erase(p);
            if (req.data_ready) {
                retry_data_ready(now, req.peer);
                break;
            }
            if (req.fanout == 0) {
                count(node_counter::push_timeout);
                break;
            }
            count(node_counter::replicate_timeout);
            const auto f = fanouts_.find(req.fanout);
            if (f == fanouts_.end()) break;
            SwarmFailure failure;
            failure.timeout = true;
            f->second.results[req.peer] = member_entry_text(to_json(failure));
            if (--f->second.outstanding == 0) finish_fanout(now, req.fanout);
            break;
        }
    }
}

void ServiceNode::ensure_sweep(Timestamp now) {
    if (sweep_timer_) return;
    sweep_timer_ = set_timer(now + ms(config_.cleanup_period_ms), TimerKind::sweep, 0);
}

TimerId ServiceNode::set_timer(Timestamp at, TimerKind kind, std::uint64_t request_id) {
    const TimerId id = next_timer_id_++;
    timers_.emplace(id, TimerEntry{kind, request_id, at});
    effects_.timers.push_back(TimerRequest{id, at});
    return id;
}

void ServiceNode::cancel_timer(TimerId id) {
    if (timers_.erase(id) > 0) effects_.cancelled_timers.push_back(id);
}

// ---- Output helpers -------------------------------------------------------------------------

void ServiceNode::respond(const ReplyRoute& route, int status, std::string body) {
    if (route.onion) {
        const std::size_t size = body.size();
        send_onion_reply(route, size, encode_snode_response(*route.onion, OnionResponse{status, std::move(body)}, entropy_));
        return;
    }
    send_response(route.to, route.request_id, static_cast<std::uint32_t>(status), to_bytes(body));
}

void ServiceNode::send_onion_reply(const ReplyRoute& route, std::size_t body_size, Result<Bytes> sealed) {
    ++effects_.work.onion_replies;
    effects_.work.crypto_bytes += body_size;
    if (!sealed.ok()) {
        send_response(route.to, route.request_id, 500, to_bytes(sealed.error().message));
        return;
    }
    send_response(route.to, route.request_id, 200, std::move(*sealed));
}

void ServiceNode::send_response(const PeerAddress& to, std::uint64_t request_id, std::uint32_t status, Bytes body) {
    TransportPacket p;
    p.is_request = false;
    p.request_id = request_id;
    p.status = status;
    p.body = std::move(body);
    effects_.sends.push_back(Outbound{to, encode_packet(p)});
}

std::uint64_t ServiceNode::send_request(const PeerAddress& to, std::string_view endpoint, Bytes body) {
    TransportPacket p;
    p.is_request = true;
    p.request_id = next_request_id_++;
    p.endpoint = std::string(endpoint);
    p.body = std::move(body);
    effects_.sends.push_back(Outbound{to, encode_packet(p)});
    return p.request_id;
}

void ServiceNode::count(std::string_view reason, std::uint64_t n) {
    const auto it = counters_.find(reason);
    if (it == counters_.end()) {
        counters_.emplace(std::string(reason), n);
    } else {
        it->second += n;
    }
}

void ServiceNode::reject(std::string_view reason) {
    count(reason);
    effects_.events.push_back(app::RequestRejected{reason});
}

bool ServiceNode::is_known_node_ip(std::uint32_t ipv4) const { return list_->has_ip(ipv4); }

ServiceNodeMemory ServiceNode::memory() const {
    ServiceNodeMemory m;
    m.message_data = store_.total_bytes();
    m.store_index = store_.index_bytes();
    m.pending = memory::heap_bytes(timers_) + memory::heap_bytes(relays_) + memory::heap_bytes(fanouts_) +
                memory::heap_bytes(batches_) + memory::heap_bytes(peer_requests_) + memory::heap_bytes(data_ready_retries_);
    for (const auto& [id, f] : fanouts_) m.pending += memory::heap_bytes(f.results);
    for (const auto& [id, b] : batches_) m.pending += memory::heap_bytes(b.subs) + memory::heap_bytes(b.answers);
    m.other = sizeof(ServiceNode) + memory::heap_bytes(peers_) + memory::heap_bytes(counters_) + buckets_.heap_bytes();
    return m;
}

}  // namespace sessionproto
