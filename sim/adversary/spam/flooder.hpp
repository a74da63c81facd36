#pragma once
// A spam flooder (DESIGN.md §7, spec anonymity §5): one attacker host sending Session store
// requests — real storage RPCs (unauthenticated stores to a victim's public inbox, namespace 0,
// as anyone may send) over the modelled network — straight to service nodes of its targets'
// swarms, as a Poisson stream. It is a sans-IO node like the protocol's own, driven by a
// NodeHost; it counts what the nodes answer. With the legacy proof of work switched on, each
// message first costs its expected hashes (spec anonymity §5) at the flooder's hash rate, which
// caps its rate; the hashes are counted as the attacker's cost.
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/node/io.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/host/sim_entropy.hpp"

namespace sessionsim::adversary {

/// Legacy proof of work (Session 2019 - March 2021, loki ProofOfWork.kt; spec anonymity §5).
struct ProofOfWork {
    double difficulty = 10;       ///< nonceTrials D
    double hash_rate = 1e6;       ///< the attacker's SHA-512 hashes per second, per flooder
};
/// Expected hashes for one message: D · (L + TTL_s · L / 65535), L = payload bytes + 8
/// (target = (2^64 − 1) / (D · (L + TTL_s · L / (2^16 − 1))), spec anonymity §5).
double pow_expected_hashes(double difficulty, std::uint64_t payload_bytes, double ttl_seconds);

struct FlooderConfig {
    double rate_per_second = 10;         ///< mean requests per second (Poisson)
    Distribution message_size_bytes = Distribution::constant(1000);
    std::int64_t ttl_ms = 14LL * 24 * 3600 * 1000;
    std::optional<ProofOfWork> pow;
    /// What each request stores: random bytes (false), which no client can open, or (true) a
    /// real Session 1-to-1 message from the flooder's own throwaway identity, which the victim's
    /// client opens and shows unless message requests hold it apart. The body is "spam:"
    /// padded with 'x' to the drawn size.
    bool session_messages = false;
    /// Sampled crypto (a simulator mode): the share of those messages sealed for real, the rest
    /// being modelled stand-ins of the same size (models/session/common/crypto_work.hpp).
    double real_crypto_fraction = 1.0;
    /// The victims and, for each, the service nodes to send to (a random one per request).
    struct Target {
        sessionproto::SessionId owner;
        std::vector<sessionproto::PeerAddress> nodes;
    };
    std::vector<Target> targets;
};

struct FlooderStats {
    std::uint64_t requests = 0;
    std::uint64_t bytes = 0;             ///< request bytes handed to the network
    std::uint64_t accepted = 0;          ///< 200
    std::uint64_t rate_limited = 0;      ///< 429
    std::uint64_t rejected = 0;          ///< any other answer
    std::uint64_t seal_failures = 0;     ///< session_messages: a message that could not be sealed
    double pow_hashes = 0;
    /// Adds another flooder's counts (the spam summary's totals).
    FlooderStats& operator+=(const FlooderStats& o) noexcept {
        requests += o.requests;
        bytes += o.bytes;
        accepted += o.accepted;
        rate_limited += o.rate_limited;
        rejected += o.rejected;
        seal_failures += o.seal_failures;
        pow_hashes += o.pow_hashes;
        return *this;
    }
};

class Flooder {
  public:
    /// `rng` draws arrivals, targets and sizes; `crypto` (used only with session_messages) the
    /// throwaway identity and every key and nonce of the messages.
    Flooder(FlooderConfig config, RandomStream rng, RandomStream crypto);

    void start(sessionproto::Timestamp now);
    void handle(sessionproto::Timestamp now, sessionproto::Input input);
    sessionproto::Effects take_effects();
    const FlooderStats& stats() const noexcept { return stats_; }
    /// The throwaway identity its Session messages come from (session_messages only).
    const std::optional<sessionproto::Ed25519Keypair>& identity() const noexcept { return identity_; }

  private:
    void send_one(sessionproto::Timestamp now);
    void arm();

    FlooderConfig config_;
    RandomStream rng_;
    DistributionSampler sizes_;
    sessionproto::Effects effects_;
    FlooderStats stats_;
    std::uint64_t next_id_ = 1;
    double next_arrival_ms_ = 0;  ///< the next request's time (Unix ms, continuous): timers are whole ms
    bool started_ = false;
    std::unique_ptr<host::SimEntropy> entropy_;  ///< session_messages (a reference must stay put)
    std::optional<sessionproto::Ed25519Keypair> identity_;
};

static_assert(sessionproto::SansIoNode<Flooder>);

}  // namespace sessionsim::adversary
