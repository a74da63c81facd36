#pragma once
// The readers of the scenario's sections and of each kind of adversary (private to sim_scenario),
// one file each: read_<section>.cpp. yaml_loader.cpp calls them in the order of the schema; each
// reports its own problems to the Loader (yaml_reader.hpp) and fills its part of the spec.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/net/access_link.hpp"
#include "sim/net/topology.hpp"
#include "sim/scenario/scenario_spec.hpp"
#include "sim/scenario/yaml_reader.hpp"

namespace sessionsim::scenario::reader {

/// A distribution of `unit` (read_distribution.cpp): a constant (a number >= 0, or a duration or
/// `none`), or `{dist: kind, params...}` with the kinds that unit allows (scenarios/README.md,
/// "Distributions").
void read_distribution(Loader& l, const Val& v, Distribution& out, Distribution::Unit unit);

// ----- the world (read_topology.cpp, read_link.cpp, read_service_nodes.cpp, ...) -----

/// `topology:` ('world' or a GraphML file); the topology, or nullopt when it did not load.
std::optional<net::Topology> read_topology(Loader& l, const Val& v, TopologySpec& out);
/// A population's `regions:` ('all' or region weights), checked against the topology when it loaded.
void read_regions(Loader& l, const Val& v, RegionWeights& out, const std::optional<net::Topology>& topology);
/// A region name checked against the topology (when it loaded).
void read_region_name(Loader& l, const Val& v, std::string& out, const std::optional<net::Topology>& topology);
/// An access link: bandwidths, queue limit, delay, jitter, loss.
void read_link(Loader& l, const Val& v, net::AccessLink& link);
void read_service_nodes(Loader& l, const Val& v, ServiceNodesSpec& out, const std::optional<net::Topology>& topology);
void read_clients(Loader& l, const Val& v, ClientsSpec& out, const std::optional<net::Topology>& topology);
void read_workload(Loader& l, const Val& v, WorkloadSpec& out);
void read_crypto(Loader& l, const Val& v, CryptoSpec& out);
/// service_nodes.cpu (read_cpu.cpp): cores, costs ('reference' or a calibration file), speed, https_queue, sn_queue.
void read_cpu(Loader& l, const Val& v, std::optional<host::CpuModel>& out);
void read_outputs(Loader& l, const Val& v, OutputsSpec& out);

// ----- the adversaries (read_adversaries.cpp, and one read_<kind>.cpp per kind) -----

void read_churn(Loader& l, Map& m, adversary::ChurnConfig& out, std::uint64_t initial_nodes);
void read_spam(Loader& l, Map& m, adversary::SpamConfig& out);
void read_compromised(Loader& l, Map& m, adversary::CompromisedNodesConfig& out, const Val& item,
                      const CryptoSpec& crypto);
void read_link_observer(Loader& l, Map& m, adversary::LinkObserverConfig& out, const Val& item,
                        const std::optional<net::Topology>& topology);

/// One kind of adversary: its `type:`, its default summary key, and its reader.
struct AdversaryKind {
    const char* type;
    const char* summary_key;
    std::function<AdversaryConfig(Loader&, Map&, const Val& item, const ScenarioSpec&, const std::optional<net::Topology>&)> read;
};

/// Every kind a scenario can name (sim/adversary/<kind>/; built in sim/scenario/adversary_kinds.cpp).
const std::vector<AdversaryKind>& adversary_kinds();

/// `adversaries:`, in file order, each under its name.
void read_adversaries(Loader& l, const Val& v, ScenarioSpec& spec, const std::optional<net::Topology>& topology);

}  // namespace sessionsim::scenario::reader
