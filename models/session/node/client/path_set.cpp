#include "models/session/node/client/path_set.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "models/session/common/memory_estimate.hpp"
#include "models/session/storage/directory_rpc.hpp"

namespace sessionproto {

PathSet::Progress PathSet::ensure(Timestamp now, const NodePool& pool, const ClientConfig& config, ClientContext& ctx) {
    // Guards and paths whose nodes left the pool go (desktop: paths change only on failure or
    // when guards disappear from the pool).
    std::erase_if(guards_, [&](const SnodeRecord& g) { return !pool.contains(g.ed25519); });
    for (std::size_t i = paths_.size(); i > 0; --i) {
        const auto& nodes = paths_[i - 1].nodes;
        if (std::any_of(nodes.begin(), nodes.end(), [&](const SnodeRecord& n) { return !pool.contains(n.ed25519); })) {
            drop_path(i - 1, "left pool", ctx);
        }
    }
    const ClientProfile& profile = config.profile;
    if (rebuild_pending_) {
        // Desktop buildNewOnionPathsWorker: after a drop every path is built again, fresh relays.
        rebuild_pending_ = false;
        if (profile.rebuild_all_paths_on_drop) {
            while (!paths_.empty()) drop_path(paths_.size() - 1, "rebuild", ctx, false);
        }
    }
    if (paths_.size() >= profile.path_count) {
        build_attempts_ = 0;
        return Progress::ready;
    }
    if (retry_armed_ || !guard_tests_in_flight_.empty()) return Progress::building;
    if (guards_.size() < profile.path_count) {
        // Desktop getGuardNodeOrSelectNewOnes: fewer than wanted left, a whole new set.
        if (profile.replace_all_guards && !guards_.empty() && guard_rounds_ == 0) {
            guards_.clear();
            while (!paths_.empty()) drop_path(paths_.size() - 1, "new guards", ctx, false);
        }
        if (!profile.guard_tests) {
            if (!choose_untested_guards(pool, config, ctx)) {
                return attempt_failed(now, ctx) ? Progress::gave_up : Progress::building;
            }
        } else {
            return start_guard_round(now, pool, config, ctx) ? Progress::gave_up : Progress::building;
        }
    }
    if (!build_missing(pool, config, ctx)) {
        return attempt_failed(now, ctx) ? Progress::gave_up : Progress::building;
    }
    return Progress::ready;
}

bool PathSet::attempt_failed(Timestamp now, ClientContext& ctx) {
    ctx.count(client_counter::path_build_failed, 1);
    if (++build_attempts_ >= PATH_BUILD_ATTEMPTS) {
        // Desktop getOnionPath gives up after 10 attempts: the requests waiting for a path fail.
        build_attempts_ = 0;
        return true;
    }
    arm_retry(now, ctx);
    return false;
}

void PathSet::arm_retry(Timestamp now, ClientContext& ctx) {
    retry_armed_ = true;
    ctx.set_timer(ClientTimer::path_retry, 0, after(now, PATH_BUILD_RETRY_MS));
}

bool PathSet::choose_untested_guards(const NodePool& pool, const ClientConfig& config, ClientContext& ctx) {
    // Android SnodeDirectory.getGuardSnodes: random pool members, no test (nothing is sent).
    std::vector<SnodeRecord> candidates;
    for (auto& n : pool.members()) {
        if (contains_node(guards_, n.ed25519)) continue;
        bool used = false;
        for (const auto& p : paths_) used = used || contains_node(p.nodes, n.ed25519);
        if (!used) candidates.push_back(std::move(n));
    }
    while (guards_.size() < config.profile.path_count) {
        auto pick = random_member(candidates, ctx.entropy());
        if (!pick) return false;
        std::erase_if(candidates, [&](const SnodeRecord& c) { return c.ed25519 == pick->ed25519; });
        guards_.push_back(std::move(*pick));
    }
    return true;
}

void PathSet::rotate_relays(ClientContext& ctx) {
    // Android PathManager.kt: every PATH_ROTATE_INTERVAL_MS the paths get new relays; the guards
    // stay. The next ensure() builds them again.
    if (paths_.empty()) return;
    ctx.count(client_counter::path_rotations, 1);
    while (!paths_.empty()) drop_path(paths_.size() - 1, "rotation", ctx, false);
}

bool PathSet::start_guard_round(Timestamp now, const NodePool& pool, const ClientConfig& config, ClientContext& ctx) {
    if (guard_rounds_ == 0) {
        guard_candidates_.clear();
        // Neither a guard nor a node of a path still kept (a guard is never another path's relay).
        for (auto& n : pool.members()) {
            bool used = contains_node(guards_, n.ed25519);
            for (const auto& p : paths_) used = used || contains_node(p.nodes, n.ed25519);
            if (!used) guard_candidates_.push_back(std::move(n));
        }
        shuffle(guard_candidates_, ctx.entropy());
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
        return attempt_failed(now, ctx);
    }
    ++guard_rounds_;
    // Desktop tests candidates 2 at a time with a direct get_swarm request (10 s).
    const std::size_t n = std::min(GUARD_TEST_BATCH, guard_candidates_.size());
    for (std::size_t i = 0; i < n; ++i) {
        SnodeRecord node = guard_candidates_.back();
        guard_candidates_.pop_back();
        guard_tests_in_flight_.insert(node.ed25519);
        ctx.count(client_counter::guard_tests, 1);
        ctx.send_direct(now, ClientRequest::guard_test, node, get_swarm_request(own_),
                        config.profile.guard_test_timeout_ms);
    }
    return false;
}

void PathSet::on_guard_reply(const SnodeRecord& node, bool ok, const NodePool& pool, const ClientConfig& config,
                             ClientContext& ctx) {
    guard_tests_in_flight_.erase(node.ed25519);
    if (!ok) {
        ctx.count(client_counter::guard_test_failed, 1);
    } else if (pool.contains(node.ed25519) && guards_.size() < config.profile.path_count &&
               !contains_node(guards_, node.ed25519)) {
        guards_.push_back(node);
    }
    if (!guard_tests_in_flight_.empty()) return;
    if (guards_.size() >= config.profile.path_count) {
        guard_rounds_ = 0;
        std::vector<SnodeRecord>().swap(guard_candidates_);  // not needed until the next search
    }
    // Otherwise the next ensure() starts the next round (or gives up after GUARD_TEST_ROUNDS).
}

std::optional<SnodeRecord> PathSet::draw_node(const std::vector<SnodeRecord>& weighted,
                                              const std::vector<SnodeRecord>& path, Entropy& entropy) const {
    std::vector<std::size_t> eligible;
    for (std::size_t i = 0; i < weighted.size(); ++i) {
        const auto& n = weighted[i];
        bool ok = !contains_node(path, n.ed25519);
        for (const auto& p : paths_) ok = ok && !contains_node(p.nodes, n.ed25519);
        for (const auto& m : path) ok = ok && subnet24(m) != subnet24(n);
        if (ok) eligible.push_back(i);
    }
    if (eligible.empty()) return std::nullopt;
    return weighted[eligible[static_cast<std::size_t>(entropy.uniform(eligible.size()))]];
}

bool PathSet::build_missing(const NodePool& pool, const ClientConfig& config, ClientContext& ctx) {
    // Desktop onionPath.ts: group the pool by /24, replace each group by copies of one random
    // member (the group keeps its weight but offers one node), remove the guards, then give each
    // guard path_hops - 1 random nodes. Nodes are also kept out of the /24 of the path's others.
    Entropy& entropy = ctx.entropy();
    std::map<std::uint32_t, std::vector<SnodeRecord>> groups;
    for (auto& n : pool.members()) groups[subnet24(n)].push_back(std::move(n));
    std::vector<SnodeRecord> weighted;
    for (const auto& [subnet, members] : groups) {
        const auto& pick = members[static_cast<std::size_t>(entropy.uniform(members.size()))];
        if (contains_node(guards_, pick.ed25519)) continue;
        for (std::size_t i = 0; i < members.size(); ++i) weighted.push_back(pick);
    }
    for (const auto& guard : guards_) {
        if (paths_.size() >= config.profile.path_count) break;
        const bool has_path = std::any_of(paths_.begin(), paths_.end(),
                                          [&](const OnionPath& p) { return p.nodes.front().ed25519 == guard.ed25519; });
        if (has_path) continue;
        std::vector<SnodeRecord> nodes{guard};
        while (nodes.size() < config.path_hops) {
            auto next = draw_node(weighted, nodes, entropy);
            if (!next) return false;
            nodes.push_back(std::move(*next));
        }
        OnionPath path;
        path.id = ctx.next_id();
        path.nodes = std::move(nodes);
        ++built_;
        app::PathBuilt built{path.id, {}};
        for (const auto& n : path.nodes) built.nodes.push_back(n.ed25519);
        ctx.event(std::move(built));
        paths_.push_back(std::move(path));
    }
    return paths_.size() >= config.profile.path_count;
}

const OnionPath* PathSet::choose(const Ed25519Pubkey& destination, Entropy& entropy) const {
    // A random path that does not contain the destination (desktop onionPath.ts getOnionPath).
    std::vector<std::size_t> usable;
    for (std::size_t i = 0; i < paths_.size(); ++i) {
        if (!contains_node(paths_[i].nodes, destination)) usable.push_back(i);
    }
    if (usable.empty()) return nullptr;
    return &paths_[usable[static_cast<std::size_t>(entropy.uniform(usable.size()))]];
}

const OnionPath* PathSet::find(std::uint64_t path_id) const {
    for (const auto& p : paths_) {
        if (p.id == path_id) return &p;
    }
    return nullptr;
}

std::optional<Ed25519Pubkey> PathSet::guard_of(std::uint64_t path_id) const {
    for (const auto& p : paths_) {
        if (p.id == path_id && !p.nodes.empty()) return p.nodes.front().ed25519;
    }
    return std::nullopt;
}

void PathSet::drop_path(std::size_t index, std::string_view reason, ClientContext& ctx, bool failed) {
    if (failed) rebuild_pending_ = true;
    ++dropped_;
    ctx.event(app::PathDropped{paths_[index].id, std::string(reason)});
    paths_.erase(paths_.begin() + static_cast<std::ptrdiff_t>(index));
}

std::optional<std::vector<SnodeRecord>> PathSet::strike(std::uint64_t path_id, std::string_view reason,
                                                        ClientContext& ctx) {
    const auto it = std::find_if(paths_.begin(), paths_.end(), [&](const OnionPath& p) { return p.id == path_id; });
    if (it == paths_.end()) return std::nullopt;  // already dropped
    if (++it->failures < PATH_FAILURE_THRESHOLD) return std::nullopt;
    // Desktop incrementBadPathCountOrDrop: the whole path goes and its guard leaves the guard list.
    std::vector<SnodeRecord> nodes = it->nodes;
    drop_path(static_cast<std::size_t>(it - paths_.begin()), reason, ctx);
    const Ed25519Pubkey guard = nodes.front().ed25519;
    std::erase_if(guards_, [&](const SnodeRecord& g) { return g.ed25519 == guard; });
    return nodes;
}

void PathSet::drop_node(const Ed25519Pubkey& node, const NodePool& pool, ClientContext& ctx) {
    const bool was_guard = contains_node(guards_, node);
    std::erase_if(guards_, [&](const SnodeRecord& g) { return g.ed25519 == node; });
    for (std::size_t i = paths_.size(); i > 0; --i) {
        auto& path = paths_[i - 1];
        const auto pos = std::find_if(path.nodes.begin(), path.nodes.end(),
                                      [&](const SnodeRecord& n) { return n.ed25519 == node; });
        if (pos == path.nodes.end()) continue;
        if (was_guard || pos == path.nodes.begin()) {
            drop_path(i - 1, "node dropped", ctx);
            continue;
        }
        std::vector<SnodeRecord> rest;
        for (const auto& n : path.nodes) {
            if (n.ed25519 != node) rest.push_back(n);
        }
        std::vector<SnodeRecord> candidates;
        for (auto& n : pool.members()) {
            if (!contains_node(guards_, n.ed25519)) candidates.push_back(std::move(n));
        }
        auto replacement = draw_node(candidates, rest, ctx.entropy());
        if (!replacement) {
            drop_path(i - 1, "node dropped", ctx);
            continue;
        }
        *pos = std::move(*replacement);
    }
}

void PathSet::reset_strikes() {
    for (auto& p : paths_) p.failures = 0;
}

std::size_t PathSet::heap_bytes() const {
    std::size_t bytes = memory::heap_bytes(guards_) + memory::heap_bytes(paths_) + memory::heap_bytes(guard_candidates_) +
                        memory::heap_bytes(guard_tests_in_flight_);
    for (const OnionPath& p : paths_) bytes += memory::heap_bytes(p.nodes);
    return bytes;
}

}  // namespace sessionproto
