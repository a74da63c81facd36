#include "models/session/swarm/swarm_assignment.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <span>
#include <string>
#include <utility>

namespace sessionproto {
namespace {

struct SwarmSize {
    SwarmId id;
    std::size_t size = 0;
};

/// A member of a swarm with excess, as a candidate to move elsewhere.
struct PoolEntry {
    SnodePubkey node;
    SwarmId swarm;
};

/// Sizes in ascending order. oxen-core sorts by size alone with std::sort (unspecified order
/// among equal sizes); we break ties by swarm id so the order depends on the map only.
std::vector<SwarmSize> sorted_sizes(const SwarmMap& swarms) {
    std::vector<SwarmSize> out;
    out.reserve(swarms.size());
    for (const auto& [id, members] : swarms) out.push_back({id, members.size()});
    std::sort(out.begin(), out.end(), [](const SwarmSize& a, const SwarmSize& b) {
        return a.size != b.size ? a.size < b.size : a.id < b.id;
    });
    return out;
}

/// Index of `percentile` in a list of `count` (> 0) sizes, as oxen-core computes it.
std::size_t percentile_index(std::size_t percentile, std::size_t count) noexcept {
    return percentile * (count - 1) / 100;
}

/// Keeps member lists sorted, so the excess pool's order is (swarm id, member key).
void add_member(std::vector<SnodePubkey>& members, const SnodePubkey& node) {
    members.insert(std::lower_bound(members.begin(), members.end(), node), node);
}

void remove_member(SwarmMap& swarms, const PoolEntry& entry) {
    auto& members = swarms.at(entry.swarm);
    const auto it = std::lower_bound(members.begin(), members.end(), entry.node);
    if (it != members.end() && *it == entry.node) members.erase(it);
}

/// oxen-core get_excess_pool: every member of every swarm larger than `threshold`, and the excess
/// of those swarms counted above MIN_SWARM_SIZE (not above `threshold`). A member's chance of
/// being drawn from the pool makes larger swarms proportionally likelier donors.
std::size_t excess_pool(const SwarmMap& swarms, std::size_t threshold, std::vector<PoolEntry>& pool) {
    pool.clear();
    std::size_t excess = 0;
    if (threshold < MIN_SWARM_SIZE) return excess;
    for (const auto& [id, members] : swarms) {
        if (members.size() <= threshold) continue;
        excess += members.size() - MIN_SWARM_SIZE;
        for (const auto& node : members) pool.push_back({node, id});
    }
    return excess;
}

PoolEntry draw(const std::vector<PoolEntry>& pool, Entropy& entropy) {
    return pool[static_cast<std::size_t>(entropy.uniform(pool.size()))];
}

/// oxen-core create_new_swarm_from_excess: nothing while any swarm is starving; otherwise, while
/// the excess reaches the threshold, a new swarm of NEW_SWARM_SIZE members drawn one at a time
/// from the members of swarms larger than EXCESS_BASE (the pool rebuilt after every draw).
void create_new_swarms_from_excess(SwarmMap& swarms, Entropy& entropy) {
    const bool starving = std::any_of(swarms.begin(), swarms.end(),
                                      [](const auto& entry) { return entry.second.size() < MIN_SWARM_SIZE; });
    if (starving) return;

    std::vector<PoolEntry> pool;
    while (calc_excess(swarms) >= calc_threshold(swarms)) {
        std::vector<PoolEntry> taken;
        taken.reserve(NEW_SWARM_SIZE);
        bool failed = false;
        while (taken.size() < NEW_SWARM_SIZE) {
            excess_pool(swarms, EXCESS_BASE, pool);
            // Unreachable: the loop starts with excess >= 7 + 2 * swarms and each draw lowers
            // it by one. oxen-core logs and returns here; we also put the drawn members back.
            if (pool.empty()) {
                failed = true;
                break;
            }
            const PoolEntry picked = draw(pool, entropy);
            remove_member(swarms, picked);
            taken.push_back(picked);
        }
        const SwarmId id = new_swarm_id(swarms);
        // Unreachable below 2^63 swarms: the largest gap is then at least 2, so its midpoint is new.
        if (failed || swarms.contains(id)) {
            for (const auto& entry : taken) add_member(swarms.at(entry.swarm), entry.node);
            return;
        }
        std::vector<SnodePubkey> members;
        members.reserve(taken.size());
        for (const auto& entry : taken) members.push_back(entry.node);
        std::sort(members.begin(), members.end());
        swarms.emplace(id, std::move(members));
    }
}

/// oxen-core assign_snodes: each node in turn goes to a random swarm among the smallest ones, the
/// candidates being every swarm whose size is at most the size at `percentile`; after each
/// assignment new swarms may form. Precondition: `swarms` is not empty.
void assign_snodes(std::span<const SnodePubkey> nodes, SwarmMap& swarms, Entropy& entropy,
                   std::size_t percentile) {
    for (const auto& node : nodes) {
        const auto sizes = sorted_sizes(swarms);
        std::size_t last = percentile_index(percentile, sizes.size());
        const std::size_t limit = sizes[last].size;
        while (last + 1 < sizes.size() && sizes[last + 1].size == limit) ++last;
        const auto chosen = sizes[static_cast<std::size_t>(entropy.uniform(last + 1))].id;
        add_member(swarms.at(chosen), node);
        create_new_swarms_from_excess(swarms, entropy);
    }
}

/// oxen-core's "Robin Hood round": starving swarms, smallest first, steal random members from
/// the swarms above the stealing threshold until they reach MIN_SWARM_SIZE, and the round stops
/// at the first swarm whose deficit the available excess cannot cover.
void steal_for_starving_swarms(SwarmMap& swarms, Entropy& entropy) {
    // As in oxen-core, the sizes (and so the threshold) are taken once, before any move.
    const auto sizes = sorted_sizes(swarms);
    const std::size_t at_percentile = sizes[percentile_index(STEALING_SWARM_UPPER_PERCENTILE, sizes.size())].size;
    // "- 1" so that only sizes strictly above the percentile's size qualify; oxen-core's size_t
    // arithmetic turns 0 - 1 into SIZE_MAX (no donor), kept here.
    const std::size_t threshold =
        std::max(MIN_SWARM_SIZE, at_percentile == 0 ? std::numeric_limits<std::size_t>::max() : at_percentile - 1);

    std::vector<PoolEntry> pool;
    for (const auto& swarm : sizes) {
        if (swarm.size >= MIN_SWARM_SIZE) break;  // sorted: no starving swarm is left
        auto& poor = swarms.at(swarm.id);
        bool insufficient = false;
        do {
            const std::size_t excess = excess_pool(swarms, threshold, pool);
            const std::size_t deficit = MIN_SWARM_SIZE - poor.size();
            insufficient = excess < deficit;
            if (insufficient) break;
            const PoolEntry picked = draw(pool, entropy);
            remove_member(swarms, picked);
            add_member(poor, picked.node);
        } while (poor.size() < MIN_SWARM_SIZE);
        // The next swarm is no poorer than this one, so it cannot be saved either.
        if (insufficient) break;
    }
}

/// oxen-core step 4: dissolve starving swarms, lowest id first, their members going to the
/// smallest swarms. oxen-core checks "more than one swarm" once, before the loop; we check it
/// before every dissolution, so the last swarm is never dissolved (oxen-core would then index an
/// empty size list and throw; that only happens with fewer than MIN_SWARM_SIZE active nodes).
void dissolve_starving_swarms(SwarmMap& swarms, Entropy& entropy) {
    while (swarms.size() > 1) {
        const auto it = std::find_if(swarms.begin(), swarms.end(),
                                     [](const auto& entry) { return entry.second.size() < MIN_SWARM_SIZE; });
        if (it == swarms.end()) break;
        const std::vector<SnodePubkey> orphans = std::move(it->second);
        swarms.erase(it);
        assign_snodes(orphans, swarms, entropy, DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE);
    }
}

}  // namespace

std::uint64_t swarm_seed_from_block_hash(const std::array<std::byte, 32>& block_hash) noexcept {
    std::uint64_t seed = 0;
    for (int i = 7; i >= 0; --i) seed = (seed << 8) | std::to_integer<std::uint64_t>(block_hash[static_cast<std::size_t>(i)]);
    return seed;
}

std::size_t calc_excess(const SwarmMap& swarms) noexcept {
    std::size_t excess = 0;
    for (const auto& [id, members] : swarms) {
        if (members.size() > EXCESS_BASE) excess += members.size() - EXCESS_BASE;
    }
    return excess;
}

std::size_t calc_threshold(const SwarmMap& swarms) noexcept {
    return NEW_SWARM_SIZE + swarms.size() * IDEAL_SWARM_MARGIN;
}

SwarmId new_swarm_id(const SwarmMap& swarms) noexcept {
    if (swarms.empty()) return SwarmId{0};
    const std::uint64_t max_id = MAX_SWARM_ID.value;
    const std::uint64_t first = swarms.begin()->first.value;
    const std::uint64_t last = swarms.rbegin()->first.value;

    std::uint64_t best_gap = 0;
    std::uint64_t best_start = first;
    std::uint64_t previous = first;
    for (auto it = std::next(swarms.begin()); it != swarms.end(); ++it) {
        const std::uint64_t gap = it->first.value - previous;
        if (gap > best_gap) {
            best_gap = gap;
            best_start = previous;
        }
        previous = it->first.value;
    }
    // The gap from the highest id around to the lowest: 0 and MAX_SWARM_ID are one apart, since
    // INVALID_SWARM_ID (between them) is never a swarm's id.
    const std::uint64_t wrap_gap = max_id - last + first + 1;
    if (wrap_gap > best_gap) {
        best_gap = wrap_gap;
        best_start = last;
    }

    const std::uint64_t half = best_gap / 2;
    const std::uint64_t room = max_id - best_start;  // what can be added without passing MAX_SWARM_ID
    if (half > room) return SwarmId{half - room - 1};
    return SwarmId{best_start + half};
}

Result<SwarmMap> calc_swarm_changes(const SwarmMap& current, const std::set<SnodePubkey>& active,
                                    Entropy& entropy) {
    SwarmMap swarms;
    std::set<SnodePubkey> listed;
    std::vector<SnodePubkey> unassigned;
    for (const auto& [id, members] : current) {
        for (const auto& node : members) {
            if (!listed.insert(node).second) {
                std::string message = "service node ";
                message.append(node.hex());
                message.append(" is listed more than once in the swarm map");
                return Error{ErrorCode::invalid_argument, std::move(message)};
            }
            if (!active.contains(node)) continue;  // left the active set with this block
            if (id == INVALID_SWARM_ID) {
                unassigned.push_back(node);
            } else {
                swarms[id].push_back(node);
            }
        }
    }
    for (const auto& node : active) {
        if (!listed.contains(node)) unassigned.push_back(node);
    }
    std::sort(unassigned.begin(), unassigned.end());
    for (auto& [id, members] : swarms) std::sort(members.begin(), members.end());

    // oxen-core: with no active node at all there is nothing to do.
    if (swarms.empty() && unassigned.empty()) return swarms;

    // 0. There is always at least one swarm.
    if (swarms.empty()) swarms.emplace(new_swarm_id(swarms), std::vector<SnodePubkey>{});
    // 1. Newly active nodes fill the smallest quarter of the swarms.
    assign_snodes(unassigned, swarms, entropy, FILL_SWARM_LOWER_PERCENTILE);
    // 2. Starving swarms steal from the largest ones.
    steal_for_starving_swarms(swarms, entropy);
    // 3. New swarms from the excess.
    create_new_swarms_from_excess(swarms, entropy);
    // 4. Swarms still starving are dissolved.
    dissolve_starving_swarms(swarms, entropy);
    return swarms;
}

}  // namespace sessionproto
