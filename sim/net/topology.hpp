#pragma once
// The Internet as a graph of regions (or autonomous systems) with link latencies, in Boost.Graph.
// The base one-way latency between two regions is the shortest path between them, computed once
// per source region on first use (Dijkstra) and cached; within one region it is the region's own
// intra-region latency.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/net/ids.hpp"

namespace sessionsim::net {

class TopologyError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct RegionSpec {
    std::string name;
    SimDuration intra_latency{};  ///< one-way latency between two hosts of this region
};

struct LinkSpec {
    std::string a;
    std::string b;
    SimDuration latency{};  ///< one-way
};

class Topology {
  public:
    /// Throws TopologyError on an empty or duplicate region name, a link naming an unknown region,
    /// a negative latency, or a graph that is not connected (some pair would have no path).
    Topology(std::vector<RegionSpec> regions, const std::vector<LinkSpec>& links);

    /// The built-in world map: 11 regions, links with round-trip times from public ping statistics.
    static Topology world();
    /// A GraphML file: vertex attribute `name` (string), edge attribute `latency_ms` (one-way,
    /// double), optional vertex attribute `intra_latency_ms` (double, default 0). Undirected.
    /// Throws TopologyError naming the file and the problem.
    static Topology from_graphml(const std::filesystem::path& file);
    static Topology from_graphml(std::istream& in, std::string_view source_name);

    std::size_t region_count() const noexcept { return regions_.size(); }
    const std::string& name(RegionId region) const { return regions_.at(region.value).name; }
    std::optional<RegionId> find(std::string_view name) const noexcept;
    /// The region names, comma-separated (for error messages).
    std::string names() const;

    /// One-way base latency between two regions: the shortest path, or the intra-region latency.
    SimDuration latency(RegionId from, RegionId to) const;
    /// The regions a datagram crosses from `from` to `to` along the shortest path, both ends
    /// included (one region when from == to). What an AS-level observer on a transit region sees.
    std::vector<RegionId> route(RegionId from, RegionId to) const;

  private:
    struct Edge {
        std::uint32_t a, b;
        std::int64_t latency_ns;
    };
    std::vector<RegionSpec> regions_;
    std::vector<Edge> edges_;
    mutable std::vector<std::vector<SimDuration>> rows_;  // rows_[from] filled on first use
    mutable std::vector<std::vector<std::uint32_t>> predecessors_;  // shortest-path tree per source
    void fill_row(RegionId from) const;
};

}  // namespace sessionsim::net
