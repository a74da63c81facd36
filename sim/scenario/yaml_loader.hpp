#pragma once
// YAML scenario file -> validated ScenarioSpec. The only user of yaml-cpp (DESIGN.md §2); the
// schema is scenarios/README.md.
//
// Loading reports every problem at once: syntax errors (with yaml-cpp's position), wrong types,
// unknown keys (with a "did you mean"), missing required keys, out-of-range values, invalid
// distributions, regions that the topology does not have. Overrides ("--set key.path=value", the
// value read as YAML) replace the value at that key before validation; their problems name the
// override instead of a file position.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_spec.hpp"

namespace sessionsim::scenario {

/// Reads, parses and validates `file`. A relative GraphML topology is resolved against the file's
/// folder. Throws ScenarioErrors with every problem (also when the file cannot be read).
ScenarioSpec load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

/// The same from text; `display_name` is the "file" of every problem, and its folder is where a
/// relative GraphML topology is looked for.
ScenarioSpec load_scenario_text(std::string_view text, const std::string& display_name,
                                const std::vector<std::string>& overrides = {});

/// "250ms", "10min", "1.5h": a decimal number directly followed by one of ns us ms s min h d.
/// nullopt when the text does not follow that grammar or exceeds the range of SimDuration.
std::optional<SimDuration> parse_duration(std::string_view text);

/// "100Mbps", "512kbps", "10MB/s": a decimal number directly followed by one of bps kbps Mbps Gbps
/// (bits/s) or B/s kB/s MB/s GB/s (bytes/s, x8); prefixes are decimal (k = 1000). "unlimited" is 0.
/// nullopt when the text does not follow that grammar.
std::optional<double> parse_bandwidth_bps(std::string_view text);

/// "2026-01-01T00:00:00Z" -> Unix milliseconds (UTC only, seconds precision).
std::optional<std::int64_t> parse_utc_timestamp_ms(std::string_view text);

/// Optimal-string-alignment edit distance (insert, delete, substitute, swap neighbours: 1 each).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` if it is close enough to be a likely typo, else empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// A short human form of a duration for messages and the validate command: "10min", "1.5h", "250ms".
std::string format_duration(SimDuration d);

}  // namespace sessionsim::scenario
