#include "sim/scenario/section_readers.hpp"

#include <string_view>

namespace sessionsim::scenario::reader {
namespace {

/// `sessions:`: 'always', or the online and offline period distributions.
void read_sessions(Loader& l, const Val& v, SessionSpec& out) {
    if (!v.present) return;
    if (v.node.IsScalar() && v.node.Scalar() == "always") {
        out.always_online = true;
        return;
    }
    if (!v.node.IsMap()) {
        l.fail(v, "expected 'always' or a mapping with 'online' and 'offline' period distributions, got " +
                      got(v.node));
        return;
    }
    Map m(l, v);
    m.check_keys({"online", "offline"});
    out.always_online = false;
    for (const char* key : {"online", "offline"}) {
        const Val pv = m.get(key);
        if (!required(l, pv, "a duration distribution")) continue;
        Distribution& d = std::string_view(key) == "online" ? out.online : out.offline;
        const std::size_t before = l.problem_count();
        read_distribution(l, pv, d, Distribution::Unit::milliseconds);
        if (l.problem_count() == before && !(d.mean() > 0)) {
            l.fail(pv, "expected a period distribution with a mean > 0, got " + got(pv.node));
        }
    }
}

}  // namespace

void read_clients(Loader& l, const Val& v, ClientsSpec& out, const std::optional<net::Topology>& topology) {
    if (!required(l, v, "a mapping with at least 'count'")) return;
    Map m(l, v);
    m.check_keys({"count", "regions", "link", "profile", "paths", "poll_interval", "sessions"});
    if (const Val cv = m.get("count"); required(l, cv, "a whole number >= 1")) read_u64(l, cv, out.count, 1, UINT64_MAX);
    read_regions(l, m.get("regions"), out.regions, topology);
    out.link.up_bps = 20e6;
    out.link.down_bps = 50e6;
    out.link.access_delay = milliseconds(10);
    read_link(l, m.get("link"), out.link);
    read_enum(l, m.get("profile"), out.profile,
              {{"desktop", ClientProfile::desktop}, {"android", ClientProfile::android}});
    std::uint64_t paths = 2;
    read_u64(l, m.get("paths"), paths, 2, 3);
    out.paths = static_cast<int>(paths);
    read_duration(l, m.get("poll_interval"), out.poll_interval, false);
    read_sessions(l, m.get("sessions"), out.sessions);
}

}  // namespace sessionsim::scenario::reader
