#pragma once
// SendQueue: the client's outgoing 1-to-1 messages (../CLIENT.md "Sending a 1-to-1 message";
// desktop MessageSender.ts). It owns the jobs — one sealed message each — and their store
// attempts: the recipient's swarm (cached, or a lookup it waits on), a `store` onion-routed to
// one random member, and the profile's store_attempts attempts store_retry_ms apart before
// store_failed. A job may be a sync copy (desktop MessageSentHandler.ts sendSyncMessage): the
// sender's own message, stored in the sender's own swarm; the shell queues it when the
// original's store is confirmed.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/session/common/crypto_work.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/node/client/config.hpp"
#include "models/session/node/client/context.hpp"
#include "models/session/node/client/node_pool.hpp"
#include "models/session/node/client/path_set.hpp"
#include "models/session/node/client/reply_classifier.hpp"
#include "models/session/node/client/swarm_cache.hpp"

namespace sessionproto {

/// One outgoing message.
struct SendJob {
    enum class State : std::uint8_t { ready, waiting_swarm, in_flight, waiting_retry };
    AccountId recipient;
    std::string hash{};        ///< its storage hash (what events name it by)
    Bytes data{};              ///< the sealed message
    std::int64_t created_ms = 0;
    std::size_t attempts = 0;  ///< store attempts started
    CryptoWork work = CryptoWork::real;  ///< sampled crypto: this message's flow
    State state = State::ready;
    std::string body{};        ///< the text (kept for its sync copy)
    bool sync = false;         ///< a sync copy (its recipient is the sender)
};

class SendQueue {
  public:
    /// Estimated heap bytes (the jobs with their sealed messages; perf.json "memory.structures").
    std::size_t heap_bytes() const;
    std::size_t size() const noexcept { return jobs_.size(); }
    void add(std::uint64_t job_id, SendJob job) { jobs_.emplace(job_id, std::move(job)); }
    /// Jobs ready for an attempt, in id order.
    std::vector<std::uint64_t> ready() const;
    /// The recipient of job `job_id`, while it is queued.
    std::optional<SessionId> recipient(std::uint64_t job_id) const;

    /// An attempt of a ready job: waits for the recipient's swarm, or stores to a random member
    /// (message_sent); stays ready when no path can take it.
    void try_send(Timestamp now, std::uint64_t job_id, SwarmCache& swarms, const NodePool& pool,
                  const ClientConfig& config, ClientContext& ctx);
    /// The store's answer (a failed outcome for an onion failure). 200 → StoreConfirmed (with the
    /// guard of `paths`' path it took) and the job, returned; 406/425 → StoreFailed at once; else
    /// a failed attempt. A sync copy emits no store event (it is not the message's store).
    std::optional<SendJob> on_store_reply(Timestamp now, std::uint64_t job_id, const OnionOutcome& outcome,
                                          const PathSet& paths, const ClientConfig& config, ClientContext& ctx);
    /// A failed attempt: a retry store_retry_ms later, or store_failed after store_attempts.
    void attempt_failed(Timestamp now, std::uint64_t job_id, std::string_view reason, const ClientConfig& config,
                        ClientContext& ctx);
    /// The swarm lookup job `job_id` waited on ended well, or its retry timer fired: ready again.
    void resume(std::uint64_t job_id);

  private:
    std::map<std::uint64_t, SendJob> jobs_;
};

}  // namespace sessionproto
