#include "sim/core/random.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <vector>

#include "sim/core/discrete_distributions.hpp"

namespace sessionsim {
namespace {

// Reference outputs computed with an independent transcription of the published algorithms
// (xoshiro256** and splitmix64 by Blackman & Vigna, prng.di.unimi.it) in Python.
TEST(RandomStream, Xoshiro256StarStarMatchesTheReference) {
    RandomStream rng(std::array<std::uint64_t, 4>{1, 2, 3, 4});
    const std::array<std::uint64_t, 6> expected{0x2d00, 0x0, 0x5a007080, 0x10e0000000009d80, 0x10e0b61ce1009d80,
                                                0x870021ce143ad00};
    for (std::uint64_t e : expected) EXPECT_EQ(rng.next_u64(), e);
}

TEST(RandomStream, SeedingUsesSplitmix64) {
    std::uint64_t state = 0;
    EXPECT_EQ(splitmix64_next(state), 0xe220a8397b1dcdafULL);
    EXPECT_EQ(splitmix64_next(state), 0x6e789e6aa1b965f4ULL);
    RandomStream rng(0);  // state = the first four splitmix64(0) outputs
    const std::array<std::uint64_t, 4> expected{0x99ec5f36cb75f2b4, 0xbf6e1f784956452a, 0x1a5f849d4933e6e0,
                                                0x6aa594f1262d2d2c};
    for (std::uint64_t e : expected) EXPECT_EQ(rng.next_u64(), e);
}

TEST(RandomStreams, NamedStreamMatchesTheReferenceDerivation) {
    // FNV-1a of "golden" started from splitmix64(42), then splitmix64 for the state (Python above).
    RandomStream rng = RandomStreams::derive(42, "golden");
    const std::array<std::uint64_t, 4> expected{0x310c6b854e175fdd, 0x4cbe5a1315a70d34, 0x9c02020f90b39944,
                                                0x0997eb26b37c1856};
    for (std::uint64_t e : expected) EXPECT_EQ(rng.next_u64(), e);
}

TEST(RandomStreams, StreamsDependOnSeedAndNameNotOnCreationOrder) {
    RandomStreams a(7), b(7);
    RandomStream& a_x = a.stream("x");
    a.stream("y").next_u64();
    b.stream("z").next_u64();
    b.stream("y");
    RandomStream& b_x = b.stream("x");
    for (int i = 0; i < 100; ++i) ASSERT_EQ(a_x.next_u64(), b_x.next_u64());
    // The reference returned by stream() is the stream itself: it continues, it does not restart.
    RandomStream fresh = a.derive("x");
    EXPECT_NE(a.stream("x").next_u64(), fresh.next_u64());
}

TEST(RandomStreams, DifferentNamesAndSeedsGiveDifferentStreams) {
    const std::uint64_t base = RandomStreams::derive(1, "client/1/paths").next_u64();
    EXPECT_NE(base, RandomStreams::derive(1, "client/2/paths").next_u64());
    EXPECT_NE(base, RandomStreams::derive(2, "client/1/paths").next_u64());
    EXPECT_NE(base, RandomStreams::derive(1, "client/1/path").next_u64());
    EXPECT_EQ(base, RandomStreams::derive(1, "client/1/paths").next_u64());
}

// Golden sequences: our distributions are part of the reproducibility contract. A change here
// changes every run's results and must be a deliberate, explained commit.
class Golden : public ::testing::Test {
  protected:
    RandomStream rng = RandomStreams::derive(42, "golden");
};

TEST_F(Golden, UniformInt) {
    const std::array<std::uint64_t, 8> expected{12, 13, 16, 10, 19, 13, 16, 16};
    for (auto e : expected) EXPECT_EQ(rng.uniform_int(10, 20), e);
}
TEST_F(Golden, UniformReal) {
    for (double e : {0.19159576420324009, 0.29977953878337982, 0.60940564041147949})
        EXPECT_DOUBLE_EQ(rng.uniform_real(), e);
}
TEST_F(Golden, Exponential) {
    for (double e : {0.10634652686880046, 0.17818002446409953, 0.47004285051069672})
        EXPECT_DOUBLE_EQ(rng.exponential(2.0), e);
}
TEST_F(Golden, Normal) {
    for (double e : {0.59862700457898432, 3.6667176473664131, -0.84278417233226688})
        EXPECT_DOUBLE_EQ(rng.normal(1.0, 2.0), e);
}
TEST_F(Golden, Lognormal) {
    for (double e : {1.5680430479049463, 2.3009905541096733, 1.309508634207335})
        EXPECT_DOUBLE_EQ(rng.lognormal(0.5, 0.25), e);
}
TEST_F(Golden, Weibull) {
    for (double e : {1.0689485253769462, 1.5079279623426527, 2.8789418044486412})
        EXPECT_DOUBLE_EQ(rng.weibull(1.5, 3.0), e);
}
TEST_F(Golden, Pareto) {
    for (double e : {1.0888011423041453, 1.1532038433788749, 1.4564970622296531})
        EXPECT_DOUBLE_EQ(rng.pareto(2.5, 1.0), e);
}
TEST_F(Golden, Zipf) {
    const ZipfDistribution zipf(1000, 1.1);
    for (std::size_t e : {2, 3, 27, 1, 241, 4, 33, 19}) EXPECT_EQ(zipf.sample(rng), e);
}
TEST_F(Golden, Shuffle) {
    std::vector<int> v{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    shuffle(v, rng);
    EXPECT_EQ(v, (std::vector<int>{6, 3, 7, 8, 9, 5, 0, 4, 2, 1}));
}
TEST_F(Golden, Bernoulli) {
    for (int e : {1, 1, 0, 1, 0, 0, 0, 0, 0, 1}) EXPECT_EQ(rng.bernoulli(0.3), e == 1);
}

TEST(RandomStream, FillIsLittleEndianWordsOfTheGenerator) {
    RandomStream a(5), b(5);
    std::array<std::byte, 13> bytes{};
    a.fill(bytes);
    const std::uint64_t w0 = b.next_u64();
    const std::uint64_t w1 = b.next_u64();
    for (int i = 0; i < 8; ++i) EXPECT_EQ(std::to_integer<std::uint64_t>(bytes[i]), (w0 >> (8 * i)) & 0xFF);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(std::to_integer<std::uint64_t>(bytes[8 + i]), (w1 >> (8 * i)) & 0xFF);
}

TEST(RandomStream, UniformIntCoversItsFullRangeIncludingExtremes) {
    RandomStream rng(9);
    EXPECT_EQ(rng.uniform_int(5, 5), 5u);
    bool saw_lo = false, saw_hi = false;
    for (int i = 0; i < 10'000; ++i) {
        const auto v = rng.uniform_int(UINT64_MAX - 3, UINT64_MAX);
        ASSERT_GE(v, UINT64_MAX - 3);
        saw_lo |= v == UINT64_MAX - 3;
        saw_hi |= v == UINT64_MAX;
    }
    EXPECT_TRUE(saw_lo && saw_hi);
    rng.uniform_int(0, UINT64_MAX);  // full range: no overflow
}

}  // namespace
}  // namespace sessionsim
