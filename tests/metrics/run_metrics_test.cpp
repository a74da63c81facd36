#include "sim/metrics/run_metrics.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sessionsim::metrics {
namespace {

TEST(RunMetrics, CountersSamplesAndSeriesWriteDeterministicCsv) {
    RunMetrics m(seconds(60));
    m.add(metrics::MetricName{"sent"});
    m.add(metrics::MetricName{"sent"}, 2);
    EXPECT_EQ(m.counter(metrics::MetricName{"sent"}), 3u);
    EXPECT_EQ(m.counter(metrics::MetricName{"never"}), 0u);
    m.sample(metrics::MetricName{"latency"}, 12.5);
    m.sample(metrics::MetricName{"latency"}, 7);
    EXPECT_EQ(m.samples(metrics::MetricName{"latency"}).size(), 2u);
    m.series(metrics::MetricName{"delivered"}, SIM_EPOCH + seconds(30));
    m.series(metrics::MetricName{"delivered"}, SIM_EPOCH + seconds(59));
    m.series(metrics::MetricName{"delivered"}, SIM_EPOCH + seconds(61));
    m.series(metrics::MetricName{"bytes"}, SIM_EPOCH + seconds(125), 500);
    m.gauge(metrics::MetricName{"level"}, SIM_EPOCH + seconds(10), 4);
    m.gauge(metrics::MetricName{"level"}, SIM_EPOCH + seconds(50), 6);  // same bucket: replaces
    const auto dir = std::filesystem::temp_directory_path() / "sessionsim_metrics_test";
    std::filesystem::create_directories(dir);
    m.write_series_csv(dir / "series.csv", SIM_EPOCH + seconds(180));
    m.write_samples_csv(dir / "samples.csv");
    auto read = [](const std::filesystem::path& p) {
        std::ifstream in(p);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    };
    EXPECT_EQ(read(dir / "series.csv"), "bucket_start_s,bytes,delivered,level\n0,0,2,6\n60,0,1,0\n120,500,0,0\n180,0,0,0\n");
    EXPECT_EQ(read(dir / "samples.csv"), "name,value\nlatency,12.5\nlatency,7\n");
    EXPECT_THROW(m.write_samples_csv("/nonexistent/dir/x.csv"), std::runtime_error);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sessionsim::metrics
