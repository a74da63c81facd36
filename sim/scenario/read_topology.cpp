#include "sim/scenario/section_readers.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

namespace sessionsim::scenario::reader {
namespace {

/// The problem of a region the topology does not have, with a suggestion.
std::string unknown_region(const net::Topology& topology, const std::string& name) {
    std::vector<std::string> names;
    for (std::uint32_t i = 0; i < topology.region_count(); ++i) names.push_back(topology.name(net::RegionId{i}));
    const std::string s = did_you_mean(name, names);
    return "expected a region of the topology (" + join(names) + "), got '" + name + "'" +
           (s.empty() ? "" : " (did you mean '" + s + "'?)");
}

}  // namespace

std::optional<net::Topology> read_topology(Loader& l, const Val& v, TopologySpec& out) {
    const std::string expected = "'world' or the path of a GraphML file (relative to the scenario)";
    if (!v.present) return net::Topology::world();
    const auto text = scalar(l, v, expected);
    if (!text) return std::nullopt;
    if (*text == "world") {
        out.builtin_world = true;
        return net::Topology::world();
    }
    std::filesystem::path path(*text);
    if (path.is_relative()) path = l.base_dir() / path;
    std::error_code ec;
    if (text->empty() || !std::filesystem::is_regular_file(path, ec)) {
        l.fail(v, "expected " + expected + ", got " + got(v.node) + " (no such file)");
        return std::nullopt;
    }
    out.builtin_world = false;
    out.graphml = path;
    try {
        return net::Topology::from_graphml(path);
    } catch (const net::TopologyError& e) {
        l.fail(v, "expected a valid GraphML topology, got " + got(v.node) + ": " + e.what());
        return std::nullopt;
    }
}

void read_regions(Loader& l, const Val& v, RegionWeights& out, const std::optional<net::Topology>& topology) {
    const std::string expected = "'all' or a mapping of region name to weight";
    std::vector<std::pair<std::string, double>> weights;
    bool any = false;
    auto check_region = [&](const std::string& name, const Loc& loc, const std::string& path) {
        if (topology && !topology->find(name)) l.add(loc, path, unknown_region(*topology, name));
    };
    auto add_weight = [&](const std::string& name, const Val& wv) {
        double w = -1;
        read_real(l, wv, w, 0, true, INF, false);
        if (w > 0) {
            auto it = std::find_if(weights.begin(), weights.end(), [&](const auto& p) { return p.first == name; });
            if (it == weights.end()) weights.emplace_back(name, w);
            else it->second = w;
        }
        any = true;
    };
    if (v.present) {
        if (v.node.IsScalar() && v.node.Scalar() == "all") {
            out.all = true;
        } else if (v.node.IsMap()) {
            Map m(l, v);
            for (const auto& e : m.entries()) {
                const Val wv = m.get(e.key);
                check_region(e.key, v.loc.override_index >= 0 ? v.loc : e.key_loc, wv.path);
                add_weight(e.key, wv);
            }
            if (m.entries().empty()) l.fail(v, "expected " + expected + ", got an empty mapping");
        } else {
            l.fail(v, "expected " + expected + ", got " + got(v.node));
        }
    }
    // --set population.regions.<name>=<weight>
    const std::string prefix = v.path + ".";
    for (std::size_t i = 0; i < l.overrides().size(); ++i) {
        Override& o = l.overrides()[i];
        // (one that replaces a weight the file has was read with the file's entries)
        if (!o.usable || o.consumed || o.key.rfind(prefix, 0) != 0) continue;
        const std::string name = o.key.substr(prefix.size());
        if (name.find('.') != std::string::npos) continue;
        o.consumed = true;
        const Loc loc{0, 0, static_cast<int>(i)};
        check_region(name, loc, o.key);
        add_weight(name, Val{o.key, o.value, true, loc});
    }
    if (any) {
        out.all = false;
        out.weights = std::move(weights);
    }
}

void read_region_name(Loader& l, const Val& v, std::string& out, const std::optional<net::Topology>& topology) {
    const auto text = scalar(l, v, "a region name");
    if (!text) return;
    if (topology && !topology->find(*text)) {
        l.fail(v, unknown_region(*topology, *text));
        return;
    }
    out = *text;
}

}  // namespace sessionsim::scenario::reader
