// sessionsim: the command line. Each subcommand prints its own usage with `--help`.
// Exit codes (DESIGN.md §6): 0 success; 1 a check failed; 2 bad input; 3 environment; 64 usage.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "sim/app/args.hpp"
#include "sim/app/commands.hpp"
#include "sim/core/allocator_tuning.hpp"

namespace {

constexpr const char* USAGE = R"(sessionsim - a discrete-event simulator of the Session messenger network

usage: sessionsim <command> [options]

commands:
  phold      run PHOLD, the engine's own benchmark model, and print its figures
  vectors    check Session protocol test vectors (JSON files) against the implementation
  run        run a scenario file (YAML): service nodes, clients, workload; write its outputs
  sweep      run a scenario over a grid of values x seeds (parallel processes); figures with 95% intervals
  validate   check a scenario file (YAML) without running it
  calibrate  measure a service node's operation costs on this machine (for service_nodes.cpu)
  help       print this text (also: --help, -h)
  version    print the version and build type (also: --version)

`sessionsim <command> --help` explains a command and its options. Start with:
  sessionsim run scenarios/quickstart.yaml --report

exit codes: 0 success, 1 a check failed, 2 bad input, 3 environment, 64 usage error
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace sessionsim::app;
    sessionsim::restart_with_allocator_tunables(argv);  // once, before anything is allocated
    sessionsim::tune_allocator_for_simulation();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << USAGE;
        return EXIT_USAGE;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    try {
        if (command == "help" || command == "--help" || command == "-h") {
            std::cout << USAGE;
            return EXIT_OK;
        }
        if (command == "version" || command == "--version") {
            std::cout << "sessionsim " << SESSIONSIM_VERSION << " (" << SESSIONSIM_BUILD_TYPE << ")\n";
            return EXIT_OK;
        }
        if (command == "phold") return run_phold_command(args);
        if (command == "vectors") return run_vectors_command(args);
        if (command == "validate") return run_validate_command(args);
        if (command == "run") return run_run_command(args);
        if (command == "sweep") return run_sweep_command(args);
        if (command == "calibrate") return run_calibrate_command(args);
        std::cerr << "sessionsim: unknown command '" << command << "'\n\n" << USAGE;
        return EXIT_USAGE;
    } catch (const UsageError& e) {
        std::cerr << "sessionsim " << command << ": " << e.what() << "\n(see: sessionsim " << command
                  << " --help)\n";
        return EXIT_USAGE;
    }
}
