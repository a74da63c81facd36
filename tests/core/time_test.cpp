#include "sim/core/time.hpp"

#include <gtest/gtest.h>

namespace sessionsim {
namespace {

using namespace std::chrono_literals;

TEST(Time, HelpersAndLiteralsAgreeInNanoseconds) {
    EXPECT_EQ(milliseconds(5), SimDuration{5'000'000});
    EXPECT_EQ(seconds(2), SimDuration(2s));
    EXPECT_EQ(minutes(3), SimDuration(3min));
    EXPECT_EQ(hours(1), SimDuration(1h));
    EXPECT_EQ(microseconds(7), SimDuration(7us));
    EXPECT_EQ(from_seconds(1.5), 1500ms);
    EXPECT_EQ(from_milliseconds(0.0000015), SimDuration{2});  // rounded to nearest ns
    EXPECT_DOUBLE_EQ(to_seconds(SIM_EPOCH + 2500ms), 2.5);
    EXPECT_DOUBLE_EQ(to_milliseconds(SimDuration(3s)), 3000.0);
}

TEST(Time, FormatIsSecondsWithNanoseconds) {
    EXPECT_EQ(format_time(SIM_EPOCH), "0.000000000");
    EXPECT_EQ(format_time(SIM_EPOCH + 12s + 5ns), "12.000000005");
    EXPECT_EQ(format_time(SIM_EPOCH - 500ms), "-0.500000000");
}

TEST(Time, SimTimeIsNotWallClockTime) {
    // A compile-time property: SimTime and system_clock::time_point are distinct types.
    static_assert(!std::is_convertible_v<std::chrono::system_clock::time_point, SimTime>);
    static_assert(!std::is_convertible_v<SimTime, std::chrono::system_clock::time_point>);
    SUCCEED();
}

}  // namespace
}  // namespace sessionsim
