#include "models/session/node/swarm_snapshot.hpp"

#include <algorithm>

#include "models/session/storage/directory_rpc.hpp"

namespace sessionproto {

SwarmSnapshot::SwarmSnapshot(std::vector<SnodeRecord> nodes) : nodes_(std::move(nodes)) {
    std::stable_sort(nodes_.begin(), nodes_.end(),
                     [](const SnodeRecord& a, const SnodeRecord& b) { return a.ed25519 < b.ed25519; });
    nodes_.erase(std::unique(nodes_.begin(), nodes_.end(),
                             [](const SnodeRecord& a, const SnodeRecord& b) { return a.ed25519 == b.ed25519; }),
                 nodes_.end());
    ips_.reserve(nodes_.size());
    for (const auto& n : nodes_) {
        ips_.push_back(n.address.ipv4);
        if (n.swarm_id != INVALID_SWARM_ID.value) {
            by_swarm_.push_back(n);
            swarm_ids_.push_back(SwarmId(n.swarm_id));
        }
    }
    std::sort(ips_.begin(), ips_.end());
    ips_.erase(std::unique(ips_.begin(), ips_.end()), ips_.end());
    std::sort(swarm_ids_.begin(), swarm_ids_.end());
    swarm_ids_.erase(std::unique(swarm_ids_.begin(), swarm_ids_.end()), swarm_ids_.end());
    std::stable_sort(by_swarm_.begin(), by_swarm_.end(),
                     [](const SnodeRecord& a, const SnodeRecord& b) { return a.swarm_id < b.swarm_id; });
}

const SnodeRecord* SwarmSnapshot::find(const Ed25519Pubkey& node) const noexcept {
    const auto it = std::lower_bound(nodes_.begin(), nodes_.end(), node,
                                     [](const SnodeRecord& r, const Ed25519Pubkey& k) { return r.ed25519 < k; });
    return it != nodes_.end() && it->ed25519 == node ? &*it : nullptr;
}

bool SwarmSnapshot::has_ip(std::uint32_t ipv4) const noexcept {
    return std::binary_search(ips_.begin(), ips_.end(), ipv4);
}

namespace {
/// Orders records and swarm ids by swarm id (for equal_range over by_swarm_).
struct BySwarm {
    bool operator()(const SnodeRecord& r, std::uint64_t id) const noexcept { return r.swarm_id < id; }
    bool operator()(std::uint64_t id, const SnodeRecord& r) const noexcept { return id < r.swarm_id; }
};
}  // namespace

std::span<const SnodeRecord> SwarmSnapshot::members(SwarmId swarm) const noexcept {
    const auto [lo, hi] = std::equal_range(by_swarm_.begin(), by_swarm_.end(), swarm.value, BySwarm{});
    return {lo, hi};
}

const std::string& SwarmSnapshot::service_node_states_json() const {
    if (!states_json_) states_json_ = sessionproto::service_node_states_json(nodes_);
    return *states_json_;
}

const PoolReply& SwarmSnapshot::pool_reply() const {
    if (!pool_reply_) pool_reply_ = std::make_shared<const PoolReply>(service_node_states_json());
    return *pool_reply_;
}

const std::shared_ptr<const SwarmSnapshot>& empty_swarm_snapshot() {
    static const auto empty = std::make_shared<const SwarmSnapshot>(std::vector<SnodeRecord>{});
    return empty;
}

SwarmUpdate make_swarm_update(std::uint64_t height, std::vector<SnodeRecord> nodes) {
    return SwarmUpdate{height, std::make_shared<const SwarmSnapshot>(std::move(nodes))};
}

}  // namespace sessionproto
