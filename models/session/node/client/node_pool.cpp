#include "models/session/node/client/node_pool.hpp"

#include <algorithm>
#include <utility>

#include "models/session/common/memory_estimate.hpp"
#include "models/session/storage/directory_rpc.hpp"

namespace sessionproto {

namespace {

/// The PoolCache's parser: the directory codec's reply parser, nullopt on any error.
std::optional<SnodePool> parse_pool(ByteView body) {
    auto nodes = parse_get_service_nodes_reply(to_string(body));
    if (!nodes) return std::nullopt;
    return std::move(*nodes);
}

auto by_key = [](const SnodeRecord& n, const Ed25519Pubkey& k) { return n.ed25519 < k; };

}  // namespace

NodePool::NodePool(std::shared_ptr<PoolCache> cache)
    : cache_(cache ? std::move(cache) : std::make_shared<PoolCache>()) {}

// ---- The pool -------------------------------------------------------------------------------------

std::size_t NodePool::size() const {
    if (!pool_) return 0;
    std::size_t removed = 0;
    for (const auto& key : removed_) {
        const auto it = std::lower_bound(pool_->begin(), pool_->end(), key, by_key);
        if (it != pool_->end() && it->ed25519 == key) ++removed;
    }
    return pool_->size() - removed;
}

bool NodePool::contains(const Ed25519Pubkey& node) const {
    if (!pool_ || removed_.contains(node)) return false;
    const auto it = std::lower_bound(pool_->begin(), pool_->end(), node, by_key);
    return it != pool_->end() && it->ed25519 == node;
}

std::vector<SnodeRecord> NodePool::members() const {
    std::vector<SnodeRecord> out;
    if (!pool_) return out;
    out.reserve(pool_->size());
    for (const auto& n : *pool_) {
        if (!removed_.contains(n.ed25519)) out.push_back(n);
    }
    return out;
}

bool NodePool::needs_seed() const { return !pool_ || size() < std::min(min_pool_, pool_->size()); }

// ---- Strikes ----------------------------------------------------------------------------------------

std::uint32_t NodePool::failures(const Ed25519Pubkey& node) const {
    const auto it = failures_.find(node);
    return it == failures_.end() ? 0 : it->second;
}

bool NodePool::strike(const Ed25519Pubkey& node) { return ++failures_[node] >= SNODE_FAILURE_THRESHOLD; }

bool NodePool::drop(const Ed25519Pubkey& node) {
    if (!removed_.insert(node).second) return false;
    failures_.erase(node);
    return true;
}

void NodePool::exclude(const Ed25519Pubkey& node) { removed_.insert(node); }

void NodePool::install(SnodePool nodes, bool reset_strikes) {
    pool_ = cache_->intern(std::move(nodes));
    removed_.clear();
    // Desktop's failure counters are in memory and reset when a refresh reaches consensus.
    if (reset_strikes) failures_.clear();
}

// ---- Seed -------------------------------------------------------------------------------------------

void NodePool::request_seed(Timestamp now, const ClientConfig& config, ClientContext& ctx) {
    if (!ctx.is_online() || seed_ != SeedState::idle || config.seed_nodes.empty()) return;
    ++seed_tries_;
    const auto& seed = config.seed_nodes[static_cast<std::size_t>(ctx.entropy().uniform(config.seed_nodes.size()))];
    SnodeRecord target;
    target.address = seed;
    seed_ = SeedState::in_flight;
    ctx.send_direct(now, ClientRequest::seed, target, get_service_nodes_request(), config.seed_timeout_ms);
}

void NodePool::on_seed_reply(Timestamp now, std::uint32_t status, ByteView body, const ClientConfig& config,
                             ClientContext& ctx) {
    seed_ = SeedState::idle;
    const SnodePoolPtr nodes = status == 200 ? cache_->parsed(body, parse_pool) : nullptr;
    if (!nodes) {
        if (status == 200) ctx.count(client_counter::bad_pool_reply, 1);
        seed_failed(now, config, ctx);
        return;
    }
    seed_tries_ = 0;
    install(*nodes, false);
    if (!refresh_scheduled_) {
        refresh_scheduled_ = true;
        ctx.set_timer(ClientTimer::refresh, 0, after(now, config.profile.pool_first_refresh_ms));
    }
}

void NodePool::on_seed_timeout(Timestamp now, const ClientConfig& config, ClientContext& ctx) {
    seed_failed(now, config, ctx);
}

void NodePool::on_seed_retry_timer(Timestamp now, const ClientConfig& config, ClientContext& ctx) {
    seed_ = SeedState::idle;
    request_seed(now, config, ctx);
}

void NodePool::seed_failed(Timestamp now, const ClientConfig& /*config*/, ClientContext& ctx) {
    ctx.count(client_counter::seed_failed, 1);
    seed_ = SeedState::waiting_retry;
    if (seed_tries_ < SEED_TRIES) {
        // p-retry with factor 2 from 1 s: 1 s, 2 s, 4 s between the 4 tries.
        ctx.set_timer(ClientTimer::seed_retry, 0, after(now, SEED_RETRY_BASE_MS << (seed_tries_ - 1)));
    } else {
        // Gave up; a new round of tries starts after one poll interval.
        seed_tries_ = 0;
        ctx.set_timer(ClientTimer::seed_retry, 0, after(now, SEED_ROUND_PAUSE_MS));
    }
}

// ---- Refresh ----------------------------------------------------------------------------------------

bool NodePool::on_refresh_timer(Timestamp now, bool have_paths, const ClientConfig& config, ClientContext& ctx) {
    refresh_scheduled_ = true;
    ctx.set_timer(ClientTimer::refresh, 0, after(now, config.profile.pool_refresh_interval_ms));
    return start_refresh(now, have_paths, config, ctx);
}

bool NodePool::start_refresh(Timestamp now, bool have_paths, const ClientConfig& config, ClientContext& ctx) {
    if (!ctx.is_online() || !pool_ || refresh_outstanding_ > 0) return false;
    auto members = this->members();
    if (members.size() < 2 * config.profile.min_pool || !have_paths) {
        // desktop minSnodePoolCountBeforeRefreshFromSnodes: too few to ask the nodes themselves.
        request_seed(now, config, ctx);
        return false;
    }
    // Three random pool members, each asked through an onion path (desktop doSnodeBatchRequest,
    // 4 s), like every other snode RPC.
    shuffle(members, ctx.entropy());
    refresh_replies_.clear();
    refresh_failed_ = false;
    refresh_outstanding_ = 0;
    for (std::size_t i = 0; i < REFRESH_NODES; ++i) {
        if (ctx.send_onion(now, ClientRequest::refresh, 0, ctx.draw_crypto_work(), members[i],
                           get_service_nodes_request(), config.profile.snode_list_timeout_ms)) {
            ++refresh_outstanding_;
        } else {
            refresh_failed_ = true;
        }
    }
    if (refresh_outstanding_ == 0) return finish_refresh(now, config, ctx);
    return false;
}

bool NodePool::on_refresh_reply(Timestamp now, const OnionOutcome& outcome, const ClientConfig& config,
                                ClientContext& ctx) {
    SnodePoolPtr nodes =
        outcome.ok && outcome.status == 200 ? cache_->parsed(as_bytes(outcome.body), parse_pool) : nullptr;
    if (nodes) {
        refresh_replies_.push_back(std::move(nodes));
    } else {
        refresh_failed_ = true;
    }
    if (refresh_outstanding_ > 0 && --refresh_outstanding_ == 0) return finish_refresh(now, config, ctx);
    return false;
}

bool NodePool::finish_refresh(Timestamp now, const ClientConfig& config, ClientContext& ctx) {
    if (refresh_failed_ || refresh_replies_.size() < REFRESH_NODES) {
        ctx.count(client_counter::refresh_failed, 1);
        refresh_replies_.clear();
        request_seed(now, config, ctx);
        return false;
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
    if (result.size() < config.profile.refresh_min_nodes) {
        ctx.count(client_counter::refresh_failed, 1);
        request_seed(now, config, ctx);
        return false;
    }
    install(std::move(result), true);
    return true;
}

std::size_t NodePool::heap_bytes() const { return memory::heap_bytes(removed_) + memory::heap_bytes(failures_); }

}  // namespace sessionproto
