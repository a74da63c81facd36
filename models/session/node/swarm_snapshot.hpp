#pragma once
// The service-node list after a block, as every service node receives it (SwarmUpdate): built
// once per block and shared, immutable, by all nodes — not a copy each (with ~2,000 nodes a copy
// each would cost ~2,000 × 2,000 records). Indexed for what a node asks of it: a node by key, "is
// this IP a service node's", the sorted swarm ids, and a swarm's members.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <span>
#include <vector>

#include "models/session/node/io.hpp"
#include "models/session/node/pool_reply.hpp"
#include "models/session/swarm/swarm_space.hpp"

namespace sessionproto {

class SwarmSnapshot {
  public:
    /// Sorts by Ed25519 key; of two records with one key the first given is kept.
    explicit SwarmSnapshot(std::vector<SnodeRecord> nodes);

    /// Every listed node, sorted by Ed25519 key.
    const std::vector<SnodeRecord>& nodes() const noexcept { return nodes_; }
    const SnodeRecord* find(const Ed25519Pubkey& node) const noexcept;
    bool has_ip(std::uint32_t ipv4) const noexcept;
    /// The swarms with members, sorted, without INVALID_SWARM_ID.
    const std::vector<SwarmId>& swarm_ids() const noexcept { return swarm_ids_; }
    /// The members of `swarm`, sorted by Ed25519 key (empty when it has none).
    std::span<const SnodeRecord> members(SwarmId swarm) const noexcept;
    /// The list as oxend's get_service_nodes gives it: the JSON array of
    /// {"public_ip", "storage_port", "pubkey_ed25519", "pubkey_x25519", "swarm_id"} objects in key
    /// order. Built on first use and kept: every node answering a client's bootstrap or refresh
    /// with this list shares one text.
    const std::string& service_node_states_json() const;
    /// The get_service_nodes reply of this list (pool_reply.hpp), built on first use and shared.
    const PoolReply& pool_reply() const;

  private:
    std::vector<SnodeRecord> nodes_;
    std::vector<std::uint32_t> ips_;        // sorted, unique
    std::vector<SwarmId> swarm_ids_;
    std::vector<SnodeRecord> by_swarm_;     // sorted by (swarm_id, ed25519)
    mutable std::optional<std::string> states_json_;
    mutable std::shared_ptr<const PoolReply> pool_reply_;
};

/// One shared empty list (before any update).
const std::shared_ptr<const SwarmSnapshot>& empty_swarm_snapshot();

/// A SwarmUpdate of block `height` listing `nodes` (any order).
SwarmUpdate make_swarm_update(std::uint64_t height, std::vector<SnodeRecord> nodes);

}  // namespace sessionproto
