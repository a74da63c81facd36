#include "models/session/registry/service_node_list.hpp"

#include "models/session/node/swarm_snapshot.hpp"

namespace sessionproto {

Status ServiceNodeList::register_node(const SnodeRecord& node) {
    if (nodes_.count(node.ed25519) != 0) {
        return Error{ErrorCode::invalid_argument, "node " + node.ed25519.hex() + " is already registered"};
    }
    Entry e;
    e.record = node;
    e.record.swarm_id = INVALID_SWARM_ID.value;
    nodes_.emplace(node.ed25519, e);
    return Ok{};
}

Status ServiceNodeList::deregister_node(const Ed25519Pubkey& node) {
    const auto it = nodes_.find(node);
    if (it == nodes_.end()) return Error{ErrorCode::not_found, "node " + node.hex() + " is not registered"};
    it->second.deregistered = true;
    return Ok{};
}

Status ServiceNodeList::decommission(const Ed25519Pubkey& node) {
    const auto it = nodes_.find(node);
    if (it == nodes_.end()) return Error{ErrorCode::not_found, "node " + node.hex() + " is not registered"};
    it->second.decommissioned = true;
    return Ok{};
}

Status ServiceNodeList::recommission(const Ed25519Pubkey& node) {
    const auto it = nodes_.find(node);
    if (it == nodes_.end()) return Error{ErrorCode::not_found, "node " + node.hex() + " is not registered"};
    it->second.decommissioned = false;
    return Ok{};
}

Result<bool> ServiceNodeList::apply_block(std::uint64_t height, const BlockHash& hash) {
    if (any_block_ && height <= height_) {
        return Error{ErrorCode::invalid_argument, "block height " + std::to_string(height) + " does not follow " +
                                                      std::to_string(height_)};
    }
    height_ = height;
    any_block_ = true;

    // The active set after this block.
    std::set<SnodePubkey> active;
    bool changed = false;
    for (auto it = nodes_.begin(); it != nodes_.end();) {
        Entry& e = it->second;
        if (e.deregistered) {
            changed |= e.active;
            it = nodes_.erase(it);
            continue;
        }
        const bool now_active = !e.decommissioned;
        changed |= now_active != e.active;
        e.active = now_active;
        if (now_active) active.insert(it->first);
        ++it;
    }
    active_count_ = active.size();
    if (!changed) return false;

    // oxen-core seeds the assignment with the first 8 bytes of the block hash.
    std::array<std::byte, 32> seed{};
    const std::uint64_t s = swarm_seed_from_block_hash(hash);
    for (int i = 0; i < 8; ++i) seed[static_cast<std::size_t>(i)] = static_cast<std::byte>((s >> (8 * i)) & 0xFF);
    DeterministicEntropy entropy(seed);
    auto next = calc_swarm_changes(swarms_, active, entropy);
    if (!next) return next.error();
    swarms_ = std::move(*next);
    swarm_ids_.clear();
    for (auto& [id, members] : swarms_) {
        swarm_ids_.push_back(id);
        for (const auto& member : members) nodes_.at(member).record.swarm_id = id.value;
    }
    for (auto& [key, e] : nodes_) {
        if (!e.active) e.record.swarm_id = INVALID_SWARM_ID.value;
    }
    return true;
}

SwarmUpdate ServiceNodeList::swarm_update() const {
    std::vector<SnodeRecord> active;
    active.reserve(active_count_);
    for (const auto& [key, e] : nodes_) {
        if (e.active) active.push_back(e.record);
    }
    return make_swarm_update(height_, std::move(active));
}

std::optional<SnodeRecord> ServiceNodeList::find(const Ed25519Pubkey& node) const {
    const auto it = nodes_.find(node);
    if (it == nodes_.end()) return std::nullopt;
    return it->second.record;
}

std::optional<SwarmId> ServiceNodeList::swarm_for(const SessionId& pubkey) const {
    if (swarm_ids_.empty()) return std::nullopt;
    return closest_swarm(pubkey_to_swarm_space(pubkey), swarm_ids_);
}

std::vector<SnodeRecord> ServiceNodeList::swarm_members(SwarmId swarm) const {
    std::vector<SnodeRecord> out;
    const auto it = swarms_.find(swarm);
    if (it == swarms_.end()) return out;
    for (const auto& member : it->second) out.push_back(nodes_.at(member).record);
    return out;
}

std::vector<SnodeRecord> ServiceNodeList::swarm_members_for(const SessionId& pubkey) const {
    const auto swarm = swarm_for(pubkey);
    if (!swarm) return {};
    return swarm_members(*swarm);
}

}  // namespace sessionproto
