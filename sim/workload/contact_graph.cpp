#include "sim/workload/contact_graph.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <cmath>
#include <map>

namespace sessionsim::workload {

ContactGraph ContactGraph::generate(std::size_t users, const Distribution& degree, RandomStream& rng) {
    const DistributionSampler sampler(degree, users);
    std::vector<std::uint32_t> stubs;
    for (std::uint32_t u = 0; u < users; ++u) {
        const double d = std::llround(sampler.sample(rng));
        const auto k = static_cast<std::size_t>(std::clamp(d, 0.0, static_cast<double>(users > 0 ? users - 1 : 0)));
        stubs.insert(stubs.end(), k, u);
    }
    if (stubs.size() % 2 == 1) stubs.pop_back();
    shuffle(stubs, rng);
    ContactGraph g;
    g.contacts_.resize(users);
    for (std::size_t i = 0; i + 1 < stubs.size(); i += 2) {
        const std::uint32_t a = stubs[i], b = stubs[i + 1];
        if (a == b) continue;
        g.contacts_[a].push_back(b);
        g.contacts_[b].push_back(a);
    }
    for (auto& list : g.contacts_) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
        g.edges_ += list.size();
    }
    g.edges_ /= 2;
    return g;
}

double ContactGraph::mean_degree() const noexcept {
    return contacts_.empty() ? 0.0 : 2.0 * static_cast<double>(edges_) / static_cast<double>(contacts_.size());
}

bool ContactGraph::connected(std::uint32_t a, std::uint32_t b) const {
    const auto& list = contacts_.at(a);
    return std::binary_search(list.begin(), list.end(), b);
}

std::size_t ContactGraph::largest_component() const {
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
    Graph g(contacts_.size());
    for (std::uint32_t a = 0; a < contacts_.size(); ++a) {
        for (std::uint32_t b : contacts_[a]) {
            if (a < b) boost::add_edge(a, b, g);
        }
    }
    std::vector<int> component(contacts_.size());
    const int n = contacts_.empty() ? 0 : boost::connected_components(g, component.data());
    std::vector<std::size_t> sizes(static_cast<std::size_t>(n), 0);
    for (int c : component) ++sizes[static_cast<std::size_t>(c)];
    return sizes.empty() ? 0 : *std::max_element(sizes.begin(), sizes.end());
}

}  // namespace sessionsim::workload
