#pragma once
// The service-node list ("oxend"): registrations, decommissions and deregistrations take effect
// at the next block; on a block that changes the active set, the swarms are reassigned with
// oxen-core's rules (swarm/swarm_assignment.hpp), seeded by that block's hash. Pure state: block
// events in, swarm map out. The simulator makes the blocks (one every 2 minutes, spec
// session-network §1.2) and draws their hashes from the run seed.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/node/io.hpp"
#include "models/session/swarm/swarm_assignment.hpp"
#include "models/session/swarm/swarm_space.hpp"

namespace sessionproto {

using BlockHash = std::array<std::byte, 32>;

class ServiceNodeList {
  public:
    /// A node registers; it becomes active (and gets a swarm) at the next block.
    /// Error: invalid_argument if the Ed25519 key is already registered.
    Status register_node(const SnodeRecord& node);
    /// Deregistration: gone at the next block. Error: not_found.
    Status deregister_node(const Ed25519Pubkey& node);
    /// Decommission (spec §1.6): stays registered, leaves its swarm at the next block.
    Status decommission(const Ed25519Pubkey& node);
    /// Recommission: active again at the next block, with a new assignment.
    Status recommission(const Ed25519Pubkey& node);

    /// Applies block `height` with hash `hash`. Returns true when the swarms changed.
    /// Error: invalid_argument when the height does not increase.
    Result<bool> apply_block(std::uint64_t height, const BlockHash& hash);

    std::uint64_t height() const noexcept { return height_; }
    const SwarmMap& swarms() const noexcept { return swarms_; }
    /// Every active node with its swarm, sorted by Ed25519 key: what nodes receive (one snapshot,
    /// to be shared by all of them).
    SwarmUpdate swarm_update() const;
    std::size_t active_count() const noexcept { return active_count_; }
    std::size_t registered_count() const noexcept { return nodes_.size(); }
    std::optional<SnodeRecord> find(const Ed25519Pubkey& node) const;

    /// The swarm responsible for a pubkey (none while no swarm exists).
    std::optional<SwarmId> swarm_for(const SessionId& pubkey) const;
    /// get_snodes_for_pubkey: the members of that swarm, sorted by Ed25519 key.
    std::vector<SnodeRecord> swarm_members_for(const SessionId& pubkey) const;
    std::vector<SnodeRecord> swarm_members(SwarmId swarm) const;

  private:
    struct Entry {
        SnodeRecord record;
        bool active = false;          // in the active set as of the last block
        bool decommissioned = false;  // requested state for the next block
        bool deregistered = false;
    };
    std::map<Ed25519Pubkey, Entry> nodes_;
    SwarmMap swarms_;
    std::vector<SwarmId> swarm_ids_;  // sorted: closest_swarm's input
    std::uint64_t height_ = 0;
    bool any_block_ = false;
    std::size_t active_count_ = 0;
};

}  // namespace sessionproto
