#pragma once
// A churn trace (scenarios/README.md, "adversaries: churn", `trace`): a CSV file of service-node
// downs, ups and joins at given times, replayed instead of churn's session and downtime
// distributions. The parser takes untrusted text (a user's file; tests/fuzz/fuzz_churn_trace.cpp)
// and never throws: every problem comes back with its line and what was expected.
//
//   # comments and blank lines are ignored
//   time,node,event          <- the header, required
//   0s,3,down                <- time: a number with an optional unit (ms, s, min, h, d; s when none)
//   10min,3,up               <- node: an initial service node 0..count-1, or a joined one
//   12min,,join              <- join: registers a new node, numbered count, count+1, ... in join order
//
// Rows are in time order (ties keep file order). A node starts up; `down` needs it up and `up`
// needs it down (its previous row), so a trace replays exactly as written.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"

namespace sessionsim::adversary {

struct ChurnTraceEvent {
    enum class Kind : std::uint8_t { down, up, join };
    SimDuration at{};
    Kind kind = Kind::down;
    std::uint64_t node = 0;  ///< for a join, the index the new node gets
    std::size_t line = 0;    ///< 1-based line in the file
};

struct ChurnTraceProblem {
    std::size_t line = 0;  ///< 1-based; 0 for the whole file
    std::string message;   ///< "expected ..., got '...'"
};

struct ChurnTrace {
    std::vector<ChurnTraceEvent> events;
    std::vector<ChurnTraceProblem> problems;  ///< empty: the trace is valid
    std::size_t problems_left_out = 0;        ///< beyond max_problems
};

/// Parses `text` for a network of `initial_nodes` service nodes. Reports at most `max_problems`
/// problems (counting the rest in problems_left_out).
ChurnTrace parse_churn_trace(std::string_view text, std::uint64_t initial_nodes, std::size_t max_problems = 20);

/// The inverse of the time column's grammar, for messages: "90s", "10min".
std::string format_trace_time(SimDuration d);

}  // namespace sessionsim::adversary
