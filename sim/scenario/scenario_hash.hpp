#pragma once
// A stable hash of a scenario for the run manifest: FNV-1a 64 over the scenario file's bytes,
// then, for each --set override in order, one 0x00 byte followed by the override's bytes.
// Written as "fnv1a64:" and 16 lowercase hex digits. FNV-1a is not cryptographic: it identifies
// a scenario (same bytes + same overrides => same hash on every platform), it does not protect it.
// (sim has no libsodium, hence no BLAKE2b here.)
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sessionsim::scenario {

/// FNV-1a 64 of `bytes`, continuing from `state` (start: the FNV offset basis).
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t state = 0xcbf29ce484222325ULL) noexcept;

/// "fnv1a64:0123456789abcdef" of the file bytes and overrides (see above).
std::string scenario_hash(std::string_view file_bytes, const std::vector<std::string>& overrides = {});

}  // namespace sessionsim::scenario
