#include "sim/scenario/section_readers.hpp"

namespace sessionsim::scenario::reader {

/// A link observer (sim/adversary/link_observer/link_tap.hpp): tapped regions (a name or a list), links
/// ([[a, b], ...]) and client access links; at least one tap.
void read_link_observer(Loader& l, Map& m, adversary::LinkObserverConfig& out, const Val& item,
                        const std::optional<net::Topology>& topology) {
    m.check_keys({"type", "name", "regions", "transit", "links", "client_access_share", "window", "layers_bytes"});
    if (const Val v = m.get("regions"); v.present) {
        if (v.node.IsScalar()) {
            read_region_name(l, v, out.regions.emplace_back(), topology);
        } else {
            for (const Val& r : sequence_items(l, v, "a region name or a list of region names")) {
                std::string name;
                read_region_name(l, r, name, topology);
                if (!name.empty()) out.regions.push_back(name);
            }
        }
    }
    read_bool(l, m.get("transit"), out.transit);
    for (const Val& link : sequence_items(l, m.get("links"), "a list of region pairs like [[na-east, eu-west]]")) {
        if (!link.node.IsSequence() || link.node.size() != 2) {
            l.fail(link, "expected a pair of region names like [na-east, eu-west], got " + got(link.node));
            continue;
        }
        auto ends = sequence_items(l, link, "a pair of region names");
        std::string a, b;
        read_region_name(l, ends[0], a, topology);
        read_region_name(l, ends[1], b, topology);
        if (!a.empty() && !b.empty()) out.links.emplace_back(a, b);
    }
    read_real(l, m.get("client_access_share"), out.client_access_share, 0, false, 1, false);
    read_duration(l, m.get("window"), out.window, false, hours(1));
    if (const Val v = m.get("layers_bytes"); v.present) {
        const auto pair = sequence_items(l, v, "a pair [min, max] of byte counts");
        std::uint64_t lo = 0, hi = 0;
        if (v.node.IsSequence() && pair.size() != 2) {
            l.fail(v, "expected a pair [min, max] of byte counts, got " + got(v.node));
        } else if (pair.size() == 2) {
            read_u64(l, pair[0], lo, 0, 1'000'000);
            read_u64(l, pair[1], hi, 0, 1'000'000);
            if (lo > hi) l.fail(v, "expected min <= max, got [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
            out.layers_given = true;
            out.layers_min_bytes = static_cast<std::int64_t>(lo);
            out.layers_max_bytes = static_cast<std::int64_t>(hi);
        }
    }
    // (a region or link that did not read has its own problem already)
    if (!m.get("regions").present && !m.get("links").present && out.client_access_share == 0.0) {
        l.fail(item, "expected at least one tap: regions, links or client_access_share > 0");
    }
}

}  // namespace sessionsim::scenario::reader
