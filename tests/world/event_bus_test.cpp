#include "sim/world/world_events.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sessionsim::world {
namespace {

struct Ping {
    int n;
};
struct Pong {
    std::string text;
};

TEST(EventBus, HandlersRunInSubscriptionOrderForTheirTypeOnly) {
    EventBus<Ping, Pong> bus;
    std::vector<std::string> seen;
    EXPECT_FALSE(bus.has_subscribers<Ping>());
    bus.subscribe<Ping>([&](const Ping& p) { seen.push_back(std::to_string(p.n).insert(0, 1, 'a')); });
    bus.subscribe<Pong>([&](const Pong& p) { seen.push_back(std::string("pong ").append(p.text)); });
    bus.subscribe<Ping>([&](const Ping& p) { seen.push_back(std::to_string(p.n).insert(0, 1, 'b')); });
    EXPECT_TRUE(bus.has_subscribers<Ping>());
    bus.publish(Ping{1});
    bus.publish(Pong{"x"});
    bus.publish(Ping{2});
    EXPECT_EQ(seen, (std::vector<std::string>{"a1", "b1", "pong x", "a2", "b2"}));
}

TEST(EventBus, AForeignMessageIsClaimedByTheFirstThatKnowsIt) {
    WorldBus bus;
    const auto aa = *sessionproto::AccountId::parse("05" + std::string(64, 'a'));
    const auto bb = *sessionproto::AccountId::parse("05" + std::string(64, 'b'));
    int first = 0, second = 0;
    bus.subscribe<ForeignMessage>([&, aa](const ForeignMessage& m) {
        if (m.claimed || m.sender != aa) return;
        m.claimed = true;
        ++first;
    });
    bus.subscribe<ForeignMessage>([&](const ForeignMessage& m) {
        if (m.claimed) return;
        m.claimed = true;
        ++second;
    });
    const ForeignMessage mine{SimTime{}, 0, false, aa, "hi"};
    bus.publish(mine);
    const ForeignMessage other{SimTime{}, 0, false, bb, "hi"};
    bus.publish(other);
    EXPECT_TRUE(mine.claimed);
    EXPECT_TRUE(other.claimed);
    EXPECT_EQ(first, 1);
    EXPECT_EQ(second, 1);
}

}  // namespace
}  // namespace sessionsim::world
