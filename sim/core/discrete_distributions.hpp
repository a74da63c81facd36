#pragma once
// Discrete distributions built on RandomStream: Zipf, weighted choice, shuffle. Portable (ours).
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "sim/core/random.hpp"

namespace sessionsim {

/// Chooses index i with probability weights[i] / sum(weights), by binary search in the
/// cumulative table (O(log n) per draw, exact).
class WeightedChoice {
  public:
    /// Throws std::invalid_argument when the list is empty, a weight is negative or not finite,
    /// or every weight is zero.
    explicit WeightedChoice(std::span<const double> weights);

    std::size_t sample(RandomStream& rng) const noexcept;
    std::size_t size() const noexcept { return cumulative_.size(); }
    /// The probability of index i.
    double probability(std::size_t i) const noexcept;

  private:
    std::vector<double> cumulative_;
};

/// Zipf over ranks 1..n: P(k) proportional to 1 / k^s (s >= 0).
class ZipfDistribution {
  public:
    /// Throws std::invalid_argument when n == 0 or s is negative or not finite.
    ZipfDistribution(std::size_t n, double s);

    /// A rank in [1, n].
    std::size_t sample(RandomStream& rng) const noexcept { return choice_.sample(rng) + 1; }
    double probability(std::size_t rank) const noexcept { return choice_.probability(rank - 1); }
    std::size_t n() const noexcept { return choice_.size(); }

  private:
    static std::vector<double> weights(std::size_t n, double s);
    WeightedChoice choice_;
};

/// Fisher-Yates shuffle with our uniform_int: the same seed gives the same permutation everywhere.
template <class T>
void shuffle(std::span<T> items, RandomStream& rng) noexcept {
    for (std::size_t i = items.size(); i > 1; --i) {
        const std::size_t j = rng.index(i);
        std::swap(items[i - 1], items[j]);
    }
}
template <class T>
void shuffle(std::vector<T>& items, RandomStream& rng) noexcept {
    shuffle(std::span<T>(items), rng);
}

/// A uniform m-subset of 0..n−1 (m capped at n), in draw order: a partial Fisher-Yates shuffle,
/// m draws.
/// A partial Fisher-Yates shuffle: after it, items[0..m) (m capped at the size) are a uniform
/// draw without replacement from `items`, in draw order; one rng.index per position.
template <class T>
void partial_shuffle(std::vector<T>& items, std::size_t m, RandomStream& rng) {
    const std::size_t n = items.size();
    m = m < n ? m : n;
    for (std::size_t k = 0; k < m; ++k) std::swap(items[k], items[k + rng.index(n - k)]);
}

inline std::vector<std::size_t> sample_without_replacement(std::size_t n, std::size_t m, RandomStream& rng) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    partial_shuffle(order, m, rng);
    order.resize(m < n ? m : n);
    return order;
}

}  // namespace sessionsim
