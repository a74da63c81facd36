#pragma once
// ConfigSync: the account's four user config messages in its own swarm (../PROFILES.md "Config
// messages"; desktop ConfigurationSyncJob.ts / UserSyncJob.ts, Android ConfigUploader.kt).
// config_push_delay_ms after start the client stores the four configs (namespaces 2-5, TTL
// config_ttl_ms, signed) in one `batch` or `sequence` onion-routed to a random member of its own
// swarm; a failed push is sent again config_push_retry_ms later. The configs stand for an
// existing account's, which its swarm would already hold.
//
// Once they are stored, every poll ends with an `expire` of their hashes (bump_hashes(): desktop
// getHashesToBump, Android Poller.kt AlterTtl), which each swarm member forwards to the others.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/node/client/config.hpp"
#include "models/session/node/client/context.hpp"
#include "models/session/node/client/node_pool.hpp"
#include "models/session/node/client/reply_classifier.hpp"
#include "models/session/node/client/swarm_cache.hpp"

namespace sessionproto {

/// The body of a push of the four user configs of `owner` (Session ID `self`) at seqno `seqno`:
/// a batch (or a sequence) of four signed stores, in namespaces 2, 3, 4, 5 (exposed for tests).
/// Empty when a config cannot be sealed.
std::string config_push_body(const Ed25519Keypair& owner, const SessionId& self, std::int64_t seqno,
                             std::int64_t now_ms, const ClientProfile& profile, CryptoWork work);

class ConfigSync {
  public:
    explicit ConfigSync(SessionId own) : own_(std::move(own)) {}

    /// Arms the first push (nothing when the profile pushes none).
    void start(Timestamp now, const ClientConfig& config, ClientContext& ctx);
    /// The push timer fired.
    void on_timer() noexcept { due_ = true; }
    bool wants_push() const noexcept { return due_ && !in_flight_; }
    /// Sends the push to a random member of the own swarm (a lookup is waited for by the poller,
    /// which needs the same swarm); nothing without a path or a swarm.
    void try_push(Timestamp now, const Ed25519Keypair& signer, SwarmCache& swarms, const NodePool& pool,
                  const ClientConfig& config, ClientContext& ctx);
    /// The push's answer (a failed outcome for an onion failure): the hashes kept when every
    /// store was answered 200, else a retry.
    void on_reply(Timestamp now, const OnionOutcome& outcome, const ClientConfig& config, ClientContext& ctx);
    /// The hashes of the stored configs (empty until a push succeeded).
    const std::vector<std::string>& bump_hashes() const noexcept { return hashes_; }

  private:
    void retry(Timestamp now, const ClientConfig& config, ClientContext& ctx);

    SessionId own_;
    bool due_ = false;
    bool in_flight_ = false;
    std::int64_t seqno_ = 0;
    std::vector<std::string> hashes_;
};

}  // namespace sessionproto
