#pragma once
// Poller: the client's polling of its own swarm (../CLIENT.md "Polling"; spec session-network
// §4.4; desktop swarmPolling.ts, session-android Poller.kt). It owns
// - the schedule: desktop re-arms desktop_poll_interval_ms after each round completes (and keeps
//   ticking offline); Android polls one member back-to-back while it answers, moves to an untried
//   member after an error, and waits android_all_tried_delay_ms ×1.2 per exhausted round (capped
//   at android_max_delay_ms) when all were tried;
// - the last_hash per polled node (namespace 0);
// - the dedupe of seen message hashes (each kept until the message's expiry).
//
// Three independent flags, not one state: a poll can be due while its timer is also armed (a
// failed own-swarm lookup completes a round that never left), and both may hold while a poll is
// in flight.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/node/client/config.hpp"
#include "models/session/node/client/context.hpp"
#include "models/session/node/client/node_pool.hpp"
#include "models/session/node/client/reply_classifier.hpp"
#include "models/session/node/client/swarm_cache.hpp"
#include "models/session/storage/rpc.hpp"

namespace sessionproto {

class Poller {
  public:
    Poller(SessionId own, ClientProfile profile, std::int64_t android_all_tried_delay_ms)
        : own_(std::move(own)), profile_(profile), android_delay_ms_(android_all_tried_delay_ms) {}

    /// The first poll goes out as soon as the own swarm is known.
    void start() noexcept { due_ = true; }
    /// A poll is due and none is in flight.
    bool wants_poll() const noexcept { return due_ && !in_flight_; }
    std::optional<std::string> last_hash(const Ed25519Pubkey& node) const;

    /// Polls one member of the own swarm (or waits for its lookup): a signed retrieve after that
    /// node's last_hash, onion-routed. Nothing when offline, in flight, or without a path.
    void try_poll(Timestamp now, const Ed25519Keypair& signer, SwarmCache& swarms, const NodePool& pool,
                  const ClientConfig& config, ClientContext& ctx);
    /// The poll timer. Offline, desktop's loop re-arms without polling.
    void on_timer(Timestamp now, const ClientConfig& config, ClientContext& ctx);
    /// The answer of the poll sent to `node` (a failed outcome for an onion failure). Every new
    /// message (by hash, in reply order) goes to `deliver`; then the round completes.
    void on_reply(Timestamp now, const Ed25519Pubkey& node, const OnionOutcome& outcome, SwarmCache& swarms,
                  const NodePool& pool, const ClientConfig& config, ClientContext& ctx,
                  const std::function<void(const RetrievedMessage&)>& deliver);
    /// A round completed (or failed before leaving): the next poll is scheduled.
    void done(Timestamp now, bool ok, const SwarmCache& swarms, const NodePool& pool, const ClientConfig& config,
              ClientContext& ctx);

  private:
    void schedule(Timestamp at, ClientContext& ctx);

    SessionId own_;
    ClientProfile profile_;
    bool armed_ = false;      ///< the poll timer is set
    bool due_ = false;        ///< a poll should go out now
    bool in_flight_ = false;  ///< a retrieve is out
    std::map<Ed25519Pubkey, std::string> last_hashes_;
    std::map<std::string, std::int64_t, std::less<>> seen_;  // message hash -> expiry (dedupe)
    std::optional<Ed25519Pubkey> android_node_;               // the member Android polls back-to-back
    std::set<Ed25519Pubkey> android_tried_;
    std::int64_t android_delay_ms_ = 0;
};

}  // namespace sessionproto
