#include "sim/stats/sample_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/stats/argument_error.hpp"

namespace sessionsim::stats {

double nearest_rank(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

SampleSummary summarize(std::vector<double> samples) {
    SampleSummary s;
    s.count = samples.size();
    if (samples.empty()) return s;
    std::sort(samples.begin(), samples.end());
    s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
    s.p50 = nearest_rank(samples, 0.50);
    s.p90 = nearest_rank(samples, 0.90);
    s.p99 = nearest_rank(samples, 0.99);
    s.max = samples.back();
    return s;
}

double empirical_quantile(std::span<const double> samples, double q) {
    if (samples.empty()) throw std::invalid_argument("empirical_quantile: samples must not be empty");
    if (!(q >= 0.0 && q <= 1.0)) detail::reject("empirical_quantile", "q must be in [0, 1]", q);
    std::vector<double> sorted(samples.begin(), samples.end());
    for (double x : sorted) {
        if (std::isnan(x)) detail::reject("empirical_quantile", "samples must not be NaN", x);
    }
    std::sort(sorted.begin(), sorted.end());
    // Hyndman & Fan type 7.
    const double h = (static_cast<double>(sorted.size()) - 1.0) * q;
    const auto below = static_cast<std::size_t>(std::floor(h));
    if (below + 1 >= sorted.size()) return sorted.back();
    return sorted[below] + (h - static_cast<double>(below)) * (sorted[below + 1] - sorted[below]);
}

MeanSd mean_and_sd(std::span<const double> samples) {
    if (samples.size() < 2) detail::reject("mean_and_sd", "needs at least 2 samples", static_cast<double>(samples.size()));
    double mean = 0.0;
    double m2 = 0.0;  // Welford
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const double delta = samples[i] - mean;
        mean += delta / static_cast<double>(i + 1);
        m2 += delta * (samples[i] - mean);
    }
    return {mean, std::sqrt(m2 / (static_cast<double>(samples.size()) - 1.0))};
}

}  // namespace sessionsim::stats
