// Connections (models/session/node/client/connections.hpp): desktop opens a new HTTPS connection
// for every request (snodeHttpsAgent without keep-alive); Android's OkHttp pool reuses one per
// node while it has been idle for at most 5 min.
#include "models/session/node/client/connections.hpp"

#include <gtest/gtest.h>

#include "models/session/node/client/profile.hpp"

namespace sessionproto {
namespace {

const Timestamp T0{std::chrono::milliseconds(1'700'000'000'000)};
const PeerAddress GUARD{0x0A000101, STORAGE_HTTPS_PORT};
const PeerAddress OTHER{0x0A000201, STORAGE_HTTPS_PORT};

TEST(ClientConnections, WithoutKeepAliveEveryRequestPaysTheHandshakes) {
    const auto& desktop = *find_client_profile("desktop-2024-12").profile;
    Connections c(desktop.guard_keep_alive, desktop.keep_alive_idle_ms);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(c.open_or_reuse(T0 + std::chrono::milliseconds(i), GUARD), 2);
    EXPECT_EQ(c.opened(), 3u);
}

TEST(ClientConnections, KeepAliveReusesAConnectionUntilItIdlesFiveMinutes) {
    const auto& android = *find_client_profile("android-2026-04").profile;
    Connections c(android.guard_keep_alive, android.keep_alive_idle_ms);
    EXPECT_EQ(c.open_or_reuse(T0, GUARD), NEW_CONNECTION_ROUND_TRIPS);
    EXPECT_EQ(c.open_or_reuse(T0 + std::chrono::seconds(2), GUARD), 0);
    EXPECT_EQ(c.open_or_reuse(T0 + std::chrono::seconds(2), OTHER), NEW_CONNECTION_ROUND_TRIPS);  // per node
    EXPECT_EQ(c.open_or_reuse(T0 + std::chrono::seconds(2 + 300), GUARD), 0);                  // idle exactly 5 min
    EXPECT_EQ(c.open_or_reuse(T0 + std::chrono::seconds(2 + 300 + 301), GUARD), NEW_CONNECTION_ROUND_TRIPS);
    EXPECT_EQ(c.opened(), 3u);
}

}  // namespace
}  // namespace sessionproto
