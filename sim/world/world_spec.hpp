#pragma once
// What the World is built from: the simulated network without any adversary (topology, service
// nodes, clients, workload, crypto mode), as plain data. The scenario loader fills it
// (sim/scenario/scenario_spec.hpp adds the adversaries and the outputs); defaults are those
// documented in scenarios/README.md.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/time.hpp"
#include "sim/host/cpu_model.hpp"
#include "sim/net/access_link.hpp"

namespace sessionsim::world {

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

/// A client release in the crowd (models/session/node/PROFILES.md): its profile's canonical name
/// and its share of the clients (weights, normalised).
struct ProfileShare {
    std::string name;
    double weight = 1.0;
    friend bool operator==(const ProfileShare&, const ProfileShare&) = default;
};

/// Online/offline periods of a client. `always_online`: never offline (the default).
struct SessionSpec {
    bool always_online = true;
    Distribution online;   ///< length of an online period
    Distribution offline;  ///< length of an offline period
};

struct ServiceNodesSpec {
    std::uint64_t count = 0;
    RegionWeights regions;
    net::AccessLink link;
    /// Set: every node has this processor (sim/host/cpu_model.hpp); unset: nodes answer at once.
    std::optional<host::CpuModel> cpu;
};

struct ClientsSpec {
    std::uint64_t count = 0;
    RegionWeights regions;
    net::AccessLink link;
    /// The releases the clients run: one profile, or a mix by share (exact counts, largest remainder).
    std::vector<ProfileShare> profiles{{"desktop-2024-12", 1.0}};
    std::optional<int> paths;                  ///< set: every profile keeps this many onion paths (2 or 3)
    std::optional<SimDuration> poll_interval;  ///< set: every profile's poll interval
    SessionSpec sessions;
    /// When each client starts (bootstraps), a duration from time 0 drawn per client from the
    /// stream "world/clients/arrival"; unset: uniformly over the first 10 seconds (stream
    /// "world/clients/start"). A real network never sees all its clients start at once.
    std::optional<Distribution> arrival;
};

struct WorkloadSpec {
    Distribution contacts = Distribution::lognormal(10, 0.8);  ///< contact-graph degree
    Distribution activity = Distribution::zipf(1.0);           ///< relative activity per user
    double rate_per_user_per_hour = 2.0;                       ///< mean messages sent
    double diurnal_amplitude = 0.0;                            ///< 0 = flat, 1 = silent at night
    double diurnal_peak_hour = 20.0;                           ///< local hour (UTC) of the peak
    Distribution message_size_bytes = Distribution::lognormal(300, 1.0);
    SimDuration ttl = hours(24 * 14);                          ///< Session's 1-to-1 maximum
};

enum class CryptoMode { real, sampled };

struct CryptoSpec {
    CryptoMode mode = CryptoMode::real;
    double fraction = 1.0;  ///< sampled: share of messages with real crypto, in [0, 1]
    /// The share of flows a host runs with real crypto: `fraction` when sampled, else 1.
    double real_fraction() const noexcept { return mode == CryptoMode::sampled ? fraction : 1.0; }
};

/// The simulated world: every key, address and draw follows from `seed`.
struct WorldSpec {
    std::uint64_t seed = 1;
    SimDuration duration{};
    std::int64_t epoch_unix_ms = 1'767'225'600'000;   ///< 2026-01-01T00:00:00Z
    TopologySpec topology;
    ServiceNodesSpec service_nodes;
    ClientsSpec clients;
    WorkloadSpec workload;
    CryptoSpec crypto;
};

const char* to_string(CryptoMode mode) noexcept;

}  // namespace sessionsim::world
