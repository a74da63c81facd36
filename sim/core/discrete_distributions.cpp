#include "sim/core/discrete_distributions.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace sessionsim {

WeightedChoice::WeightedChoice(std::span<const double> weights) {
    if (weights.empty()) throw std::invalid_argument("weighted choice: the list of weights is empty");
    cumulative_.reserve(weights.size());
    double total = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double w = weights[i];
        if (!std::isfinite(w) || w < 0.0) {
            throw std::invalid_argument("weighted choice: weight " + std::to_string(i) +
                                        " must be a finite number >= 0, got " + std::to_string(w));
        }
        total += w;
        cumulative_.push_back(total);
    }
    if (total <= 0.0) throw std::invalid_argument("weighted choice: all weights are zero");
}

std::size_t WeightedChoice::sample(RandomStream& rng) const noexcept {
    const double target = rng.uniform_real() * cumulative_.back();
    // First index whose cumulative weight exceeds the target: zero weights are never chosen.
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
    const auto i = static_cast<std::size_t>(it - cumulative_.begin());
    return i < cumulative_.size() ? i : cumulative_.size() - 1;
}

double WeightedChoice::probability(std::size_t i) const noexcept {
    if (i >= cumulative_.size()) return 0.0;
    const double below = i == 0 ? 0.0 : cumulative_[i - 1];
    return (cumulative_[i] - below) / cumulative_.back();
}

std::vector<double> ZipfDistribution::weights(std::size_t n, double s) {
    if (n == 0) throw std::invalid_argument("zipf: n must be at least 1");
    if (!std::isfinite(s) || s < 0.0) {
        throw std::invalid_argument("zipf: exponent s must be a finite number >= 0, got " + std::to_string(s));
    }
    std::vector<double> w(n);
    for (std::size_t k = 1; k <= n; ++k) w[k - 1] = std::pow(static_cast<double>(k), -s);
    return w;
}

ZipfDistribution::ZipfDistribution(std::size_t n, double s) : choice_(weights(n, s)) {}

}  // namespace sessionsim
