// `sessionsim sweep FILE --grid key.path=v1,v2,... [--seeds K] [--jobs J] [--out DIR] [--set ...] [--report]`:
// every grid point x seed as a `sessionsim run` child process, at most J at a time, then the
// figures of each point with 95% intervals (sweep_aggregate.hpp) in sweep.json and sweep.csv.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/app/args.hpp"
#include "sim/app/commands.hpp"
#include "sim/app/sweep_aggregate.hpp"
#include "sim/scenario/yaml_loader.hpp"

extern char** environ;

namespace sessionsim::app {
namespace {

constexpr const char* SWEEP_USAGE = R"USAGE(usage: sessionsim sweep FILE --grid key.path=v1,v2,... [--grid another.key=a,b ...]
           [--seeds K] [--jobs J] [--out DIR] [--set key.path=value ...] [--report] [--help]

Runs the scenario FILE (schema: scenarios/README.md) at every point of a grid of values, K times
per point with the seeds s0, s0+1, ..., s0+K-1 (s0: the scenario's seed, after --set), and
aggregates each figure of the runs' summary.json over the seeds of a point: mean, sd, 95% interval.
Several --grid options make the cartesian product; the first varies slowest. Without --grid the
sweep has one point (the scenario as it is). Every point is validated before anything runs.

Each run is a child process `sessionsim run FILE --set ... --set key=value --seed S --out
DIR/runs/<point>-seed<S>`, at most J at a time: a run of a sweep has the outputs of that command,
and a sweep with --seeds 1 gives the plain run's. One line per finished run goes to stderr:
  [3/8] point 1 seed 8: ok (1.2 s)
A failed run is reported with its log; the others finish, its figures are left out of the
aggregates, it is listed in sweep.json, and the sweep exits 1.

Writes into DIR (default: outputs.dir of the scenario, then <name>-sweep):
  sweep.json  scenario, file, hash, --set overrides, grid, seeds; per point its parameters, runs
              (seed, folder, log, status) and figures {name: {n, mean, sd, lo, hi, method}};
              failed_runs
  sweep.csv   point, the value of each grid key, figure, n, mean, lo, hi, method: one row per
              point and figure
  runs/<point>-seed<S>/  the run's own outputs and run.log (its stdout and stderr); replaced
  sweep_report.md, plots/<figure>.png  with --report: a table per figure and plots of the mean
              against the first grid key, with error bars (a line per value of the second)
sweep.json and sweep.csv are the same bytes for the same inputs, whatever --jobs and the order
in which runs finish. Wall-clock figures (perf.json) are not aggregated.

Figures: every numeric leaf of summary.json, nested keys joined with '.' (e2e_latency_ms.p50),
but fingerprint and crypto.*. Intervals (the `method` of a figure):
  t              mean +- t(0.975, n-1) sd / sqrt(n), Student t over the runs
  t_clamped      the same, clamped to [0, 1]: proportions (replication_coverage and names
                 ending in _ratio, _share, _accuracy, _rate, e.g. delivery_ratio)
  t_non_negative the same, cut at 0 where it would reach below: a figure whose every run is
                 >= 0 (a count, bytes, a latency)
  wilson_pooled  Wilson score interval on the counts of all runs of the point together:
                 delivery_ratio.pooled (messages delivered / sent) and onion_failure_rate.pooled
                 (failures / finished onion requests); narrower than t: it treats every message
                 as independent and ignores the run-to-run variation
  none           a point with one run: its value, no interval

options:
  --grid key.path=v1,v2,...  a scenario key and its values (repeatable), each read as YAML like a
                         --set value; split at commas outside brackets and quotes, so
                         --grid 'crypto={mode: real},{mode: sampled, fraction: 0.1}' has 2 values
  --seeds K              runs per point (default 5)
  --jobs J               runs at a time (default: the number of online CPUs)
  --out DIR              output folder (created)
  --set key.path=value   applied to every run before the grid values (repeatable), as in `run`
  --report               also write sweep_report.md with plots (python3 + matplotlib)
  --help                 this text

examples:
  sessionsim sweep scenarios/quickstart.yaml --grid workload.rate_per_user_per_hour=2,4,8 --report
  sessionsim sweep scenarios/quickstart.yaml --grid clients.paths=2,3 \
      --grid clients.link.loss=0,0.01,0.05 --seeds 3 --jobs 2 --set duration=5min --out out/loss

exit codes: 0 every run ok, 1 a run failed, 2 bad scenario or grid value (nothing ran),
            3 environment (output folder, starting a run, report generator), 64 usage
)USAGE";

/// A run to do: its point, its seed, its folder relative to the sweep folder, its command line.
struct PlannedRun {
    std::size_t point = 0;
    std::uint64_t seed = 0;
    std::string dir;
    std::vector<std::string> argv;
};

/// Starts `program` with `args` (args[0] included), stdin from /dev/null and stdout to `output`
/// (stderr too when `merge_stderr`; otherwise it is inherited). Throws std::runtime_error.
pid_t spawn_process(const std::string& program, bool search_path, const std::vector<std::string>& args,
                    const std::string& output, bool merge_stderr) {
    posix_spawn_file_actions_t actions;
    if (int rc = posix_spawn_file_actions_init(&actions); rc != 0) {
        throw std::runtime_error(std::string("posix_spawn_file_actions_init: ") + std::strerror(rc));
    }
    int rc = posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (rc == 0) {
        rc = posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                              0644);
    }
    if (rc == 0 && merge_stderr) rc = posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (rc == 0) {
        rc = search_path ? ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ)
                         : ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    }
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + program + ": " + std::strerror(rc));
    return pid;
}

/// waitpid that retries on EINTR; -1 on any other error.
pid_t wait_child(pid_t which, int& status) {
    for (;;) {
        const pid_t pid = ::waitpid(which, &status, 0);
        if (pid >= 0 || errno != EINTR) return pid;
    }
}

std::string describe_exit(int status) {
    if (WIFEXITED(status)) return "failed: exit " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "failed: killed by signal " + std::to_string(WTERMSIG(status));
    return "failed: status " + std::to_string(status);
}

/// The run's summary.json, or null when it is missing or not JSON.
nlohmann::json read_summary(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return nullptr;
    auto j = nlohmann::json::parse(in, nullptr, false);
    return j.is_discarded() || !j.is_object() ? nlohmann::json(nullptr) : j;
}

void write_file(const std::filesystem::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string describe_point(const GridPoint& point) {
    std::string out;
    for (const auto& [key, value] : point) {
        if (!out.empty()) out.append(", ");
        out.append(key).append("=").append(value);
    }
    return out.empty() ? std::string("(no grid)") : out;
}

/// Loads the scenario with `overrides`; on problems prints `what` then each problem, indented.
bool validates(const std::string& file, const std::vector<std::string>& overrides, const std::string& what) {
    try {
        (void)scenario::load_scenario(file, overrides);
        return true;
    } catch (const scenario::ScenarioErrors& e) {
        std::cerr << "sessionsim sweep: " << what << '\n';
        for (const auto& p : e.problems()) std::cerr << "  " << p.format() << '\n';
        return false;
    }
}

/// "0.991 [0.98, 1]" for the summary lines on stdout.
std::string short_figure(const std::map<std::string, FigureStats>& figures, const std::string& name) {
    const auto it = figures.find(name);
    if (it == figures.end()) return "-";
    char text[160];
    if (it->second.lo && it->second.hi) {
        std::snprintf(text, sizeof text, "%.4g [%.4g, %.4g]", it->second.mean, *it->second.lo, *it->second.hi);
    } else {
        std::snprintf(text, sizeof text, "%.4g", it->second.mean);
    }
    return text;
}

std::uint64_t online_cpus() {
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<std::uint64_t>(n) : 1;
}

constexpr std::uint64_t MAX_RUNS = 100000;

}  // namespace

int run_sweep_command(const std::vector<std::string>& argv) {
    // --set and --grid repeat, which Args does not support: take them out first.
    std::vector<std::string> overrides, grid_options, rest;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (arg == "--set" || arg == "--grid") {
            if (i + 1 >= argv.size()) {
                throw UsageError("option " + arg + (arg == "--set" ? " needs a value (key.path=value)"
                                                                   : " needs a value (key.path=v1,v2,...)"));
            }
            (arg == "--set" ? overrides : grid_options).push_back(argv[++i]);
        } else if (arg.rfind("--set=", 0) == 0) {
            overrides.push_back(arg.substr(6));
        } else if (arg.rfind("--grid=", 0) == 0) {
            grid_options.push_back(arg.substr(7));
        } else {
            rest.push_back(arg);
        }
    }
    const Args args(rest, {"seeds", "jobs", "out"}, {"help", "report"});
    if (args.flag("help")) {
        std::cout << SWEEP_USAGE;
        return EXIT_OK;
    }
    if (args.positional().size() != 1) throw UsageError("expected exactly one scenario FILE");
    const std::string file = args.positional().front();
    std::vector<GridAxis> grid;
    for (const auto& text : grid_options) {
        GridAxis axis;
        try {
            axis = parse_grid_option(text);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
        for (const auto& other : grid) {
            if (other.key == axis.key) throw UsageError("--grid " + axis.key + " is given twice");
        }
        grid.push_back(std::move(axis));
    }
    const std::uint64_t seed_count = args.u64("seeds", 5, 1);
    const std::uint64_t jobs = args.u64("jobs", online_cpus(), 1);
    std::uint64_t point_count = 1;
    for (const auto& axis : grid) {
        if (point_count > MAX_RUNS / axis.values.size()) throw UsageError("the grid has more than 100000 points");
        point_count *= axis.values.size();
    }
    if (point_count > MAX_RUNS / seed_count) throw UsageError("more than 100000 runs (points x seeds)");

    // Validate everything before anything runs: the scenario, each grid value, each point.
    scenario::ScenarioSpec base;
    try {
        base = scenario::load_scenario(file, overrides);
    } catch (const scenario::ScenarioErrors& e) {
        for (const auto& p : e.problems()) std::cerr << p.format() << '\n';
        std::cerr << file << ": " << e.problems().size() << (e.problems().size() == 1 ? " problem" : " problems")
                  << '\n';
        return EXIT_BAD_INPUT;
    }
    if (base.seed > std::numeric_limits<std::uint64_t>::max() - (seed_count - 1)) {
        throw UsageError("--seeds " + std::to_string(seed_count) + ": the seeds from " + std::to_string(base.seed) +
                         " would pass 2^64 - 1");
    }
    bool valid = true;
    for (const auto& axis : grid) {
        for (const auto& value : axis.values) {
            auto with = overrides;
            with.push_back(axis.key + "=" + value);
            std::string what = "--grid ";
            what.append(axis.key).append(": the value '").append(value).append("' is not valid:");
            valid = validates(file, with, what) && valid;
        }
    }
    const std::vector<GridPoint> points = expand_grid(grid);
    if (valid && grid.size() > 1) {
        for (std::size_t i = 0; i < points.size(); ++i) {
            auto with = overrides;
            for (const auto& [key, value] : points[i]) with.push_back(key + "=" + value);
            std::string what = "grid point ";
            what.append(std::to_string(i)).append(" (").append(describe_point(points[i])).append(") is not valid:");
            valid = validates(file, with, what) && valid;
        }
    }
    if (!valid) return EXIT_BAD_INPUT;

    const std::filesystem::path out = args.value("out") ? std::filesystem::path(*args.value("out"))
                                                         : base.outputs.dir / (base.name + "-sweep");
    std::vector<std::uint64_t> seeds;
    for (std::uint64_t k = 0; k < seed_count; ++k) seeds.push_back(base.seed + k);
    std::vector<PlannedRun> plan;
    for (std::size_t i = 0; i < points.size(); ++i) {
        for (const std::uint64_t seed : seeds) {
            PlannedRun run;
            run.point = i;
            run.seed = seed;
            run.dir = "runs/";
            run.dir.append(point_label(i, points.size())).append("-seed").append(std::to_string(seed));
            run.argv = {"sessionsim", "run", file};
            for (const auto& o : overrides) run.argv.insert(run.argv.end(), {"--set", o});
            for (const auto& [key, value] : points[i]) run.argv.insert(run.argv.end(), {"--set", key + "=" + value});
            run.argv.insert(run.argv.end(), {"--seed", std::to_string(seed), "--out", (out / run.dir).string()});
            plan.push_back(std::move(run));
        }
    }
    {
        std::error_code ec;
        std::filesystem::create_directories(out / "runs", ec);
        if (ec) {
            std::cerr << "sessionsim sweep: cannot create the output folder " << (out / "runs").string() << ": "
                      << ec.message() << '\n';
            return EXIT_ENVIRONMENT;
        }
    }

    // Run: at most `jobs` children at a time, in plan order; reap whichever finishes.
    const auto sweep_start = std::chrono::steady_clock::now();
    std::vector<RunRecord> records(plan.size());
    std::vector<std::chrono::steady_clock::time_point> started(plan.size());
    std::map<pid_t, std::size_t> running;
    std::size_t next = 0, finished = 0, failed = 0;
    bool environment_error = false;
    for (;;) {
        while (!environment_error && next < plan.size() && running.size() < jobs) {
            const PlannedRun& run = plan[next];
            records[next].seed = run.seed;
            records[next].dir = run.dir;
            const std::filesystem::path dir = out / run.dir;
            try {
                std::error_code ec;
                std::filesystem::remove_all(dir, ec);  // a run folder shows this run only
                std::filesystem::create_directories(dir, ec);
                if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
                const pid_t pid =
                    spawn_process("/proc/self/exe", false, run.argv, (dir / SWEEP_RUN_LOG).string(), true);
                running.emplace(pid, next);
                started[next] = std::chrono::steady_clock::now();
            } catch (const std::runtime_error& e) {
                std::cerr << "sessionsim sweep: point " << run.point << " seed " << run.seed << ": " << e.what()
                          << '\n';
                records[next].status = "failed: not started";
                environment_error = true;
            }
            ++next;
        }
        if (running.empty()) break;
        int status = 0;
        const pid_t pid = wait_child(-1, status);
        if (pid < 0) {
            std::cerr << "sessionsim sweep: waitpid: " << std::strerror(errno) << '\n';
            return EXIT_ENVIRONMENT;
        }
        const auto it = running.find(pid);
        if (it == running.end()) continue;
        const std::size_t index = it->second;
        running.erase(it);
        ++finished;
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started[index]).count();
        RunRecord& record = records[index];
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            record.summary = read_summary(out / record.dir / "summary.json");
            record.status = record.summary.is_object() ? "ok" : "failed: no readable summary.json";
        } else {
            record.status = describe_exit(status);
        }
        if (!record.ok()) {
            ++failed;
            record.summary = nullptr;
        }
        char line[256];
        std::snprintf(line, sizeof line, "[%zu/%zu] point %zu seed %llu: %s (%.1f s)", finished, plan.size(),
                      plan[index].point, static_cast<unsigned long long>(record.seed),
                      record.ok() ? "ok" : record.status.c_str(), seconds);
        std::cerr << line;
        if (!record.ok()) std::cerr << "; log: " << (out / record.dir / SWEEP_RUN_LOG).string();
        std::cerr << std::endl;
    }
    if (environment_error) {
        std::cerr << "sessionsim sweep: stopped: a run could not be started (nothing aggregated)\n";
        return EXIT_ENVIRONMENT;
    }
    const double wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sweep_start).count();

    // Aggregate and write.
    std::vector<PointResult> results(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) results[i].parameters = points[i];
    for (std::size_t r = 0; r < plan.size(); ++r) results[plan[r].point].runs.push_back(records[r]);
    for (auto& point : results) point.figures = aggregate_point(point.runs);
    SweepHeader header;
    header.scenario = base.name;
    header.file = file;
    header.hash = base.source_hash;
    header.overrides = overrides;
    header.grid = grid;
    header.seeds = seeds;
    try {
        write_file(out / "sweep.json", sweep_json(header, results).dump(2) + "\n");
        write_file(out / "sweep.csv", sweep_csv(grid, results));
    } catch (const std::runtime_error& e) {
        std::cerr << "sessionsim sweep: " << e.what() << '\n';
        return EXIT_ENVIRONMENT;
    }
    char line[256];
    std::snprintf(line, sizeof line,
                  "sweep: %s, %zu point%s x %llu seed%s = %zu runs, %llu at a time, in %.1f s: %zu ok, %zu failed\n",
                  base.name.c_str(), points.size(), points.size() == 1 ? "" : "s",
                  static_cast<unsigned long long>(seed_count), seed_count == 1 ? "" : "s", plan.size(),
                  static_cast<unsigned long long>(jobs), wall_seconds, plan.size() - failed, failed);
    std::cout << line;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& f = results[i].figures;
        std::cout << "  " << point_label(i, results.size()) << ' ' << describe_point(points[i])
                  << ": delivery_ratio " << short_figure(f, "delivery_ratio") << ", e2e p50 "
                  << short_figure(f, "e2e_latency_ms.p50") << " ms, onion p50 "
                  << short_figure(f, "onion_latency_ms.p50") << " ms\n";
    }
    std::cout << "outputs:  " << out.string() << "/ (sweep.json, sweep.csv, runs/)\n";
    if (failed > 0) {
        std::cerr << "sessionsim sweep: " << failed << (failed == 1 ? " run" : " runs")
                  << " failed (left out of the figures, listed in sweep.json):\n";
        for (const auto& record : records) {
            if (!record.ok()) {
                std::cerr << "  " << record.dir << ": " << record.status << "; log: "
                          << (out / record.dir / SWEEP_RUN_LOG).string() << '\n';
            }
        }
    }
    int exit_code = failed > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
    if (args.flag("report") || base.outputs.report) {
        // Debian's python3 (with python3-matplotlib) rather than another one first on PATH.
        const bool debian = std::filesystem::exists("/usr/bin/python3");
        const std::string python = debian ? "/usr/bin/python3" : "python3";
        int status = -1;
        try {
            const pid_t pid = spawn_process(python, !debian, {python, SESSIONSIM_SWEEP_REPORT_SCRIPT, out.string()},
                                            "/dev/null", false);
            if (wait_child(pid, status) < 0) status = -1;
        } catch (const std::runtime_error& e) {
            std::cerr << "sessionsim sweep: " << e.what() << '\n';
        }
        if (!(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            std::cerr << "sessionsim sweep: the report generator failed (" << python << " "
                      << SESSIONSIM_SWEEP_REPORT_SCRIPT << " " << out.string() << ")\n";
            return failed > 0 ? EXIT_CHECK_FAILED : EXIT_ENVIRONMENT;
        }
        std::cout << "report:   " << (out / "sweep_report.md").string() << '\n';
    }
    return exit_code;
}

}  // namespace sessionsim::app
