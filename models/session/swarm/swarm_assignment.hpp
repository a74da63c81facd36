#pragma once
// The per-block swarm assignment of service nodes (spec session-network §2.1, §2.4, §2.5), as pure
// functions: the swarm map before a block, the active nodes after it and the block's random stream
// in; the swarm map after the block out.
//
// Source of every rule and constant: oxen-io/oxen-core src/cryptonote_core/service_node_swarm.cpp
// (calc_swarm_changes, assign_snodes, get_excess_pool, create_new_swarm_from_excess,
// get_new_swarm_id), service_node_swarm.h and service_node_rules.h. The random draws come from our
// Entropy, not oxen-core's mt19937_64, and ties in the size order are broken by swarm id, so the
// steps are oxen-core's but the draws are not mainnet's (see models/session/swarm/README.md).
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "models/session/common/entropy.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/swarm/swarm_space.hpp"

namespace sessionproto {

// oxen-io/oxen-core src/cryptonote_core/service_node_rules.h:
/// A swarm with strictly fewer members is "starving": it steals members or is dissolved.
inline constexpr std::size_t MIN_SWARM_SIZE = 5;
/// Excess each existing swarm keeps before the excess may form a new swarm.
inline constexpr std::size_t IDEAL_SWARM_MARGIN = 2;
inline constexpr std::size_t IDEAL_SWARM_SIZE = MIN_SWARM_SIZE + IDEAL_SWARM_MARGIN;  // 7
/// A swarm's excess is its size above this.
inline constexpr std::size_t EXCESS_BASE = MIN_SWARM_SIZE;
/// Members of a swarm made from excess.
inline constexpr std::size_t NEW_SWARM_SIZE = IDEAL_SWARM_SIZE;  // 7
/// Declared in service_node_rules.h (older revisions) but used by no assignment rule; kept for
/// reference. Swarm sizes are not capped.
inline constexpr std::size_t MAX_SWARM_SIZE = 10;
/// New registrations go to a random swarm among those no larger than this percentile of sizes.
inline constexpr std::size_t FILL_SWARM_LOWER_PERCENTILE = 25;
/// Members of a dissolved swarm go to the smallest swarms.
inline constexpr std::size_t DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE = 0;
/// Starving swarms steal from swarms larger than (this percentile of sizes) - 1.
inline constexpr std::size_t STEALING_SWARM_UPPER_PERCENTILE = 75;

/// A service node, named by its Ed25519 public key (its pubkey_legacy on current mainnet).
using SnodePubkey = Ed25519Pubkey;
/// Swarm id -> members. In every map this file returns, each member list is sorted ascending and
/// holds no duplicate, and no swarm id is INVALID_SWARM_ID.
using SwarmMap = std::map<SwarmId, std::vector<SnodePubkey>>;

/// The block seed oxen-core gives its swarm RNG (service_node_list.cpp, update_swarms): the first
/// 8 bytes of the block hash, read little-endian.
/// Inputs: a 32-byte block hash. Outputs: the seed. Errors: none.
/// A caller seeds the Entropy for calc_swarm_changes from it, e.g.
/// DeterministicEntropy(swarm_seed_from_block_hash(hash), "swarm-assignment").
std::uint64_t swarm_seed_from_block_hash(const std::array<std::byte, 32>& block_hash) noexcept;

/// The total excess: the sum over swarms of max(0, size - EXCESS_BASE) (oxen-core calc_excess).
std::size_t calc_excess(const SwarmMap& swarms) noexcept;

/// The excess needed to form a new swarm: NEW_SWARM_SIZE + IDEAL_SWARM_MARGIN * (number of swarms)
/// (oxen-core calc_threshold).
std::size_t calc_threshold(const SwarmMap& swarms) noexcept;

/// The id of a new swarm (oxen-core get_new_swarm_id).
/// Inputs: the existing swarms (only their ids matter). Precondition: no id is INVALID_SWARM_ID.
/// Outputs: 0 when there is no swarm. Otherwise the midpoint of the largest gap between
///   neighbouring ids, the gap from the highest id around to the lowest counting 0 and
///   MAX_SWARM_ID as one apart; among equal gaps the first (lowest start) wins and the wrap gap
///   only wins when strictly larger. The id is start + gap/2, wrapping past MAX_SWARM_ID to
///   gap/2 - (MAX_SWARM_ID - start) - 1.
/// Errors: none.
SwarmId new_swarm_id(const SwarmMap& swarms) noexcept;

/// The swarm map after one block (oxen-core calc_swarm_changes).
/// Inputs:
///   - `current`: the swarm map before the block. Members not in `active` are dropped (they
///     deregistered, were decommissioned or expired); a swarm left with no active member
///     disappears. Nodes listed under INVALID_SWARM_ID count as unassigned. Member order does
///     not matter.
///   - `active`: every active service node after the block. Those not in `current` (and those
///     under INVALID_SWARM_ID) are the newly active nodes, assigned in ascending key order.
///   - `entropy`: the block's random stream (see swarm_seed_from_block_hash); every draw is
///     Entropy::uniform, in an order fixed by the inputs.
/// Outputs: the new map. Every active node is in exactly one swarm and no other node is. The
///   steps: (0) with no swarm, create swarm 0; (1) each new node goes to a random swarm among
///   those no larger than the 25th-percentile size, and after each, new swarms of 7 form from the
///   excess while excess >= 7 + 2 * swarms and no swarm is starving; (2) starving swarms, smallest
///   first, steal random members of swarms larger than max(5, 75th-percentile size - 1) while the
///   excess of those swarms covers their deficit; (3) new swarms from the excess again;
///   (4) while there is more than one swarm and some swarm has fewer than 5 members, the one with
///   the lowest id is dissolved and its members assigned one by one to the smallest swarms
///   (0th percentile), each followed by new-swarm formation. Sizes are ordered by (size, swarm id).
///   With at least MIN_SWARM_SIZE active nodes every swarm of the result has at least
///   MIN_SWARM_SIZE members and calc_excess < calc_threshold.
/// Errors: invalid_argument when a node is listed in `current` more than once (in one swarm or
///   in two); nothing is drawn from `entropy` then.
Result<SwarmMap> calc_swarm_changes(const SwarmMap& current, const std::set<SnodePubkey>& active,
                                    Entropy& entropy);

}  // namespace sessionproto
