// `sessionsim validate FILE [--set key=value ...]`: loads and validates a scenario without running it.
#include <iostream>
#include <string>
#include <vector>

#include "sim/app/args.hpp"
#include "sim/app/commands.hpp"
#include "sim/scenario/yaml_loader.hpp"

namespace sessionsim::app {
namespace {

constexpr const char* VALIDATE_USAGE = R"USAGE(usage: sessionsim validate FILE [--set key.path=value ...]

Loads the scenario FILE (schema: scenarios/README.md), applies the overrides and validates it,
without running anything. Prints "FILE: ok (...)" with the scenario's size, or every problem,
one per line: "file:line:col: key.path: expected ..., got ..." (an override's problems name it).

options:
  --set key.path=value   replace the value at a dotted key before validation (repeatable); the
                         value is read as YAML, e.g. --set workload.rate_per_user_per_hour=4
                         or --set 'crypto={mode: sampled, fraction: 0.1}'
  --help                 this text

exit codes: 0 valid, 2 problems found (or the file cannot be read), 64 usage error
)USAGE";

}  // namespace

int run_validate_command(const std::vector<std::string>& argv) {
    // --set may repeat, which Args does not support: take the overrides out first.
    std::vector<std::string> overrides;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (arg == "--set") {
            if (i + 1 >= argv.size()) throw UsageError("option --set needs a value (key.path=value)");
            overrides.push_back(argv[++i]);
        } else if (arg.rfind("--set=", 0) == 0) {
            overrides.push_back(arg.substr(6));
        } else {
            rest.push_back(arg);
        }
    }
    const Args args(rest, {}, {"help"});
    if (args.flag("help")) {
        std::cout << VALIDATE_USAGE;
        return EXIT_OK;
    }
    if (args.positional().size() != 1) throw UsageError("expected exactly one scenario FILE");
    const std::string& file = args.positional().front();
    try {
        const scenario::ScenarioSpec spec = scenario::load_scenario(file, overrides);
        std::cout << file << ": ok (" << spec.service_nodes.count << " service nodes, " << spec.clients.count
                  << " clients, duration " << scenario::format_duration(spec.duration) << ", crypto "
                  << scenario::to_string(spec.crypto.mode) << ", seed " << spec.seed;
        if (!spec.labels.empty()) {
            std::cout << ", labels:";
            for (const auto& label : spec.labels) std::cout << ' ' << label;
        }
        std::cout << ")\n";
        return EXIT_OK;
    } catch (const scenario::ScenarioErrors& e) {
        for (const auto& p : e.problems()) std::cerr << p.format() << '\n';
        std::cerr << file << ": " << e.problems().size() << (e.problems().size() == 1 ? " problem" : " problems")
                  << '\n';
        return EXIT_BAD_INPUT;
    }
}

}  // namespace sessionsim::app
