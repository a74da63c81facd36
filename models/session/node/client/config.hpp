#pragma once
// The client's configuration, its counter names and its thresholds: what every part of the
// client (this folder) and the Client shell (../client.hpp) share. Sources of each value in
// ../CLIENT.md "Constants".
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "models/session/node/client/profile.hpp"
#include "models/session/node/io.hpp"
#include "models/session/onion/hop_encryption.hpp"
#include "models/session/storage/limits.hpp"

namespace sessionproto {

/// One client's configuration: its release's behaviour (`profile`, client/profile.hpp) and what
/// the world gives it (seed nodes, the crypto mode, the workload's TTL, message requests).
struct ClientConfig {
    ClientProfile profile = default_client_profile();
    /// Nodes per path (guard, middle, edge); the destination is a 4th node outside the path.
    std::size_t path_hops = 3;
    /// Seed nodes (bootstrap). Must not be empty for start() to do anything.
    std::vector<PeerAddress> seed_nodes;
    std::int64_t seed_timeout_ms = 5'000;  ///< seed node (spec §7.1, SeedNodeAPI)

    /// Sampled crypto (common/crypto_work.hpp, a simulator mode): the share of flows done with
    /// real crypto — a message (its encryption and every store attempt) or any other onion
    /// request (a poll, a swarm lookup, a refresh) — the rest being modelled stand-ins of the same
    /// sizes. 1 (the default) is Session: real everywhere, nothing drawn, stand-ins refused.
    /// Below 1 the client also reads stand-ins (in replies and in stored messages).
    double real_crypto_fraction = 1.0;

    /// TTL of content messages (desktop constants.ts TTL_DEFAULT: 14 days).
    std::int64_t message_ttl_ms = TTL_MAXIMUM_MS;

    /// Message requests (spec session-network §5.2: a client-side feature, not the network's):
    /// a message whose sender is not an approved contact (approve_contact) is held apart as a
    /// request (app::MessageReceived with held_as_request) instead of shown. Off: every
    /// message that opens is shown.
    bool message_requests = false;
};

/// Counter names used by Client::counters().
namespace client_counter {
inline constexpr std::string_view malformed_packet = "malformed_packet";
inline constexpr std::string_view unexpected_request = "unexpected_request";
inline constexpr std::string_view unmatched_response = "unmatched_response";
inline constexpr std::string_view unknown_timer = "unknown_timer";
inline constexpr std::string_view bad_pool_reply = "bad_pool_reply";
inline constexpr std::string_view bad_swarm_reply = "bad_swarm_reply";
inline constexpr std::string_view bad_onion_reply = "bad_onion_reply";
inline constexpr std::string_view bad_retrieve_reply = "bad_retrieve_reply";
inline constexpr std::string_view onion_build_failed = "onion_build_failed";
inline constexpr std::string_view onion_timeout = "onion_timeout";
inline constexpr std::string_view onion_error = "onion_error";
inline constexpr std::string_view destination_error = "destination_error";
inline constexpr std::string_view clock_error = "clock_error";
inline constexpr std::string_view wrong_swarm = "wrong_swarm";
inline constexpr std::string_view next_node_not_found = "next_node_not_found";
inline constexpr std::string_view node_dropped = "node_dropped";
inline constexpr std::string_view guard_test_failed = "guard_test_failed";
inline constexpr std::string_view path_build_failed = "path_build_failed";
inline constexpr std::string_view seed_failed = "seed_failed";
inline constexpr std::string_view refresh_failed = "refresh_failed";
inline constexpr std::string_view seal_failed = "seal_failed";
inline constexpr std::string_view undecryptable_message = "undecryptable_message";
inline constexpr std::string_view duplicate_message = "duplicate_message";
inline constexpr std::string_view message_requests = "message_requests";  ///< held apart (unknown sender)
inline constexpr std::string_view swarm_fetch_failed = "swarm_fetch_failed";
inline constexpr std::string_view polls = "polls";
inline constexpr std::string_view polls_failed = "polls_failed";
inline constexpr std::string_view poll_rounds_timed_out = "poll_rounds_timed_out";
inline constexpr std::string_view late_poll_replies = "late_poll_replies";  ///< answers after their round ended (dropped)
inline constexpr std::string_view retrieves = "retrieves";            ///< namespaced retrieves sent (a batch holds several)
inline constexpr std::string_view stores = "stores";                  ///< store requests sent (attempts, tries, sync copies)
inline constexpr std::string_view sync_copies = "sync_copies";        ///< sync copies of sent messages queued
inline constexpr std::string_view own_messages = "own_messages";      ///< own sync copies read back (not shown)
inline constexpr std::string_view guard_tests = "guard_tests";        ///< guard candidates tested (direct get_swarm)
inline constexpr std::string_view onion_retries = "onion_retries";    ///< an RPC sent again on a fresh path
inline constexpr std::string_view own_swarm_refreshes = "own_swarm_refreshes";
inline constexpr std::string_view path_rotations = "path_rotations";  ///< relays replaced on the rotation timer
inline constexpr std::string_view config_pushes = "config_pushes";        ///< user config pushes sent (4 stores each)
inline constexpr std::string_view config_pushes_failed = "config_pushes_failed";  ///< ... that failed (retried)
inline constexpr std::string_view config_bumps = "config_bumps";          ///< polls that carried an expire of the config hashes
inline constexpr std::string_view config_bumps_failed = "config_bumps_failed";  ///< ... whose expire was not answered 200
inline constexpr std::string_view onion_real = "onion_real";              ///< onion requests built with real crypto
inline constexpr std::string_view onion_modelled = "onion_modelled";      ///< ... as modelled stand-ins
inline constexpr std::string_view messages_real = "messages_real";        ///< messages really encrypted
inline constexpr std::string_view messages_modelled = "messages_modelled";  ///< ... modelled
}  // namespace client_counter

/// Thresholds and retry schedules (sources in CLIENT.md).
inline constexpr std::uint32_t PATH_FAILURE_THRESHOLD = 3;
inline constexpr std::uint32_t SNODE_FAILURE_THRESHOLD = 3;
inline constexpr std::size_t GUARD_TEST_BATCH = 2;
inline constexpr std::size_t GUARD_TEST_ROUNDS = 6;
inline constexpr std::size_t PATH_BUILD_ATTEMPTS = 10;
inline constexpr std::int64_t PATH_BUILD_RETRY_MS = 1'000;
inline constexpr std::size_t SEED_TRIES = 4;
inline constexpr std::int64_t SEED_RETRY_BASE_MS = 1'000;  ///< ×2 per try
inline constexpr std::int64_t SEED_ROUND_PAUSE_MS = 5'000;  ///< after SEED_TRIES failures, a new round
inline constexpr std::size_t SWARM_FETCH_TRIES = 4;              ///< per target, and targets
inline constexpr std::int64_t SWARM_FETCH_RETRY_BASE_MS = 100;   ///< ×2 per try
inline constexpr std::int64_t SWARM_FETCH_INNER_MAX_MS = 2'000;  ///< same target
inline constexpr std::int64_t SWARM_FETCH_OUTER_MAX_MS = 4'000;  ///< new target (default; the profile sets it)
inline constexpr std::size_t MIN_SWARM_CACHE_MEMBERS = 3;
inline constexpr std::size_t REFRESH_NODES = 3;

}  // namespace sessionproto
