// The entry-versus-store timing correlator, alone.
#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/adversary/anonymity_metrics.hpp"
#include "sim/adversary/compromised/timing_correlator.hpp"

namespace sessionsim::adversary {
namespace {

SimTime at_ms(std::int64_t ms) { return SIM_EPOCH + milliseconds(ms); }

TEST(TimingCorrelator, CountsEachCandidatesEntriesInTheWindowBeforeTheStore) {
    TimingCorrelator c(4, milliseconds(500));
    c.add_entry(at_ms(100), 0);
    c.add_entry(at_ms(700), 1);
    c.add_entry(at_ms(900), 1);
    c.add_entry(at_ms(1000), 2);
    c.add_entry(at_ms(1600), 3);  // after the store: cannot have caused it
    const auto s = c.scores_for_store(at_ms(1000));
    EXPECT_EQ(s, (std::vector<double>{0, 2, 1, 0}));  // [500, 1000]: 700, 900 (1) and 1000 (2)
    // Nobody in the window: all zero, which the World reads as a uniform belief.
    EXPECT_EQ(c.scores_for_store(at_ms(50)), (std::vector<double>{0, 0, 0, 0}));
}

TEST(TimingCorrelator, ALoneSenderInTheWindowIsFound) {
    // One candidate sent right before the store among 100 that sent long before: the attacker is
    // certain, and right.
    TimingCorrelator c(100, milliseconds(300));
    for (std::size_t i = 0; i < 100; ++i) c.add_entry(at_ms(static_cast<std::int64_t>(i)), i);
    c.add_entry(at_ms(10'000), 42);
    const auto a = assess(c.scores_for_store(at_ms(10'200)), 42);
    EXPECT_DOUBLE_EQ(a.truth_probability, 1.0);
    EXPECT_DOUBLE_EQ(a.entropy_bits, 0.0);
    EXPECT_TRUE(a.deanonymised());
}

TEST(TimingCorrelator, KSimultaneousSendersLeaveLog2KBits) {
    TimingCorrelator c(64, milliseconds(300));
    for (std::size_t i = 0; i < 8; ++i) c.add_entry(at_ms(1000), i * 8);
    const auto a = assess(c.scores_for_store(at_ms(1100)), 16);
    EXPECT_EQ(a.anonymity_set_size, 8u);
    EXPECT_DOUBLE_EQ(a.entropy_bits, 3.0);
    EXPECT_DOUBLE_EQ(a.truth_probability, 1.0 / 8);
}

TEST(TimingCorrelator, RejectsBadInput) {
    EXPECT_THROW(TimingCorrelator(0, milliseconds(1)), std::invalid_argument);
    TimingCorrelator c(2, milliseconds(1));
    EXPECT_THROW(c.add_entry(at_ms(0), 2), std::invalid_argument);
    c.add_entry(at_ms(5), 0);
    EXPECT_THROW(c.add_entry(at_ms(4), 0), std::invalid_argument);
}

}  // namespace
}  // namespace sessionsim::adversary
