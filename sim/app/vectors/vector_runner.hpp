#pragma once
// Runs vector files (tests/vectors/README.md schema) through the ops and reports.
#include <iosfwd>
#include <string>
#include <vector>

#include "sim/app/vectors/vector_ops.hpp"

namespace sessionsim::vectors {

struct RunTotals {
    std::size_t passed = 0;
    std::size_t failed = 0;
};

/// Runs every vector of every file. Prints one line per failing vector to `out`
/// ("FILE: NAME: what differed"); an unreadable or malformed file counts as one failure.
RunTotals run_files(const std::vector<std::string>& files, const OpTable& ops, std::ostream& out);

/// Runs one vector (already parsed); returns an empty string when it passes, or why it fails.
std::string run_vector(const json& vector, const OpTable& ops);

}  // namespace sessionsim::vectors
