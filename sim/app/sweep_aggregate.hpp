#pragma once
// The pure part of `sessionsim sweep`: the grid (parsing `--grid key=v1,v2,...`, the cartesian
// product), the aggregation of the runs' summary.json files into per-point figures with 95%
// intervals, and the bytes of sweep.json and sweep.csv. No processes, no files: unit-testable.
//
// Which interval each figure gets (the `method` of a figure; scenarios/README.md, "What a sweep
// writes"):
//   t             every numeric leaf of summary.json: the mean over the point's runs with a
//                 Student-t interval, mean +- t_{0.975, n-1} sd / sqrt n (stats::mean_interval),
//                 sd the unbiased sample standard deviation. Treats runs as the independent samples.
//   t_clamped     the same, clamped to [0, 1], for the proportions delivery_ratio,
//                 onion_failure_rate, replication_coverage and storage_dead_share.
//   wilson_pooled two extra figures, `delivery_ratio.pooled` (sum messages_delivered / sum
//                 messages_sent) and `onion_failure_rate.pooled` (sum failures / sum (round trips +
//                 failures)), with a Wilson score interval (stats::wilson_interval) on the
//                 pooled counts. It treats every message (onion request) of every run as one
//                 independent trial, so it is narrower than the t interval, which also carries
//                 the run-to-run variation. summary.json has no onion failure count: it is derived
//                 exactly from onion_failure_rate and onion_latency_ms.count (the round trips),
//                 see derive_onion_failures. replication_coverage has no counts: t_clamped only.
//   none          a point with a single run: the mean is that run's value; no sd, no interval.
// Not aggregated: `fingerprint`, and `crypto.*` (the mode, the configured fraction, and the counts
// of flows run with real or modelled crypto: bookkeeping of the sampling, not of the network).
// Wall-clock figures (perf.json) are never read.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace sessionsim::app {

/// The confidence of every interval: Student t at 0.975 with n - 1 degrees of freedom, Wilson
/// with z = Phi^-1(0.975) = 1.959963984540054.
inline constexpr double SWEEP_CONFIDENCE = 0.95;

/// Each run's stdout and stderr, in its run folder.
inline constexpr const char* SWEEP_RUN_LOG = "run.log";

/// One `--grid key.path=v1,v2,...`: the dotted key and its values, in the order given.
struct GridAxis {
    std::string key;
    std::vector<std::string> values;
};

/// Parses `key.path=v1,v2,...`. Values are split at commas outside brackets, braces and quotes, so
/// a YAML flow value stays whole: `crypto={mode: real},{mode: sampled, fraction: 0.1}`.
/// Errors: std::invalid_argument (a usage error) when there is no '=', the key is empty or is
/// `seed` (seeds come from --seeds), a value is empty, a value repeats, or brackets do not close.
GridAxis parse_grid_option(std::string_view text);

/// One grid point: (key, value) for each axis, in axis order.
using GridPoint = std::vector<std::pair<std::string, std::string>>;

/// The cartesian product of the axes; the first axis varies slowest. No axes: one empty point.
std::vector<GridPoint> expand_grid(std::span<const GridAxis> axes);

/// The name of point `index` of `count` in run folders: "p" and the index, zero-padded to the
/// width of count - 1 ("p0".."p9", "p00".."p11"), so folder listings sort by point.
std::string point_label(std::size_t index, std::size_t count);

/// Every numeric leaf of a summary (booleans, strings and nulls are not numbers), nested keys
/// joined with '.': {"e2e_latency_ms": {"p50": 3.5}} -> {"e2e_latency_ms.p50": 3.5}. Array
/// elements are keyed by their index. Leaves that are not is_aggregated_figure are left out.
std::map<std::string, double> flatten_numeric(const nlohmann::json& summary);

/// False for `fingerprint` and `crypto.*` (see the top of this file).
bool is_aggregated_figure(std::string_view name);

/// True for the figures that are proportions in [0, 1] (their t interval is clamped).
bool is_proportion_figure(std::string_view name);

/// The onion failures behind onion_failure_rate = failures / (round trips + failures), with the
/// round trips from onion_latency_ms.count: failures = rate * trips / (1 - rate), rounded, and kept
/// only if it gives back exactly the stored rate. nullopt when the fields are missing, when the
/// rate is 1 (no round trips: any failure count fits), or when no whole count reproduces the rate.
std::optional<std::uint64_t> derive_onion_failures(const nlohmann::json& summary);

/// One figure of one point. Optional fields are null in sweep.json and empty in sweep.csv.
struct FigureStats {
    std::size_t n = 0;                    ///< runs that have the figure
    double mean = 0.0;                    ///< mean over those runs (pooled: successes / trials)
    std::optional<double> sd;             ///< unbiased sample sd; none for n < 2 or pooled
    std::optional<double> lo;             ///< 95% interval; none for n < 2
    std::optional<double> hi;
    std::string method;                   ///< t, t_clamped, wilson_pooled or none
    std::optional<std::uint64_t> successes;  ///< pooled figures only
    std::optional<std::uint64_t> trials;
};

/// Mean, sd and Student-t interval (clamped to [0, 1] when `clamp_to_unit`) of `values`, in the
/// order given. n = 1 gives method "none". Errors: std::invalid_argument if `values` is empty.
FigureStats t_figure(std::span<const double> values, bool clamp_to_unit);

/// Pooled proportion with its Wilson interval. Errors: std::invalid_argument if trials == 0 or
/// successes > trials.
FigureStats wilson_figure(std::uint64_t successes, std::uint64_t trials, std::size_t runs);

/// One run of a point: its seed, its folder relative to the sweep folder, its status ("ok" or
/// why it failed) and, when ok, its parsed summary.json.
struct RunRecord {
    std::uint64_t seed = 0;
    std::string dir;
    std::string status;
    nlohmann::json summary;  ///< null unless status == "ok"

    bool ok() const noexcept { return status == "ok"; }
};

/// Every figure of one point from its ok runs, taken in seed order whatever the order of `runs`
/// (so the floating-point sums, hence the bytes, do not depend on which run finished first).
std::map<std::string, FigureStats> aggregate_point(std::vector<RunRecord> runs);

/// One point of the sweep with its runs and figures.
struct PointResult {
    GridPoint parameters;
    std::vector<RunRecord> runs;
    std::map<std::string, FigureStats> figures;
};

/// What identifies a sweep in sweep.json.
struct SweepHeader {
    std::string scenario;                 ///< the scenario's name
    std::string file;                     ///< the scenario file as given
    std::string hash;                     ///< scenario hash of the file and the --set overrides
    std::vector<std::string> overrides;   ///< the --set overrides, in order
    std::vector<GridAxis> grid;
    std::vector<std::uint64_t> seeds;
};

/// {n, mean, sd, lo, hi, method[, successes, trials]}, in that order.
nlohmann::ordered_json figure_json(const FigureStats& figure);

/// sweep.json: the header, the interval methods, and per point (in point order) its index, label,
/// parameters (in grid order), runs (in seed order) and figures (by name); then the failed runs.
/// Keys in that fixed order. No wall-clock value, no run-order dependence.
nlohmann::ordered_json sweep_json(const SweepHeader& header, std::span<const PointResult> points);

/// sweep.csv: `point,<grid keys...>,figure,n,mean,lo,hi,method`, one row per point and figure, in
/// point order then figure name; cells quoted as RFC 4180 when they need it.
std::string sweep_csv(std::span<const GridAxis> grid, std::span<const PointResult> points);

/// The shortest decimal text that reads back as the same double ("12", "0.925", "1e-07").
std::string format_number(double value);

}  // namespace sessionsim::app
