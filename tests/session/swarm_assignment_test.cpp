#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <vector>

#include "models/session/common/entropy.hpp"
#include "models/session/swarm/swarm_assignment.hpp"

namespace sessionproto {
namespace {

constexpr std::uint64_t TOP = std::numeric_limits<std::uint64_t>::max();

/// Service node number i: its key starts with i big-endian, so key order is number order.
SnodePubkey node(std::uint32_t i) {
    SnodePubkey key;
    key.data[0] = std::byte(i >> 24);
    key.data[1] = std::byte(i >> 16);
    key.data[2] = std::byte(i >> 8);
    key.data[3] = std::byte(i);
    key.data[31] = std::byte{0x5a};
    return key;
}

/// Hands out fresh nodes, numbered from 1.
struct NodeFactory {
    std::uint32_t next = 1;
    std::vector<SnodePubkey> take(std::size_t n) {
        std::vector<SnodePubkey> out;
        for (std::size_t i = 0; i < n; ++i) out.push_back(node(next++));
        return out;
    }
};

/// A map with swarms of the given sizes at the given ids, filled with fresh nodes.
SwarmMap make_swarms(NodeFactory& nodes, std::initializer_list<std::pair<std::uint64_t, std::size_t>> layout) {
    SwarmMap swarms;
    for (const auto& [id, size] : layout) swarms[SwarmId{id}] = nodes.take(size);
    return swarms;
}

std::set<SnodePubkey> members_of(const SwarmMap& swarms) {
    std::set<SnodePubkey> all;
    for (const auto& [id, members] : swarms) all.insert(members.begin(), members.end());
    return all;
}

std::vector<std::size_t> sorted_sizes(const SwarmMap& swarms) {
    std::vector<std::size_t> sizes;
    for (const auto& [id, members] : swarms) sizes.push_back(members.size());
    std::sort(sizes.begin(), sizes.end());
    return sizes;
}

std::optional<SwarmId> swarm_of(const SwarmMap& swarms, const SnodePubkey& n) {
    for (const auto& [id, members] : swarms) {
        if (std::find(members.begin(), members.end(), n) != members.end()) return id;
    }
    return std::nullopt;
}

SwarmMap run(const SwarmMap& current, const std::set<SnodePubkey>& active, std::uint64_t seed) {
    DeterministicEntropy entropy(seed, "swarm-assignment-test");
    auto result = calc_swarm_changes(current, active, entropy);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? std::move(result).value() : SwarmMap{};
}

/// The invariants every result must satisfy, whatever the draws.
void expect_invariants(const SwarmMap& result, const std::set<SnodePubkey>& active, const std::string& where) {
    std::set<SnodePubkey> seen;
    for (const auto& [id, members] : result) {
        EXPECT_NE(id, INVALID_SWARM_ID) << where;
        EXPECT_TRUE(std::is_sorted(members.begin(), members.end())) << where;
        for (const auto& n : members) {
            EXPECT_TRUE(seen.insert(n).second) << where << ": a node is in two swarms";
            EXPECT_TRUE(active.contains(n)) << where << ": an inactive node is in a swarm";
        }
    }
    EXPECT_EQ(seen.size(), active.size()) << where << ": some active node is in no swarm";
    if (active.size() >= MIN_SWARM_SIZE) {
        for (const auto& [id, members] : result) {
            EXPECT_GE(members.size(), MIN_SWARM_SIZE) << where << ": swarm " << id.hex();
        }
        EXPECT_LT(calc_excess(result), calc_threshold(result)) << where << ": excess left unformed";
    } else if (!active.empty()) {
        EXPECT_EQ(result.size(), 1u) << where;
    } else {
        EXPECT_TRUE(result.empty()) << where;
    }
}

// ---------------------------------------------------------------- constants and small functions

TEST(SwarmRules, ConstantsAreOxenCores) {
    // oxen-io/oxen-core src/cryptonote_core/service_node_rules.h
    EXPECT_EQ(MIN_SWARM_SIZE, 5u);
    EXPECT_EQ(IDEAL_SWARM_MARGIN, 2u);
    EXPECT_EQ(IDEAL_SWARM_SIZE, 7u);
    EXPECT_EQ(NEW_SWARM_SIZE, 7u);
    EXPECT_EQ(EXCESS_BASE, 5u);
    EXPECT_EQ(FILL_SWARM_LOWER_PERCENTILE, 25u);
    EXPECT_EQ(STEALING_SWARM_UPPER_PERCENTILE, 75u);
    EXPECT_EQ(DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE, 0u);
}

TEST(SwarmRules, ExcessAndThreshold) {
    NodeFactory nodes;
    // Excess: max(0, size - 5) per swarm: 0 + 0 + 1 + 5 = 6. Threshold: 7 + 2 * 4 = 15.
    const auto swarms = make_swarms(nodes, {{1, 3}, {2, 5}, {3, 6}, {4, 10}});
    EXPECT_EQ(calc_excess(swarms), 6u);
    EXPECT_EQ(calc_threshold(swarms), 15u);
    EXPECT_EQ(calc_excess(SwarmMap{}), 0u);
    EXPECT_EQ(calc_threshold(SwarmMap{}), 7u);
}

TEST(SwarmRules, BlockSeedIsTheFirstEightHashBytesLittleEndian) {
    std::array<std::byte, 32> hash{};
    for (std::size_t i = 0; i < 32; ++i) hash[i] = std::byte(i + 1);
    // Bytes 01 02 03 04 05 06 07 08 read little-endian.
    EXPECT_EQ(swarm_seed_from_block_hash(hash), 0x0807060504030201u);
}

SwarmMap ids_only(std::initializer_list<std::uint64_t> ids) {
    SwarmMap swarms;
    for (auto id : ids) swarms[SwarmId{id}];
    return swarms;
}

TEST(NewSwarmId, BisectsTheLargestGap) {
    // No swarm: 0.
    EXPECT_EQ(new_swarm_id(SwarmMap{}), SwarmId{0});
    // {0}: the wrap gap is MAX - 0 + 0 + 1 = 2^64 - 1; half = 2^63 - 1; 0 + half.
    EXPECT_EQ(new_swarm_id(ids_only({0})), SwarmId{0x7fffffffffffffff});
    // {0, 2^63 - 1}: gaps 2^63 - 1 and (wrap) (2^64 - 2) - (2^63 - 1) + 1 = 2^63: the wrap gap
    // wins; (2^63 - 1) + 2^62.
    EXPECT_EQ(new_swarm_id(ids_only({0, 0x7fffffffffffffff})), SwarmId{0xbfffffffffffffff});
    // Adding that: gaps 2^63 - 1, 2^62, wrap 2^62: the first; half = 2^62 - 1.
    EXPECT_EQ(new_swarm_id(ids_only({0, 0x7fffffffffffffff, 0xbfffffffffffffff})), SwarmId{0x3fffffffffffffff});
}

TEST(NewSwarmId, TiesGoToTheFirstGapAndTheWrapGapMustBeStrictlyLarger) {
    // {0, 2^62, 2^63, 3 * 2^62, MAX}: four interior gaps of 2^62, 2^62, 2^62, 2^62 - 2 and a wrap
    // gap of 1: the first gap wins, 0 + 2^61.
    EXPECT_EQ(new_swarm_id(ids_only({0, 0x4000000000000000, 0x8000000000000000, 0xc000000000000000, TOP - 1})),
              SwarmId{0x2000000000000000});
    // {0, X = 3 * 2^61, Y = 5 * 2^61 - 1}: gaps X = 3 * 2^61, 2^62 - 1 and the wrap gap
    // MAX - Y + 0 + 1 = 3 * 2^61, equal to the first: the first gap still wins, 0 + 3 * 2^60
    // (the wrap gap would have given Y + 3 * 2^60).
    EXPECT_EQ(new_swarm_id(ids_only({0, 0x6000000000000000, 0x9fffffffffffffff})), SwarmId{0x3000000000000000});
}

TEST(NewSwarmId, WrapsPastTheTop) {
    // {MAX}: the wrap gap is 2^64 - 1, half = 2^63 - 1, nothing can be added to MAX: the id
    // wraps to half - 0 - 1 = 2^63 - 2 (MAX + 1 counts as 0).
    EXPECT_EQ(new_swarm_id(ids_only({TOP - 1})), SwarmId{0x7ffffffffffffffe});
    // {2^63 + 5}: half = 2^63 - 1, room = MAX - (2^63 + 5) = 2^63 - 7: wraps to
    // (2^63 - 1) - (2^63 - 7) - 1 = 5.
    EXPECT_EQ(new_swarm_id(ids_only({0x8000000000000005})), SwarmId{5});
}

// ---------------------------------------------------------------- whole blocks, hand-made

TEST(CalcSwarmChanges, NoActiveNodeMeansNoSwarmAndNoDraw) {
    NodeFactory nodes;
    DeterministicEntropy entropy(1, "swarm-assignment-test");
    const auto result = calc_swarm_changes(make_swarms(nodes, {{5, 7}}), {}, entropy);
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(result->empty());
    EXPECT_EQ(entropy.bytes_drawn(), 0u);
}

TEST(CalcSwarmChanges, BootstrapFillsSwarmZeroThenSplitsAtTheThreshold) {
    NodeFactory nodes;
    const auto first13 = nodes.take(13);
    const std::set<SnodePubkey> active13(first13.begin(), first13.end());
    // 13 nodes: one swarm, id 0 (excess 8 < 7 + 2 * 1).
    const auto thirteen = run({}, active13, 1);
    ASSERT_EQ(thirteen.size(), 1u);
    EXPECT_EQ(thirteen.begin()->first, SwarmId{0});
    EXPECT_EQ(thirteen.begin()->second.size(), 13u);

    // 14 nodes: excess 9 reaches 7 + 2 * 1: a swarm of 7 forms at 2^63 - 1, bisecting the ring.
    std::set<SnodePubkey> active14 = active13;
    active14.insert(node(nodes.next++));
    const auto fourteen = run({}, active14, 1);
    ASSERT_EQ(fourteen.size(), 2u);
    EXPECT_EQ(fourteen.at(SwarmId{0}).size(), 7u);
    EXPECT_EQ(fourteen.at(SwarmId{0x7fffffffffffffff}).size(), 7u);
    expect_invariants(fourteen, active14, "bootstrap 14");

    // The same one block at a time: the sizes end the same.
    SwarmMap swarms;
    std::set<SnodePubkey> active;
    for (const auto& n : active14) {
        active.insert(n);
        swarms = run(swarms, active, active.size());
        expect_invariants(swarms, active, "one per block");
    }
    EXPECT_EQ(sorted_sizes(swarms), (std::vector<std::size_t>{7, 7}));
    EXPECT_TRUE(swarms.contains(SwarmId{0}));
    EXPECT_TRUE(swarms.contains(SwarmId{0x7fffffffffffffff}));
}

TEST(CalcSwarmChanges, NewNodesGoToTheSmallestSwarms) {
    // Sizes 5 5 6 6 7 7 8 8 (ids 1..8): the 25th-percentile index is 25 * 7 / 100 = 1, size 5,
    // so one new node goes to swarm 1 or 2. Excess 12 + 1 < 7 + 2 * 8: no new swarm.
    std::set<SwarmId> chosen;
    for (std::uint64_t seed = 0; seed < 64; ++seed) {
        NodeFactory nodes;
        const auto swarms = make_swarms(nodes, {{1, 5}, {2, 5}, {3, 6}, {4, 6}, {5, 7}, {6, 7}, {7, 8}, {8, 8}});
        auto active = members_of(swarms);
        const auto newcomer = node(nodes.next++);
        active.insert(newcomer);
        const auto result = run(swarms, active, seed);
        expect_invariants(result, active, "smallest");
        ASSERT_EQ(result.size(), 8u);
        const auto where = swarm_of(result, newcomer);
        ASSERT_TRUE(where.has_value());
        EXPECT_TRUE(*where == SwarmId{1} || *where == SwarmId{2}) << where->hex();
        chosen.insert(*where);
        // Nobody else moved.
        for (const auto& [id, members] : swarms) {
            for (const auto& n : members) EXPECT_EQ(swarm_of(result, n), id);
        }
    }
    // The draw is random among the candidates: both were chosen at least once.
    EXPECT_EQ(chosen.size(), 2u);
}

TEST(CalcSwarmChanges, SeveralNewNodesNeverGoAboveThe25thPercentile) {
    // Three new nodes into sizes 5 5 6 6 7 7 8 8: after each, the 25th-percentile size is at
    // most 6, so swarms of 7 and 8 never grow.
    for (std::uint64_t seed = 0; seed < 32; ++seed) {
        NodeFactory nodes;
        const auto swarms = make_swarms(nodes, {{1, 5}, {2, 5}, {3, 6}, {4, 6}, {5, 7}, {6, 7}, {7, 8}, {8, 8}});
        auto active = members_of(swarms);
        for (const auto& n : nodes.take(3)) active.insert(n);
        const auto result = run(swarms, active, seed);
        expect_invariants(result, active, "25th percentile");
        EXPECT_EQ(result.at(SwarmId{5}).size(), 7u);
        EXPECT_EQ(result.at(SwarmId{6}).size(), 7u);
        EXPECT_EQ(result.at(SwarmId{7}).size(), 8u);
        EXPECT_EQ(result.at(SwarmId{8}).size(), 8u);
        EXPECT_EQ(result.at(SwarmId{1}).size() + result.at(SwarmId{2}).size() + result.at(SwarmId{3}).size() +
                      result.at(SwarmId{4}).size(),
                  25u);
    }
}

TEST(CalcSwarmChanges, ANewSwarmFormsExactlyWhenTheExcessAllows) {
    const std::uint64_t quarter = 0x4000000000000000;
    // Sizes 10 and 9: excess 9; one new node goes to the 9 (the smaller): excess 10 < 7 + 2 * 2.
    {
        NodeFactory nodes;
        const auto swarms = make_swarms(nodes, {{0, 10}, {quarter, 9}});
        auto active = members_of(swarms);
        active.insert(node(nodes.next++));
        const auto result = run(swarms, active, 3);
        expect_invariants(result, active, "below threshold");
        EXPECT_EQ(result.size(), 2u);
        EXPECT_EQ(result.at(SwarmId{quarter}).size(), 10u);
    }
    // Sizes 10 and 10: excess 10; one new node makes it 11 = 7 + 2 * 2: a swarm of 7 forms, at
    // the midpoint of the wrap gap from 2^62 to 0: 2^62 + (3 * 2^62 - 1) / 2 = 5 * 2^61 - 1.
    for (std::uint64_t seed = 0; seed < 16; ++seed) {
        NodeFactory nodes;
        const auto swarms = make_swarms(nodes, {{0, 10}, {quarter, 10}});
        auto active = members_of(swarms);
        active.insert(node(nodes.next++));
        const auto result = run(swarms, active, seed);
        expect_invariants(result, active, "at threshold");
        ASSERT_EQ(result.size(), 3u);
        ASSERT_TRUE(result.contains(SwarmId{0x9fffffffffffffff}));
        EXPECT_EQ(result.at(SwarmId{0x9fffffffffffffff}).size(), NEW_SWARM_SIZE);
        EXPECT_EQ(result.at(SwarmId{0}).size() + result.at(SwarmId{quarter}).size(), 14u);
    }
}

TEST(CalcSwarmChanges, AStarvingSwarmStealsFromTheLargest) {
    // Sizes 7 7 7 (ids 10, 20, 30); 4 members of swarm 30 leave: 30 has 3. The stealing threshold is
    // max(5, size at index 75 * 2 / 100 = 1 (7) - 1) = 6; swarms 10 and 20 (7 > 6) give one each.
    for (std::uint64_t seed = 0; seed < 16; ++seed) {
        NodeFactory nodes;
        const auto swarms = make_swarms(nodes, {{10, 7}, {20, 7}, {30, 7}});
        auto active = members_of(swarms);
        const auto& poor = swarms.at(SwarmId{30});
        for (std::size_t i = 0; i < 4; ++i) active.erase(poor[i]);
        const auto result = run(swarms, active, seed);
        expect_invariants(result, active, "steal");
        ASSERT_TRUE(result.contains(SwarmId{30}));
        EXPECT_EQ(result.at(SwarmId{30}).size(), 5u);
        EXPECT_EQ(result.at(SwarmId{10}).size(), 6u);
        EXPECT_EQ(result.at(SwarmId{20}).size(), 6u);
        for (std::size_t i = 4; i < 7; ++i) EXPECT_EQ(swarm_of(result, poor[i]), SwarmId{30});
        for (std::size_t i = 0; i < 4; ++i) EXPECT_FALSE(swarm_of(result, poor[i]).has_value());
    }
}

TEST(CalcSwarmChanges, AStarvingSwarmWithNothingToStealDissolves) {
    // Sizes 5 5 5 (ids 10, 20, 30); 2 members of swarm 20 leave: 20 has 3. The stealing threshold
    // is max(5, 5 - 1) = 5 and no swarm is above it: swarm 20 dissolves, its 3 members going
    // to the smallest swarms: 10 and 20 end with 6 and 7 members.
    std::set<std::vector<std::size_t>> outcomes;
    for (std::uint64_t seed = 0; seed < 32; ++seed) {
        NodeFactory nodes;
        const auto swarms = make_swarms(nodes, {{10, 5}, {20, 5}, {30, 5}});
        auto active = members_of(swarms);
        const auto& starving = swarms.at(SwarmId{20});
        active.erase(starving[0]);
        active.erase(starving[1]);
        const auto result = run(swarms, active, seed);
        expect_invariants(result, active, "dissolve");
        EXPECT_FALSE(result.contains(SwarmId{20}));
        ASSERT_EQ(result.size(), 2u);
        EXPECT_EQ(sorted_sizes(result), (std::vector<std::size_t>{6, 7}));
        for (std::size_t i = 2; i < 5; ++i) EXPECT_TRUE(swarm_of(result, starving[i]).has_value());
        // Members of the surviving swarms stay where they were.
        for (const auto& n : swarms.at(SwarmId{10})) EXPECT_EQ(swarm_of(result, n), SwarmId{10});
        for (const auto& n : swarms.at(SwarmId{30})) EXPECT_EQ(swarm_of(result, n), SwarmId{30});
        outcomes.insert({result.at(SwarmId{10}).size(), result.at(SwarmId{30}).size()});
    }
    // Which swarm gets the seventh member is a draw: both happen.
    EXPECT_EQ(outcomes.size(), 2u);
}

TEST(CalcSwarmChanges, StarvingSwarmsDissolveInIdOrderButNeverTheLast) {
    // Sizes 1 (id 7) and 2 (id 9), nothing to steal: swarm 7 (the lower id) dissolves into 9.
    // Swarm 9 is still starving, but it is the last swarm and stays (oxen-core would go on and
    // fail on an empty swarm list).
    NodeFactory nodes;
    const auto swarms = make_swarms(nodes, {{7, 1}, {9, 2}});
    const auto active = members_of(swarms);
    const auto result = run(swarms, active, 5);
    ASSERT_EQ(result.size(), 1u);
    ASSERT_TRUE(result.contains(SwarmId{9}));
    EXPECT_EQ(result.at(SwarmId{9}).size(), 3u);
    expect_invariants(result, active, "last swarm");
}

TEST(CalcSwarmChanges, ASwarmWhoseMembersAllLeftDisappears) {
    NodeFactory nodes;
    const auto swarms = make_swarms(nodes, {{10, 6}, {20, 6}, {30, 6}});
    auto active = members_of(swarms);
    for (const auto& n : swarms.at(SwarmId{30})) active.erase(n);
    const auto result = run(swarms, active, 9);
    expect_invariants(result, active, "emptied");
    EXPECT_FALSE(result.contains(SwarmId{30}));
    EXPECT_EQ(result.size(), 2u);
}

TEST(CalcSwarmChanges, NodesUnderTheInvalidIdAreNew) {
    NodeFactory nodes;
    auto swarms = make_swarms(nodes, {{10, 5}, {20, 6}});
    const auto waiting = nodes.take(2);
    swarms[INVALID_SWARM_ID] = waiting;  // node 1 of the two is active, node 2 is not
    auto active = members_of(swarms);
    active.erase(waiting[1]);
    const auto result = run(swarms, active, 4);
    expect_invariants(result, active, "invalid id");
    EXPECT_FALSE(result.contains(INVALID_SWARM_ID));
    // 25th percentile of sizes 5, 6: index 0, size 5: swarm 10.
    EXPECT_EQ(swarm_of(result, waiting[0]), SwarmId{10});
    EXPECT_FALSE(swarm_of(result, waiting[1]).has_value());
}

TEST(CalcSwarmChanges, MemberOrderInTheInputDoesNotMatter) {
    NodeFactory nodes;
    const auto swarms = make_swarms(nodes, {{10, 8}, {20, 9}, {30, 5}});
    auto reversed = swarms;
    for (auto& [id, members] : reversed) std::reverse(members.begin(), members.end());
    auto active = members_of(swarms);
    for (const auto& n : nodes.take(6)) active.insert(n);
    EXPECT_EQ(run(swarms, active, 77), run(reversed, active, 77));
}

TEST(CalcSwarmChanges, RejectsANodeListedTwice) {
    NodeFactory nodes;
    auto swarms = make_swarms(nodes, {{10, 5}, {20, 5}});
    swarms[SwarmId{20}].push_back(swarms[SwarmId{10}].front());
    const auto active = members_of(swarms);
    DeterministicEntropy entropy(1, "swarm-assignment-test");
    const auto twice = calc_swarm_changes(swarms, active, entropy);
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(twice.error().message.find(swarms[SwarmId{10}].front().hex()), std::string::npos);
    EXPECT_EQ(entropy.bytes_drawn(), 0u);

    auto same_swarm = make_swarms(nodes, {{10, 5}});
    same_swarm[SwarmId{10}].push_back(same_swarm[SwarmId{10}].back());
    const auto dup = calc_swarm_changes(same_swarm, members_of(same_swarm), entropy);
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, ErrorCode::invalid_argument);
}

// ---------------------------------------------------------------- many random blocks

struct Trace {
    std::vector<SwarmMap> maps;
};

/// A network of blocks with joins, departures and occasional mass departures, from a seed.
Trace simulate(std::uint64_t seed, int blocks) {
    DeterministicEntropy churn(seed, "churn");
    NodeFactory nodes;
    SwarmMap swarms;
    std::set<SnodePubkey> active;
    Trace trace;
    for (int block = 0; block < blocks; ++block) {
        const std::size_t joins = churn.uniform(block < 40 ? 12 : 6);
        for (const auto& n : nodes.take(joins)) active.insert(n);
        std::size_t leaves = active.empty() ? 0 : churn.uniform(std::min<std::size_t>(active.size(), 5) + 1);
        if (churn.uniform(50) == 0) leaves = active.size() / 3;  // a mass departure
        for (std::size_t i = 0; i < leaves && !active.empty(); ++i) {
            auto it = active.begin();
            std::advance(it, static_cast<long>(churn.uniform(active.size())));
            active.erase(it);
        }
        std::array<std::byte, 32> block_hash{};
        churn.fill(block_hash);
        DeterministicEntropy entropy(swarm_seed_from_block_hash(block_hash) ^ seed, "swarm-assignment");
        auto result = calc_swarm_changes(swarms, active, entropy);
        EXPECT_TRUE(result.ok());
        if (!result.ok()) break;
        swarms = std::move(result).value();
        expect_invariants(swarms, active, "seed " + std::to_string(seed) + " block " + std::to_string(block));
        trace.maps.push_back(swarms);
    }
    return trace;
}

TEST(CalcSwarmChangesRandom, InvariantsHoldOverManyBlocks) {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        const auto trace = simulate(seed, 300);
        ASSERT_EQ(trace.maps.size(), 300u);
        // The network grew past a handful of swarms, so the rules were exercised.
        std::size_t most = 0;
        for (const auto& m : trace.maps) most = std::max(most, m.size());
        EXPECT_GE(most, 10u) << seed;
    }
}

TEST(CalcSwarmChangesRandom, StayersOnlyMoveForAReason) {
    // A node active before and after a block keeps its swarm, unless: it moves to a swarm formed
    // in this block; or some swarm was starving once the leavers were gone, and then its own swarm
    // dissolved, or it was stolen by a starving swarm, or it was moved on from a dissolved one.
    const auto trace = simulate(21, 300);
    std::size_t calm_blocks = 0, moves_to_new = 0, moves_otherwise = 0;
    for (std::size_t b = 1; b < trace.maps.size(); ++b) {
        const auto& before = trace.maps[b - 1];
        const auto& after = trace.maps[b];
        const auto still_active = members_of(after);
        std::map<SwarmId, std::size_t> stayers;
        for (const auto& [id, members] : before) {
            for (const auto& n : members) stayers[id] += still_active.contains(n) ? 1 : 0;
        }
        bool starving = false, any_dissolved = false;
        for (const auto& [id, count] : stayers) {
            starving = starving || count < MIN_SWARM_SIZE;
            any_dissolved = any_dissolved || !after.contains(id);
        }
        calm_blocks += starving ? 0 : 1;
        for (const auto& [id, members] : before) {
            for (const auto& n : members) {
                const auto now = swarm_of(after, n);
                if (!now || *now == id) continue;
                const bool to_new = !before.contains(*now);
                if (to_new) {
                    ++moves_to_new;
                    continue;
                }
                ++moves_otherwise;
                EXPECT_TRUE(starving) << "block " << b << ": a move with no starving swarm";
                const bool stolen = stayers[*now] < MIN_SWARM_SIZE;
                EXPECT_TRUE(any_dissolved || stolen) << "block " << b;
            }
        }
    }
    EXPECT_GT(calm_blocks, 0u);
    EXPECT_GT(moves_to_new, 0u);
    EXPECT_GT(moves_otherwise, 0u);
}

TEST(CalcSwarmChangesRandom, SameSeedSameResultDifferentSeedDifferentResult) {
    const auto a = simulate(5, 120);
    const auto b = simulate(5, 120);
    ASSERT_EQ(a.maps.size(), b.maps.size());
    for (std::size_t i = 0; i < a.maps.size(); ++i) EXPECT_EQ(a.maps[i], b.maps[i]) << "block " << i;

    // One block, same inputs, different entropy: 40 swarms and 30 newcomers land differently.
    NodeFactory nodes;
    SwarmMap swarms;
    for (std::uint64_t s = 0; s < 40; ++s) swarms[SwarmId{s * 1000}] = nodes.take(5 + s % 3);
    auto active = members_of(swarms);
    for (const auto& n : nodes.take(30)) active.insert(n);
    const auto x = run(swarms, active, 100);
    const auto y = run(swarms, active, 100);
    const auto z = run(swarms, active, 101);
    EXPECT_EQ(x, y);
    EXPECT_NE(x, z);
    expect_invariants(x, active, "x");
    expect_invariants(z, active, "z");
}

}  // namespace
}  // namespace sessionproto
