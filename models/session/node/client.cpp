#include "models/session/node/client.hpp"

#include <algorithm>
#include <utility>

#include "models/session/common/memory_estimate.hpp"
#include "models/session/node/transport.hpp"
#include "models/session/storage/message_hash.hpp"
#include "models/session/storage/namespace.hpp"
#include "models/session/wire/envelope.hpp"

namespace sessionproto {

Client::Client(Ed25519Keypair identity, ClientConfig config, std::shared_ptr<PoolCache> pools, Entropy& entropy)
    : identity_(std::move(identity)),
      x25519_(x25519_from_ed25519(identity_)),
      account_(x25519_.pub),
      config_(std::move(config)),
      entropy_(entropy),
      pool_(std::move(pools)),
      paths_(account_.as_session_id()),
      poller_(account_.as_session_id()),
      configs_(account_.as_session_id()),
      connections_(config_.profile.guard_keep_alive, config_.profile.keep_alive_idle_ms) {
    if (config_.path_hops == 0) config_.path_hops = 1;
    if (config_.path_hops >= MAX_ONION_HOPS) config_.path_hops = MAX_ONION_HOPS - 1;
    if (config_.profile.path_count == 0) config_.profile.path_count = 1;
    if (config_.profile.onion_tries == 0) config_.profile.onion_tries = 1;
    if (config_.profile.retrieve_members_per_round == 0) config_.profile.retrieve_members_per_round = 1;
    pool_.set_min_pool(config_.profile.min_pool);
    swarms_.set_outer_max_ms(config_.profile.swarm_fetch_outer_max_ms);
}

// ---- Sans-IO surface ---------------------------------------------------------------------------

void Client::handle(Timestamp now, Input input) {
    if (auto* in = std::get_if<Inbound>(&input)) {
        on_inbound(now, std::move(*in));
    } else if (auto* t = std::get_if<TimerExpired>(&input)) {
        on_timer(now, t->id);
    }
    drive(now);
}

Effects Client::take_effects() {
    Effects out = std::move(effects_);
    effects_ = Effects{};
    return out;
}

std::optional<Timestamp> Client::next_wakeup() const {
    std::optional<Timestamp> best;
    for (const auto& [id, t] : timers_) {
        if (!best || t.at < *best) best = t.at;
    }
    return best;
}

void Client::start(Timestamp now) {
    started_ = true;
    online_ = true;
    poller_.start();
    configs_.start(now, config_, *this);
    // Desktop asks for its own swarm afresh every hour (ActionsPanel.tsx getFreshSwarmFor), so new
    // members get polled; Android relays rotate on a timer (PathManager.kt).
    if (config_.profile.own_swarm_refresh_ms > 0) {
        set_timer(ClientTimer::own_swarm_refresh, 0, after(now, config_.profile.own_swarm_refresh_ms));
    }
    if (config_.profile.path_rotate_ms > 0) {
        set_timer(ClientTimer::path_rotation, 0, after(now, config_.profile.path_rotate_ms));
    }
    drive(now);
}

std::optional<std::string> Client::send_message(Timestamp now, const AccountId& recipient, std::string body) {
    const std::int64_t now_ms = unix_ms(now);
    const CryptoWork work = draw_crypto_work();
    count(work == CryptoWork::real ? client_counter::messages_real : client_counter::messages_modelled);
    std::string text_for_sync = config_.profile.sync_copies ? body : std::string();
    auto sealed = seal_message(identity_, recipient,
                               OutgoingMessage{std::move(body), static_cast<std::uint64_t>(now_ms)}, entropy_, work);
    if (!sealed) {
        count(client_counter::seal_failed);
        event(app::StoreFailed{{}, 0, "seal failed"});
        return std::nullopt;
    }
    // Its name from now on: the hash the swarm will store it under (oxenss computes the same).
    std::string hash = storage_message_hash(recipient.as_session_id(), Namespace::default_ns, *sealed);
    SendJob job{recipient, hash, std::move(*sealed), now_ms};
    job.work = work;
    if (config_.profile.sync_copies) job.body = std::move(text_for_sync);
    sends_.add(next_id_++, std::move(job));
    drive(now);
    return hash;
}

void Client::set_online(Timestamp now, bool online) {
    online_ = online;
    if (online) {
        poller_.on_online(config_);
        drive(now);
    }
}

void Client::queue_sync_copy(Timestamp now, const SendJob& sent) {
    // The same text, to the sender's own Account ID, naming the conversation it belongs to; its
    // flow keeps the original's crypto work (sampled crypto).
    OutgoingMessage copy{sent.body, static_cast<std::uint64_t>(sent.created_ms), sent.recipient.hex()};
    auto sealed = seal_message(identity_, account_, copy, entropy_, sent.work);
    if (!sealed) {
        count(client_counter::seal_failed);
        return;
    }
    std::string hash = storage_message_hash(account_.as_session_id(), Namespace::default_ns, *sealed);
    SendJob job{account_, std::move(hash), std::move(*sealed), unix_ms(now)};
    job.work = sent.work;
    job.sync = true;
    count(client_counter::sync_copies);
    sends_.add(next_id_++, std::move(job));
}

std::uint64_t Client::counter(std::string_view reason) const {
    const auto it = counters_.find(reason);
    return it == counters_.end() ? 0 : it->second;
}

// ---- What the parts may ask (ClientContext) --------------------------------------------------------

TimerId Client::set_timer(ClientTimer kind, std::uint64_t ref, Timestamp at) {
    const TimerId id = next_id_++;
    timers_[id] = TimerEntry{kind, ref, at};
    effects_.timers.push_back(TimerRequest{id, at});
    return id;
}

void Client::cancel_timer(TimerId id) {
    if (timers_.erase(id) > 0) effects_.cancelled_timers.push_back(id);
}

void Client::count(std::string_view reason, std::uint64_t n) {
    auto it = counters_.find(reason);
    if (it == counters_.end()) it = counters_.emplace(std::string(reason), 0).first;
    it->second += n;
}

void Client::event(AppEvent event) { effects_.events.push_back(std::move(event)); }

CryptoWork Client::draw_crypto_work() {
    if (config_.real_crypto_fraction >= 1.0) return CryptoWork::real;
    constexpr std::uint64_t SCALE = std::uint64_t{1} << 32;
    const auto threshold = static_cast<std::uint64_t>(std::max(0.0, config_.real_crypto_fraction) * static_cast<double>(SCALE));
    return entropy_.uniform(SCALE) < threshold ? CryptoWork::real : CryptoWork::modelled;
}

std::uint64_t Client::send_request(Timestamp now, ClientRequest kind, std::uint64_t ref, const SnodeRecord& target,
                                   const PeerAddress& to, const char* endpoint, Bytes body, std::int64_t timeout_ms,
                                   std::uint64_t path_id, std::optional<OnionRequest> onion) {
    const std::uint64_t id = next_id_++;
    TransportPacket packet;
    packet.is_request = true;
    packet.request_id = id;
    packet.endpoint = endpoint;
    packet.body = std::move(body);
    // Every client request goes direct to a node over HTTPS (the guard of an onion request, a
    // guard test, a seed): a new connection first waits for its handshakes.
    effects_.sends.push_back(Outbound{to, encode_packet(packet), connections_.open_or_reuse(now, to)});
    Pending p;
    p.kind = kind;
    p.ref = ref;
    p.path_id = path_id;
    p.target = target;
    p.onion = std::move(onion);
    p.sent_at = now;
    p.timer = set_timer(ClientTimer::request_timeout, id, after(now, timeout_ms));
    pending_.emplace(id, std::move(p));
    return id;
}

void Client::send_direct(Timestamp now, ClientRequest kind, const SnodeRecord& target, std::string body,
                         std::int64_t timeout_ms) {
    send_request(now, kind, 0, target, target.address, ENDPOINT_STORAGE_RPC, to_bytes(body), timeout_ms, 0,
                 std::nullopt);
}

bool Client::send_onion(Timestamp now, ClientRequest kind, std::uint64_t ref, CryptoWork work,
                        const SnodeRecord& destination, const std::string& rpc, std::int64_t timeout_ms) {
    return send_onion_try(now, kind, ref, work, destination, rpc, timeout_ms, 1);
}

bool Client::send_onion_try(Timestamp now, ClientRequest kind, std::uint64_t ref, CryptoWork work,
                            const SnodeRecord& destination, const std::string& rpc, std::int64_t timeout_ms,
                            std::size_t tries) {
    if (!online_) return false;
    const OnionPath* path = paths_.choose(destination.ed25519, entropy_);
    if (path == nullptr) return false;
    std::vector<SnodeKeys> keys;
    keys.reserve(path->nodes.size());
    for (const auto& n : path->nodes) keys.push_back(SnodeKeys{n.ed25519, n.x25519});
    auto built = build_onion_request(as_bytes(rpc), keys, SnodeKeys{destination.ed25519, destination.x25519},
                                     config_.profile.enc_type, entropy_, work, config_.profile.enc_type_field);
    if (!built) {
        count(client_counter::onion_build_failed);
        return false;
    }
    count(work == CryptoWork::real ? client_counter::onion_real : client_counter::onion_modelled);
    Bytes body = built->body;
    const std::uint64_t id = send_request(now, kind, ref, destination, path->nodes.front().address, ENDPOINT_ONION_REQ,
                                          std::move(body), timeout_ms, path->id, std::move(*built));
    Pending& p = pending_.at(id);
    if (tries < config_.profile.onion_tries) p.rpc = rpc;  // kept only while it may be sent again
    p.work = work;
    p.timeout_ms = timeout_ms;
    p.tries = tries;
    return true;
}

void Client::onion_try_failed(Timestamp now, Pending pending) {
    if (pending.tries >= config_.profile.onion_tries) {
        route_outcome(now, pending, OnionOutcome{});
        return;
    }
    const std::uint64_t key = next_id_++;
    set_timer(ClientTimer::onion_retry, key, after(now, config_.profile.onion_retry_ms));
    onion_retries_.emplace(key, std::move(pending));
}

// ---- Main loop ---------------------------------------------------------------------------------

void Client::drive(Timestamp now) {
    if (!online_ || !started_) return;
    if (pool_.needs_seed()) pool_.request_seed(now, config_, *this);
    if (!pool_.snapshot()) return;
    if (paths_.ensure(now, pool_, config_, *this) == PathSet::Progress::gave_up) path_build_gave_up(now);
    if (paths_.empty()) return;
    if (poller_.wants_poll()) {
        poller_.try_poll(now, identity_, swarms_, pool_, config_, *this, configs_.bump_hashes());
    }
    if (configs_.wants_push()) configs_.try_push(now, identity_, swarms_, pool_, config_, *this);
    for (const auto id : sends_.ready()) sends_.try_send(now, id, swarms_, pool_, config_, *this);
    for (const auto id : swarms_.idle()) swarms_.try_fetch(now, id, pool_, config_, *this);
}

// ---- Inputs ---------------------------------------------------------------------------------------

void Client::on_inbound(Timestamp now, Inbound in) {
    auto packet = decode_packet(in.payload);
    if (!packet) {
        count(client_counter::malformed_packet);
        return;
    }
    if (packet->is_request) {
        count(client_counter::unexpected_request);
        return;
    }
    const auto it = pending_.find(packet->request_id);
    if (it == pending_.end()) {
        count(client_counter::unmatched_response);
        return;
    }
    Pending p = std::move(it->second);
    pending_.erase(it);
    cancel_timer(p.timer);
    switch (p.kind) {
        case ClientRequest::seed:
            pool_.on_seed_reply(now, packet->status, packet->body, config_, *this);
            break;
        case ClientRequest::guard_test:
            paths_.on_guard_reply(p.target, packet->status == 200, pool_, config_, *this);
            break;
        case ClientRequest::refresh:
        case ClientRequest::get_swarm:
        case ClientRequest::store:
        case ClientRequest::retrieve:
        case ClientRequest::config_push:
            on_onion_reply(now, std::move(p), packet->status, packet->body);
            break;
    }
}

void Client::on_timer(Timestamp now, TimerId id) {
    const auto it = timers_.find(id);
    if (it == timers_.end()) {
        count(client_counter::unknown_timer);
        return;
    }
    const TimerEntry t = it->second;
    timers_.erase(it);
    switch (t.kind) {
        case ClientTimer::request_timeout:
            on_request_timeout(now, t.ref);
            break;
        case ClientTimer::seed_retry:
            pool_.on_seed_retry_timer(now, config_, *this);
            break;
        case ClientTimer::refresh:
            on_refresh_done(pool_.on_refresh_timer(now, !paths_.empty(), config_, *this));
            break;
        case ClientTimer::path_retry:
            paths_.on_retry_timer();
            break;
        case ClientTimer::swarm_retry:
            swarms_.on_retry_timer(t.ref);
            break;
        case ClientTimer::store_retry:
            sends_.resume(t.ref);
            break;
        case ClientTimer::poll:
            poller_.on_timer(now, config_, *this);
            break;
        case ClientTimer::poll_round:
            poller_.on_round_timeout(now, t.ref, config_, *this);
            break;
        case ClientTimer::onion_retry: {
            auto r = onion_retries_.find(t.ref);
            if (r == onion_retries_.end()) break;
            Pending& p = r->second;
            // No usable path yet: the try waits for one (desktop getOnionPath builds and awaits
            // it), PATH_BUILD_ATTEMPTS times PATH_BUILD_RETRY_MS at most; a build that gives up
            // fails it sooner (path_build_gave_up). Offline, the RPC fails at once.
            const bool sent =
                online_ && send_onion_try(now, p.kind, p.ref, p.work, p.target, p.rpc, p.timeout_ms, p.tries + 1);
            if (!sent && online_ && ++p.path_waits < PATH_BUILD_ATTEMPTS) {
                set_timer(ClientTimer::onion_retry, t.ref, after(now, PATH_BUILD_RETRY_MS));
                break;
            }
            Pending done = std::move(p);
            onion_retries_.erase(r);
            if (sent) {
                count(client_counter::onion_retries);
            } else {
                route_outcome(now, done, OnionOutcome{});
            }
            break;
        }
        case ClientTimer::own_swarm_refresh:
            count(client_counter::own_swarm_refreshes);
            swarms_.forget(account_.as_session_id());
            set_timer(ClientTimer::own_swarm_refresh, 0, after(now, config_.profile.own_swarm_refresh_ms));
            break;
        case ClientTimer::path_rotation:
            if (online_) paths_.rotate_relays(*this);
            set_timer(ClientTimer::path_rotation, 0, after(now, config_.profile.path_rotate_ms));
            break;
        case ClientTimer::config_push:
            configs_.on_timer();
            break;
    }
}

void Client::on_request_timeout(Timestamp now, std::uint64_t request_id) {
    const auto it = pending_.find(request_id);
    if (it == pending_.end()) return;
    Pending p = std::move(it->second);
    pending_.erase(it);
    switch (p.kind) {
        case ClientRequest::seed:
            pool_.on_seed_timeout(now, config_, *this);
            break;
        case ClientRequest::guard_test:
            paths_.on_guard_reply(p.target, false, pool_, config_, *this);
            break;
        case ClientRequest::refresh:
        case ClientRequest::get_swarm:
        case ClientRequest::store:
        case ClientRequest::retrieve:
        case ClientRequest::config_push:
            count(client_counter::onion_timeout);
            event(app::OnionFailed{p.path_id, 0, unix_ms(now) - unix_ms(p.sent_at), "timeout"});
            path_failure(p.path_id, "timeout");
            onion_try_failed(now, std::move(p));
            break;
    }
}

// ---- Across parts -----------------------------------------------------------------------------------

void Client::node_failure(const Ed25519Pubkey& node) {
    if (pool_.strike(node)) drop_node(node);
}

void Client::drop_node(const Ed25519Pubkey& node) {
    if (!pool_.drop(node)) return;
    count(client_counter::node_dropped);
    swarms_.forget_node(node);
    paths_.drop_node(node, pool_, *this);
}

void Client::path_failure(std::uint64_t path_id, std::string_view reason) {
    const OnionPath* path = paths_.find(path_id);
    if (path == nullptr) return;  // already dropped
    const std::vector<SnodeRecord> nodes = path->nodes;
    // Every failure strikes the path's nodes first: desktop incrementBadPathCountOrDrop strikes
    // each non-guard node (onions.ts incrementBadSnodeCountOrDrop), Android handleBadPath every
    // node, guard included. A node struck out leaves the pool and is patched out of the path.
    const std::size_t first = config_.profile.strike_guard_on_path_failure ? 0 : 1;
    for (std::size_t i = first; i < nodes.size(); ++i) node_failure(nodes[i].ed25519);
    // Then the path's own count; at PATH_FAILURE_THRESHOLD it goes, and desktop takes its guard
    // out of the pool (dropPathStartingWithGuardNode).
    const auto dropped = paths_.strike(path_id, reason, *this);
    if (dropped && !config_.profile.strike_guard_on_path_failure) pool_.exclude(dropped->front().ed25519);
}

void Client::path_build_gave_up(Timestamp now) {
    // Desktop getOnionPath gives up after 10 attempts: the requests waiting for a path fail.
    for (const auto id : sends_.ready()) sends_.attempt_failed(now, id, "no path", config_, *this);
    for (const auto id : swarms_.idle()) on_fetch_finished(now, swarms_.finish(id, false, *this));
    auto waiting = std::move(onion_retries_);
    onion_retries_.clear();
    for (auto& [key, p] : waiting) route_outcome(now, p, OnionOutcome{});
    paths_.arm_retry(now, *this);
}

void Client::on_fetch_finished(Timestamp now, std::optional<SwarmCache::Finished> finished) {
    if (!finished) return;
    for (const auto job_id : finished->waiting_jobs) {
        if (finished->ok) {
            sends_.resume(job_id);  // drive() sends it
        } else {
            sends_.attempt_failed(now, job_id, "get_swarm failed", config_, *this);
        }
    }
    if (finished->poll_waiting && !finished->ok) poller_.done(now, false, config_, *this);
}

void Client::on_refresh_done(bool strikes_reset) {
    if (strikes_reset) paths_.reset_strikes();
}

void Client::deliver(Timestamp now, const RetrievedMessage& message) {
    auto opened = open_message(x25519_, message.data, config_.real_crypto_fraction < 1.0);
    if (!opened) {
        count(client_counter::undecryptable_message);
        return;
    }
    if (!opened->sync_target.empty()) {
        // A sync copy of this account's own message (from another of its devices, or its own
        // read back): shown as sent, not as received.
        count(client_counter::own_messages);
        return;
    }
    std::string sender = opened->sender.hex();
    const bool request = config_.message_requests && !contacts_.contains(sender);
    if (request) count(client_counter::message_requests);
    event(app::MessageReceived{message.hash, opened->sender, std::move(opened->body),
                               unix_ms(now) - static_cast<std::int64_t>(opened->timestamp_ms), request});
}

// ---- Onion replies -------------------------------------------------------------------------------------

void Client::on_onion_reply(Timestamp now, Pending pending, std::uint32_t status, ByteView body) {
    ClassifiedReply reply = classify_onion_reply(status, body, *pending.onion, pending.path_id, &pool_.cache().replies());
    if (reply.source == ReplySource::path) {
        if (reply.verdict == ReplyVerdict::undecryptable) {
            count(client_counter::bad_onion_reply);
            path_failure(pending.path_id, "bad reply");
            event(app::OnionFailed{pending.path_id, 200, unix_ms(now) - unix_ms(pending.sent_at), "undecryptable reply"});
        } else {
            // An error from a path node, in clear text (desktop onions.ts processOnionRequestErrorOnPath).
            switch (reply.verdict) {
                case ReplyVerdict::clock_error:
                    count(client_counter::clock_error);
                    break;
                case ReplyVerdict::next_node_not_found:
                    count(client_counter::next_node_not_found);
                    drop_node(*reply.missing_node);
                    break;
                case ReplyVerdict::path_error:
                    count(client_counter::onion_error);
                    path_failure(pending.path_id, "status " + std::to_string(status));
                    break;
                default:  // no_penalty
                    count(client_counter::onion_error);
                    break;
            }
            event(app::OnionFailed{pending.path_id, static_cast<int>(status), unix_ms(now) - unix_ms(pending.sent_at),
                                   reply.text.substr(0, 120)});
        }
        onion_try_failed(now, std::move(pending));
        return;
    }
    event(app::OnionRoundTrip{pending.path_id, unix_ms(now) - unix_ms(pending.sent_at)});
    // The destination's own status (processOnionRequestErrorAtDestination).
    switch (reply.verdict) {
        case ReplyVerdict::clock_error:
            count(client_counter::clock_error);
            break;
        case ReplyVerdict::wrong_swarm:
            count(client_counter::wrong_swarm);
            break;
        case ReplyVerdict::next_node_not_found:
            count(client_counter::destination_error);
            count(client_counter::next_node_not_found);
            drop_node(*reply.missing_node);
            break;
        case ReplyVerdict::node_error:
            count(client_counter::destination_error);
            node_failure(pending.target.ed25519);
            break;
        default:  // ok, no_penalty
            break;
    }
    route_outcome(now, pending, reply.outcome);
}

void Client::route_outcome(Timestamp now, const Pending& pending, const OnionOutcome& outcome) {
    switch (pending.kind) {
        case ClientRequest::get_swarm:
            on_fetch_finished(now, swarms_.on_reply(now, pending.ref, outcome, pool_, *this));
            break;
        case ClientRequest::store:
            if (outcome.status == 421) {
                // Replace the recipient's swarm with the reply's list, or drop the node when the
                // body does not parse (desktop handle421).
                if (const auto owner = sends_.recipient(pending.ref)) {
                    if (!swarms_.replace_from(*owner, outcome.body, entropy_)) {
                        swarms_.forget_member(*owner, pending.target.ed25519);
                    }
                }
            }
            if (auto confirmed = sends_.on_store_reply(now, pending.ref, outcome, paths_, config_, *this);
                confirmed && !confirmed->sync && config_.profile.sync_copies) {
                queue_sync_copy(now, *confirmed);
            }
            break;
        case ClientRequest::retrieve:
            poller_.on_reply(now, pending.ref, pending.target.ed25519, outcome, swarms_, pool_, config_, *this,
                             [this, now](const RetrievedMessage& m) { deliver(now, m); });
            break;
        case ClientRequest::refresh:
            on_refresh_done(pool_.on_refresh_reply(now, outcome, config_, *this));
            break;
        case ClientRequest::config_push:
            configs_.on_reply(now, outcome, config_, *this);
            break;
        default:
            break;
    }
}

ClientMemory Client::memory() const {
    ClientMemory m;
    m.pool = pool_.heap_bytes();
    m.paths = paths_.heap_bytes();
    m.swarms = swarms_.heap_bytes();
    m.requests = memory::heap_bytes(timers_) + memory::heap_bytes(pending_) + memory::heap_bytes(onion_retries_) +
                 sends_.heap_bytes();
    for (const auto* waiting : {&pending_, &onion_retries_}) {
        for (const auto& [id, p] : *waiting) {
            m.requests += memory::heap_bytes(p.rpc);
            if (p.onion) m.requests += memory::heap_bytes(p.onion->body);
        }
    }
    m.polls = poller_.heap_bytes();
    m.other = sizeof(Client) + memory::heap_bytes(contacts_) + memory::heap_bytes(counters_) + connections_.heap_bytes();
    for (const auto& c : contacts_) m.other += memory::heap_bytes(c);
    return m;
}

}  // namespace sessionproto
