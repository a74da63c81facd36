#include "sim/metrics/run_metrics.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace sessionsim::metrics {

void RunMetrics::series(MetricName name, SimTime at, double value) {
    series_[std::string(name.str())][to_nanoseconds(at) / bucket_.count()] += value;
}

void RunMetrics::gauge(MetricName name, SimTime at, double value) {
    series_[std::string(name.str())][to_nanoseconds(at) / bucket_.count()] = value;
}

std::uint64_t RunMetrics::counter(MetricName name) const {
    const auto it = counters_.find(std::string(name.str()));
    return it == counters_.end() ? 0 : it->second;
}

const std::vector<double>& RunMetrics::samples(MetricName name) const {
    static const std::vector<double> none;
    const auto it = samples_.find(std::string(name.str()));
    return it == samples_.end() ? none : it->second;
}

namespace {

std::string number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::ofstream open_for_writing(const std::filesystem::path& file) {
    std::ofstream out(file);
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return out;
}

}  // namespace

void RunMetrics::write_series_csv(const std::filesystem::path& file, SimTime end) const {
    std::ofstream out = open_for_writing(file);
    out << "bucket_start_s";
    for (const auto& [name, values] : series_) out << ',' << name;
    out << '\n';
    const std::int64_t last = to_nanoseconds(end) / bucket_.count();
    for (std::int64_t b = 0; b <= last; ++b) {
        out << number(to_seconds(SimDuration{b * bucket_.count()}));
        for (const auto& [name, values] : series_) {
            const auto it = values.find(b);
            out << ',' << number(it == values.end() ? 0.0 : it->second);
        }
        out << '\n';
    }
}

void RunMetrics::write_samples_csv(const std::filesystem::path& file) const {
    std::ofstream out = open_for_writing(file);
    out << "name,value\n";
    for (const auto& [name, values] : samples_) {
        for (double v : values) out << name << ',' << number(v) << '\n';
    }
}

}  // namespace sessionsim::metrics
