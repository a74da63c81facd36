#pragma once
// The file `sessionsim calibrate` writes and `service_nodes.cpu.costs` names: a service node's
// operation costs (sim/host/cpu_model.hpp) in nanoseconds, one key per operation, as YAML.
//
//   # sessionsim calibrate ...
//   machine: "Intel(R) Xeon(R) ..."
//   costs_ns:
//     request: 2103.5
//     onion_layer: 61020.1
//     ...
#include <filesystem>
#include <iosfwd>
#include <string>
#include <variant>
#include <vector>

#include "sim/host/cpu_model.hpp"

namespace sessionsim::scenario {

/// Writes `costs` with a header that says how to use the file; `machine` names where it was measured.
void write_cpu_costs(std::ostream& out, const host::OperationCosts& costs, const std::string& machine);

/// Reads a costs file: every operation must be present, a number >= 0, and no other key. The
/// error (a string) names the file, line, column and key.
std::variant<host::OperationCosts, std::string> read_cpu_costs(const std::filesystem::path& file);

/// The operation names of a costs file, in order.
const std::vector<std::string>& cpu_cost_names();

}  // namespace sessionsim::scenario
