#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <set>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/swarm/swarm_space.hpp"

namespace sessionproto {
namespace {

constexpr std::uint64_t TOP = std::numeric_limits<std::uint64_t>::max();  // 2^64 - 1

std::array<std::byte, 32> key_from_hex(std::string_view hex) {
    const auto bytes = from_hex(hex);
    std::array<std::byte, 32> key{};
    EXPECT_TRUE(bytes.has_value());
    EXPECT_EQ(bytes->size(), 32u);
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

std::optional<std::uint64_t> closest(std::uint64_t position, std::initializer_list<std::uint64_t> ids) {
    std::vector<SwarmId> ring;
    for (auto id : ids) ring.emplace_back(id);
    const auto found = closest_swarm(position, ring);
    if (!found) return std::nullopt;
    return found->value;
}

// ---------------------------------------------------------------- pubkey -> position

TEST(PubkeyToSwarmSpace, KnownAnswersComputedByHand) {
    // All zero: 0 ^ 0 ^ 0 ^ 0 = 0.
    EXPECT_EQ(pubkey_to_swarm_space(std::array<std::byte, 32>{}), 0u);

    // Bytes 00 01 02 ... 1f. The words are 0x0001020304050607, 0x08090a0b0c0d0e0f,
    // 0x1011121314151617, 0x18191a1b1c1d1e1f. Byte i of the XOR is i ^ (i+8) ^ (i+16) ^ (i+24)
    // for i < 8: i ^ (i+8) = 0x08 and (i+16) ^ (i+24) = 0x08, so every byte is 0: position 0.
    EXPECT_EQ(pubkey_to_swarm_space(key_from_hex("000102030405060708090a0b0c0d0e0f"
                                                 "101112131415161718191a1b1c1d1e1f")),
              0u);

    // Only byte 7 (the last byte of the first word) is 01: big-endian, so the position is 1
    // (a little-endian reading would give 2^56).
    EXPECT_EQ(pubkey_to_swarm_space(key_from_hex("0000000000000001" "0000000000000000"
                                                 "0000000000000000" "0000000000000000")),
              1u);

    // Only byte 0 is 80: the top bit, 2^63.
    EXPECT_EQ(pubkey_to_swarm_space(key_from_hex("8000000000000000" "0000000000000000"
                                                 "0000000000000000" "0000000000000000")),
              0x8000000000000000u);

    // First word all ff, the others 0: 2^64 - 1, the top of the ring (= INVALID_SWARM_ID's value,
    // which a pubkey can reach).
    EXPECT_EQ(pubkey_to_swarm_space(key_from_hex("ffffffffffffffff" "0000000000000000"
                                                 "0000000000000000" "0000000000000000")),
              TOP);

    // Words 0102030405060708, 0, 0, 00000000000000ff: 0x0102030405060708 ^ 0xff = 0x01020304050607f7.
    EXPECT_EQ(pubkey_to_swarm_space(key_from_hex("0102030405060708" "0000000000000000"
                                                 "0000000000000000" "00000000000000ff")),
              0x01020304050607f7u);

    // Words a, b, a, b cancel pairwise: 0.
    EXPECT_EQ(pubkey_to_swarm_space(key_from_hex("1122334455667788" "99aabbccddeeff00"
                                                 "1122334455667788" "99aabbccddeeff00")),
              0u);

    // Words f0f0f0f0f0f0f0f0, 0f0f0f0f0f0f0f0f, ffffffff00000000, 00000000ffffffff:
    // f0.. ^ 0f.. = ff..ff; ffffffff00000000 ^ 00000000ffffffff = ff..ff; ff..ff ^ ff..ff = 0.
    // Change the last byte from ff to fe: the result is 0 ^ 1 = 1.
    EXPECT_EQ(pubkey_to_swarm_space(key_from_hex("f0f0f0f0f0f0f0f0" "0f0f0f0f0f0f0f0f"
                                                 "ffffffff00000000" "00000000fffffffe")),
              1u);
}

TEST(PubkeyToSwarmSpace, PrefixedIdsDropTheirPrefix) {
    const std::string key_hex = "0102030405060708" "0000000000000000" "0000000000000000" "00000000000000ff";
    const auto key = key_from_hex(key_hex);

    std::string account_hex = "05";
    account_hex.append(key_hex);
    const auto account = AccountId::parse(account_hex);
    ASSERT_TRUE(account.ok());
    EXPECT_EQ(pubkey_to_swarm_space(*account), 0x01020304050607f7u);
    EXPECT_EQ(pubkey_to_swarm_space(account->as_session_id()), 0x01020304050607f7u);

    std::string group_hex = "03";
    group_hex.append(key_hex);
    const auto group = SessionId::parse(group_hex);
    ASSERT_TRUE(group.ok());
    EXPECT_EQ(pubkey_to_swarm_space(*group), 0x01020304050607f7u);

    // Raw bytes: 33 (any prefix dropped, even an unknown one) or 32.
    Bytes prefixed{std::byte{0x99}};
    append(prefixed, ByteView(key));
    const auto from33 = pubkey_to_swarm_space(ByteView(prefixed));
    ASSERT_TRUE(from33.ok());
    EXPECT_EQ(*from33, 0x01020304050607f7u);
    const auto from32 = pubkey_to_swarm_space(ByteView(key));
    ASSERT_TRUE(from32.ok());
    EXPECT_EQ(*from32, 0x01020304050607f7u);
}

TEST(PubkeyToSwarmSpace, RejectsOtherLengths) {
    for (std::size_t n : {0u, 1u, 31u, 34u, 64u}) {
        const Bytes bytes(n, std::byte{0x42});
        const auto result = pubkey_to_swarm_space(ByteView(bytes));
        ASSERT_FALSE(result.ok()) << n;
        EXPECT_EQ(result.error().code, ErrorCode::bad_length) << n;
    }
}

TEST(PubkeyToSwarmSpace, MatchesAWordByWordReadingOnRandomKeys) {
    DeterministicEntropy entropy(7, "swarm-space-test");
    for (int i = 0; i < 200; ++i) {
        const auto key = entropy.bytes<32>();
        // Reference: each word assembled most significant byte first.
        std::uint64_t expected = 0;
        for (int w = 0; w < 4; ++w) {
            std::uint64_t word = 0;
            for (int b = 0; b < 8; ++b) word = (word << 8) | std::to_integer<std::uint64_t>(key[w * 8 + b]);
            expected ^= word;
        }
        EXPECT_EQ(pubkey_to_swarm_space(key), expected);
    }
}

// ---------------------------------------------------------------- closest swarm

TEST(ClosestSwarm, EmptyRingHasNoSwarm) {
    EXPECT_FALSE(closest_swarm(0, {}).has_value());
    EXPECT_FALSE(closest_swarm(TOP, {}).has_value());
}

TEST(ClosestSwarm, OneSwarmTakesEverything) {
    for (std::uint64_t x : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{1} << 63, TOP - 1, TOP}) {
        EXPECT_EQ(closest(x, {12345}), 12345u) << x;
        EXPECT_EQ(closest(x, {0}), 0u) << x;
        EXPECT_EQ(closest(x, {TOP - 1}), TOP - 1) << x;
    }
}

TEST(ClosestSwarm, InteriorPositionsAndTheTieGoesLeft) {
    // Ring {100, 200, 1000}.
    EXPECT_EQ(closest(100, {100, 200, 1000}), 100u);   // exactly on a swarm
    EXPECT_EQ(closest(200, {100, 200, 1000}), 200u);
    EXPECT_EQ(closest(149, {100, 200, 1000}), 100u);   // 49 vs 51
    EXPECT_EQ(closest(150, {100, 200, 1000}), 100u);   // 50 vs 50: tie -> left (lower id)
    EXPECT_EQ(closest(151, {100, 200, 1000}), 200u);   // 51 vs 49
    EXPECT_EQ(closest(600, {100, 200, 1000}), 200u);   // 400 vs 400: tie -> left
    EXPECT_EQ(closest(601, {100, 200, 1000}), 1000u);
    EXPECT_EQ(closest(999, {100, 200, 1000}), 1000u);
}

TEST(ClosestSwarm, WrapAroundBetweenHighestAndLowest) {
    // Ring {100, 200}: from 200 the clockwise way to 100 passes 2^64 - 1 and 0.
    // x = 0: right = 100 (distance 100), left = 200 (distance 2^64 - 200): 100.
    EXPECT_EQ(closest(0, {100, 200}), 100u);
    // x = 2^64 - 1: no id >= x, right wraps to 100 (distance 101); left = 200
    // (distance 2^64 - 201): 100.
    EXPECT_EQ(closest(TOP, {100, 200}), 100u);

    // Ring {10, 2^64 - 10}: the gap across the top is 20 wide (2^64-10 ... 2^64-1, 0 ... 10).
    const std::uint64_t hi = TOP - 9;  // 2^64 - 10
    // x = 0: right = 10 (distance 10), left = 2^64 - 10 (distance 0 - (2^64 - 10) = 10):
    // a tie, which goes to the left neighbour: across the wrap-around that is the HIGHEST id.
    EXPECT_EQ(closest(0, {10, hi}), hi);
    // x = 1: 9 vs 11: the lowest id.
    EXPECT_EQ(closest(1, {10, hi}), 10u);
    // x = 2^64 - 1: right wraps to 10 (distance 11), left distance 9: the highest id.
    EXPECT_EQ(closest(TOP, {10, hi}), hi);
    // x = 2^64 - 2: 12 vs 8.
    EXPECT_EQ(closest(TOP - 1, {10, hi}), hi);
}

TEST(ClosestSwarm, ZeroAndTheTopOfTheRing) {
    // Ring {0, 2^64 - 2 (MAX_SWARM_ID)}. x = 2^64 - 1 sits between them: right wraps to 0
    // (distance 1), left = 2^64 - 2 (distance 1): tie -> left, the highest id.
    EXPECT_EQ(closest(TOP, {0, TOP - 1}), TOP - 1);
    EXPECT_EQ(closest(0, {0, TOP - 1}), 0u);
    EXPECT_EQ(closest(TOP - 1, {0, TOP - 1}), TOP - 1);

    // Ring {0, 2^63}: the two midpoints 2^62 and 3 * 2^62 are both ties.
    const std::uint64_t half = std::uint64_t{1} << 63;
    const std::uint64_t quarter = std::uint64_t{1} << 62;
    EXPECT_EQ(closest(quarter, {0, half}), 0u);                  // left = 0
    EXPECT_EQ(closest(quarter + 1, {0, half}), half);
    EXPECT_EQ(closest(3 * quarter, {0, half}), half);            // right wraps to 0, left = 2^63
    EXPECT_EQ(closest(3 * quarter + 1, {0, half}), 0u);
    EXPECT_EQ(closest(TOP, {0, half}), 0u);                      // 1 vs 2^63 - 1
}

TEST(ClosestSwarm, AgreesWithABruteForceRuleOnRandomRings) {
    // Reference without lower_bound: left = the id at the smallest counter-clockwise distance
    // (x - id), right = the id at the smallest clockwise distance (id - x, 0 if x is an id);
    // right wins only when strictly nearer.
    DeterministicEntropy entropy(11, "closest-swarm-brute");
    for (int ring = 0; ring < 200; ++ring) {
        const std::size_t count = 2 + entropy.uniform(12);
        std::set<std::uint64_t> unique;
        while (unique.size() < count) {
            // Mix huge and tiny ids so the wrap-around is often involved.
            const std::uint64_t v = entropy.uniform(2) ? entropy.uniform(TOP) : entropy.uniform(64);
            unique.insert(v);
        }
        std::vector<SwarmId> ids;
        for (auto v : unique) ids.emplace_back(v);
        ASSERT_TRUE(is_valid_swarm_list(ids));
        for (int probe = 0; probe < 50; ++probe) {
            std::uint64_t x = 0;
            switch (entropy.uniform(4)) {
                case 0: x = entropy.uniform(TOP) + entropy.uniform(2); break;  // anywhere, TOP included
                case 1: x = TOP - entropy.uniform(64); break;
                case 2: x = entropy.uniform(64); break;
                default: {  // exact midpoints, where the ties are
                    const auto a = ids[entropy.uniform(ids.size())].value;
                    const auto b = ids[entropy.uniform(ids.size())].value;
                    x = a + (b - a) / 2;
                }
            }
            std::uint64_t best_left = 0, best_right = 0, d_left = TOP, d_right = TOP;
            bool have_left = false, have_right = false;
            for (const auto& id : ids) {
                const std::uint64_t ccw = x - id.value;  // id is this far counter-clockwise of x
                const std::uint64_t cw = id.value - x;   // id is this far clockwise of x
                if (!have_right || cw < d_right) { d_right = cw; best_right = id.value; have_right = true; }
                if (x != id.value && (!have_left || ccw < d_left)) { d_left = ccw; best_left = id.value; have_left = true; }
            }
            // The left neighbour of an x that is itself an id is the id before it.
            const std::uint64_t expected = (d_right < d_left) ? best_right : best_left;
            const auto got = closest_swarm(x, ids);
            ASSERT_TRUE(got.has_value());
            EXPECT_EQ(got->value, expected) << "x=" << x << " ring " << ring;
        }
    }
}

TEST(ClosestSwarm, ValidListCheck) {
    const std::vector<SwarmId> good{SwarmId{0}, SwarmId{5}, MAX_SWARM_ID};
    const std::vector<SwarmId> unsorted{SwarmId{5}, SwarmId{0}};
    const std::vector<SwarmId> duplicate{SwarmId{5}, SwarmId{5}};
    const std::vector<SwarmId> invalid{SwarmId{5}, INVALID_SWARM_ID};
    EXPECT_TRUE(is_valid_swarm_list(good));
    EXPECT_TRUE(is_valid_swarm_list({}));
    EXPECT_FALSE(is_valid_swarm_list(unsorted));
    EXPECT_FALSE(is_valid_swarm_list(duplicate));
    EXPECT_FALSE(is_valid_swarm_list(invalid));
    EXPECT_EQ(INVALID_SWARM_ID.value, TOP);
    EXPECT_EQ(MAX_SWARM_ID.value, TOP - 1);
    EXPECT_EQ(SwarmId{0xabc}.hex(), "abc");
    EXPECT_EQ(INVALID_SWARM_ID.hex(), "ffffffffffffffff");
}

TEST(ClosestSwarm, PubkeyEndToEnd) {
    // Key whose position is 2^64 - 1 (first word all ff): on the ring {10, 2^64 - 10} it belongs
    // to the highest swarm (9 to the left, 11 to the right).
    const auto key = key_from_hex("ffffffffffffffff" "0000000000000000" "0000000000000000" "0000000000000000");
    const std::vector<SwarmId> ring{SwarmId{10}, SwarmId{TOP - 9}};
    EXPECT_EQ(closest_swarm(pubkey_to_swarm_space(key), ring), SwarmId{TOP - 9});
}

}  // namespace
}  // namespace sessionproto
