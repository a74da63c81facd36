#include "sim/scenario/section_readers.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "sim/world/world_summary.hpp"

namespace sessionsim::scenario::reader {
namespace {

/// An adversary's `name:`: a lower-case word that is not a key of the world's own summary.
bool valid_adversary_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || !(name[0] >= 'a' && name[0] <= 'z')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace

/// Every kind a scenario can name (sim/adversary/<kind>/; built in sim/scenario/adversary_kinds.cpp).
const std::vector<AdversaryKind>& adversary_kinds() {
    static const std::vector<AdversaryKind> kinds{
        {"churn", "churn",
         [](Loader& l, Map& m, const Val&, const ScenarioSpec& spec, const std::optional<net::Topology>&) {
             adversary::ChurnConfig c;
             read_churn(l, m, c, spec.service_nodes.count);
             return AdversaryConfig(std::move(c));
         }},
        {"spam", "spam",
         [](Loader& l, Map& m, const Val&, const ScenarioSpec&, const std::optional<net::Topology>&) {
             adversary::SpamConfig c;
             read_spam(l, m, c);
             return AdversaryConfig(std::move(c));
         }},
        {"compromised_nodes", "compromised",
         [](Loader& l, Map& m, const Val& item, const ScenarioSpec& spec, const std::optional<net::Topology>&) {
             adversary::CompromisedNodesConfig c;
             read_compromised(l, m, c, item, spec.crypto);
             return AdversaryConfig(std::move(c));
         }},
        {"link_observer", "link_observer",
         [](Loader& l, Map& m, const Val& item, const ScenarioSpec&, const std::optional<net::Topology>& topology) {
             adversary::LinkObserverConfig c;
             read_link_observer(l, m, c, item, topology);
             return AdversaryConfig(std::move(c));
         }},
    };
    return kinds;
}

void read_adversaries(Loader& l, const Val& v, ScenarioSpec& spec, const std::optional<net::Topology>& topology) {
    std::string types;
    std::vector<std::string> type_names;
    for (const auto& kind : adversary_kinds()) {
        types += (types.empty() ? "" : ", ") + std::string(kind.type);
        type_names.emplace_back(kind.type);
    }
    std::map<std::string, std::size_t> of_kind;  // adversaries so far by summary key
    std::set<std::string> names;
    for (const Val& item : sequence_items(l, v, "a list of adversaries ({type: churn, ...}, {type: spam, ...})")) {
        if (!item.node.IsMap()) {
            l.fail(item, "expected a mapping with a 'type' (" + types + "), got " + got(item.node));
            continue;
        }
        Map m(l, item);
        const Val tv = m.get("type");
        if (!required(l, tv, "an adversary type (" + types + ")")) continue;
        const auto type = scalar(l, tv, "an adversary type (" + types + ")");
        if (!type) continue;
        const auto& kinds = adversary_kinds();
        const auto kind = std::find_if(kinds.begin(), kinds.end(), [&](const AdversaryKind& k) { return *type == k.type; });
        if (kind == kinds.end()) {
            const std::string s = did_you_mean(*type, type_names);
            l.fail(tv, "expected an adversary type (" + types + "), got '" + *type + "'" +
                           (s.empty() ? "" : " (did you mean '" + s + "'?)"));
            continue;
        }
        const std::size_t nth = ++of_kind[kind->summary_key];
        if (*type == "churn" && nth > 1) {
            // Churn drives every service node's up and down periods: two would fight over them.
            l.fail(tv, "expected at most one churn adversary (it drives every service node's up and down periods), got a second one");
            continue;
        }
        AdversarySpec a{nth == 1 ? std::string(kind->summary_key) : std::string(kind->summary_key) + "_" + std::to_string(nth),
                        kind->read(l, m, item, spec, topology)};
        if (const Val nv = m.get("name"); nv.present) {
            if (const auto name = scalar(l, nv, "a lower-case name (letters, digits, _)")) {
                if (!valid_adversary_name(*name)) {
                    l.fail(nv, "expected a lower-case name (a letter, then letters, digits or _), got '" + *name + "'");
                } else if (world::is_world_summary_key(*name)) {
                    l.fail(nv, "expected a name that is not a key of the world's summary, got '" + *name + "'");
                } else {
                    a.name = *name;
                }
            }
        }
        if (!names.insert(a.name).second) {
            l.fail(m.get("name").present ? m.get("name") : tv,
                   "expected a name no other adversary has, got '" + a.name + "' twice (give each a distinct name:)");
            continue;
        }
        spec.adversaries.push_back(std::move(a));
    }
}

}  // namespace sessionsim::scenario::reader
