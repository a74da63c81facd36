#pragma once
// Client: a Session client (desktop or Android profile) as a sans-IO state machine (DESIGN.md §4,
// STYLE.md "Sans-IO protocol node"; spec session-network §4, §7.1). Behaviour, constants with
// their sources, and the RPC shapes it sends and expects are in CLIENT.md next to this file.
//
// Driven by handle(now, input) with Inbound datagrams and TimerExpired (SwarmUpdate is ignored:
// clients learn the network only through RPC), and by the commands start / send_message /
// set_online. Everything it wants done comes out of take_effects(). Hostile bytes never throw:
// they are dropped and counted by reason (counters()).
//
// This class is the shell: inputs, effects, timers, the requests in flight and the main loop
// (drive). Each concept is a part in client/ with its own state:
//   client/config.hpp            ClientConfig, client_counter::*, the thresholds
//   client/context.hpp           ClientContext: what a part may ask of the shell
//   client/node_pool.hpp         NodePool: seed bootstrap, refresh, strikes and removed nodes
//   client/path_set.hpp          PathSet: guards, guard tests, paths, path strikes
//   client/swarm_cache.hpp       SwarmCache: cached swarms, get_swarm lookups and their retries
//   client/send_queue.hpp        SendQueue: jobs, store attempts and retries
//   client/poller.hpp            Poller: poll schedule (desktop, Android), last_hash, dedupe
//   client/config_sync.hpp       ConfigSync: the user configs' push, the hashes each poll bumps
//   client/reply_classifier.hpp  classify_onion_reply: an onion reply's status → outcome
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/session/common/entropy.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/node/client/config.hpp"
#include "models/session/node/client/config_sync.hpp"
#include "models/session/node/client/connections.hpp"
#include "models/session/node/client/context.hpp"
#include "models/session/node/client/node_pool.hpp"
#include "models/session/node/client/path_set.hpp"
#include "models/session/node/client/poller.hpp"
#include "models/session/node/client/reply_classifier.hpp"
#include "models/session/node/client/send_queue.hpp"
#include "models/session/node/client/swarm_cache.hpp"
#include "models/session/node/io.hpp"
#include "models/session/node/pool_cache.hpp"
#include "models/session/onion/builder.hpp"

namespace sessionproto {

/// A client's estimated heap bytes by structure (perf.json "memory.structures").
struct ClientMemory {
    std::size_t pool = 0;      ///< its own pool state (the snapshot itself is shared: PoolCache)
    std::size_t paths = 0;     ///< guards, onion paths, guard candidates
    std::size_t swarms = 0;    ///< cached swarms and swarm lookups
    std::size_t requests = 0;  ///< requests in flight or waiting to retry, timers, queued sends
    std::size_t polls = 0;     ///< the poller's last hashes and seen-message dedupe
    std::size_t other = 0;     ///< the object itself, contacts, counters, connections
    std::size_t total() const noexcept { return pool + paths + swarms + requests + polls + other; }
    ClientMemory& operator+=(const ClientMemory& o) noexcept {
        pool += o.pool;
        paths += o.paths;
        swarms += o.swarms;
        requests += o.requests;
        polls += o.polls;
        other += o.other;
        return *this;
    }
};

class Client : private ClientContext {
  public:
    Client(Ed25519Keypair identity, ClientConfig config, std::shared_ptr<PoolCache> pools, Entropy& entropy);

    /// Never throws on hostile bytes. SwarmUpdate is ignored.
    void handle(Timestamp now, Input input);
    /// Moves out and clears the pending effects.
    Effects take_effects();
    /// The earliest timer still set, if any.
    std::optional<Timestamp> next_wakeup() const;

    // ---- Commands (they only add to the effects) ------------------------------------------
    /// Goes online and bootstraps: seed request, guards, paths, own swarm, polling.
    void start(Timestamp now);
    /// Seals and queues a 1-to-1 text message; returns its storage hash, which names it in the
    /// MessageSent / StoreConfirmed / StoreFailed events here and in the recipient's
    /// MessageReceived (nullopt, with a StoreFailed, when it cannot be sealed).
    std::optional<std::string> send_message(Timestamp now, const AccountId& recipient, std::string body);
    /// Offline: nothing leaves (no polls, no sends, no path building); queued sends wait.
    void set_online(Timestamp now, bool online);
    /// A contact whose messages are shown even with message requests on (an accepted conversation).
    void approve_contact(const AccountId& contact) { contacts_.insert(contact.hex()); }

    // ---- Inspection (tests, metrics) --------------------------------------------------------
    const AccountId& account_id() const noexcept { return account_; }
    const Ed25519Pubkey& ed25519() const noexcept { return identity_.pub; }
    bool online() const noexcept { return online_; }
    /// The shared snapshot (nullptr before bootstrap). Nodes this client dropped are still in it.
    const SnodePoolPtr& pool_snapshot() const noexcept { return pool_.snapshot(); }
    /// Snapshot size minus the nodes dropped by strikes.
    std::size_t pool_size() const { return pool_.size(); }
    bool in_pool(const Ed25519Pubkey& node) const { return pool_.contains(node); }
    const std::vector<SnodeRecord>& guards() const noexcept { return paths_.guards(); }
    const std::vector<OnionPath>& paths() const noexcept { return paths_.paths(); }
    /// Cached swarm of `pubkey` (empty when not cached).
    std::vector<SnodeRecord> cached_swarm(const SessionId& pubkey) const { return swarms_.cached(pubkey); }
    std::uint32_t node_failures(const Ed25519Pubkey& node) const { return pool_.failures(node); }
    std::uint64_t paths_built() const noexcept { return paths_.built(); }
    std::uint64_t paths_dropped() const noexcept { return paths_.dropped(); }
    /// last_hash per polled node (own account, namespace 0).
    std::optional<std::string> last_hash(const Ed25519Pubkey& node) const { return poller_.last_hash(node); }
    std::size_t pending_sends() const noexcept { return sends_.size(); }
    /// The hashes of the stored user configs each poll bumps (empty until they are stored).
    const std::vector<std::string>& config_hashes() const noexcept { return configs_.bump_hashes(); }
    /// HTTPS connections opened to nodes (each paid its handshakes).
    std::uint64_t connections_opened() const noexcept { return connections_.opened(); }
    const std::map<std::string, std::uint64_t, std::less<>>& counters() const noexcept { return counters_; }
    /// Estimated heap bytes by structure.
    ClientMemory memory() const;
    std::uint64_t counter(std::string_view reason) const;

  private:
    /// A request in flight, by request id.
    struct Pending {
        ClientRequest kind = ClientRequest::seed;
        std::uint64_t ref = 0;        ///< lookup id / job id
        std::uint64_t path_id = 0;    ///< onion requests
        SnodeRecord target;           ///< the onion destination, or the direct peer
        std::optional<OnionRequest> onion;
        Timestamp sent_at{};
        TimerId timer = 0;
        // Onion requests: what a retry on a fresh path sends again (profile onion_tries).
        std::string rpc{};
        CryptoWork work = CryptoWork::real;
        std::int64_t timeout_ms = 0;
        std::size_t tries = 1;
        std::size_t path_waits = 0;  ///< retry timers that found no usable path
    };
    struct TimerEntry {
        ClientTimer kind = ClientTimer::poll;
        std::uint64_t ref = 0;
        Timestamp at{};
    };

    // ClientContext (what the parts may ask).
    bool is_online() const override { return online_; }
    Entropy& entropy() override { return entropy_; }
    std::uint64_t next_id() override { return next_id_++; }
    TimerId set_timer(ClientTimer kind, std::uint64_t ref, Timestamp at) override;
    void count(std::string_view reason, std::uint64_t n) override;
    void event(AppEvent event) override;
    CryptoWork draw_crypto_work() override;
    void send_direct(Timestamp now, ClientRequest kind, const SnodeRecord& target, std::string body,
                     std::int64_t timeout_ms) override;
    bool send_onion(Timestamp now, ClientRequest kind, std::uint64_t ref, CryptoWork work,
                    const SnodeRecord& destination, const std::string& rpc, std::int64_t timeout_ms) override;

    void count(std::string_view reason) { count(reason, 1); }
    void cancel_timer(TimerId id);
    std::uint64_t send_request(Timestamp now, ClientRequest kind, std::uint64_t ref, const SnodeRecord& target,
                               const PeerAddress& to, const char* endpoint, Bytes body, std::int64_t timeout_ms,
                               std::uint64_t path_id, std::optional<OnionRequest> onion);
    /// send_onion, as try number `tries` of the RPC.
    bool send_onion_try(Timestamp now, ClientRequest kind, std::uint64_t ref, CryptoWork work,
                        const SnodeRecord& destination, const std::string& rpc, std::int64_t timeout_ms,
                        std::size_t tries);
    /// An onion request failed on its path (timeout, an error from a path node, a reply that
    /// does not decrypt): another try on a fresh path onion_retry_ms later while the profile's
    /// onion_tries allow (desktop lokiOnionFetch), else the failure reaches its part.
    void onion_try_failed(Timestamp now, Pending pending);
    /// Seals and queues the sync copy of `sent` (desktop MessageSentHandler.ts sendSyncMessage).
    void queue_sync_copy(Timestamp now, const SendJob& sent);

    // Inputs.
    void on_inbound(Timestamp now, Inbound in);
    void on_timer(Timestamp now, TimerId id);
    void on_request_timeout(Timestamp now, std::uint64_t request_id);

    // The main loop: progresses everything that waits for the pool, paths or swarms.
    void drive(Timestamp now);

    // Across parts.
    /// A strike on `node`; at SNODE_FAILURE_THRESHOLD it is dropped.
    void node_failure(const Ed25519Pubkey& node);
    /// `node` leaves the pool, every cached swarm and the paths.
    void drop_node(const Ed25519Pubkey& node);
    /// A failure of path `path_id`: strikes on its nodes (the profile says which), then on the path;
    /// when the path drops, desktop takes its guard out of the pool.
    void path_failure(std::uint64_t path_id, std::string_view reason);
    /// The paths could not be built PATH_BUILD_ATTEMPTS times: what waits for one fails.
    void path_build_gave_up(Timestamp now);
    /// What waited on a finished swarm lookup resumes (ok) or fails.
    void on_fetch_finished(Timestamp now, std::optional<SwarmCache::Finished> finished);
    /// A refresh ended with consensus: the paths' strikes go too.
    void on_refresh_done(bool strikes_reset);
    /// Opens a polled message and shows it (message_delivered or message_request).
    void deliver(Timestamp now, const RetrievedMessage& message);

    // Onion replies.
    void on_onion_reply(Timestamp now, Pending pending, std::uint32_t status, ByteView body);
    /// Hands `outcome` to the part that sent the request.
    void route_outcome(Timestamp now, const Pending& pending, const OnionOutcome& outcome);

    Ed25519Keypair identity_;
    X25519Keypair x25519_;
    AccountId account_;
    ClientConfig config_;
    Entropy& entropy_;
    Effects effects_;
    std::map<std::string, std::uint64_t, std::less<>> counters_;
    std::set<std::string, std::less<>> contacts_;  ///< approved senders' Account IDs (hex)

    bool online_ = false;
    bool started_ = false;
    std::uint64_t next_id_ = 1;  // request ids, timer ids, job ids, path ids, lookup ids

    std::map<TimerId, TimerEntry> timers_;
    std::map<std::uint64_t, Pending> pending_;
    std::map<std::uint64_t, Pending> onion_retries_;  ///< failed tries waiting for their retry timer

    NodePool pool_;
    PathSet paths_;
    SwarmCache swarms_;
    SendQueue sends_;
    Poller poller_;
    ConfigSync configs_;
    Connections connections_;
};

static_assert(SansIoNode<Client>);

}  // namespace sessionproto
