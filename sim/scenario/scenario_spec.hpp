#pragma once
// The typed scenario: plain data read once from YAML by yaml_loader.hpp (no yaml-cpp types here).
// Every field has the default documented in scenarios/README.md; the loader fills and validates it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <variant>

#include "sim/core/time.hpp"
#include "sim/adversary/churn/churn_config.hpp"
#include "sim/adversary/compromised/compromised_config.hpp"
#include "sim/adversary/link_observer/link_tap.hpp"
#include "sim/adversary/spam/spam_config.hpp"
#include "sim/world/world_spec.hpp"

namespace sessionsim::scenario {

// The world's parts (sim/world/world_spec.hpp), by their scenario names.
using world::ProfileShare;
using world::ClientsSpec;
using world::CryptoMode;
using world::CryptoSpec;
using world::RegionWeights;
using world::ServiceNodesSpec;
using world::SessionSpec;
using world::TopologySpec;
using world::WorkloadSpec;
using world::to_string;

/// One adversary's configuration: one alternative per kind (sim/adversary/<kind>/).
using AdversaryConfig = std::variant<adversary::ChurnConfig, adversary::SpamConfig, adversary::CompromisedNodesConfig,
                                     adversary::LinkObserverConfig>;

/// One entry of `adversaries:` (scenarios/README.md, "adversaries").
struct AdversarySpec {
    /// Its part of summary.json: `name:` when given, else the kind's key (churn, spam,
    /// compromised, link_observer) for the first of its kind and `<key>_2`, `<key>_3`... after.
    std::string name;
    AdversaryConfig config;
};

struct OutputsSpec {
    std::filesystem::path dir = "out";
    bool csv = true;
    bool report = false;
    bool observations = false;  ///< write observations.csv: what every service node saw
};

struct ScenarioSpec : world::WorldSpec {
    std::string name;
    std::string description;
    /// Free labels (lower-case words). `slow`: left out of the determinism tests (mainnet-sized).
    std::vector<std::string> labels;
    // seed, duration, epoch, topology, service_nodes, clients, workload, crypto: world::WorldSpec.
    OutputsSpec outputs;
    /// adversaries: [{type: churn, ...}, ...], in file order (scenarios/README.md, "adversaries").
    std::vector<AdversarySpec> adversaries;

    // Where it came from (for the run manifest).
    std::string source;                    ///< file path (or display name) as given
    std::vector<std::string> overrides;    ///< the --set key=value texts, in order
    std::string source_hash;               ///< scenario_hash.hpp over the file bytes and overrides
};

/// The first adversary configured as a `Config` (e.g. adversary::ChurnConfig), nullptr without one.
template <class Config>
const Config* first_adversary(const ScenarioSpec& spec) {
    for (const auto& a : spec.adversaries) {
        if (const auto* c = std::get_if<Config>(&a.config)) return c;
    }
    return nullptr;
}

}  // namespace sessionsim::scenario
