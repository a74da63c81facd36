#include "sim/scenario/section_readers.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/session/node/client/profile.hpp"

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

/// A profile name (client/profile.hpp) to its canonical name; a problem, with a suggestion, when
/// it names none. Old aliases (desktop, android) are accepted (PROFILES.md "Aliases").
std::optional<std::string> profile_name(Loader& l, const Val& v, const std::string& name) {
    const auto found = sessionproto::find_client_profile(name);
    if (found.profile != nullptr) return std::string(found.profile->name);
    const auto names = sessionproto::client_profile_names();
    std::string message = "expected a client profile (" + join(names) + "), got '" + name + "'";
    if (const auto guess = did_you_mean(name, names); !guess.empty()) message.append(" (did you mean '" + guess + "'?)");
    l.fail(v, std::move(message));
    return std::nullopt;
}

/// `profile: NAME` or `profiles: {NAME: share, ...}` (not both).
void read_profiles(Loader& l, Val one, Val mix, ClientsSpec& out) {
    if (one.present && mix.present) {
        // A --set of one replaces the file's other; both in the file (or both set) is an error.
        const bool one_set = one.loc.override_index >= 0, mix_set = mix.loc.override_index >= 0;
        if (one_set == mix_set) {
            l.fail(mix, "expected either 'profile' or 'profiles', not both");
            return;
        }
        (one_set ? mix : one).present = false;
    }
    if (one.present) {
        if (const auto text = scalar(l, one, "a client profile name")) {
            if (auto name = profile_name(l, one, *text)) out.profiles = {{std::move(*name), 1.0}};
        }
        return;
    }
    if (!mix.present) return;
    if (!mix.node.IsMap()) {
        l.fail(mix, "expected a mapping of client profile name to share, got " + got(mix.node));
        return;
    }
    Map m(l, mix);
    std::vector<world::ProfileShare> shares;
    for (const auto& e : m.entries()) {
        const Val wv = m.get(e.key);
        auto name = profile_name(l, Val{wv.path, wv.node, true, e.key_loc}, e.key);
        double w = -1;
        read_real(l, wv, w, 0, false, INF, false);
        if (!name || w < 0) continue;
        const auto same = std::find_if(shares.begin(), shares.end(), [&](const auto& s) { return s.name == *name; });
        if (same != shares.end()) {
            l.fail(wv, "expected each profile once, got '" + *name + "' again (an alias counts as its profile)");
            continue;
        }
        if (w > 0) shares.push_back({std::move(*name), w});
    }
    if (m.entries().empty() || (shares.empty() && l.ok())) {
        l.fail(mix, "expected at least one profile with a share > 0");
        return;
    }
    if (!shares.empty()) out.profiles = std::move(shares);
}

}  // namespace

void read_clients(Loader& l, const Val& v, ClientsSpec& out, const std::optional<net::Topology>& topology) {
    if (!required(l, v, "a mapping with at least 'count'")) return;
    Map m(l, v);
    m.check_keys({"count", "regions", "link", "profile", "profiles", "paths", "poll_interval", "sessions", "arrival"});
    if (const Val cv = m.get("count"); required(l, cv, "a whole number >= 1")) read_u64(l, cv, out.count, 1, UINT64_MAX);
    read_regions(l, m.get("regions"), out.regions, topology);
    out.link.up_bps = 20e6;
    out.link.down_bps = 50e6;
    out.link.access_delay = milliseconds(10);
    read_link(l, m.get("link"), out.link);
    read_profiles(l, m.get("profile"), m.get("profiles"), out);
    if (const Val pv = m.get("paths"); pv.present) {
        std::uint64_t paths = 0;
        read_u64(l, pv, paths, 2, 3);
        if (paths != 0) out.paths = static_cast<int>(paths);
    }
    if (const Val iv = m.get("poll_interval"); iv.present) {
        SimDuration interval{};
        read_duration(l, iv, interval, false);
        if (interval > SimDuration::zero()) out.poll_interval = interval;
    }
    read_sessions(l, m.get("sessions"), out.sessions);
    if (const Val av = m.get("arrival"); av.present) {
        Distribution d;
        const std::size_t before = l.problem_count();
        read_distribution(l, av, d, Distribution::Unit::milliseconds);
        if (l.problem_count() == before) out.arrival = d;
    }
}

}  // namespace sessionsim::scenario::reader
