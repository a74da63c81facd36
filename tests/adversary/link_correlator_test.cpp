// The link correlator against hand-computed counts: the window's ends, size matching, and the
// closed forms of spec anonymity §1 on its scores (a lone match: 0 bits; k equal matches: log2 k).
#include "sim/adversary/link_observer/link_correlator.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/adversary/anonymity_metrics.hpp"

namespace sessionsim::adversary {
namespace {

SimTime at_ms(std::int64_t ms) { return SIM_EPOCH + milliseconds(ms); }

TEST(LinkCorrelator, CountsEntriesInTheWindowIncludingItsEnds) {
    const LinkCorrelator c(3, milliseconds(100),
                           {{at_ms(0), 0, 900}, {at_ms(100), 1, 900}, {at_ms(150), 2, 900}, {at_ms(200), 1, 900},
                            {at_ms(201), 0, 900}});
    const auto s = c.scores(at_ms(200), 200, std::nullopt);
    EXPECT_EQ(s, (std::vector<double>{0, 2, 1}));  // 100 and 200 are the window's ends; 201 is after
}

TEST(LinkCorrelator, SizeMatchingKeepsOnlyEntriesLargerByTheLayers) {
    const LinkCorrelator c(3, seconds(1),
                           {{at_ms(10), 0, 1200}, {at_ms(20), 1, 1210}, {at_ms(30), 2, 1300}, {at_ms(40), 1, 400}});
    const SizeMatch layers{700, 720};
    // target 500 bytes: 1200 (+700) and 1210 (+710) fit, 1300 (+800) and 400 (−100) do not.
    EXPECT_EQ(c.scores(at_ms(50), 500, layers), (std::vector<double>{1, 1, 0}));
    EXPECT_EQ(c.scores(at_ms(50), 500, std::nullopt), (std::vector<double>{1, 2, 1}));
    EXPECT_EQ(c.scores(at_ms(50), 600, layers), (std::vector<double>{0, 0, 1}));  // only 1300 (+700)
    EXPECT_THROW((void)c.scores(at_ms(50), 500, SizeMatch{10, 5}), std::invalid_argument);
}

TEST(LinkCorrelator, ALoneMatchIsCertainAndEqualMatchesAreUniform) {
    const LinkCorrelator lone(8, seconds(1), {{at_ms(0), 3, 1000}});
    const auto one = assess(lone.scores(at_ms(10), 290, SizeMatch{700, 720}), 3);
    EXPECT_EQ(one.anonymity_set_size, 1u);
    EXPECT_DOUBLE_EQ(one.entropy_bits, 0.0);
    std::vector<SizedEntry> same;
    for (std::uint32_t k = 0; k < 5; ++k) same.push_back({at_ms(k), k, 1000});
    const LinkCorrelator five(8, seconds(1), same);
    const auto spread = assess(five.scores(at_ms(10), 290, SizeMatch{700, 720}), 0);
    EXPECT_EQ(spread.anonymity_set_size, 5u);
    EXPECT_NEAR(spread.entropy_bits, std::log2(5.0), 1e-12);
}

TEST(LinkCorrelator, RejectsBadInput) {
    EXPECT_THROW(LinkCorrelator(0, seconds(1), {}), std::invalid_argument);
    EXPECT_THROW(LinkCorrelator(2, seconds(-1), {}), std::invalid_argument);
    EXPECT_THROW(LinkCorrelator(2, seconds(1), {{at_ms(0), 2, 10}}), std::invalid_argument);
    EXPECT_THROW(LinkCorrelator(2, seconds(1), {{at_ms(5), 0, 10}, {at_ms(1), 1, 10}}), std::invalid_argument);
}

}  // namespace
}  // namespace sessionsim::adversary
