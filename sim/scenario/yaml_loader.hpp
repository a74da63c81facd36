#pragma once
// YAML scenario file -> validated ScenarioSpec. The only user of yaml-cpp (DESIGN.md §2); the
// schema is scenarios/README.md.
//
// Loading reports every problem at once: syntax errors (with yaml-cpp's position), wrong types,
// unknown keys (with a "did you mean"), missing required keys, out-of-range values, invalid
// distributions, regions that the topology does not have. Overrides ("--set key.path=value", the
// value read as YAML) replace the value at that key before validation; their problems name the
// override instead of a file position.
//
// The value grammars (parse_duration, ...) are in units.hpp and the suggestions in did_you_mean.hpp,
// both included here; the readers behind load_scenario are one file per section
// (section_readers.hpp) on the reader framework of yaml_reader.hpp.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_spec.hpp"
#include "sim/scenario/units.hpp"

namespace sessionsim::scenario {

/// Reads, parses and validates `file`. A relative GraphML topology is resolved against the file's
/// folder. Throws ScenarioErrors with every problem (also when the file cannot be read).
ScenarioSpec load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

/// The same from text; `display_name` is the "file" of every problem, and its folder is where a
/// relative GraphML topology is looked for.
ScenarioSpec load_scenario_text(std::string_view text, const std::string& display_name,
                                const std::vector<std::string>& overrides = {});

}  // namespace sessionsim::scenario
