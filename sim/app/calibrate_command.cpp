#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "sim/app/args.hpp"
#include "sim/app/commands.hpp"
#include "sim/host/cpu_calibration.hpp"
#include "sim/scenario/cpu_costs_file.hpp"

namespace sessionsim::app {
namespace {

constexpr const char* CALIBRATE_USAGE = R"(usage: sessionsim calibrate [--out FILE] [--ms-per-op N]

Measures what a service node's operations cost on one core of this machine, with the real code
path: an onion layer (X25519 + XChaCha20-Poly1305), an onion reply, Ed25519 signatures and
verifications, the message hash, the message store's writes and reads, a request's decoding and
JSON parsing, and the per-byte cost of the cipher. Writes them as a costs file (nanoseconds per
operation) that a scenario names to give its service nodes a processor:

  service_nodes:
    cpu: {cores: 2, costs: my-machine.yaml}

Without a file, `costs: reference` uses the figures shipped with sessionsim (scenarios/README.md).
Run it alone on the machine: other load makes every figure larger.

options:
  --out FILE     where to write the costs (default: print them)
  --ms-per-op N  wall milliseconds spent timing each operation (default 200; 9 operations)
  --help         this text
)";

std::string machine_name() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) return line.substr(colon + 2);
        }
    }
    return "unknown";
}

}  // namespace

int run_calibrate_command(const std::vector<std::string>& argv) {
    const Args args(argv, {"out", "ms-per-op"}, {"help"});
    if (args.flag("help")) {
        std::cout << CALIBRATE_USAGE;
        return EXIT_OK;
    }
    if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional().front() + "'");
    const std::uint64_t ms = args.u64("ms-per-op", 200, 1);
    if (ms > 60'000) throw UsageError("--ms-per-op must be at most 60000");
    const auto out_path = args.value("out");
    std::ofstream file;
    if (out_path) {
        file.open(*out_path);
        if (!file) {
            std::cerr << "sessionsim calibrate: cannot write '" << *out_path << "'\n";
            return EXIT_ENVIRONMENT;
        }
    }
    std::cerr << "calibrate: timing 9 operations, " << ms << " ms each...\n";
    const host::OperationCosts costs = host::measure_operation_costs(std::chrono::milliseconds(ms));
    std::ostringstream text;
    scenario::write_cpu_costs(text, costs, machine_name());
    if (out_path) {
        file << text.str();
        file.close();
        if (!file) {
            std::cerr << "sessionsim calibrate: cannot write '" << *out_path << "'\n";
            return EXIT_ENVIRONMENT;
        }
        std::cerr << "calibrate: wrote " << *out_path << "\n";
    } else {
        std::cout << text.str();
    }
    return EXIT_OK;
}

}  // namespace sessionsim::app
