// The grammars of scenario values (sim/scenario/units.hpp), alone: what each accepts, what it
// refuses, and where its ranges end.
#include "sim/scenario/units.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <utility>

#include "sim/scenario/did_you_mean.hpp"

namespace sessionsim::scenario {
namespace {

TEST(Units, Numbers) {
    EXPECT_EQ(parse_number("42"), 42.0);
    EXPECT_EQ(parse_number("-4"), -4.0);
    EXPECT_EQ(parse_number("+0.25"), 0.25);
    EXPECT_EQ(parse_number("1e6"), 1e6);
    EXPECT_EQ(parse_number("2.5E-3"), 2.5e-3);
    EXPECT_EQ(parse_number(".5"), 0.5);
    for (const char* bad : {"", "inf", "nan", "0x10", "4 ", " 4", "1,5", "-", ".", "1e", "1e999", "five"}) {
        EXPECT_FALSE(parse_number(bad).has_value()) << bad;
    }
    EXPECT_FALSE(parse_number(std::string(65, '1')).has_value());  // longer than 64 characters
}

TEST(Units, WholeNumbers) {
    EXPECT_EQ(parse_u64("0"), 0u);
    EXPECT_EQ(parse_u64("007"), 7u);
    EXPECT_EQ(parse_u64("18446744073709551615"), std::numeric_limits<std::uint64_t>::max());
    for (const char* bad : {"", "-1", "+1", "1.0", "1e3", "18446744073709551616", "123456789012345678901", "x"}) {
        EXPECT_FALSE(parse_u64(bad).has_value()) << bad;
    }
}

TEST(Units, DurationsInEveryUnit) {
    EXPECT_EQ(parse_duration("7ns"), nanoseconds(7));
    EXPECT_EQ(parse_duration("3us"), microseconds(3));
    EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
    EXPECT_EQ(parse_duration("0.5s"), milliseconds(500));
    EXPECT_EQ(parse_duration("10min"), minutes(10));
    EXPECT_EQ(parse_duration("1.5h"), minutes(90));
    EXPECT_EQ(parse_duration("14d"), days(14));
    EXPECT_EQ(parse_duration("0s"), SimDuration::zero());
    EXPECT_EQ(parse_duration("1.0000000004s"), nanoseconds(1'000'000'000));  // rounded to the nanosecond
}

TEST(Units, DurationsRefused) {
    for (const char* bad : {"", "5", "s", "ms", "-5s", "+5s", "5 s", "5S", "5sec", "1.s", ".5s", "5m", "1e3s", "5s "}) {
        EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
    }
    EXPECT_TRUE(parse_duration("106000d").has_value());    // 9.16e18 ns: still in range
    EXPECT_FALSE(parse_duration("107000d").has_value());   // beyond SimDuration
}

TEST(Units, Bandwidths) {
    // Bits per second, and bytes per second (x8); decimal prefixes.
    const std::pair<const char*, double> cases[] = {
        {"300bps", 300.0}, {"512kbps", 512e3}, {"100Mbps", 100e6}, {"1.5Gbps", 1.5e9}, {"1B/s", 8.0},
        {"2kB/s", 16e3},   {"10MB/s", 80e6},   {"1GB/s", 8e9},     {"unlimited", 0.0},
        {"0bps", 0.0},  // the grammar's; the loader refuses it (> 0 or 'unlimited')
    };
    for (const auto& [text, bps] : cases) EXPECT_EQ(parse_bandwidth_bps(text), bps) << text;
    for (const char* bad : {"", "100", "100mbps", "100 Mbps", "100KBps", "-1Mbps", "Mbps", "Unlimited", "10Mb/s"}) {
        EXPECT_FALSE(parse_bandwidth_bps(bad).has_value()) << bad;
    }
}

TEST(Units, UtcTimestamps) {
    EXPECT_EQ(parse_utc_timestamp_ms("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parse_utc_timestamp_ms("1970-01-01T00:00:01Z"), 1000);
    EXPECT_EQ(parse_utc_timestamp_ms("2026-01-01T00:00:00Z"), 1'767'225'600'000);
    EXPECT_EQ(parse_utc_timestamp_ms("2024-02-29T12:00:00Z"), 1'709'208'000'000);  // a leap day
    EXPECT_EQ(parse_utc_timestamp_ms("2000-02-29T00:00:00Z"), 951'782'400'000);    // 400-year leap
    EXPECT_EQ(parse_utc_timestamp_ms("2026-12-31T23:59:59Z"), 1'798'761'599'000);
    for (const char* bad : {"2025-02-29T12:00:00Z", "1900-02-29T00:00:00Z", "1969-12-31T23:59:59Z",
                            "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z",
                            "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01 00:00:00Z",
                            "2026-01-01T00:00:00", "2026-01-01T00:00:00+01", "2026-1-01T00:00:00Z", ""}) {
        EXPECT_FALSE(parse_utc_timestamp_ms(bad).has_value()) << bad;
    }
}

TEST(Units, FormatDurationPicksTheLargestUnit) {
    EXPECT_EQ(format_duration(SimDuration::zero()), "0s");
    EXPECT_EQ(format_duration(nanoseconds(7)), "7ns");
    EXPECT_EQ(format_duration(microseconds(3)), "3us");
    EXPECT_EQ(format_duration(milliseconds(250)), "250ms");
    EXPECT_EQ(format_duration(milliseconds(1500)), "1.5s");
    EXPECT_EQ(format_duration(minutes(10)), "10min");
    EXPECT_EQ(format_duration(minutes(90)), "1.5h");
    EXPECT_EQ(format_duration(days(14)), "14d");
}

TEST(Units, FormattedDurationsReadBack) {
    for (const SimDuration d : {milliseconds(250), seconds(5), minutes(10), minutes(90), hours(24), days(14)}) {
        EXPECT_EQ(parse_duration(format_duration(d)), d) << format_duration(d);
    }
}

TEST(DidYouMean, SuggestsOnlyLikelyTypos) {
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("ab", "ba"), 1u);  // a swap of neighbours counts once
    EXPECT_EQ(did_you_mean("durattion", {"duration", "description"}), "duration");
    EXPECT_EQ(did_you_mean("rate", {"rate_per_user_per_hour", "ttl"}), "rate_per_user_per_hour");  // a clear prefix
    EXPECT_EQ(did_you_mean("abc", {}), "");
}

}  // namespace
}  // namespace sessionsim::scenario
