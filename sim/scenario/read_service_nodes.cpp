#include "sim/scenario/section_readers.hpp"

namespace sessionsim::scenario::reader {

void read_service_nodes(Loader& l, const Val& v, ServiceNodesSpec& out, const std::optional<net::Topology>& topology) {
    if (!required(l, v, "a mapping with at least 'count'")) return;
    Map m(l, v);
    m.check_keys({"count", "regions", "link", "cpu"});
    if (const Val c = m.get("count"); required(l, c, "a whole number >= 1")) {
        read_u64(l, c, out.count, 1, UINT64_MAX);
    }
    read_regions(l, m.get("regions"), out.regions, topology);
    read_link(l, m.get("link"), out.link);
    read_cpu(l, m.get("cpu"), out.cpu);
}

}  // namespace sessionsim::scenario::reader
