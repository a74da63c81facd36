#pragma once
// Compromised service nodes (DESIGN.md §7; spec anonymity §3): the adversary runs (or has
// taken over) a set of service nodes, chosen by fraction, by count, or by region, and keeps what
// they observe (models/session/node/io.hpp, Observation). They stay honest on the wire in this
// version (passive: no dropping, delaying or tampering). The World picks them and reports the
// exposure they give: swarms with an adversary member, clients with a compromised guard,
// messages whose sender IP and recipient ID the adversary both saw.
#include <cstdint>
#include <optional>
#include <string>

namespace sessionsim::adversary {

struct CompromisedNodesConfig {
    enum class Selection : std::uint8_t { fraction, count, region };
    Selection selection = Selection::fraction;
    double fraction = 0.1;    ///< share of the initial service nodes (rounded to the nearest count)
    std::uint64_t count = 0;
    std::string region;       ///< every service node of this region
};

}  // namespace sessionsim::adversary
