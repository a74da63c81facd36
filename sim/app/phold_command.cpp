#include <iostream>
#include <stdexcept>

#include "sim/app/args.hpp"
#include "sim/app/commands.hpp"
#include "sim/core/phold.hpp"

namespace sessionsim::app {
namespace {

constexpr const char* PHOLD_USAGE = R"(usage: sessionsim phold [--lps N] [--events-per-lp M] [--end T] [--seed S] [--log SPEC]

Runs PHOLD, the standard benchmark model of discrete-event engines: N logical processes each
start with M events at 0.1 s + Exp(mean 1 s); each event schedules one new event at a uniformly
chosen process at now + 0.1 s + Exp(mean 1 s), until simulated time T.

options:
  --lps N             logical processes (default 1000)
  --events-per-lp M   initial events per process, i.e. queue size N*M (default 10)
  --end T             end time in simulated seconds (default 1000)
  --seed S            run seed (default 1); same seed => same fingerprint
  --log SPEC          log categories and levels, e.g. engine:debug or all:info (default: warn)
  --help              this text

prints one `key: value` line each:
  events_processed    events run up to T
  events_per_second   events_processed / wall-clock seconds of the event loop alone
  fingerprint         hash of the event stream (time, sequence, destination of every event)
)";

}  // namespace

int run_phold_command(const std::vector<std::string>& argv) {
    const Args args(argv, {"lps", "events-per-lp", "end", "seed", "log"}, {"help"});
    if (args.flag("help")) {
        std::cout << PHOLD_USAGE;
        return EXIT_OK;
    }
    if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional().front() + "'");
    PholdConfig config;
    config.lps = static_cast<std::uint32_t>(args.u64("lps", config.lps, 1));
    config.events_per_lp = static_cast<std::uint32_t>(args.u64("events-per-lp", config.events_per_lp, 1));
    const double end_s = args.real("end", to_seconds(config.end));
    if (end_s < 0 || end_s > 9.2e9) throw UsageError("--end must be between 0 and 9.2e9 seconds");
    config.end = from_seconds(end_s);
    config.seed = args.u64("seed", config.seed);
    if (static_cast<std::uint64_t>(config.lps) * config.events_per_lp > 100'000'000) {
        throw UsageError("--lps x --events-per-lp must be at most 100,000,000 queued events");
    }

    const std::string log_spec = args.value("log").value_or("");
    try {
        Logger probe;
        probe.configure(log_spec);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    const PholdResult result = run_phold(config, log_spec);
    std::cout << "events_processed: " << result.events_processed << '\n'
              << "events_per_second: " << static_cast<std::uint64_t>(result.events_per_second) << '\n'
              << "fingerprint: " << result.fingerprint << '\n';
    return EXIT_OK;
}

}  // namespace sessionsim::app
