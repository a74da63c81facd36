#pragma once
// The typed scenario: plain data read once from YAML by yaml_loader.hpp (no yaml-cpp types here).
// Every field has the default documented in scenarios/README.md; the loader fills and validates it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/distribution_spec.hpp"
#include "sim/core/time.hpp"
#include "sim/net/access_link.hpp"
#include "sim/adversary/churn.hpp"
#include "sim/adversary/compromised_nodes.hpp"
#include "sim/adversary/link_observer.hpp"
#include "sim/adversary/spam.hpp"
#include "sim/net/delay_distribution.hpp"

namespace sessionsim::scenario {

/// Distributions of plain numbers (sim/core/distribution_spec.hpp).
using DistributionSpec = sessionsim::DistributionSpec;

/// Where the regions and their latencies come from.
struct TopologySpec {
    bool builtin_world = true;            ///< `topology: world`
    std::filesystem::path graphml;        ///< otherwise a GraphML file, resolved against the scenario's folder
};

/// A population's regions: `all` (every region of the topology, equal weights) or named weights.
struct RegionWeights {
    bool all = true;
    std::vector<std::pair<std::string, double>> weights;  ///< in file order; used when !all
};

enum class ClientProfile { desktop, android };

/// Online/offline periods of a client. `always_online`: never offline (the default).
struct SessionSpec {
    bool always_online = true;
    net::DelayDistribution online;   ///< length of an online period
    net::DelayDistribution offline;  ///< length of an offline period
};

struct ServiceNodesSpec {
    std::uint64_t count = 0;
    RegionWeights regions;
    net::AccessLink link;
};

struct ClientsSpec {
    std::uint64_t count = 0;
    RegionWeights regions;
    net::AccessLink link;
    ClientProfile profile = ClientProfile::desktop;
    int paths = 2;                                    ///< onion paths kept, 2 or 3
    SimDuration poll_interval = seconds(5);           ///< swarm polling period while online
    SessionSpec sessions;
};

struct WorkloadSpec {
    DistributionSpec contacts = DistributionSpec::lognormal(10, 0.8);     ///< contact-graph degree
    DistributionSpec activity = DistributionSpec::zipf(1.0);              ///< relative activity per user
    double rate_per_user_per_hour = 2.0;                                  ///< mean messages sent
    double diurnal_amplitude = 0.0;                                       ///< 0 = flat, 1 = silent at night
    double diurnal_peak_hour = 20.0;                                      ///< local hour (UTC) of the peak
    DistributionSpec message_size_bytes = DistributionSpec::lognormal(300, 1.0);
    SimDuration ttl = hours(24 * 14);                                     ///< Session's 1-to-1 maximum
};

enum class CryptoMode { real, sampled };

struct CryptoSpec {
    CryptoMode mode = CryptoMode::real;
    double fraction = 1.0;  ///< sampled: share of messages with real crypto, in [0, 1]
};

struct OutputsSpec {
    std::filesystem::path dir = "out";
    bool csv = true;
    bool report = false;
    bool observations = false;  ///< write observations.csv: what every service node saw
};

struct ScenarioSpec {
    std::string name;
    std::string description;
    /// Free labels (lower-case words). `slow`: left out of the determinism tests (mainnet-sized).
    std::vector<std::string> labels;
    std::uint64_t seed = 1;
    SimDuration duration{};
    std::int64_t epoch_unix_ms = 1'767'225'600'000;   ///< 2026-01-01T00:00:00Z
    TopologySpec topology;
    ServiceNodesSpec service_nodes;
    ClientsSpec clients;
    WorkloadSpec workload;
    CryptoSpec crypto;
    OutputsSpec outputs;
    /// adversaries: [{type: churn, ...}] (scenarios/README.md, "adversaries").
    std::optional<adversary::ChurnConfig> churn;
    std::optional<adversary::SpamConfig> spam;
    std::optional<adversary::CompromisedNodesConfig> compromised;
    std::optional<adversary::LinkObserverConfig> link_observer;

    // Where it came from (for the run manifest).
    std::string source;                    ///< file path (or display name) as given
    std::vector<std::string> overrides;    ///< the --set key=value texts, in order
    std::string source_hash;               ///< scenario_hash.hpp over the file bytes and overrides
};

const char* to_string(ClientProfile profile) noexcept;
const char* to_string(CryptoMode mode) noexcept;

}  // namespace sessionsim::scenario
