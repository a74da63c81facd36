// `sessionsim run FILE [--seed N] [--out DIR] [--set key=value ...] [--report]`.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "sim/world/world_metrics.hpp"
#include "sim/app/args.hpp"
#include "sim/app/commands.hpp"
#include "sim/host/randombytes_guard.hpp"
#include "sim/scenario/observation_csv.hpp"
#include "sim/scenario/run_outputs.hpp"
#include "sim/scenario/simulation.hpp"
#include "sim/scenario/yaml_loader.hpp"

namespace sessionsim::app {
namespace {

constexpr const char* RUN_USAGE = R"USAGE(usage: sessionsim run FILE [--seed N] [--out DIR] [--set key.path=value ...] [--report] [--progress]

Runs the scenario FILE (schema: scenarios/README.md) to its end and writes, into the output
folder (default: outputs.dir of the scenario, then the scenario's name):
  manifest.json  scenario, scenario hash, seed, overrides, version, build type, crypto mode
  summary.json   the simulated world's headline figures (same bytes for the same seed)
  perf.json      wall time, events/s, onion round trips/s, peak memory (differs run to run)
  series.csv     per-minute series;  samples.csv  latency samples
  observations.csv  with outputs.observations: true, what every service node saw (large)
and prints `fingerprint: HEX` (a hash of the event stream and key outputs).
A progress line (simulated time, %, events/s, ETA) goes to stderr when it is a terminal;
--progress prints it elsewhere too, one line per 0.5% of the run (for nohup and logs).

options:
  --seed N               override the scenario's seed
  --out DIR              output folder (created)
  --set key.path=value   replace a value before validation (repeatable), as in `validate`
  --report               also write report.md with plots (python3 + matplotlib)
  --progress             progress lines on stderr even when it is not a terminal
  --help                 this text

examples:
  sessionsim run scenarios/quickstart.yaml --out out/qs --report
  sessionsim run scenarios/quickstart.yaml --set clients.profile=android-2026-04   # which Session the clients run
  sessionsim run scenarios/quickstart.yaml --set 'clients.profiles={desktop-2026-04: 0.6, android-2026-04: 0.4}'
  (client profiles and their sources: models/session/node/PROFILES.md)
  sessionsim run scenarios/mainnet.yaml --set 'clients.arrival={dist: uniform, min: 0s, max: 10min}'   # cold starts spread over 10 min
  sessionsim run scenarios/quickstart.yaml --set 'service_nodes.cpu={cores: 2, costs: reference}'   # nodes with a processor:
      requests wait for a core and cost their operations; summary.json's cpu section (costs of this
      machine: sessionsim calibrate --out FILE, then costs: FILE)

exit codes: 0 done, 1 a check failed (something bypassed the seeded entropy), 2 bad scenario,
            3 environment (output folder, report generator), 64 usage
)USAGE";

void print_progress_line(const scenario::RunProgress& p, bool tty) {
    const double done = to_seconds(p.now) / std::max(1e-9, to_seconds(p.end));
    const double rate = p.wall_seconds > 0 ? static_cast<double>(p.events) / p.wall_seconds : 0;
    const double eta = done > 0 ? p.wall_seconds * (1 - done) / done : 0;
    std::fprintf(stderr, "%s  t=%10.1f s  %5.1f%%  %9.0f events/s  ETA %6.0f s %s", tty ? "\r" : "", to_seconds(p.now),
                 100 * done, rate, eta, tty ? "" : "\n");
    std::fflush(stderr);
}

}  // namespace

int run_run_command(const std::vector<std::string>& argv) {
    std::vector<std::string> overrides, rest;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i] == "--set") {
            if (i + 1 >= argv.size()) throw UsageError("option --set needs a value (key.path=value)");
            overrides.push_back(argv[++i]);
        } else if (argv[i].rfind("--set=", 0) == 0) {
            overrides.push_back(argv[i].substr(6));
        } else {
            rest.push_back(argv[i]);
        }
    }
    const Args args(rest, {"seed", "out"}, {"help", "report", "progress"});
    if (args.flag("help")) {
        std::cout << RUN_USAGE;
        return EXIT_OK;
    }
    if (args.positional().size() != 1) throw UsageError("expected exactly one scenario FILE");
    if (const auto seed = args.value("seed")) overrides.push_back("seed=" + *seed);

    scenario::ScenarioSpec spec;
    try {
        spec = scenario::load_scenario(args.positional().front(), overrides);
    } catch (const scenario::ScenarioErrors& e) {
        std::cerr << e.what() << '\n';
        return EXIT_BAD_INPUT;
    }
    const std::filesystem::path out = args.value("out") ? std::filesystem::path(*args.value("out"))
                                                         : spec.outputs.dir / spec.name;
    // The output folder must take files before the run starts: a run is not thrown away at its
    // end for a folder it could not write.
    if (const auto problem = scenario::writable_folder_problem(out)) {
        std::cerr << "sessionsim run: cannot write the output folder '" << out.string() << "': " << *problem
                  << "; nothing was run\n";
        return EXIT_ENVIRONMENT;
    }
    try {
        const auto start = std::chrono::steady_clock::now();  // building the world counts too
        scenario::Simulation simulation(spec);
        world::World& world = simulation.world();
        std::optional<scenario::ObservationCsv> observations;
        if (spec.outputs.observations) {
            std::filesystem::create_directories(out);
            observations.emplace(out / "observations.csv");
            world.bus().subscribe<world::NodeObserved>([&observations](const world::NodeObserved& seen) {
                observations->write(seen.at, seen.node, seen.observation);
            });
        }
        const bool tty = ::isatty(STDERR_FILENO) == 1;
        std::function<void(const scenario::RunProgress&)> progress;
        if (tty || args.flag("progress")) progress = [tty](const scenario::RunProgress& p) { print_progress_line(p, tty); };
        world.run(progress);
        if (tty) std::fprintf(stderr, "\n");
        if (observations) observations->close();
        scenario::PerfFigures perf;
        perf.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        perf.events = world.engine().events_processed();
        perf.peak_rss_bytes = scenario::peak_rss_bytes();
        perf.rss_at_end_bytes = scenario::live_rss_bytes();
        scenario::fill_memory_figures(perf, simulation);
        perf.onion_round_trips = world.metrics().counter(world::metric::onion_round_trips);
        const auto summary = scenario::write_run_outputs(out, spec, simulation, perf);
        if (const auto bypasses = host::randombytes_guard_calls(); bypasses != 0) {
            std::cerr << "sessionsim run: " << bypasses
                      << " call(s) of libsodium's randombytes bypassed the seeded entropy: this run is not "
                         "reproducible (a bug; please report it)\n";
            return EXIT_CHECK_FAILED;
        }
        char line[512];
        std::snprintf(line, sizeof line,
                      "scenario: %s (seed %llu): %.0f s simulated in %.1f s (%.0f events/s)\n"
                      "messages: %llu sent, %llu stored, %llu delivered (%.1f %%), %llu lost, %llu pending at the end\n"
                      "latency:  end to end p50 %.0f ms, p90 %.0f ms, p99 %.0f ms; onion p50 %.0f ms, failure rate %.3f\n",
                      spec.name.c_str(), static_cast<unsigned long long>(spec.seed), to_seconds(spec.duration),
                      perf.wall_seconds, perf.wall_seconds > 0 ? static_cast<double>(perf.events) / perf.wall_seconds : 0.0,
                      summary["messages_sent"].get<unsigned long long>(), summary["messages_stored"].get<unsigned long long>(),
                      summary["messages_delivered"].get<unsigned long long>(),
                      100.0 * summary["delivery_ratio"].get<double>(), summary["messages_lost"].get<unsigned long long>(),
                      summary["messages_pending_at_end"].get<unsigned long long>(),
                      summary["e2e_latency_ms"]["p50"].get<double>(), summary["e2e_latency_ms"]["p90"].get<double>(),
                      summary["e2e_latency_ms"]["p99"].get<double>(), summary["onion_latency_ms"]["p50"].get<double>(),
                      summary["onion_failure_rate"].get<double>());
        std::cout << line << "outputs:  " << out.string()
                  << "/ (manifest.json, summary.json, perf.json, series.csv, samples.csv"
                  << (observations ? ", observations.csv" : "") << ")\n"
                  << "fingerprint: " << world.engine().fingerprint().hex() << '\n';
    } catch (const std::runtime_error& e) {
        std::cerr << "sessionsim run: " << e.what() << '\n';
        return EXIT_ENVIRONMENT;
    }
    if (args.flag("report") || spec.outputs.report) {
        // Debian's python3 (with python3-matplotlib) rather than another one first on PATH.
        const std::string python = std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        const std::string cmd = python + " '" SESSIONSIM_REPORT_SCRIPT "' '" + out.string() + "'";
        if (std::system((cmd + " >/dev/null").c_str()) != 0) {
            std::cerr << "sessionsim run: the report generator failed (" << cmd << ")\n";
            return EXIT_ENVIRONMENT;
        }
        std::cout << "report:   " << (out / "report.md").string() << '\n';
    }
    return EXIT_OK;
}

}  // namespace sessionsim::app
