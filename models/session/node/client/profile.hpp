#pragma once
// ClientProfile: one Session client release as a table of behaviour values, each with its
// upstream source (../PROFILES.md holds the same table for readers, with the sources; the
// fidelity table ../../FIDELITY.md names the test that holds each row).
//
// A profile is data: every part of the client (this folder) reads its values from
// ClientConfig::profile and never asks which release it is. The shipped profiles are
// desktop-2024-12, desktop-2026-04 and android-2026-04; the old names `desktop` and `android`
// are aliases (find_client_profile says so).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/session/onion/builder.hpp"
#include "models/session/onion/hop_encryption.hpp"
#include "models/session/storage/namespace.hpp"
#include "models/session/storage/request_signature.hpp"

namespace sessionproto {

/// How the own swarm is polled.
enum class PollSchedule : std::uint8_t {
    /// Desktop swarmPolling.ts: a round asks `retrieve_members_per_round` distinct random members
    /// at once, merges their answers, and the next round starts `poll_interval_ms` after the round
    /// completes. Offline the loop keeps ticking and sends nothing.
    rounds,
    /// Android BasePoller.kt / Poller.kt (2026): one member per poll, taken from a rotation
    /// without replacement (SwarmSnodeSelector.kt); the next poll `poll_interval_ms` after a
    /// success, `poll_interval_ms` × (failures + 1) after a failure, at most
    /// `poll_failure_max_ms`; only in the foreground (online).
    backoff,
};

/// One namespace of a poll and the `max_size` its retrieve asks for (desktop namespaces.ts
/// maxSizeMap; Android RetrieveMessageApi.kt: -2 for messages, -8 for configs).
struct PollNamespace {
    Namespace ns = Namespace::default_ns;
    std::optional<int> max_size{};
    friend bool operator==(const PollNamespace&, const PollNamespace&) = default;
};

struct ClientProfile {
    std::string_view name;     ///< "desktop-2024-12"
    std::string_view release;  ///< the upstream release and commit it was read from

    // ---- Polling (PROFILES.md "Polling") ----
    PollSchedule poll_schedule = PollSchedule::rounds;
    std::size_t retrieve_members_per_round = 1;  ///< rounds: members asked per round
    std::int64_t poll_interval_ms = 5'000;       ///< rounds: after a round; backoff: after a success
    std::int64_t poll_failure_max_ms = 0;        ///< backoff: the cap of the failure delay
    /// rounds: a round ends (failed for the members that did not answer) this long after it
    /// started, even while their requests still run; their late answers are dropped (desktop 2024
    /// retrieveNextMessages races the request against a 10 s sleep). 0 = the round waits.
    std::int64_t poll_round_timeout_ms = 0;
    /// rounds: with fewer cached members than retrieve_members_per_round the round polls nothing
    /// (desktop 2026 throws); otherwise it asks those there are.
    bool poll_needs_full_round = false;
    /// Namespaces of the own account each poll retrieves, in request order (one sub-request of
    /// a `batch` each; a single namespace goes bare).
    std::vector<PollNamespace> poll_namespaces{PollNamespace{}};

    // ---- User config messages (PROFILES.md "Config messages") ----
    /// The account's four user configs (namespaces 2-5) are pushed this long after start (desktop
    /// queueNewJobIfNeeded 20 s after start-up); -1 = never. They stand for an existing account's
    /// configs, which the swarm would hold already.
    std::int64_t config_push_delay_ms = 20'000;
    /// The push is a `sequence` (stops at the first failure) rather than a `batch`.
    bool config_push_sequence = false;
    std::int64_t config_push_retry_ms = 5'000;  ///< a failed push is sent again this much later
    std::int64_t config_ttl_ms = 30LL * 24 * 3600'000;  ///< TTL_DEFAULT.CONFIG_MESSAGE / CONFIG_TTL
    /// Every poll, once the configs are stored, ends with an `expire` of their hashes to now +
    /// config_bump_ms (desktop getHashesToBump, Android AlterTtl); 0 = no bump.
    std::int64_t config_bump_ms = 30LL * 24 * 3600'000;
    ExpireMode config_bump_mode = ExpireMode::set;  ///< desktop sends neither flag; Android `extend`

    // ---- Sending ----
    /// A second copy of every sent 1-to-1 message, stored in the sender's own swarm once the
    /// first store succeeded (desktop MessageSentHandler.ts sendSyncMessage).
    bool sync_copies = false;
    std::size_t store_attempts = 3;        ///< MessageSender.send p-retry attempts
    std::int64_t store_retry_ms = 1'000;   ///< between attempts
    bool store_retry_linear = false;       ///< the n-th retry waits n × store_retry_ms (Android)
    /// Tries of one onion RPC on fresh paths before its caller sees the failure (desktop
    /// lokiOnionFetch); 1 = no inner retry.
    std::size_t onion_tries = 1;
    std::int64_t onion_retry_ms = 100;     ///< between those tries
    std::int64_t onion_timeout_ms = 25'000;     ///< a store, a retrieve, a refresh
    std::int64_t get_swarm_timeout_ms = 4'000;  ///< a swarm lookup (onion)
    std::int64_t snode_list_timeout_ms = 4'000; ///< a pool refresh from a pool member (onion)
    /// getSwarmFor.ts: the cap of the outer retry delay (new random target) of a swarm lookup.
    std::int64_t swarm_fetch_outer_max_ms = 4'000;

    // ---- Paths ----
    std::size_t path_count = 2;
    /// Guard candidates are tested with a direct get_swarm for the own pubkey (desktop
    /// onionPath.ts testGuardNode): each tested node sees the client's IP and Account ID.
    bool guard_tests = true;
    std::int64_t guard_test_timeout_ms = 10'000;
    /// When fewer guards than paths remain, a whole new set is chosen (desktop
    /// getGuardNodeOrSelectNewOnes); otherwise only the missing ones.
    bool replace_all_guards = false;
    /// After any path drop every path is rebuilt with fresh relays (desktop
    /// buildNewOnionPathsWorker); otherwise only the dropped one.
    bool rebuild_all_paths_on_drop = false;
    /// A path failure also strikes its guard (Android PathManager.kt handleBadPath); desktop
    /// strikes only the other nodes (incrementBadPathCountOrDrop).
    bool strike_guard_on_path_failure = false;
    /// Relays (non-guard nodes) replaced on a timer, guards kept (Android PathManager.kt); 0 = none.
    std::int64_t path_rotate_ms = 0;

    // ---- Swarm and pool ----
    /// The own swarm is looked up again this often (desktop ActionsPanel.tsx getFreshSwarmFor);
    /// 0 = only when the cached one no longer serves.
    std::int64_t own_swarm_refresh_ms = 0;
    std::int64_t pool_first_refresh_ms = 5 * 60'000;
    std::int64_t pool_refresh_interval_ms = 60 * 60'000;
    std::size_t min_pool = 8;  ///< below this many usable pool nodes, back to the seed
    std::size_t refresh_min_nodes = 24;  ///< a refresh's agreed list needs this many nodes

    // ---- Onion ----
    EncType enc_type = EncType::xchacha20;  ///< the hop cipher
    /// Whether the layers name the cipher; Session's clients send no enc_type for AES-GCM.
    EncTypeField enc_type_field = EncTypeField::unless_aes_gcm;
    /// The HTTPS connection to a node is kept alive between requests (client/connections.hpp):
    /// otherwise every direct request pays the TCP + TLS handshakes.
    bool guard_keep_alive = true;
    std::int64_t keep_alive_idle_ms = 5 * 60'000;  ///< how long an idle kept connection lives
};

/// The shipped profiles, in a fixed order (the first is the default).
const std::vector<ClientProfile>& client_profiles();
/// The default: desktop-2024-12.
const ClientProfile& default_client_profile();

struct ProfileLookup {
    const ClientProfile* profile = nullptr;
    std::optional<std::string_view> alias_note;  ///< set when `name` was an old alias
};
/// A profile by its name or an old alias ("desktop", "android"); profile == nullptr when unknown.
ProfileLookup find_client_profile(std::string_view name);
/// Every accepted name, profiles then aliases ("desktop-2024-12, ..., desktop, android").
std::vector<std::string> client_profile_names();

}  // namespace sessionproto
