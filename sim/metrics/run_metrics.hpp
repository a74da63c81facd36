#pragma once
// What a run measures, as typed records kept in memory and written at the end:
//  - counters (named by a MetricName constant, e.g. world::metric::messages_sent);
//  - samples (named sets of values, e.g. "e2e_latency_ms"), summarised by nearest-rank
//    percentiles (stats::summarize, sim/stats/sample_statistics.hpp);
//  - time series (a value per fixed bucket of simulated time, e.g. deliveries per minute).
// All containers are ordered by name, so the JSON and CSV written are byte-identical for two
// runs with one seed.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/stats/sample_statistics.hpp"

namespace sessionsim::metrics {

/// A metric's name, declared once as a constant beside what measures it (sim/world/world_metrics.hpp,
/// an adversary's header): a misspelt name is a compile error, never a figure silently read as 0.
class MetricName {
  public:
    explicit constexpr MetricName(std::string_view name) noexcept : name_(name) {}
    constexpr std::string_view str() const noexcept { return name_; }

  private:
    std::string_view name_;
};

class RunMetrics {
  public:
    explicit RunMetrics(SimDuration bucket = minutes(1)) : bucket_(bucket) {}

    void add(MetricName counter, std::uint64_t n = 1) { counters_[std::string(counter.str())] += n; }
    void sample(MetricName name, double value) { samples_[std::string(name.str())].push_back(value); }
    /// Adds `value` to the bucket of `at` in the series `name` (a count per bucket).
    void series(MetricName name, SimTime at, double value = 1.0);
    /// Sets the bucket of `at` in the series `name` to `value` (a level: the last one wins).
    void gauge(MetricName name, SimTime at, double value);

    std::uint64_t counter(MetricName name) const;
    const std::vector<double>& samples(MetricName name) const;
    stats::SampleSummary summary(MetricName name) const { return stats::summarize(samples(name)); }
    SimDuration bucket() const noexcept { return bucket_; }

    /// Writes every series as CSV: `minute,<series...>` (one row per bucket from 0 to `end`).
    void write_series_csv(const std::filesystem::path& file, SimTime end) const;
    /// Writes every sample set as CSV: `name,value` rows, in name then insertion order.
    void write_samples_csv(const std::filesystem::path& file) const;

  private:
    SimDuration bucket_;
    std::map<std::string, std::uint64_t> counters_;
    std::map<std::string, std::vector<double>> samples_;
    std::map<std::string, std::map<std::int64_t, double>> series_;
};

}  // namespace sessionsim::metrics
