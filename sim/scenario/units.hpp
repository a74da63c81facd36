#pragma once
// The grammars of scenario values, as pure functions: plain numbers, whole numbers, durations
// ("250ms"), bandwidths ("100Mbps") and UTC timestamps ("2026-01-01T00:00:00Z"), and the short
// form of a duration that messages print. No YAML here: yaml_reader.hpp reports a value that does
// not follow its grammar, with DURATION_GRAMMAR or BANDWIDTH_GRAMMAR as what was expected.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace sessionsim::scenario {

/// How problems name the duration grammar ("expected a duration like ..., got '5'").
inline const std::string DURATION_GRAMMAR = "a duration like 250ms, 10min or 1.5h (units ns us ms s min h d)";
/// How problems name the bandwidth grammar.
inline const std::string BANDWIDTH_GRAMMAR =
    "a bandwidth like 100Mbps, 512kbps or 10MB/s (units bps kbps Mbps Gbps B/s kB/s MB/s GB/s) or 'unlimited'";

/// A finite decimal number as strtod reads it ("-4", "0.25", "1e6"; at most 64 characters of
/// digits, '.', sign and exponent). nullopt otherwise ("inf", "nan", "0x10", "4 ").
std::optional<double> parse_number(std::string_view text);

/// A whole number of decimal digits only ("42"; no sign, at most 20 digits), nullopt otherwise or
/// when it exceeds 2^64 - 1.
std::optional<std::uint64_t> parse_u64(std::string_view text);

/// "250ms", "10min", "1.5h": a decimal number directly followed by one of ns us ms s min h d.
/// nullopt when the text does not follow that grammar or exceeds the range of SimDuration.
std::optional<SimDuration> parse_duration(std::string_view text);

/// "100Mbps", "512kbps", "10MB/s": a decimal number directly followed by one of bps kbps Mbps Gbps
/// (bits/s) or B/s kB/s MB/s GB/s (bytes/s, x8); prefixes are decimal (k = 1000). "unlimited" is 0.
/// nullopt when the text does not follow that grammar.
std::optional<double> parse_bandwidth_bps(std::string_view text);

/// "2026-01-01T00:00:00Z" -> Unix milliseconds (UTC only, seconds precision).
std::optional<std::int64_t> parse_utc_timestamp_ms(std::string_view text);

/// A short human form of a duration for messages and the validate command: "10min", "1.5h", "250ms".
std::string format_duration(SimDuration d);

}  // namespace sessionsim::scenario
