#include "sim/scenario/yaml_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "sim/scenario/scenario_hash.hpp"
#include "sim/scenario/section_readers.hpp"

namespace sessionsim::scenario {
namespace {

using namespace reader;

void read_labels(Loader& l, const Val& v, std::vector<std::string>& out) {
    const std::string expected = "a list of lower-case words like [slow]";
    for (const Val& item : sequence_items(l, v, expected)) {
        const auto text = scalar(l, item, expected);
        if (!text) continue;
        const bool word = !text->empty() && std::all_of(text->begin(), text->end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        });
        if (!word) {
            l.fail(item, "expected a lower-case word (a-z, 0-9, '-', '_'), got '" + *text + "'");
            continue;
        }
        out.push_back(*text);
    }
}

ScenarioSpec load(std::string_view text, const std::string& display_name, const std::filesystem::path& base_dir,
                  const std::vector<std::string>& overrides) {
    Loader l(display_name, base_dir, overrides);
    ScenarioSpec spec;
    spec.source = display_name;
    spec.overrides = overrides;
    spec.source_hash = scenario_hash(text, overrides);

    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        Loc loc;
        if (!e.mark.is_null()) loc = {e.mark.line + 1, e.mark.column + 1, -1};
        l.add(loc, "", "expected valid YAML, got a syntax error: " + e.msg);
        throw ScenarioErrors(l.problems());
    }
    Val rv{"", root, !root.IsNull(), root.IsNull() ? Loc{} : loc_of(root)};
    if (rv.present && !root.IsMap()) {
        l.fail(rv, "expected a mapping of scenario keys (name, duration, service_nodes, ...), got " + got(root));
        throw ScenarioErrors(l.problems());
    }
    Map top(l, rv);
    top.check_keys({"name", "description", "labels", "seed", "duration", "epoch", "topology", "service_nodes", "clients",
                    "workload", "crypto", "outputs", "adversaries"});

    if (const Val v = top.get("name"); required(l, v, "text")) read_string(l, v, spec.name, true);
    read_string(l, top.get("description"), spec.description, false);
    read_labels(l, top.get("labels"), spec.labels);
    read_u64(l, top.get("seed"), spec.seed, 0, UINT64_MAX);
    if (const Val v = top.get("duration"); required(l, v, DURATION_GRAMMAR)) read_duration(l, v, spec.duration, false);
    if (const Val v = top.get("epoch"); v.present) {
        const std::string expected = "a UTC time like 2026-01-01T00:00:00Z";
        if (const auto t = scalar(l, v, expected)) {
            if (const auto ms = parse_utc_timestamp_ms(*t)) spec.epoch_unix_ms = *ms;
            else l.fail(v, "expected " + expected + ", got " + got(v.node));
        }
    }
    const std::optional<net::Topology> topology = read_topology(l, top.get("topology"), spec.topology);

    read_service_nodes(l, top.get("service_nodes"), spec.service_nodes, topology);
    read_clients(l, top.get("clients"), spec.clients, topology);
    read_workload(l, top.get("workload"), spec.workload);
    read_crypto(l, top.get("crypto"), spec.crypto);
    read_outputs(l, top.get("outputs"), spec.outputs);
    read_adversaries(l, top.get("adversaries"), spec, topology);

    l.report_unconsumed();
    if (!l.ok()) throw ScenarioErrors(l.problems());
    return spec;
}

}  // namespace

ScenarioSpec load_scenario_text(std::string_view text, const std::string& display_name,
                                const std::vector<std::string>& overrides) {
    return load(text, display_name, std::filesystem::path(display_name).parent_path(), overrides);
}

ScenarioSpec load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    if (in) bytes << in.rdbuf();
    if (!in || in.bad()) {
        Problem p;
        p.file = file.string();
        p.message = "expected a readable scenario file, got an error opening it";
        throw ScenarioErrors({p});
    }
    return load(bytes.str(), file.string(), file.parent_path(), overrides);
}

}  // namespace sessionsim::scenario
