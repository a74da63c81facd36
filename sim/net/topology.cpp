#include "sim/net/topology.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/graphml.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>

namespace sessionsim::net {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                    boost::property<boost::edge_weight_t, std::int64_t>>;

Graph build_graph(std::size_t vertices, const auto& edges) {
    Graph g(vertices);
    for (const auto& e : edges) boost::add_edge(e.a, e.b, e.latency_ns, g);
    return g;
}

}  // namespace

Topology::Topology(std::vector<RegionSpec> regions, const std::vector<LinkSpec>& links)
    : regions_(std::move(regions)) {
    if (regions_.empty()) throw TopologyError("topology: no regions");
    std::map<std::string, std::uint32_t, std::less<>> index;
    for (std::uint32_t i = 0; i < regions_.size(); ++i) {
        const auto& r = regions_[i];
        if (r.name.empty()) throw TopologyError("topology: region " + std::to_string(i) + " has no name");
        if (r.intra_latency.count() < 0) throw TopologyError("topology: region '" + r.name + "' has a negative intra-region latency");
        if (!index.emplace(r.name, i).second) throw TopologyError("topology: region '" + r.name + "' appears twice");
    }
    for (const auto& link : links) {
        const auto a = index.find(link.a);
        const auto b = index.find(link.b);
        if (a == index.end() || b == index.end()) {
            throw TopologyError("topology: link " + link.a + " -- " + link.b + " names an unknown region '" +
                                (a == index.end() ? link.a : link.b) + "'");
        }
        if (link.latency.count() < 0) {
            throw TopologyError("topology: link " + link.a + " -- " + link.b + " has a negative latency");
        }
        edges_.push_back(Edge{a->second, b->second, link.latency.count()});
    }
    const Graph g = build_graph(regions_.size(), edges_);
    std::vector<int> component(regions_.size());
    if (boost::connected_components(g, component.data()) > 1) {
        std::string unreachable;
        for (std::size_t i = 0; i < component.size(); ++i) {
            if (component[i] != component[0]) {
                unreachable += (unreachable.empty() ? "" : ", ") + regions_[i].name;
                if (unreachable.size() > 200) break;
            }
        }
        throw TopologyError("topology: not connected; no path from '" + regions_[0].name + "' to: " + unreachable);
    }
    rows_.resize(regions_.size());
}

std::optional<RegionId> Topology::find(std::string_view name) const noexcept {
    for (std::uint32_t i = 0; i < regions_.size(); ++i) {
        if (regions_[i].name == name) return RegionId{i};
    }
    return std::nullopt;
}

std::string Topology::names() const {
    std::string out;
    for (const auto& r : regions_) out += (out.empty() ? "" : ", ") + r.name;
    return out;
}

SimDuration Topology::latency(RegionId from, RegionId to) const {
    if (from.value >= regions_.size() || to.value >= regions_.size()) {
        throw TopologyError("topology: region id out of range");
    }
    if (from == to) return regions_[from.value].intra_latency;
    if (rows_[from.value].empty()) fill_row(from);
    return rows_[from.value][to.value];
}

std::vector<RegionId> Topology::route(RegionId from, RegionId to) const {
    if (from.value >= regions_.size() || to.value >= regions_.size()) {
        throw TopologyError("topology: region id out of range");
    }
    if (rows_[from.value].empty()) fill_row(from);
    const auto& parent = predecessors_[from.value];
    std::vector<RegionId> path{to};
    for (std::uint32_t at = to.value; at != from.value; at = parent[at]) path.push_back(RegionId{parent[at]});
    std::reverse(path.begin(), path.end());
    return path;
}

void Topology::fill_row(RegionId from) const {
    const Graph g = build_graph(regions_.size(), edges_);
    std::vector<std::int64_t> distance(regions_.size(), std::numeric_limits<std::int64_t>::max());
    std::vector<std::size_t> parent(regions_.size());
    boost::dijkstra_shortest_paths(g, boost::vertex(from.value, g),
                                   boost::distance_map(distance.data()).predecessor_map(parent.data()));
    auto& row = rows_[from.value];
    row.reserve(distance.size());
    for (std::int64_t d : distance) row.push_back(SimDuration{d});
    if (predecessors_.size() != regions_.size()) predecessors_.resize(regions_.size());
    predecessors_[from.value].assign(parent.begin(), parent.end());
}

Topology Topology::from_graphml(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw TopologyError("topology: cannot open GraphML file " + file.string());
    return from_graphml(in, file.string());
}

Topology Topology::from_graphml(std::istream& in, std::string_view source_name) {
    struct Vertex {
        std::string name;
        double intra_latency_ms = 0.0;
    };
    struct Link {
        double latency_ms = std::numeric_limits<double>::quiet_NaN();  // missing => error below
    };
    using GraphmlGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, Vertex, Link>;
    GraphmlGraph g;
    boost::dynamic_properties dp(boost::ignore_other_properties);
    dp.property("name", boost::get(&Vertex::name, g));
    dp.property("intra_latency_ms", boost::get(&Vertex::intra_latency_ms, g));
    dp.property("latency_ms", boost::get(&Link::latency_ms, g));
    const std::string where(source_name);
    try {
        boost::read_graphml(in, g, dp);
    } catch (const std::exception& e) {
        throw TopologyError(where + ": not a readable GraphML topology: " + e.what());
    }
    std::vector<RegionSpec> regions;
    for (std::size_t v = 0; v < boost::num_vertices(g); ++v) {
        const std::string& name = g[v].name;
        const double intra = g[v].intra_latency_ms;
        if (!std::isfinite(intra) || intra < 0) {
            throw TopologyError(where + ": vertex '" + name + "': intra_latency_ms must be a number >= 0");
        }
        if (name.empty()) {
            throw TopologyError(where + ": vertex " + std::to_string(v) + " has no 'name' attribute");
        }
        regions.push_back(RegionSpec{name, from_milliseconds(intra)});
    }
    std::vector<LinkSpec> links;
    for (auto [it, end] = boost::edges(g); it != end; ++it) {
        const auto a = boost::source(*it, g);
        const auto b = boost::target(*it, g);
        const double ms = g[*it].latency_ms;
        const std::string& an = g[a].name;
        const std::string& bn = g[b].name;
        if (std::isnan(ms)) throw TopologyError(where + ": edge " + an + " -- " + bn + " has no latency_ms attribute");
        if (!std::isfinite(ms) || ms < 0) {
            throw TopologyError(where + ": edge " + an + " -- " + bn + ": latency_ms must be a number >= 0");
        }
        links.push_back(LinkSpec{an, bn, from_milliseconds(ms)});
    }
    try {
        return Topology(std::move(regions), links);
    } catch (const TopologyError& e) {
        throw TopologyError(where + ": " + e.what());
    }
}

Topology Topology::world() {
    // Round-trip times in ms between 11 cities standing for their regions, rounded to 5 ms:
    // approximate medians from WonderNetwork's public global ping statistics
    // (https://wondernetwork.com/pings), a long-running all-pairs ping between city servers.
    // They give realistic magnitudes, not a measurement of any given day. One-way = RTT / 2.
    // Intra-region: 10 ms RTT between two hosts of one region.
    struct City {
        const char* region;
        const char* city;
    };
    static constexpr City CITIES[] = {
        {"na-east", "New York"},       {"na-west", "San Francisco"}, {"sa-east", "Sao Paulo"},
        {"eu-west", "London"},         {"eu-central", "Frankfurt"},  {"eu-east", "Moscow"},
        {"af-south", "Johannesburg"},  {"ap-south", "Mumbai"},       {"ap-southeast", "Singapore"},
        {"ap-northeast", "Tokyo"},     {"oceania", "Sydney"},
    };
    // Upper triangle, rows in the order above.
    static constexpr int RTT_MS[11][11] = {
        //  nae  naw  sae  euw  euc  eue  afs  aps  apse apne oce
        {0, 70, 120, 75, 90, 120, 230, 190, 235, 165, 205},   // na-east
        {0, 0, 175, 140, 150, 175, 290, 230, 175, 110, 145},  // na-west
        {0, 0, 0, 190, 200, 235, 340, 310, 330, 260, 315},    // sa-east
        {0, 0, 0, 0, 15, 55, 160, 115, 165, 215, 265},        // eu-west
        {0, 0, 0, 0, 0, 40, 165, 110, 160, 225, 280},         // eu-central
        {0, 0, 0, 0, 0, 0, 200, 150, 175, 250, 300},          // eu-east
        {0, 0, 0, 0, 0, 0, 0, 280, 265, 300, 285},            // af-south
        {0, 0, 0, 0, 0, 0, 0, 0, 60, 125, 150},               // ap-south
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 70, 95},                  // ap-southeast
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 110},                  // ap-northeast
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},                    // oceania
    };
    std::vector<RegionSpec> regions;
    for (const auto& c : CITIES) regions.push_back(RegionSpec{c.region, milliseconds(5)});
    std::vector<LinkSpec> links;
    for (std::size_t i = 0; i < 11; ++i) {
        for (std::size_t j = i + 1; j < 11; ++j) {
            links.push_back(LinkSpec{CITIES[i].region, CITIES[j].region, from_milliseconds(RTT_MS[i][j] / 2.0)});
        }
    }
    return Topology(std::move(regions), links);
}

}  // namespace sessionsim::net
