// The client profiles (models/session/node/client/profile.hpp, PROFILES.md): each shipped
// release's values, as read upstream. A row here changes only with its source: the profile
// table, PROFILES.md and FIDELITY.md change together.
#include "models/session/node/client/profile.hpp"

#include <gtest/gtest.h>

namespace sessionproto {
namespace {

const ClientProfile& profile(std::string_view name) {
    const auto found = find_client_profile(name);
    EXPECT_NE(found.profile, nullptr) << name;
    return *found.profile;
}

std::vector<int> namespaces(const ClientProfile& p) {
    std::vector<int> out;
    for (const auto& pn : p.poll_namespaces) out.push_back(to_int(pn.ns));
    return out;
}

TEST(ClientProfiles, TheShippedReleasesInOrderWithTheirAliases) {
    EXPECT_EQ(client_profile_names(), (std::vector<std::string>{"desktop-2024-12", "desktop-2026-04", "android-2026-04",
                                                                "desktop", "android"}));
    EXPECT_EQ(default_client_profile().name, "desktop-2024-12");
    EXPECT_EQ(find_client_profile("desktop").profile->name, "desktop-2024-12");
    EXPECT_TRUE(find_client_profile("desktop").alias_note.has_value());
    EXPECT_EQ(find_client_profile("android").profile->name, "android-2026-04");
    EXPECT_EQ(find_client_profile("iphone").profile, nullptr);
    for (const auto& p : client_profiles()) EXPECT_FALSE(p.release.empty()) << p.name;
}

TEST(ClientProfiles, Desktop2024) {
    // oxen-io/session-desktop 802058e.
    const auto& p = profile("desktop-2024-12");
    EXPECT_EQ(p.poll_schedule, PollSchedule::rounds);
    EXPECT_EQ(p.retrieve_members_per_round, 1u);         // swarmPolling.ts sample(swarmSnodes)
    EXPECT_EQ(p.poll_interval_ms, 5'000);                // SWARM_POLLING_TIMEOUT.ACTIVE
    EXPECT_EQ(p.poll_round_timeout_ms, 10'000);          // retrieveNextMessages race
    EXPECT_EQ(namespaces(p), (std::vector<int>{0, 2, 3, 5, 4}));  // getUserNamespacesPolled
    EXPECT_EQ(p.poll_namespaces[0].max_size, -2);        // namespaces.ts maxSizeMap
    EXPECT_EQ(p.poll_namespaces[1].max_size, -8);
    EXPECT_TRUE(p.sync_copies);                          // MessageSentHandler.ts sendSyncMessage
    EXPECT_EQ(p.store_attempts, 3u);                     // MessageSender.send retries 2
    EXPECT_EQ(p.store_retry_ms, 100);                    // minTimeout 100
    EXPECT_EQ(p.onion_tries, 4u);                        // lokiOnionFetch retries 3
    EXPECT_EQ(p.onion_retry_ms, 100);
    EXPECT_EQ(p.onion_timeout_ms, 25'000);               // sendOnionRequestNoRetries
    EXPECT_TRUE(p.guard_tests);                          // onionPath.ts testGuardNode
    EXPECT_EQ(p.guard_test_timeout_ms, 10'000);
    EXPECT_TRUE(p.replace_all_guards);                   // getGuardNodeOrSelectNewOnes
    EXPECT_TRUE(p.rebuild_all_paths_on_drop);            // buildNewOnionPathsWorker
    EXPECT_FALSE(p.strike_guard_on_path_failure);        // incrementBadPathCountOrDrop: from index 1
    EXPECT_EQ(p.path_rotate_ms, 0);
    EXPECT_EQ(p.own_swarm_refresh_ms, 0);                // getFreshSwarmFor only at start-up
    EXPECT_EQ(p.pool_first_refresh_ms, 5 * 60'000);
    EXPECT_EQ(p.pool_refresh_interval_ms, 60 * 60'000);
    EXPECT_EQ(p.min_pool, 8u);
    EXPECT_EQ(p.enc_type, EncType::aes_gcm);             // util.worker.ts EncryptAESGCM
    EXPECT_EQ(p.enc_type_field, EncTypeField::unless_aes_gcm);
    EXPECT_FALSE(p.guard_keep_alive);                    // snodeHttpsAgent
}

TEST(ClientProfiles, Desktop2026DiffersFrom2024WhereTheCodeDoes) {
    // session-foundation/session-desktop 1380d1e.
    const auto& old = profile("desktop-2024-12");
    const auto& p = profile("desktop-2026-04");
    EXPECT_EQ(p.retrieve_members_per_round, 2u);  // RETRIEVE_SNODES_COUNT (0601750)
    EXPECT_TRUE(p.poll_needs_full_round);
    EXPECT_EQ(p.onion_tries, 1u);                 // lokiOnionFetchNoRetries
    EXPECT_EQ(p.onion_timeout_ms, 10'000);
    EXPECT_EQ(p.get_swarm_timeout_ms, 10'000);
    EXPECT_EQ(p.swarm_fetch_outer_max_ms, 10'000);
    EXPECT_EQ(p.own_swarm_refresh_ms, 60 * 60'000);  // ActionsPanel.tsx hourly getFreshSwarmFor
    EXPECT_EQ(namespaces(p), namespaces(old));
    EXPECT_EQ(p.sync_copies, old.sync_copies);
    EXPECT_EQ(p.store_attempts, old.store_attempts);
    EXPECT_EQ(p.guard_tests, old.guard_tests);
}

TEST(ClientProfiles, Android2026) {
    // session-android 1.33.4 bdaeff9.
    const auto& p = profile("android-2026-04");
    EXPECT_EQ(p.poll_schedule, PollSchedule::backoff);  // BasePoller.kt
    EXPECT_EQ(p.poll_interval_ms, 2'000);
    EXPECT_EQ(p.poll_failure_max_ms, 10'000);
    EXPECT_EQ(p.poll_round_timeout_ms, 0);
    EXPECT_EQ(namespaces(p), (std::vector<int>{0, 2, 3, 4, 5}));  // Poller.kt
    EXPECT_FALSE(p.guard_tests);                     // SnodeDirectory.getGuardSnodes
    EXPECT_FALSE(p.rebuild_all_paths_on_drop);
    EXPECT_TRUE(p.strike_guard_on_path_failure);     // PathManager.kt handleBadPath
    EXPECT_EQ(p.path_rotate_ms, 10 * 60'000);        // PATH_ROTATE_INTERVAL_MS
    EXPECT_EQ(p.pool_refresh_interval_ms, 2 * 60 * 60'000);
    EXPECT_EQ(p.min_pool, 12u);                      // MINIMUM_SNODE_POOL_COUNT
    EXPECT_EQ(p.store_attempts, 5u);                 // AutoRetryApiExecutor
    EXPECT_TRUE(p.store_retry_linear);
    EXPECT_EQ(p.onion_timeout_ms, 120'000);          // HttpClients.kt
    EXPECT_EQ(p.enc_type, EncType::aes_gcm);         // AESGCM.kt
    EXPECT_TRUE(p.guard_keep_alive);
}

}  // namespace
}  // namespace sessionproto
