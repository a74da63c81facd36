#include "models/session/node/client.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "models/session/node/transport.hpp"
#include "models/session/onion/response.hpp"
#include "models/session/storage/namespace.hpp"
#include "models/session/storage/rpc.hpp"
#include "models/session/wire/envelope.hpp"

namespace sessionproto {

namespace {

using json = nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Timestamp after(Timestamp now, std::int64_t ms) { return now + std::chrono::milliseconds(ms); }

/// The body of the pool request (seed and refresh): oxenss `oxend_request` proxying oxend's
/// `get_service_nodes` with the fields desktop asks for (getServiceNodesList.ts), plus swarm_id.
std::string pool_request_body() {
    json fields = {{"public_ip", true},
                   {"storage_port", true},
                   {"pubkey_ed25519", true},
                   {"pubkey_x25519", true},
                   {"swarm_id", true}};
    json inner = {{"active_only", true}, {"fields", std::move(fields)}};
    json params = {{"endpoint", "get_service_nodes"}, {"params", std::move(inner)}};
    return dump(json{{"method", "oxend_request"}, {"params", std::move(params)}});
}

std::string get_swarm_body(const SessionId& pubkey) {
    return dump(json{{"method", "get_swarm"}, {"params", {{"pubkey", pubkey.hex()}}}});
}

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
    std::uint32_t out = 0;
    int parts = 0;
    std::size_t i = 0;
    while (parts < 4) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
        std::uint32_t v = 0;
        std::size_t digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 4) {
            v = v * 10 + static_cast<std::uint32_t>(text[i] - '0');
            ++i;
            ++digits;
        }
        if (v > 255 || digits > 3) return std::nullopt;
        out = (out << 8) | v;
        ++parts;
        if (parts < 4) {
            if (i >= text.size() || text[i] != '.') return std::nullopt;
            ++i;
        }
    }
    if (i != text.size()) return std::nullopt;
    return out;
}

std::optional<std::uint16_t> parse_port(const json& j) {
    std::int64_t v = -1;
    if (j.is_number_integer()) {
        v = j.get<std::int64_t>();
    } else if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (s.empty() || s.size() > 5) return std::nullopt;
        v = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return std::nullopt;
            v = v * 10 + (c - '0');
        }
    }
    if (v <= 0 || v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

template <class Key>
std::optional<Key> parse_key(const json& j, const char* field) {
    const auto it = j.find(field);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    auto key = Key::from_hex(it->template get_ref<const std::string&>());
    if (!key) return std::nullopt;
    return *key;
}

/// One node of a pool or swarm entry; nullopt for a malformed entry or IP 0.0.0.0 (dropped, as
/// desktop snodePool.ts does).
std::optional<SnodeRecord> parse_node(const json& j, const char* ip_field, const char* port_field) {
    if (!j.is_object()) return std::nullopt;
    const auto ip = j.find(ip_field);
    const auto port = j.find(port_field);
    if (ip == j.end() || !ip->is_string() || port == j.end()) return std::nullopt;
    const auto ipv4 = parse_ipv4(ip->get_ref<const std::string&>());
    const auto p = parse_port(*port);
    auto ed = parse_key<Ed25519Pubkey>(j, "pubkey_ed25519");
    auto x = parse_key<X25519Pubkey>(j, "pubkey_x25519");
    if (!ipv4 || *ipv4 == 0 || !p || !ed || !x) return std::nullopt;
    SnodeRecord rec;
    rec.ed25519 = *ed;
    rec.x25519 = *x;
    rec.address = PeerAddress{*ipv4, *p};
    if (const auto sw = j.find("swarm_id"); sw != j.end() && sw->is_number_unsigned()) {
        rec.swarm_id = sw->get<std::uint64_t>();
    }
    return rec;
}

/// `{"result": {"service_node_states": [...]}}` (oxend's JSON-RPC reply, as oxend_request passes it
/// on); a bare `{"service_node_states": [...]}` is accepted too.
std::optional<SnodePool> parse_pool_reply(ByteView body) {
    const json j = json::parse(to_string(body), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    const json* states = nullptr;
    if (const auto r = j.find("result"); r != j.end() && r->is_object()) {
        if (const auto s = r->find("service_node_states"); s != r->end()) states = &*s;
    } else if (const auto s = j.find("service_node_states"); s != j.end()) {
        states = &*s;
    }
    if (states == nullptr || !states->is_array()) return std::nullopt;
    SnodePool out;
    for (const auto& entry : *states) {
        if (auto rec = parse_node(entry, "public_ip", "storage_port")) out.push_back(std::move(*rec));
    }
    if (out.empty()) return std::nullopt;
    return out;
}

/// `{"snodes": [{"ip", "port" | "port_https", "pubkey_ed25519", "pubkey_x25519", ...}], "swarm"?: hex}`
/// (oxenss get_swarm and the 421 wrong-swarm body).
std::optional<std::vector<SnodeRecord>> parse_swarm_reply(std::string_view body) {
    const json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    const auto snodes = j.find("snodes");
    if (snodes == j.end() || !snodes->is_array()) return std::nullopt;
    std::optional<std::uint64_t> swarm;
    if (const auto s = j.find("swarm"); s != j.end() && s->is_string()) {
        const auto& hex = s->get_ref<const std::string&>();
        if (!hex.empty() && hex.size() <= 16 && hex.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
            swarm = std::stoull(hex, nullptr, 16);
        }
    }
    std::vector<SnodeRecord> out;
    for (const auto& entry : *snodes) {
        const bool has_port = entry.is_object() && entry.contains("port");
        auto rec = parse_node(entry, "ip", has_port ? "port" : "port_https");
        if (!rec) continue;
        if (swarm) rec->swarm_id = *swarm;
        out.push_back(std::move(*rec));
    }
    if (out.empty()) return std::nullopt;
    return out;
}

bool contains_node(const std::vector<SnodeRecord>& nodes, const Ed25519Pubkey& key) {
    return std::any_of(nodes.begin(), nodes.end(), [&](const SnodeRecord& n) { return n.ed25519 == key; });
}

std::uint32_t subnet24(const SnodeRecord& n) { return n.address.ipv4 >> 8; }

template <class T>
void shuffle(std::vector<T>& v, Entropy& entropy) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(entropy.uniform(i));
        std::swap(v[i - 1], v[j]);
    }
}

}  // namespace

Client::Client(Ed25519Keypair identity, ClientConfig config, std::shared_ptr<PoolCache> pools, Entropy& entropy)
    : identity_(std::move(identity)),
      x25519_(x25519_from_ed25519(identity_)),
      account_(x25519_.pub),
      config_(std::move(config)),
      pools_(pools ? std::move(pools) : std::make_shared<PoolCache>()),
      entropy_(entropy) {
    if (config_.path_hops == 0) config_.path_hops = 1;
    if (config_.path_hops >= MAX_ONION_HOPS) config_.path_hops = MAX_ONION_HOPS - 1;
    if (config_.path_count == 0) config_.path_count = 1;
    android_delay_ms_ = config_.android_all_tried_delay_ms;
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
    poll_due_ = true;  // the first poll goes out as soon as the own swarm is known
    drive(now);
}

void Client::send_message(Timestamp now, const AccountId& recipient, std::string body, std::string message_id) {
    const std::int64_t now_ms = unix_ms(now);
    const CryptoWork work = draw_crypto_work();
    count(work == CryptoWork::real ? client_counter::messages_real : client_counter::messages_modelled);
    auto sealed = seal_message(identity_, recipient,
                               OutgoingMessage{std::move(body), static_cast<std::uint64_t>(now_ms)}, entropy_, work);
    if (!sealed) {
        count(client_counter::seal_failed);
        event(AppEvent::Kind::store_failed, std::move(message_id), 0, "seal failed");
        return;
    }
    SendJob job{recipient, std::move(message_id), std::move(*sealed), now_ms};
    job.work = work;
    jobs_.emplace(next_id_++, std::move(job));
    drive(now);
}

void Client::set_online(Timestamp now, bool online) {
    online_ = online;
    if (online) drive(now);
}

// ---- Inspection ----------------------------------------------------------------------------------

std::size_t Client::pool_size() const {
    if (!pool_) return 0;
    std::size_t removed = 0;
    for (const auto& key : removed_) {
        const auto it = std::lower_bound(pool_->begin(), pool_->end(), key,
                                         [](const SnodeRecord& n, const Ed25519Pubkey& k) { return n.ed25519 < k; });
        if (it != pool_->end() && it->ed25519 == key) ++removed;
    }
    return pool_->size() - removed;
}

bool Client::in_pool(const Ed25519Pubkey& node) const {
    if (!pool_ || removed_.contains(node)) return false;
    const auto it = std::lower_bound(pool_->begin(), pool_->end(), node,
                                     [](const SnodeRecord& n, const Ed25519Pubkey& k) { return n.ed25519 < k; });
    return it != pool_->end() && it->ed25519 == node;
}

std::vector<SnodeRecord> Client::pool_members() const {
    std::vector<SnodeRecord> out;
    if (!pool_) return out;
    out.reserve(pool_->size());
    for (const auto& n : *pool_) {
        if (!removed_.contains(n.ed25519)) out.push_back(n);
    }
    return out;
}

std::vector<SnodeRecord> Client::cached_swarm(const SessionId& pubkey) const {
    const auto it = swarms_.find(pubkey);
    return it == swarms_.end() ? std::vector<SnodeRecord>{} : it->second;
}

std::uint32_t Client::node_failures(const Ed25519Pubkey& node) const {
    const auto it = node_failures_.find(node);
    return it == node_failures_.end() ? 0 : it->second;
}

std::optional<std::string> Client::last_hash(const Ed25519Pubkey& node) const {
    const auto it = last_hashes_.find(node);
    if (it == last_hashes_.end()) return std::nullopt;
    return it->second;
}

std::uint64_t Client::counter(std::string_view reason) const {
    const auto it = counters_.find(reason);
    return it == counters_.end() ? 0 : it->second;
}

// ---- Effects helpers -----------------------------------------------------------------------------

TimerId Client::set_timer(TimerKind kind, std::uint64_t ref, Timestamp at) {
    const TimerId id = next_id_++;
    timers_[id] = TimerEntry{kind, ref, at};
    effects_.timers.push_back(TimerRequest{id, at});
    return id;
}

void Client::cancel_timer(TimerId id) {
    if (timers_.erase(id) > 0) effects_.cancelled_timers.push_back(id);
}

std::uint64_t Client::send_request(Timestamp now, RequestKind kind, std::uint64_t ref, const SnodeRecord& target,
                                   const PeerAddress& to, const char* endpoint, Bytes body, std::int64_t timeout_ms,
                                   std::uint64_t path_id, std::optional<OnionRequest> onion) {
    const std::uint64_t id = next_id_++;
    TransportPacket packet;
    packet.is_request = true;
    packet.request_id = id;
    packet.endpoint = endpoint;
    packet.body = std::move(body);
    effects_.sends.push_back(Outbound{to, encode_packet(packet)});
    Pending p;
    p.kind = kind;
    p.ref = ref;
    p.path_id = path_id;
    p.target = target;
    p.onion = std::move(onion);
    p.sent_at = now;
    p.timer = set_timer(TimerKind::request_timeout, id, after(now, timeout_ms));
    pending_.emplace(id, std::move(p));
    return id;
}

CryptoWork Client::draw_crypto_work() {
    if (config_.real_crypto_fraction >= 1.0) return CryptoWork::real;
    constexpr std::uint64_t SCALE = std::uint64_t{1} << 32;
    const auto threshold = static_cast<std::uint64_t>(std::max(0.0, config_.real_crypto_fraction) * static_cast<double>(SCALE));
    return entropy_.uniform(SCALE) < threshold ? CryptoWork::real : CryptoWork::modelled;
}

bool Client::send_onion(Timestamp now, RequestKind kind, std::uint64_t ref, CryptoWork work, const SnodeRecord& destination,
                        const std::string& rpc, std::int64_t timeout_ms) {
    if (!online_) return false;
    // A random path that does not contain the destination (desktop onionPath.ts getOnionPath).
    std::vector<std::size_t> usable;
    for (std::size_t i = 0; i < paths_.size(); ++i) {
        if (!contains_node(paths_[i].nodes, destination.ed25519)) usable.push_back(i);
    }
    if (usable.empty()) return false;
    const OnionPath& path = paths_[usable[static_cast<std::size_t>(entropy_.uniform(usable.size()))]];
    std::vector<SnodeKeys> keys;
    keys.reserve(path.nodes.size());
    for (const auto& n : path.nodes) keys.push_back(SnodeKeys{n.ed25519, n.x25519});
    auto built = build_onion_request(as_bytes(rpc), keys, SnodeKeys{destination.ed25519, destination.x25519},
                                     config_.enc_type, entropy_, work);
    if (!built) {
        count(client_counter::onion_build_failed);
        return false;
    }
    count(work == CryptoWork::real ? client_counter::onion_real : client_counter::onion_modelled);
    Bytes body = built->body;
    send_request(now, kind, ref, destination, path.nodes.front().address, ENDPOINT_ONION_REQ, std::move(body),
                 timeout_ms, path.id, std::move(*built));
    return true;
}

void Client::event(AppEvent::Kind kind, std::string id, std::int64_t value, std::string detail) {
    effects_.events.push_back(AppEvent{kind, std::move(id), value, std::move(detail)});
}

void Client::count(std::string_view reason, std::uint64_t n) {
    auto it = counters_.find(reason);
    if (it == counters_.end()) it = counters_.emplace(std::string(reason), 0).first;
    it->second += n;
}

// ---- Main loop ---------------------------------------------------------------------------------

void Client::drive(Timestamp now) {
    if (!online_ || !started_) return;
    // Below minSnodePoolCount the pool goes back to the seed (only when strikes shrank it: a
    // network smaller than that would otherwise ask the seed on every input).
    if (!pool_ || pool_size() < std::min(MIN_POOL_COUNT, pool_->size())) request_seed(now);
    if (!pool_) return;
    ensure_paths(now);
    if (paths_.empty()) return;
    if (poll_due_ && !poll_in_flight_) try_poll(now);
    std::vector<std::uint64_t> ids;
    for (const auto& [id, job] : jobs_) {
        if (job.state == SendJob::State::ready) ids.push_back(id);
    }
    for (const auto id : ids) try_send(now, id);
    ids.clear();
    for (const auto& [id, fetch] : fetches_) {
        if (!fetch.in_flight && !fetch.waiting_retry) ids.push_back(id);
    }
    for (const auto id : ids) try_fetch(now, id);
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
        case RequestKind::seed:
            on_seed_reply(now, packet->status, packet->body);
            break;
        case RequestKind::guard_test:
            on_guard_reply(now, p.target, packet->status == 200);
            break;
        case RequestKind::refresh:
        case RequestKind::get_swarm:
        case RequestKind::store:
        case RequestKind::retrieve:
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
        case TimerKind::request_timeout:
            on_request_timeout(now, t.ref);
            break;
        case TimerKind::seed_retry:
            seed_retry_armed_ = false;
            request_seed(now);
            break;
        case TimerKind::refresh:
            refresh_armed_ = true;
            set_timer(TimerKind::refresh, 0, after(now, config_.refresh_interval_ms));
            start_refresh(now);
            break;
        case TimerKind::path_retry:
            path_retry_armed_ = false;
            break;
        case TimerKind::swarm_retry:
            if (auto f = fetches_.find(t.ref); f != fetches_.end()) f->second.waiting_retry = false;
            break;
        case TimerKind::store_retry:
            if (auto j = jobs_.find(t.ref); j != jobs_.end()) j->second.state = SendJob::State::ready;
            break;
        case TimerKind::poll:
            poll_armed_ = false;
            if (!online_) {
                // Desktop's loop keeps ticking while offline; nothing leaves.
                schedule_poll(after(now, config_.desktop_poll_interval_ms));
            } else {
                poll_due_ = true;
            }
            break;
    }
}

void Client::on_request_timeout(Timestamp now, std::uint64_t request_id) {
    const auto it = pending_.find(request_id);
    if (it == pending_.end()) return;
    Pending p = std::move(it->second);
    pending_.erase(it);
    switch (p.kind) {
        case RequestKind::seed:
            seed_failed(now);
            break;
        case RequestKind::guard_test:
            on_guard_reply(now, p.target, false);
            break;
        case RequestKind::refresh:
        case RequestKind::get_swarm:
        case RequestKind::store:
        case RequestKind::retrieve:
            count(client_counter::onion_timeout);
            event(AppEvent::Kind::onion_failed, std::to_string(p.path_id), unix_ms(now) - unix_ms(p.sent_at),
                  "timeout");
            path_failure(now, p.path_id, "timeout");
            onion_failed(now, p);
            break;
    }
}

// ---- Pool ------------------------------------------------------------------------------------------

void Client::request_seed(Timestamp now) {
    if (!online_ || seed_in_flight_ || seed_retry_armed_ || config_.seed_nodes.empty()) return;
    ++seed_tries_;
    const auto& seed = config_.seed_nodes[static_cast<std::size_t>(entropy_.uniform(config_.seed_nodes.size()))];
    SnodeRecord target;
    target.address = seed;
    seed_in_flight_ = true;
    send_request(now, RequestKind::seed, 0, target, seed, ENDPOINT_STORAGE_RPC, to_bytes(pool_request_body()),
                 config_.seed_timeout_ms, 0, std::nullopt);
}

void Client::on_seed_reply(Timestamp now, std::uint32_t status, ByteView body) {
    seed_in_flight_ = false;
    const SnodePoolPtr nodes = status == 200 ? pools_->parsed(body, parse_pool_reply) : nullptr;
    if (!nodes) {
        if (status == 200) count(client_counter::bad_pool_reply);
        seed_failed(now);
        return;
    }
    seed_tries_ = 0;
    install_pool(now, *nodes, false);
    if (!refresh_armed_) {
        refresh_armed_ = true;
        set_timer(TimerKind::refresh, 0, after(now, config_.first_refresh_after_ms));
    }
}

void Client::seed_failed(Timestamp now) {
    seed_in_flight_ = false;
    count(client_counter::seed_failed);
    if (seed_tries_ < SEED_TRIES) {
        // p-retry with factor 2 from 1 s: 1 s, 2 s, 4 s between the 4 tries.
        seed_retry_armed_ = true;
        set_timer(TimerKind::seed_retry, 0, after(now, SEED_RETRY_BASE_MS << (seed_tries_ - 1)));
    } else {
        // Gave up; a new round of tries starts after one poll interval.
        seed_tries_ = 0;
        seed_retry_armed_ = true;
        set_timer(TimerKind::seed_retry, 0, after(now, config_.desktop_poll_interval_ms));
    }
}

void Client::start_refresh(Timestamp now) {
    if (!online_ || !pool_ || refresh_outstanding_ > 0) return;
    auto members = pool_members();
    if (members.size() < 2 * MIN_POOL_COUNT || paths_.empty()) {
        // desktop minSnodePoolCountBeforeRefreshFromSnodes: too few to ask the nodes themselves.
        request_seed(now);
        return;
    }
    // Three random pool members, each asked through an onion path (desktop doSnodeBatchRequest,
    // 4 s), like every other snode RPC.
    shuffle(members, entropy_);
    refresh_replies_.clear();
    refresh_failed_ = false;
    refresh_outstanding_ = 0;
    for (std::size_t i = 0; i < REFRESH_NODES; ++i) {
        if (send_onion(now, RequestKind::refresh, 0, draw_crypto_work(), members[i], pool_request_body(), config_.snode_list_timeout_ms)) {
            ++refresh_outstanding_;
        } else {
            refresh_failed_ = true;
        }
    }
    if (refresh_outstanding_ == 0) finish_refresh(now);
}

void Client::on_refresh_reply(Timestamp now, const OnionOutcome& outcome) {
    SnodePoolPtr nodes =
        outcome.ok && outcome.status == 200 ? pools_->parsed(as_bytes(outcome.body), parse_pool_reply) : nullptr;
    if (nodes) {
        refresh_replies_.push_back(std::move(nodes));
    } else {
        refresh_failed_ = true;
    }
    if (refresh_outstanding_ > 0 && --refresh_outstanding_ == 0) finish_refresh(now);
}

void Client::finish_refresh(Timestamp now) {
    if (refresh_failed_ || refresh_replies_.size() < REFRESH_NODES) {
        count(client_counter::refresh_failed);
        refresh_replies_.clear();
        request_seed(now);
        return;
    }
    // The intersection by (ip, port), as desktop getSnodePoolFromSnodes: the first reply's nodes
    // that every other reply lists too (replies with the same bytes are one shared list).
    auto key = [](const SnodeRecord& n) { return std::pair{n.address.ipv4, n.address.port}; };
    std::vector<std::vector<std::pair<std::uint32_t, std::uint16_t>>> others;
    for (std::size_t r = 1; r < refresh_replies_.size(); ++r) {
        if (refresh_replies_[r] == refresh_replies_.front()) continue;
        auto& keys = others.emplace_back();
        keys.reserve(refresh_replies_[r]->size());
        for (const auto& m : *refresh_replies_[r]) keys.push_back(key(m));
        std::sort(keys.begin(), keys.end());
    }
    SnodePool result;
    for (const auto& n : *refresh_replies_.front()) {
        const bool everywhere = std::all_of(others.begin(), others.end(), [&](const auto& keys) {
            return std::binary_search(keys.begin(), keys.end(), key(n));
        });
        if (everywhere) result.push_back(n);
    }
    refresh_replies_.clear();
    if (result.size() < MIN_REFRESH_INTERSECTION) {
        count(client_counter::refresh_failed);
        request_seed(now);
        return;
    }
    install_pool(now, std::move(result), true);
}

void Client::install_pool(Timestamp /*now*/, SnodePool nodes, bool reset_strikes) {
    pool_ = pools_->intern(std::move(nodes));
    removed_.clear();
    if (reset_strikes) {
        // Desktop's failure counters are in memory and reset when a refresh reaches consensus.
        node_failures_.clear();
        for (auto& p : paths_) p.failures = 0;
    }
}

// ---- Guards and paths ---------------------------------------------------------------------------------

void Client::ensure_paths(Timestamp now) {
    if (!online_ || !pool_) return;
    // Guards and paths whose nodes left the pool go (desktop: paths change only on failure or
    // when guards disappear from the pool).
    std::erase_if(guards_, [&](const SnodeRecord& g) { return !in_pool(g.ed25519); });
    for (std::size_t i = paths_.size(); i > 0; --i) {
        const auto& nodes = paths_[i - 1].nodes;
        if (std::any_of(nodes.begin(), nodes.end(), [&](const SnodeRecord& n) { return !in_pool(n.ed25519); })) {
            drop_path(i - 1, "left pool");
        }
    }
    if (paths_.size() >= config_.path_count) {
        build_attempts_ = 0;
        return;
    }
    if (path_retry_armed_ || !guard_tests_in_flight_.empty()) return;
    if (guards_.size() < config_.path_count) {
        start_guard_round(now);
        return;
    }
    if (!build_missing_paths(now)) {
        count(client_counter::path_build_failed);
        if (++build_attempts_ >= PATH_BUILD_ATTEMPTS) {
            path_build_gave_up(now);
        } else {
            path_retry_armed_ = true;
            set_timer(TimerKind::path_retry, 0, after(now, PATH_BUILD_RETRY_MS));
        }
    }
}

void Client::start_guard_round(Timestamp now) {
    if (guard_rounds_ == 0) {
        guard_candidates_.clear();
        for (auto& n : pool_members()) {
            if (!contains_node(guards_, n.ed25519)) guard_candidates_.push_back(std::move(n));
        }
        shuffle(guard_candidates_, entropy_);
        // Rounds pop from the back, at most GUARD_TEST_ROUNDS x GUARD_TEST_BATCH before the next
        // reshuffle: keep only those, not a copy of the pool per client.
        constexpr std::size_t usable = GUARD_TEST_ROUNDS * GUARD_TEST_BATCH;
        if (guard_candidates_.size() > usable) {
            guard_candidates_.erase(guard_candidates_.begin(),
                                    guard_candidates_.end() - static_cast<std::ptrdiff_t>(usable));
        }
        guard_candidates_.shrink_to_fit();
    }
    if (guard_rounds_ >= GUARD_TEST_ROUNDS || guard_candidates_.empty()) {
        guard_rounds_ = 0;
        count(client_counter::path_build_failed);
        if (++build_attempts_ >= PATH_BUILD_ATTEMPTS) {
            path_build_gave_up(now);
        } else {
            path_retry_armed_ = true;
            set_timer(TimerKind::path_retry, 0, after(now, PATH_BUILD_RETRY_MS));
        }
        return;
    }
    ++guard_rounds_;
    // Desktop tests candidates 2 at a time with a direct get_swarm request (10 s).
    const std::size_t n = std::min(GUARD_TEST_BATCH, guard_candidates_.size());
    for (std::size_t i = 0; i < n; ++i) {
        SnodeRecord node = guard_candidates_.back();
        guard_candidates_.pop_back();
        guard_tests_in_flight_.insert(node.ed25519);
        send_request(now, RequestKind::guard_test, 0, node, node.address, ENDPOINT_STORAGE_RPC,
                     to_bytes(get_swarm_body(account_.as_session_id())), config_.guard_test_timeout_ms, 0,
                     std::nullopt);
    }
}

void Client::on_guard_reply(Timestamp now, const SnodeRecord& node, bool ok) {
    guard_tests_in_flight_.erase(node.ed25519);
    if (!ok) {
        count(client_counter::guard_test_failed);
    } else if (in_pool(node.ed25519) && guards_.size() < config_.path_count && !contains_node(guards_, node.ed25519)) {
        guards_.push_back(node);
    }
    if (!guard_tests_in_flight_.empty()) return;
    if (guards_.size() >= config_.path_count) {
        guard_rounds_ = 0;
        std::vector<SnodeRecord>().swap(guard_candidates_);  // not needed until the next search
    }
    // Otherwise the next drive() starts the next round (or gives up after GUARD_TEST_ROUNDS).
    (void)now;
}

std::optional<SnodeRecord> Client::draw_path_node(const std::vector<SnodeRecord>& weighted,
                                                  const std::vector<SnodeRecord>& path) {
    std::vector<std::size_t> eligible;
    for (std::size_t i = 0; i < weighted.size(); ++i) {
        const auto& n = weighted[i];
        bool ok = !contains_node(path, n.ed25519);
        for (const auto& p : paths_) ok = ok && !contains_node(p.nodes, n.ed25519);
        for (const auto& m : path) ok = ok && subnet24(m) != subnet24(n);
        if (ok) eligible.push_back(i);
    }
    if (eligible.empty()) return std::nullopt;
    return weighted[eligible[static_cast<std::size_t>(entropy_.uniform(eligible.size()))]];
}

bool Client::build_missing_paths(Timestamp /*now*/) {
    // Desktop onionPath.ts: group the pool by /24, replace each group by copies of one random
    // member (the group keeps its weight but offers one node), remove the guards, then give each
    // guard path_hops - 1 random nodes. Nodes are also kept out of the /24 of the path's others.
    std::map<std::uint32_t, std::vector<SnodeRecord>> groups;
    for (auto& n : pool_members()) groups[subnet24(n)].push_back(std::move(n));
    std::vector<SnodeRecord> weighted;
    for (const auto& [subnet, members] : groups) {
        const auto& pick = members[static_cast<std::size_t>(entropy_.uniform(members.size()))];
        if (contains_node(guards_, pick.ed25519)) continue;
        for (std::size_t i = 0; i < members.size(); ++i) weighted.push_back(pick);
    }
    for (const auto& guard : guards_) {
        if (paths_.size() >= config_.path_count) break;
        const bool has_path = std::any_of(paths_.begin(), paths_.end(),
                                          [&](const OnionPath& p) { return p.nodes.front().ed25519 == guard.ed25519; });
        if (has_path) continue;
        std::vector<SnodeRecord> nodes{guard};
        while (nodes.size() < config_.path_hops) {
            auto next = draw_path_node(weighted, nodes);
            if (!next) return false;
            nodes.push_back(std::move(*next));
        }
        OnionPath path;
        path.id = next_id_++;
        path.nodes = std::move(nodes);
        ++paths_built_;
        std::string detail;
        for (const auto& n : path.nodes) {
            if (!detail.empty()) detail.push_back(',');
            detail.append(n.ed25519.hex().substr(0, 8));
        }
        event(AppEvent::Kind::path_built, std::to_string(path.id), static_cast<std::int64_t>(path.nodes.size()),
              std::move(detail));
        paths_.push_back(std::move(path));
    }
    return paths_.size() >= config_.path_count;
}

void Client::drop_path(std::size_t index, std::string_view reason) {
    ++paths_dropped_;
    event(AppEvent::Kind::path_dropped, std::to_string(paths_[index].id),
          static_cast<std::int64_t>(paths_[index].failures), std::string(reason));
    paths_.erase(paths_.begin() + static_cast<std::ptrdiff_t>(index));
}

void Client::path_failure(Timestamp now, std::uint64_t path_id, std::string_view reason) {
    const auto it = std::find_if(paths_.begin(), paths_.end(), [&](const OnionPath& p) { return p.id == path_id; });
    if (it == paths_.end()) return;  // already dropped
    if (++it->failures < PATH_FAILURE_THRESHOLD) return;
    // Desktop incrementBadPathCountOrDrop: the whole path goes, its guard leaves the guard list
    // and the pool, and each other node of the path gets a node failure.
    const std::vector<SnodeRecord> nodes = it->nodes;
    drop_path(static_cast<std::size_t>(it - paths_.begin()), reason);
    const Ed25519Pubkey guard = nodes.front().ed25519;
    std::erase_if(guards_, [&](const SnodeRecord& g) { return g.ed25519 == guard; });
    removed_.insert(guard);
    for (std::size_t i = 1; i < nodes.size(); ++i) node_failure(now, nodes[i].ed25519);
}

void Client::node_failure(Timestamp now, const Ed25519Pubkey& node) {
    if (++node_failures_[node] >= SNODE_FAILURE_THRESHOLD) drop_node(now, node);
}

void Client::drop_node(Timestamp /*now*/, const Ed25519Pubkey& node) {
    if (!removed_.insert(node).second) return;
    count(client_counter::node_dropped);
    node_failures_.erase(node);
    for (auto& [pubkey, members] : swarms_) {
        std::erase_if(members, [&](const SnodeRecord& n) { return n.ed25519 == node; });
    }
    const bool was_guard = contains_node(guards_, node);
    std::erase_if(guards_, [&](const SnodeRecord& g) { return g.ed25519 == node; });
    // A guard's path goes; elsewhere the node is replaced by a random pool node, untested
    // (desktop dropSnodeFromPath).
    for (std::size_t i = paths_.size(); i > 0; --i) {
        auto& path = paths_[i - 1];
        const auto pos = std::find_if(path.nodes.begin(), path.nodes.end(),
                                      [&](const SnodeRecord& n) { return n.ed25519 == node; });
        if (pos == path.nodes.end()) continue;
        if (was_guard || pos == path.nodes.begin()) {
            drop_path(i - 1, "node dropped");
            continue;
        }
        std::vector<SnodeRecord> rest;
        for (const auto& n : path.nodes) {
            if (n.ed25519 != node) rest.push_back(n);
        }
        std::vector<SnodeRecord> candidates;
        for (auto& n : pool_members()) {
            if (!contains_node(guards_, n.ed25519)) candidates.push_back(std::move(n));
        }
        auto replacement = draw_path_node(candidates, rest);
        if (!replacement) {
            drop_path(i - 1, "node dropped");
            continue;
        }
        *pos = std::move(*replacement);
    }
}

void Client::path_build_gave_up(Timestamp now) {
    // Desktop getOnionPath gives up after 10 attempts: the requests waiting for a path fail.
    build_attempts_ = 0;
    std::vector<std::uint64_t> ids;
    for (const auto& [id, job] : jobs_) {
        if (job.state == SendJob::State::ready) ids.push_back(id);
    }
    for (const auto id : ids) store_attempt_failed(now, id, "no path");
    ids.clear();
    for (const auto& [id, fetch] : fetches_) {
        if (!fetch.in_flight && !fetch.waiting_retry) ids.push_back(id);
    }
    for (const auto id : ids) finish_fetch(now, id, false);
    path_retry_armed_ = true;
    set_timer(TimerKind::path_retry, 0, after(now, PATH_BUILD_RETRY_MS));
}

// ---- Swarms ------------------------------------------------------------------------------------------

std::optional<std::vector<SnodeRecord>> Client::usable_swarm(const SessionId& pubkey) const {
    const auto it = swarms_.find(pubkey);
    if (it == swarms_.end() || it->second.empty()) return std::nullopt;
    // Desktop getSwarmFromCacheOrDb maps the cached keys to pool nodes and re-fetches below 3.
    std::vector<SnodeRecord> members;
    for (const auto& n : it->second) {
        if (in_pool(n.ed25519)) members.push_back(n);
    }
    if (members.empty() || members.size() < std::min(MIN_SWARM_CACHE_MEMBERS, it->second.size())) return std::nullopt;
    return members;
}

std::uint64_t Client::want_swarm(const SessionId& pubkey) {
    if (const auto it = fetch_by_pubkey_.find(pubkey); it != fetch_by_pubkey_.end()) return it->second;
    const std::uint64_t id = next_id_++;
    fetches_.emplace(id, SwarmFetch{pubkey});
    fetch_by_pubkey_.emplace(pubkey, id);
    return id;
}

void Client::try_fetch(Timestamp now, std::uint64_t fetch_id) {
    auto it = fetches_.find(fetch_id);
    if (it == fetches_.end() || it->second.in_flight || it->second.waiting_retry) return;
    SwarmFetch& fetch = it->second;
    if (fetch.target && !in_pool(fetch.target->ed25519)) fetch.target.reset();
    std::optional<SnodeRecord> target = fetch.target;
    if (!target) {
        // get_swarm goes to a random pool node, not necessarily in the swarm (getSwarmFor.ts).
        auto members = pool_members();
        if (members.empty()) return;
        target = members[static_cast<std::size_t>(entropy_.uniform(members.size()))];
    }
    if (!send_onion(now, RequestKind::get_swarm, fetch_id, draw_crypto_work(), *target, get_swarm_body(fetch.pubkey),
                    config_.get_swarm_timeout_ms)) {
        return;
    }
    if (!fetch.target) {
        fetch.target = target;
        ++fetch.outer_tries;
        fetch.inner_tries = 0;
    }
    fetch.in_flight = true;
    ++fetch.inner_tries;
}

void Client::on_swarm_reply(Timestamp now, std::uint64_t fetch_id, const OnionOutcome& outcome) {
    auto it = fetches_.find(fetch_id);
    if (it == fetches_.end()) return;
    it->second.in_flight = false;
    if (outcome.ok && outcome.status == 200) {
        if (update_swarm_from(it->second.pubkey, outcome.body) && usable_swarm(it->second.pubkey)) {
            finish_fetch(now, fetch_id, true);
            return;
        }
        count(client_counter::bad_swarm_reply);
    }
    fetch_failed(now, fetch_id);
}

void Client::fetch_failed(Timestamp now, std::uint64_t fetch_id) {
    auto it = fetches_.find(fetch_id);
    if (it == fetches_.end()) return;
    SwarmFetch& fetch = it->second;
    fetch.in_flight = false;
    // getSwarmFor.ts: p-retry 4 tries on one target (100 ms doubling, at most 2 s apart) inside
    // p-retry 4 tries over new random targets (100 ms doubling, at most 4 s apart).
    std::int64_t delay = 0;
    if (fetch.inner_tries < SWARM_FETCH_TRIES) {
        delay = std::min(SWARM_FETCH_RETRY_BASE_MS << (fetch.inner_tries - 1), SWARM_FETCH_INNER_MAX_MS);
    } else if (fetch.outer_tries < SWARM_FETCH_TRIES) {
        delay = std::min(SWARM_FETCH_RETRY_BASE_MS << (fetch.outer_tries - 1), SWARM_FETCH_OUTER_MAX_MS);
        fetch.target.reset();
    } else {
        finish_fetch(now, fetch_id, false);
        return;
    }
    fetch.waiting_retry = true;
    set_timer(TimerKind::swarm_retry, fetch_id, after(now, delay));
}

void Client::finish_fetch(Timestamp now, std::uint64_t fetch_id, bool ok) {
    auto it = fetches_.find(fetch_id);
    if (it == fetches_.end()) return;
    SwarmFetch fetch = std::move(it->second);
    fetches_.erase(it);
    fetch_by_pubkey_.erase(fetch.pubkey);
    if (!ok) count(client_counter::swarm_fetch_failed);
    for (const auto job_id : fetch.waiting_jobs) {
        auto j = jobs_.find(job_id);
        if (j == jobs_.end()) continue;
        if (ok) {
            j->second.state = SendJob::State::ready;  // drive() sends it
        } else {
            store_attempt_failed(now, job_id, "get_swarm failed");
        }
    }
    if (fetch.poll_waiting && !ok) poll_done(now, false);
}

bool Client::update_swarm_from(const SessionId& pubkey, std::string_view body) {
    auto members = parse_swarm_reply(body);
    if (!members) return false;
    shuffle(*members, entropy_);  // desktop shuffles the swarm before caching it
    swarms_[pubkey] = std::move(*members);
    return true;
}

std::optional<SnodeRecord> Client::random_member(const std::vector<SnodeRecord>& swarm) {
    if (swarm.empty()) return std::nullopt;
    return swarm[static_cast<std::size_t>(entropy_.uniform(swarm.size()))];
}

// ---- Sending -------------------------------------------------------------------------------------------

void Client::try_send(Timestamp now, std::uint64_t job_id) {
    auto it = jobs_.find(job_id);
    if (it == jobs_.end() || it->second.state != SendJob::State::ready) return;
    SendJob& job = it->second;
    if (job.attempts == 0) job.attempts = 1;  // the swarm lookup is part of the attempt
    const SessionId owner = job.recipient.as_session_id();
    const auto swarm = usable_swarm(owner);
    if (!swarm) {
        const auto fetch_id = want_swarm(owner);
        fetches_.at(fetch_id).waiting_jobs.push_back(job_id);
        job.state = SendJob::State::waiting_swarm;
        return;
    }
    const auto node = random_member(*swarm);
    const std::int64_t now_ms = unix_ms(now);
    const auto request = make_store(owner, Namespace::default_ns, job.data, now_ms, config_.message_ttl_ms);
    if (!send_onion(now, RequestKind::store, job_id, job.work, *node, rpc_body(request), config_.onion_timeout_ms)) {
        return;  // waits for a path
    }
    job.state = SendJob::State::in_flight;
    event(AppEvent::Kind::message_sent, job.message_id, static_cast<std::int64_t>(job.attempts), owner.hex());
}

void Client::on_store_reply(Timestamp now, std::uint64_t job_id, const OnionOutcome& outcome) {
    auto it = jobs_.find(job_id);
    if (it == jobs_.end()) return;
    SendJob& job = it->second;
    if (!outcome.ok) {
        store_attempt_failed(now, job_id, "onion request failed");
        return;
    }
    if (outcome.status == 200) {
        // The detail names the guard of the path the store went through (ground truth for the
        // simulator's exposure figures; empty when that path is gone).
        std::string guard;
        for (const auto& p : paths_) {
            if (p.id == outcome.path_id && !p.nodes.empty()) guard = p.nodes.front().ed25519.hex();
        }
        event(AppEvent::Kind::store_confirmed, job.message_id, unix_ms(now) - job.created_ms, std::move(guard));
        jobs_.erase(it);
        return;
    }
    if (outcome.status == 406 || outcome.status == 425) {
        // Clock errors: no penalty, but sending is aborted (desktop onions.ts).
        event(AppEvent::Kind::store_failed, job.message_id, static_cast<std::int64_t>(job.attempts), "clock error");
        jobs_.erase(it);
        return;
    }
    store_attempt_failed(now, job_id, outcome.status == 421 ? "421 wrong swarm" : "status " + std::to_string(outcome.status));
}

void Client::store_attempt_failed(Timestamp now, std::uint64_t job_id, std::string_view reason) {
    auto it = jobs_.find(job_id);
    if (it == jobs_.end()) return;
    SendJob& job = it->second;
    if (job.attempts >= STORE_ATTEMPTS) {
        event(AppEvent::Kind::store_failed, job.message_id, static_cast<std::int64_t>(job.attempts),
              std::string(reason));
        jobs_.erase(it);
        return;
    }
    // MessageSender.send: p-retry, 3 attempts, factor 1, 1 s apart.
    ++job.attempts;
    job.state = SendJob::State::waiting_retry;
    set_timer(TimerKind::store_retry, job_id, after(now, STORE_RETRY_MS));
}

// ---- Polling ---------------------------------------------------------------------------------------------

void Client::schedule_poll(Timestamp at) {
    if (poll_armed_) return;
    poll_armed_ = true;
    set_timer(TimerKind::poll, 0, at);
}

void Client::try_poll(Timestamp now) {
    if (poll_in_flight_ || !online_) return;
    const SessionId own = account_.as_session_id();
    const auto swarm = usable_swarm(own);
    if (!swarm) {
        fetches_.at(want_swarm(own)).poll_waiting = true;
        return;
    }
    std::optional<SnodeRecord> node;
    if (config_.profile == ClientProfile::android) {
        // Poller.kt: the same member back-to-back until an error, then another unused one.
        if (android_node_) {
            for (const auto& n : *swarm) {
                if (n.ed25519 == *android_node_) node = n;
            }
        }
        if (!node) {
            std::vector<SnodeRecord> unused;
            for (const auto& n : *swarm) {
                if (!android_tried_.contains(n.ed25519)) unused.push_back(n);
            }
            node = random_member(unused);
        }
        if (!node) {
            android_tried_.clear();
            node = random_member(*swarm);
        }
    } else {
        node = random_member(*swarm);  // swarmPolling.ts: one random member per poll
    }
    std::string last;
    if (const auto it = last_hashes_.find(node->ed25519); it != last_hashes_.end()) last = it->second;
    const CryptoWork work = draw_crypto_work();
    const auto request = make_retrieve(own, Namespace::default_ns, last, unix_ms(now), identity_, work);
    if (!send_onion(now, RequestKind::retrieve, 0, work, *node, rpc_body(request), config_.onion_timeout_ms)) return;
    if (config_.profile == ClientProfile::android) android_node_ = node->ed25519;
    poll_due_ = false;
    poll_in_flight_ = true;
    count(client_counter::polls);
}

void Client::on_retrieve_reply(Timestamp now, const Ed25519Pubkey& node, const OnionOutcome& outcome) {
    if (!outcome.ok) {
        poll_done(now, false);
        return;
    }
    const SessionId own = account_.as_session_id();
    if (outcome.status == 421) {
        count(client_counter::wrong_swarm);
        if (!update_swarm_from(own, outcome.body)) {
            auto& members = swarms_[own];
            std::erase_if(members, [&](const SnodeRecord& n) { return n.ed25519 == node; });
        }
        poll_done(now, false);
        return;
    }
    if (outcome.status != 200) {
        poll_done(now, false);
        return;
    }
    const json j = json::parse(outcome.body, nullptr, false);
    auto reply = j.is_discarded() ? Result<RetrieveReply>(ErrorCode::bad_encoding, "not JSON") : parse_retrieve_reply(j);
    if (!reply) {
        count(client_counter::bad_retrieve_reply);
        poll_done(now, false);
        return;
    }
    const std::int64_t now_ms = unix_ms(now);
    std::erase_if(seen_, [&](const auto& e) { return e.second < now_ms; });
    for (const auto& m : reply->messages) {
        if (seen_.contains(m.hash)) {
            count(client_counter::duplicate_message);
            continue;
        }
        seen_.emplace(m.hash, m.expiry_ms);
        auto opened = open_message(x25519_, m.data, config_.real_crypto_fraction < 1.0);
        if (!opened) {
            count(client_counter::undecryptable_message);
            continue;
        }
        std::string sender = opened->sender.hex();
        const bool request = config_.message_requests && !contacts_.contains(sender);
        if (request) count(client_counter::message_requests);
        event(request ? AppEvent::Kind::message_request : AppEvent::Kind::message_delivered, std::move(opened->body),
              now_ms - static_cast<std::int64_t>(opened->timestamp_ms), std::move(sender));
    }
    if (!reply->messages.empty()) last_hashes_[node] = reply->messages.back().hash;
    poll_done(now, true);
}

void Client::poll_done(Timestamp now, bool ok) {
    poll_in_flight_ = false;
    if (!ok) count(client_counter::polls_failed);
    if (config_.profile == ClientProfile::desktop) {
        schedule_poll(after(now, config_.desktop_poll_interval_ms));
        return;
    }
    if (ok) {
        android_delay_ms_ = config_.android_all_tried_delay_ms;
        schedule_poll(now);  // back-to-back
        return;
    }
    if (android_node_) android_tried_.insert(*android_node_);
    android_node_.reset();
    const auto swarm = usable_swarm(account_.as_session_id());
    const bool all_tried =
        !swarm || std::all_of(swarm->begin(), swarm->end(),
                              [&](const SnodeRecord& n) { return android_tried_.contains(n.ed25519); });
    if (!all_tried) {
        schedule_poll(now);
        return;
    }
    android_tried_.clear();
    schedule_poll(after(now, android_delay_ms_));
    android_delay_ms_ = std::min<std::int64_t>(android_delay_ms_ * 6 / 5, config_.android_max_delay_ms);
}

// ---- Onion replies -------------------------------------------------------------------------------------

void Client::on_onion_reply(Timestamp now, Pending pending, std::uint32_t status, ByteView body) {
    const std::string path_name = std::to_string(pending.path_id);
    static constexpr std::string_view NOT_FOUND = "Next node not found: ";
    auto not_found_key = [](std::string_view text) -> std::optional<Ed25519Pubkey> {
        if (text.substr(0, NOT_FOUND.size()) != NOT_FOUND) return std::nullopt;
        auto key = Ed25519Pubkey::from_hex(text.substr(NOT_FOUND.size(), 64));
        if (!key) return std::nullopt;
        return *key;
    };
    if (status != 200) {
        // An error from a path node, in clear text (desktop onions.ts processOnionRequestErrorOnPath):
        // 406/425 are clock errors and 400/404 are not the path's fault (no penalty); "Next node
        // not found: <ed25519>" drops that node at once; anything else counts against the path.
        const std::string text = to_string(body);
        if (status == 406 || status == 425) {
            count(client_counter::clock_error);
        } else if (status == 400 || status == 404) {
            count(client_counter::onion_error);
        } else if (auto key = not_found_key(text)) {
            count(client_counter::next_node_not_found);
            drop_node(now, *key);
        } else {
            count(client_counter::onion_error);
            path_failure(now, pending.path_id, "status " + std::to_string(status));
        }
        event(AppEvent::Kind::onion_failed, path_name, static_cast<std::int64_t>(status), text.substr(0, 120));
        onion_failed(now, pending);
        return;
    }
    auto decoded = decode_snode_response(*pending.onion, body);
    if (!decoded) {
        count(client_counter::bad_onion_reply);
        path_failure(now, pending.path_id, "bad reply");
        event(AppEvent::Kind::onion_failed, path_name, 200, "undecryptable reply");
        onion_failed(now, pending);
        return;
    }
    event(AppEvent::Kind::onion_round_trip, path_name, unix_ms(now) - unix_ms(pending.sent_at));
    OnionOutcome outcome{true, decoded->status, std::move(decoded->body), pending.path_id};
    // The destination's own status (processOnionRequestErrorAtDestination): 406/425 clock, 421
    // wrong swarm, 400 no penalty, "Next node not found" drops that node, anything else is a
    // failure of the destination node.
    if (outcome.status == 406 || outcome.status == 425) {
        count(client_counter::clock_error);
    } else if (outcome.status == 421) {
        count(client_counter::wrong_swarm);
    } else if (outcome.status != 200 && outcome.status != 400) {
        count(client_counter::destination_error);
        if (auto key = not_found_key(outcome.body)) {
            count(client_counter::next_node_not_found);
            drop_node(now, *key);
        } else {
            node_failure(now, pending.target.ed25519);
        }
    }
    switch (pending.kind) {
        case RequestKind::get_swarm:
            on_swarm_reply(now, pending.ref, outcome);
            break;
        case RequestKind::store: {
            if (outcome.status == 421) {
                // Replace the recipient's swarm with the reply's list, or drop the node when the
                // body does not parse (desktop handle421).
                if (auto job = jobs_.find(pending.ref); job != jobs_.end()) {
                    const SessionId owner = job->second.recipient.as_session_id();
                    if (!update_swarm_from(owner, outcome.body)) {
                        std::erase_if(swarms_[owner],
                                      [&](const SnodeRecord& n) { return n.ed25519 == pending.target.ed25519; });
                    }
                }
            }
            on_store_reply(now, pending.ref, outcome);
            break;
        }
        case RequestKind::retrieve:
            on_retrieve_reply(now, pending.target.ed25519, outcome);
            break;
        case RequestKind::refresh:
            on_refresh_reply(now, outcome);
            break;
        default:
            break;
    }
}

void Client::onion_failed(Timestamp now, const Pending& pending) {
    const OnionOutcome failed{};
    switch (pending.kind) {
        case RequestKind::get_swarm:
            on_swarm_reply(now, pending.ref, failed);
            break;
        case RequestKind::store:
            on_store_reply(now, pending.ref, failed);
            break;
        case RequestKind::retrieve:
            on_retrieve_reply(now, pending.target.ed25519, failed);
            break;
        case RequestKind::refresh:
            on_refresh_reply(now, failed);
            break;
        default:
            break;
    }
}

}  // namespace sessionproto
