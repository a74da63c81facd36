#include "models/session/node/client/swarm_cache.hpp"

#include <algorithm>
#include <utility>

#include "models/session/common/memory_estimate.hpp"
#include "models/session/storage/directory_rpc.hpp"

namespace sessionproto {

// ---- The cache ------------------------------------------------------------------------------------

std::vector<SnodeRecord> SwarmCache::cached(const SessionId& pubkey) const {
    const auto it = swarms_.find(pubkey);
    return it == swarms_.end() ? std::vector<SnodeRecord>{} : it->second;
}

std::optional<std::vector<SnodeRecord>> SwarmCache::usable(const SessionId& pubkey, const NodePool& pool) const {
    const auto it = swarms_.find(pubkey);
    if (it == swarms_.end() || it->second.empty()) return std::nullopt;
    // Desktop getSwarmFromCacheOrDb maps the cached keys to pool nodes and re-fetches below 3.
    std::vector<SnodeRecord> members;
    for (const auto& n : it->second) {
        if (pool.contains(n.ed25519)) members.push_back(n);
    }
    if (members.empty() || members.size() < std::min(MIN_SWARM_CACHE_MEMBERS, it->second.size())) return std::nullopt;
    return members;
}

bool SwarmCache::replace_from(const SessionId& pubkey, std::string_view body, Entropy& entropy) {
    auto members = parse_get_swarm_reply(body);
    if (!members) return false;
    shuffle(*members, entropy);  // desktop shuffles the swarm before caching it
    swarms_[pubkey] = std::move(*members);
    return true;
}

void SwarmCache::forget_member(const SessionId& pubkey, const Ed25519Pubkey& node) {
    std::erase_if(swarms_[pubkey], [&](const SnodeRecord& n) { return n.ed25519 == node; });
}

void SwarmCache::forget(const SessionId& pubkey) { swarms_.erase(pubkey); }

void SwarmCache::forget_node(const Ed25519Pubkey& node) {
    for (auto& [pubkey, members] : swarms_) {
        std::erase_if(members, [&](const SnodeRecord& n) { return n.ed25519 == node; });
    }
}

// ---- Lookups ----------------------------------------------------------------------------------------

SwarmCache::Fetch& SwarmCache::want(const SessionId& pubkey, ClientContext& ctx) {
    if (const auto it = fetch_by_pubkey_.find(pubkey); it != fetch_by_pubkey_.end()) return fetches_.at(it->second);
    const std::uint64_t id = ctx.next_id();
    fetch_by_pubkey_.emplace(pubkey, id);
    return fetches_.emplace(id, Fetch{pubkey}).first->second;
}

void SwarmCache::wait_job(const SessionId& pubkey, std::uint64_t job_id, ClientContext& ctx) {
    want(pubkey, ctx).waiting_jobs.push_back(job_id);
}

void SwarmCache::wait_poll(const SessionId& pubkey, ClientContext& ctx) { want(pubkey, ctx).poll_waiting = true; }

std::vector<std::uint64_t> SwarmCache::idle() const {
    std::vector<std::uint64_t> ids;
    for (const auto& [id, fetch] : fetches_) {
        if (fetch.state == Fetch::State::idle) ids.push_back(id);
    }
    return ids;
}

void SwarmCache::try_fetch(Timestamp now, std::uint64_t fetch_id, const NodePool& pool, const ClientConfig& config,
                           ClientContext& ctx) {
    auto it = fetches_.find(fetch_id);
    if (it == fetches_.end() || it->second.state != Fetch::State::idle) return;
    Fetch& fetch = it->second;
    if (fetch.target && !pool.contains(fetch.target->ed25519)) fetch.target.reset();
    std::optional<SnodeRecord> target = fetch.target;
    if (!target) {
        // get_swarm goes to a random pool node, not necessarily in the swarm (getSwarmFor.ts).
        target = random_member(pool.members(), ctx.entropy());
        if (!target) return;
    }
    if (!ctx.send_onion(now, ClientRequest::get_swarm, fetch_id, ctx.draw_crypto_work(), *target,
                        get_swarm_request(fetch.pubkey), config.profile.get_swarm_timeout_ms)) {
        return;
    }
    if (!fetch.target) {
        fetch.target = target;
        ++fetch.outer_tries;
        fetch.inner_tries = 0;
    }
    fetch.state = Fetch::State::in_flight;
    ++fetch.inner_tries;
}

std::optional<SwarmCache::Finished> SwarmCache::on_reply(Timestamp now, std::uint64_t fetch_id,
                                                         const OnionOutcome& outcome, const NodePool& pool,
                                                         ClientContext& ctx) {
    auto it = fetches_.find(fetch_id);
    if (it == fetches_.end()) return std::nullopt;
    it->second.state = Fetch::State::idle;
    if (outcome.ok && outcome.status == 200) {
        const SessionId pubkey = it->second.pubkey;
        if (replace_from(pubkey, outcome.body, ctx.entropy()) && usable(pubkey, pool)) return finish(fetch_id, true, ctx);
        ctx.count(client_counter::bad_swarm_reply, 1);
    }
    return failed(now, fetch_id, ctx);
}

std::optional<SwarmCache::Finished> SwarmCache::failed(Timestamp now, std::uint64_t fetch_id, ClientContext& ctx) {
    auto it = fetches_.find(fetch_id);
    if (it == fetches_.end()) return std::nullopt;
    Fetch& fetch = it->second;
    // getSwarmFor.ts: p-retry 4 tries on one target (100 ms doubling, at most 2 s apart) inside
    // p-retry 4 tries over new random targets (100 ms doubling, at most the profile's swarm_fetch_outer_max_ms apart).
    std::int64_t delay = 0;
    if (fetch.inner_tries < SWARM_FETCH_TRIES) {
        delay = std::min(SWARM_FETCH_RETRY_BASE_MS << (fetch.inner_tries - 1), SWARM_FETCH_INNER_MAX_MS);
    } else if (fetch.outer_tries < SWARM_FETCH_TRIES) {
        delay = std::min(SWARM_FETCH_RETRY_BASE_MS << (fetch.outer_tries - 1), outer_max_ms_);
        fetch.target.reset();
    } else {
        return finish(fetch_id, false, ctx);
    }
    fetch.state = Fetch::State::waiting_retry;
    ctx.set_timer(ClientTimer::swarm_retry, fetch_id, after(now, delay));
    return std::nullopt;
}

void SwarmCache::on_retry_timer(std::uint64_t fetch_id) {
    if (auto f = fetches_.find(fetch_id); f != fetches_.end()) f->second.state = Fetch::State::idle;
}

std::optional<SwarmCache::Finished> SwarmCache::finish(std::uint64_t fetch_id, bool ok, ClientContext& ctx) {
    auto it = fetches_.find(fetch_id);
    if (it == fetches_.end()) return std::nullopt;
    Fetch fetch = std::move(it->second);
    fetches_.erase(it);
    fetch_by_pubkey_.erase(fetch.pubkey);
    if (!ok) ctx.count(client_counter::swarm_fetch_failed, 1);
    return Finished{ok, std::move(fetch.waiting_jobs), fetch.poll_waiting};
}

std::size_t SwarmCache::heap_bytes() const {
    std::size_t bytes = memory::heap_bytes(swarms_) + memory::heap_bytes(fetches_) + memory::heap_bytes(fetch_by_pubkey_);
    for (const auto& [id, members] : swarms_) bytes += memory::heap_bytes(members);
    for (const auto& [id, f] : fetches_) bytes += memory::heap_bytes(f.waiting_jobs);
    return bytes;
}

}  // namespace sessionproto
