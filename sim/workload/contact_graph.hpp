#pragma once
// Who may message whom: an undirected contact graph over the users (Boost.Graph), drawn by the
// configuration model: each user gets a target degree from the scenario's distribution (rounded,
// capped at users - 1), the degree "stubs" are paired uniformly at random, and self-loops and
// repeated pairs are dropped (so realised degrees can be slightly below their targets).
#include <cstdint>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"

namespace sessionsim::workload {

class ContactGraph {
  public:
    /// Throws std::invalid_argument for an invalid distribution.
    static ContactGraph generate(std::size_t users, const Distribution& degree, RandomStream& rng);

    std::size_t users() const noexcept { return contacts_.size(); }
    /// The contacts of `user`, ascending.
    const std::vector<std::uint32_t>& contacts(std::uint32_t user) const { return contacts_.at(user); }
    std::size_t edge_count() const noexcept { return edges_; }
    double mean_degree() const noexcept;
    bool connected(std::uint32_t a, std::uint32_t b) const;
    /// Users in the largest connected component (Boost.Graph connected_components).
    std::size_t largest_component() const;

  private:
    std::vector<std::vector<std::uint32_t>> contacts_;
    std::size_t edges_ = 0;
};

}  // namespace sessionsim::workload
