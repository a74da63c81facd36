#include "models/session/node/client/profile.hpp"

namespace sessionproto {
namespace {

// Sources (spec session-clients-2026.md, session-network.md; PROFILES.md gives each row):
//   desktop-2024-12  oxen-io/session-desktop 802058e (Dec 2024)
//   desktop-2026-04  session-foundation/session-desktop 1380d1e (Apr 2026)
//   android-2026-04  session-android 1.33.4 bdaeff9 (Apr 2026)

/// The own account's poll: namespace 0 (messages, max_size -2) and the four user config
/// namespaces (2 user profile, 3 contacts, 4 convo info volatile, 5 user groups; max_size -8).
/// Desktop asks 0, 2, 3, 5, 4 (swarmPolling.ts getUserNamespacesPolled / 2026
/// getNamespacesToPollFrom); Android 0, 2, 3, 4, 5 (Poller.kt, UserConfigType order).
std::vector<PollNamespace> own_account_namespaces(bool desktop_order) {
    const PollNamespace messages{Namespace::default_ns, -2};
    const PollNamespace profile{Namespace::user_profile, -8};
    const PollNamespace contacts{Namespace::contacts, -8};
    const PollNamespace convo{Namespace::convo_info_volatile, -8};
    const PollNamespace groups{Namespace::user_groups, -8};
    if (desktop_order) return {messages, profile, contacts, groups, convo};
    return {messages, profile, contacts, convo, groups};
}

ClientProfile desktop_2024_12() {
    ClientProfile p;
    p.name = "desktop-2024-12";
    p.release = "oxen-io/session-desktop 802058e (Dec 2024)";
    p.poll_schedule = PollSchedule::rounds;
    p.retrieve_members_per_round = 1;  // swarmPolling.ts pollOnceForKey: sample(swarmSnodes)
    p.poll_interval_ms = 5'000;        // constants.ts SWARM_POLLING_TIMEOUT.ACTIVE, armed after the round
    p.poll_namespaces = own_account_namespaces(true);
    p.poll_round_timeout_ms = 10'000;  // retrieveNextMessages: Promise.race with sleepFor(10 s)
    p.config_push_delay_ms = 20'000;   // ActionsPanel.tsx: ConfigurationSyncJob queueNewJobIfNeeded 20 s after start
    p.config_push_sequence = false;    // storeMessage.ts: `batch` when nothing old is deleted (a first push)
    p.config_push_retry_ms = 5'000;    // not read upstream: as desktop-2026-04's 5 s interval
    p.config_ttl_ms = 30LL * 24 * 3600'000;  // constants.ts TTL_DEFAULT.CONFIG_MESSAGE = 30 days
    p.config_bump_ms = 30LL * 24 * 3600'000;  // swarmPolling.ts: expire(currentHashes) to now + CONFIG_MESSAGE
    p.config_bump_mode = ExpireMode::set;     // shortenOrExtend: '' (neither flag)
    p.sync_copies = true;           // MessageSentHandler.ts sendSyncMessage
    p.store_attempts = 3;           // MessageSender.send p-retry: retries 2 (3 attempts)
    p.store_retry_ms = 100;         // ... minTimeout 100, factor 1
    p.onion_tries = 4;              // sessionRpc.ts lokiOnionFetch: 4 tries on fresh paths
    p.onion_retry_ms = 100;         // ... 100 ms apart
    p.onion_timeout_ms = 25'000;    // the guard's onion request timeout (the 4 s passed along is ignored)
    p.get_swarm_timeout_ms = 25'000;
    p.snode_list_timeout_ms = 25'000;
    p.swarm_fetch_outer_max_ms = 4'000;  // getSwarmFor.ts outer pRetry maxTimeout
    p.path_count = 2;               // onionPath.ts
    p.guard_tests = true;           // onionPath.ts testGuardNode: direct get_swarm, own pubkey
    p.guard_test_timeout_ms = 10'000;
    p.replace_all_guards = true;    // getGuardNodeOrSelectNewOnes: a new pair below 2
    p.rebuild_all_paths_on_drop = true;  // buildNewOnionPathsWorker
    p.path_rotate_ms = 0;           // no timed rotation
    p.own_swarm_refresh_ms = 0;     // getFreshSwarmFor only at start-up (the hourly timer refreshes the pool)
    p.pool_first_refresh_ms = 5 * 60'000;  // ActionsPanel.tsx
    p.pool_refresh_interval_ms = 60 * 60'000;
    p.min_pool = 8;                 // snodePool.ts minSnodePoolCount
    p.refresh_min_nodes = 24;       // getServiceNodesList.ts requiredSnodesForAgreement
    p.enc_type = EncType::aes_gcm;  // util.worker.ts EncryptAESGCM; no enc_type sent
    p.guard_keep_alive = false;     // snodeHttpsAgent without keep-alive
    return p;
}

ClientProfile desktop_2026_04() {
    ClientProfile p = desktop_2024_12();
    p.name = "desktop-2026-04";
    p.release = "session-foundation/session-desktop 1380d1e (Apr 2026)";
    p.retrieve_members_per_round = 2;  // RETRIEVE_SNODES_COUNT = 2 since v1.15.0 (0601750, 2025-01-21)
    p.poll_needs_full_round = true;    // toPollFrom.length !== RETRIEVE_SNODES_COUNT throws
    p.onion_tries = 1;                 // lokiOnionFetchNoRetries: no inner retries
    p.onion_timeout_ms = 10'000;       // timeoutMs: 10 s to the guard fetch (retrieveRequest.ts, sendSingleMessage)
    p.get_swarm_timeout_ms = 10'000;   // getSwarmFor.ts
    p.snode_list_timeout_ms = 10'000;  // getServiceNodesList.ts
    p.swarm_fetch_outer_max_ms = 10'000;  // getSwarmFor.ts outer maxTimeout 10 s
    p.own_swarm_refresh_ms = 60 * 60'000;  // ActionsPanel.tsx: hourly getFreshSwarmFor(ourPubKey)
    p.config_push_delay_ms = 20'000;   // startup.ts: UserSyncJob queueNewJobIfNeeded 20 s after start
    p.config_push_sequence = true;     // UserSyncJob.ts: always `sequence`
    p.config_push_retry_ms = 5'000;    // startup.ts: the job is queued again every 5 s (setInterval)
    // getHashesToBump (activeHashes): the same expire, to now + 30 days, no flag.
    return p;
}

ClientProfile android_2026_04() {
    ClientProfile p;
    p.name = "android-2026-04";
    p.release = "session-android 1.33.4 bdaeff9 (Apr 2026)";
    p.poll_schedule = PollSchedule::backoff;  // BasePoller.kt
    p.retrieve_members_per_round = 1;         // SwarmSnodeSelector.kt: one member, rotated
    p.poll_interval_ms = 2'000;               // successfulPollIntervalSeconds = 2, from the poll's end
    p.poll_failure_max_ms = 10'000;           // 2 × (numConsecutiveFailures + 1), maxRetryIntervalSeconds = 10
    p.poll_namespaces = own_account_namespaces(false);  // Poller.kt: 0 and the four UserConfigTypes
    p.config_push_delay_ms = 0;       // ConfigUploader.kt: pushes dirty configs as soon as logged in
    p.config_push_sequence = true;    // not read upstream: as desktop-2026-04
    p.config_push_retry_ms = 5'000;   // not read upstream: as desktop-2026-04
    p.config_ttl_ms = 30LL * 24 * 3600'000;   // SnodeMessage.CONFIG_TTL = 30 days
    p.config_bump_ms = 14LL * 24 * 3600'000;  // Poller.kt: AlterTtl to now + 14 days ...
    p.config_bump_mode = ExpireMode::extend;  // ... extend = true (no effect while > 14 days remain)
    p.sync_copies = false;          // not read upstream: off
    p.store_attempts = 5;           // AutoRetryApiExecutor: numRetried <= 3, up to 4 retries
    p.store_retry_ms = 2'000;       // ... sleeping numRetried × 2000 ms
    p.store_retry_linear = true;
    p.onion_tries = 1;
    p.onion_timeout_ms = 120'000;   // api/http/HttpClients.kt: OkHttp timeouts 120 s
    p.get_swarm_timeout_ms = 120'000;
    p.snode_list_timeout_ms = 120'000;
    p.swarm_fetch_outer_max_ms = 4'000;  // not read upstream: as desktop-2024-12
    p.path_count = 2;               // PathManager.kt targetPathCount
    p.guard_tests = false;          // SnodeDirectory.getGuardSnodes: random, untested
    p.replace_all_guards = false;   // existing guards kept, the missing ones added
    p.rebuild_all_paths_on_drop = false;  // rebuildPaths builds only the missing ones
    p.strike_guard_on_path_failure = true;  // handleBadPath strikes every node, guard included
    p.path_rotate_ms = 10 * 60'000;  // PATH_ROTATE_INTERVAL_MS, guards kept
    p.own_swarm_refresh_ms = 0;
    p.pool_first_refresh_ms = 2 * 60 * 60'000;  // SnodeDirectory.kt POOL_REFRESH_INTERVAL_MS = 2 h
    p.pool_refresh_interval_ms = 2 * 60 * 60'000;
    p.min_pool = 12;                 // MINIMUM_SNODE_POOL_COUNT = 12
    p.refresh_min_nodes = 12;
    p.enc_type = EncType::aes_gcm;   // AESGCM.kt; no enc_type sent
    p.guard_keep_alive = true;       // OkHttp's connection pool
    p.keep_alive_idle_ms = 5 * 60'000;  // OkHttp ConnectionPool default keep-alive: 5 min
    return p;
}

}  // namespace

const std::vector<ClientProfile>& client_profiles() {
    static const std::vector<ClientProfile> table{desktop_2024_12(), desktop_2026_04(), android_2026_04()};
    return table;
}

const ClientProfile& default_client_profile() { return client_profiles().front(); }

ProfileLookup find_client_profile(std::string_view name) {
    for (const auto& p : client_profiles()) {
        if (p.name == name) return {&p, std::nullopt};
    }
    // The names before profiles had releases: `desktop` was what desktop-2024-12 models (with its
    // corrections), `android` the older Poller.kt reading, replaced by android-2026-04.
    if (name == "desktop") return {&client_profiles()[0], "'desktop' is an alias of desktop-2024-12"};
    if (name == "android") return {&client_profiles()[2], "'android' is an alias of android-2026-04"};
    return {};
}

std::vector<std::string> client_profile_names() {
    std::vector<std::string> names;
    for (const auto& p : client_profiles()) names.emplace_back(p.name);
    names.emplace_back("desktop");
    names.emplace_back("android");
    return names;
}

}  // namespace sessionproto
