#pragma once
// A service node's processor: how long handling one input takes, from the operations the node
// reports doing (sessionproto::Work), and how many inputs it handles at once (cores). A host with
// a CpuModel queues what arrives while every core is busy (cpu_queue.hpp); without one, a node
// answers at once however loaded it is.
//
// Costs are nanoseconds per operation at speed 1: measured on the machine by `sessionsim
// calibrate` (cpu_calibration.hpp) into a file a scenario names, or the named reference below.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/session/node/io.hpp"
#include "sim/core/time.hpp"

namespace sessionsim::host {

/// Nanoseconds per operation (sessionproto::Work's fields), at speed 1.
struct OperationCosts {
    double request_ns = 0;          ///< decoding one transport packet and dispatching it
    double onion_layer_ns = 0;      ///< X25519 key exchange + opening one onion layer (fixed part)
    double onion_reply_ns = 0;      ///< encrypting one onion reply (fixed part)
    double crypto_byte_ns = 0;      ///< per byte through an AEAD layer or a hash
    double signature_check_ns = 0;  ///< one Ed25519 verification
    double signature_ns = 0;        ///< one Ed25519 signature
    double hash_ns = 0;             ///< one message hash (fixed part)
    double db_write_ns = 0;         ///< one store, delete or expiry update in the database
    double db_read_ns = 0;          ///< one retrieve from the database
    friend bool operator==(const OperationCosts&, const OperationCosts&) = default;
};

/// The named reference ("reference"): `sessionsim calibrate` on a 2-core x86-64 machine
/// (Debian 12, libsodium 1.0.18); the database figures are the in-memory store's (cpu_model.cpp).
OperationCosts reference_costs() noexcept;

struct CpuModel {
    unsigned cores = 1;
    OperationCosts costs = reference_costs();
    double speed = 1.0;            ///< relative speed: every cost is divided by it
    /// Clients' requests waiting for a core; beyond, answered busy (a service node's 503).
    /// 0 = unbounded. Default: oxenss's "https" category (node/service_node_queues.hpp).
    std::size_t https_queue_limit = 1000;
    /// Other nodes' requests waiting for a core; beyond, dropped without a reply. 0 = unbounded.
    /// Default: oxenss's "sn" category. Replies to the node's own requests are never capped.
    std::size_t sn_queue_limit = 1000;
    std::string source = "reference";  ///< where the costs come from (manifest, report)
};

/// What a host's processor did over a run (a cost figure and a result: utilisation, overload).
struct CpuStats {
    std::uint64_t jobs = 0;          ///< inputs handled on a core
    std::uint64_t dropped = 0;       ///< inputs that found their queue full
    std::uint64_t busy_replies = 0;  ///< of those, answered busy (clients' requests: 503)
    std::uint64_t busy_ns = 0;       ///< core time spent, summed over cores
    std::uint64_t waited = 0;        ///< inputs that waited for a core
    std::uint64_t wait_ns = 0;       ///< their waiting, summed
    std::uint64_t max_wait_ns = 0;
    std::uint64_t peak_queue = 0;    ///< most inputs waiting at once
};

/// Processing time of `work` on one core of `model`, rounded to whole nanoseconds.
SimDuration cost_of(const sessionproto::Work& work, const CpuModel& model) noexcept;

}  // namespace sessionsim::host
