// The address -> host table: every inserted address found with its first host, absent ones not,
// through several growths and with addresses that collide in the table's low bits.
#include "sim/net/address_table.hpp"

#include <gtest/gtest.h>

#include <map>

#include "sim/core/random.hpp"

namespace sessionsim::net {
namespace {

TEST(AddressTable, FindsWhatWasInsertedAndNothingElse) {
    AddressTable table;
    EXPECT_FALSE(table.find(0).has_value());  // empty
    RandomStream rng(3);
    std::map<std::uint32_t, std::uint32_t> reference;
    for (std::uint32_t i = 0; i < 30000; ++i) {
        // One /24 after another (as the allocator hands them out), some drawn at random, and
        // addresses 2^20 apart (equal low bits).
        const std::uint32_t address = i % 3 == 0   ? 0x0B000000u + i
                                      : i % 3 == 1 ? static_cast<std::uint32_t>(rng.next_u64() >> 32)
                                                   : (i << 20) ^ 0x0A000001u;
        const bool fresh = reference.emplace(address, i).second;
        EXPECT_EQ(table.insert(address, HostId{i}), fresh) << address;
    }
    EXPECT_EQ(table.size(), reference.size());
    for (const auto& [address, host] : reference) {
        const auto found = table.find(address);
        ASSERT_TRUE(found.has_value()) << address;
        EXPECT_EQ(found->value, host) << address;  // the first host stays
    }
    std::size_t absent = 0;
    for (std::uint32_t i = 0; i < 30000; ++i) {
        const auto address = static_cast<std::uint32_t>(rng.next_u64() >> 32);
        if (reference.contains(address)) continue;
        ++absent;
        EXPECT_FALSE(table.find(address).has_value()) << address;
    }
    EXPECT_GT(absent, 29000u);
    EXPECT_GE(table.heap_bytes(), 2 * table.size() * 8);  // at most half full
}

}  // namespace
}  // namespace sessionsim::net
