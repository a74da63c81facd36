#pragma once
// Poller: the client's polling of its own swarm (../CLIENT.md "Polling"; ../PROFILES.md
// "Polling"; spec session-clients-2026 "Clients"). The profile's PollSchedule decides:
// - rounds (desktop swarmPolling.ts): each round asks retrieve_members_per_round distinct random
//   members at once and merges their answers; the next round is armed poll_interval_ms after
//   the round completes (and keeps ticking offline, sending nothing);
// - backoff (Android BasePoller.kt, 2026): one member per poll from a rotation without
//   replacement (SwarmSnodeSelector.kt); the next poll poll_interval_ms after a success and
//   poll_interval_ms × (failures + 1), at most poll_failure_max_ms, after failures; nothing
//   while in the background (offline), a poll at once on coming back.
// Every poll retrieves the profile's poll_namespaces: one `batch` (storage/batch_rpc.hpp) of a
// signed retrieve per namespace, each after that (node, namespace)'s last hash; a single
// namespace goes bare. It owns the last hashes and the dedupe of seen message hashes (each kept
// until the message's expiry).
//
// Flags, not one state: a poll can be due while its timer is also armed (a failed own-swarm
// lookup completes a round that never left), and both may hold while a round is in flight.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/node/client/config.hpp"
#include "models/session/node/client/context.hpp"
#include "models/session/node/client/node_pool.hpp"
#include "models/session/node/client/reply_classifier.hpp"
#include "models/session/node/client/swarm_cache.hpp"
#include "models/session/storage/rpc.hpp"

namespace sessionproto {

/// The expiry bump a poll ends with: an `expire` of the config hashes to `expiry_ms`.
struct ConfigBump {
    const std::vector<std::string>* hashes = nullptr;  ///< none (or empty): no bump
    std::int64_t expiry_ms = 0;
    ExpireMode mode = ExpireMode::set;
    bool empty() const noexcept { return hashes == nullptr || hashes->empty(); }
};

/// The body of one poll of `owner`'s namespaces at `node` (exposed for tests and benchmarks):
/// a batch of retrieves, then the bump's expire when there is one (desktop retrieveRequest.ts
/// buildRetrieveRequest puts it after the retrieves); the bare retrieve for a single namespace
/// without a bump.
std::string poll_body(const SessionId& owner, const std::vector<PollNamespace>& namespaces,
                      const std::function<std::string(Namespace)>& last_hash, std::int64_t now_ms,
                      const Ed25519Keypair& signer, CryptoWork work, const ConfigBump& bump = {});

class Poller {
  public:
    /// Estimated heap bytes (last hashes and the seen-message dedupe; perf.json "memory.structures").
    std::size_t heap_bytes() const;
    explicit Poller(SessionId own) : own_(std::move(own)) {}

    /// The first poll goes out as soon as the own swarm is known.
    void start() noexcept { due_ = true; }
    /// A poll is due and no round is in flight.
    bool wants_poll() const noexcept { return due_ && in_flight_ == 0; }
    /// The last hash seen from `node` in namespace `ns` (0 by default).
    std::optional<std::string> last_hash(const Ed25519Pubkey& node, Namespace ns = Namespace::default_ns) const;

    /// A round: the profile's members of the own swarm (or a wait for its lookup), each sent
    /// one poll. Nothing when offline, in flight, or without a path.
    /// `bump_hashes`: the stored configs' hashes each poll's expire bumps (none yet: no bump).
    void try_poll(Timestamp now, const Ed25519Keypair& signer, SwarmCache& swarms, const NodePool& pool,
                  const ClientConfig& config, ClientContext& ctx, const std::vector<std::string>& bump_hashes = {});
    /// The poll timer. Offline: the rounds loop re-arms without polling; backoff waits.
    void on_timer(Timestamp now, const ClientConfig& config, ClientContext& ctx);
    /// The round timer (profile poll_round_timeout_ms) of round `round`: when that round still
    /// waits, it ends failed for the members that did not answer.
    void on_round_timeout(Timestamp now, std::uint64_t round, const ClientConfig& config, ClientContext& ctx);
    /// Back online: backoff polls at once (rounds keep their timer).
    void on_online(const ClientConfig& config);
    /// The answer of the poll sent to `node` (a failed outcome for an onion failure). Every new
    /// message of namespace 0 (by hash, in reply order) goes to `deliver`; when the last member
    /// of the round answered, the round completes.
    /// `round`: the round the poll belonged to (its request's ref); an answer to a round that
    /// already ended is dropped (counted late_poll_replies).
    void on_reply(Timestamp now, std::uint64_t round, const Ed25519Pubkey& node, const OnionOutcome& outcome,
                  SwarmCache& swarms, const NodePool& pool, const ClientConfig& config, ClientContext& ctx,
                  const std::function<void(const RetrievedMessage&)>& deliver);
    /// The round now in flight (0: none).
    std::uint64_t round() const noexcept { return in_flight_ > 0 ? round_ : 0; }
    /// A round completed (or failed before leaving): the next one is scheduled.
    void done(Timestamp now, bool ok, const ClientConfig& config, ClientContext& ctx);

  private:
    void schedule(Timestamp at, ClientContext& ctx);
    /// The members this round asks (draws from the entropy in the profile's way).
    std::vector<SnodeRecord> choose_members(const std::vector<SnodeRecord>& swarm, const ClientConfig& config,
                                            Entropy& entropy);
    /// A 421 from `node`: the own swarm replaced from its body, or `node` dropped from it.
    void wrong_swarm(const Ed25519Pubkey& node, std::string_view body, SwarmCache& swarms, ClientContext& ctx);
    /// One namespace's answer: messages delivered, last hash kept; false when it failed.
    bool read_retrieve(Timestamp now, const Ed25519Pubkey& node, Namespace ns, int code, const nlohmann::json& body,
                       SwarmCache& swarms, ClientContext& ctx, const std::function<void(const RetrievedMessage&)>& deliver);

    SessionId own_;
    bool armed_ = false;          ///< the poll timer is set
    bool due_ = false;            ///< a poll should go out now
    std::size_t in_flight_ = 0;   ///< polls of the current round still out
    bool round_ok_ = false;       ///< a member of the current round answered well
    std::uint64_t round_ = 0;     ///< the current round's id (from the context's counter)
    bool round_bumps_ = false;    ///< the current round's polls end with an expire (one more result)
    std::uint32_t failures_ = 0;  ///< backoff: consecutive failed polls
    std::vector<Ed25519Pubkey> rotation_;  ///< backoff: members not yet used in this rotation
    std::map<std::pair<Ed25519Pubkey, std::int16_t>, std::string> last_hashes_;
    std::map<std::string, std::int64_t, std::less<>> seen_;  // message hash -> expiry (dedupe)
};

}  // namespace sessionproto
