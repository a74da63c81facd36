#include "models/session/node/pool_cache.hpp"

#include <algorithm>
#include <set>

#include "models/session/common/memory_estimate.hpp"
#include "models/session/storage/message_hash.hpp"

namespace sessionproto {

SnodePoolPtr PoolCache::intern(SnodePool nodes) {
    std::sort(nodes.begin(), nodes.end(),
              [](const SnodeRecord& a, const SnodeRecord& b) { return a.ed25519 < b.ed25519; });
    nodes.erase(std::unique(nodes.begin(), nodes.end(),
                            [](const SnodeRecord& a, const SnodeRecord& b) { return a.ed25519 == b.ed25519; }),
                nodes.end());
    // Canonical encoding: per node ed25519 ‖ x25519 ‖ ipv4 (BE) ‖ port (BE) ‖ swarm id (BE).
    Bytes canonical;
    canonical.reserve(nodes.size() * 78);
    for (const auto& n : nodes) {
        append(canonical, n.ed25519.view());
        append(canonical, n.x25519.view());
        append_be64(canonical, (std::uint64_t{n.address.ipv4} << 16) | n.address.port);
        append_be64(canonical, n.swarm_id);
    }
    std::array<std::byte, 32> key{};
    if (auto digest = blake2b(32, canonical); digest.ok()) std::copy(digest->begin(), digest->end(), key.begin());

    // Prune snapshots nobody holds any more.
    for (auto it = entries_.begin(); it != entries_.end();) {
        it = it->second.expired() ? entries_.erase(it) : std::next(it);
    }
    if (auto found = entries_.find(key); found != entries_.end()) {
        if (auto live = found->second.lock()) {
            ++hits_;
            return live;
        }
    }
    ++misses_;
    auto snapshot = std::make_shared<const SnodePool>(std::move(nodes));
    entries_[key] = snapshot;
    return snapshot;
}

SnodePoolPtr PoolCache::parsed(ByteView body, PoolParser parse) {
    const std::size_t hash = bytes_sample_hash(body);
    std::erase_if(parsed_, [](const ParsedBody& p) { return p.pool.expired(); });
    for (const ParsedBody& p : parsed_) {
        if (p.hash != hash || !same_bytes(p.body, body)) continue;
        if (auto live = p.pool.lock()) return live;
    }
    auto nodes = parse(body);
    if (!nodes) return nullptr;
    auto result = std::make_shared<const SnodePool>(std::move(*nodes));
    parsed_.push_back(ParsedBody{hash, Bytes(body.begin(), body.end()), result});
    if (recent_parsed_.size() == RECENT_PARSED) recent_parsed_.erase(recent_parsed_.begin());
    recent_parsed_.push_back(result);
    return result;
}

std::size_t PoolCache::heap_bytes() const {
    std::size_t bytes = memory::heap_bytes(entries_) + memory::heap_bytes(parsed_) + replies_.heap_bytes();
    std::set<const SnodePool*> counted;  // a snapshot can be both interned and parsed: count it once
    const auto add = [&](const std::shared_ptr<const SnodePool>& pool) {
        if (pool && counted.insert(pool.get()).second) bytes += sizeof(SnodePool) + pool->capacity() * sizeof(SnodeRecord);
    };
    for (const auto& [key, weak] : entries_) add(weak.lock());
    for (const ParsedBody& p : parsed_) {
        bytes += p.body.capacity();
        add(p.pool.lock());
    }
    return bytes;
}

std::size_t PoolCache::live_count() const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [](const auto& e) { return !e.second.expired(); }));
}

}  // namespace sessionproto
