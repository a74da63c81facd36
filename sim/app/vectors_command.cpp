#include <iostream>

#include "sim/app/args.hpp"
#include "sim/app/commands.hpp"
#include "sim/app/vectors/vector_runner.hpp"

namespace sessionsim::app {
namespace {

constexpr const char* VECTORS_USAGE = R"(usage: sessionsim vectors FILE...

Checks known-answer test vectors against sessionsim's own implementation of the Session
protocol. Each FILE is a JSON document {"topic": ..., "vectors": [...]} in the schema of
tests/vectors/README.md; every vector's `op` is computed from its `input` and compared field by
field with its `expected`, and each of its `negative` cases must be rejected.

Prints one line per failing vector (file, vector name, what differed) and a closing line
`N passed, M failed` over all files. An unknown op, a missing field or an unreadable file is a
failure, never a skip.

exit: 0 when nothing failed, 1 when a vector failed, 64 on a usage error.
example: sessionsim vectors tests/vectors/*.json
)";

}  // namespace

int run_vectors_command(const std::vector<std::string>& argv) {
    const Args args(argv, {}, {"help", "list-ops"});
    if (args.flag("help")) {
        std::cout << VECTORS_USAGE;
        return EXIT_OK;
    }
    if (args.flag("list-ops")) {
        for (const auto& [name, op] : vectors::all_ops()) std::cout << name << (op.rejects ? " (reject path)" : "") << '\n';
        return EXIT_OK;
    }
    if (args.positional().empty()) throw UsageError("give at least one vector file");
    const auto totals = vectors::run_files(args.positional(), vectors::all_ops(), std::cout);
    std::cout << totals.passed << " passed, " << totals.failed << " failed\n";
    return totals.failed == 0 ? EXIT_OK : EXIT_CHECK_FAILED;
}

}  // namespace sessionsim::app
