// The World alone (no scenario file, no adversary): what it builds, the events it publishes, the
// points where plug-ins are called, the ledger and its summary.
#include "sim/world/world.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "sim/host/randombytes_guard.hpp"
#include "sim/world/world_summary.hpp"

namespace sessionsim::world {
namespace {

WorldSpec small_spec(std::uint64_t seed, std::uint64_t clients = 1) {
    WorldSpec spec;
    spec.seed = seed;
    spec.duration = minutes(10);
    spec.service_nodes.count = 30;
    spec.clients.count = clients;
    return spec;
}

TEST(World, BuildsRegisteredServiceNodesInSwarmsAndProducesBlocks) {
    World world(small_spec(1));
    EXPECT_EQ(world.service_node_count(), 30u);
    EXPECT_EQ(world.registry().active_count(), 30u);
    world.run();
    EXPECT_EQ(world.engine().now(), SIM_EPOCH + minutes(10));
    EXPECT_EQ(world.blocks(), 6u);  // at 0, 2, 4, 6, 8 and 10 minutes
    std::size_t in_swarms = 0;
    for (std::size_t i = 0; i < world.service_node_count(); ++i) {
        const auto& node = world.service_node(i);
        const auto record = world.registry().find(node.ed25519());
        ASSERT_TRUE(record.has_value());
        EXPECT_EQ(node.swarm_id().value, record->swarm_id) << i;
        EXPECT_EQ(node.swarm_peers().size() + 1, world.registry().swarms().at(node.swarm_id()).size());
        EXPECT_EQ(node.address().ipv4, world.network().address(world.service_node_host(i).id()).value);
        EXPECT_EQ(world.service_node_index(node.ed25519()), i);
        in_swarms += 1;
    }
    EXPECT_EQ(in_swarms, 30u);
    EXPECT_EQ(host::randombytes_guard_calls(), 0u);
}

TEST(World, SameSeedSameFingerprintDifferentSeedDifferent) {
    auto fingerprint = [](std::uint64_t seed) {
        World world(small_spec(seed));
        world.run();
        return world.engine().fingerprint().hex();
    };
    const std::string a = fingerprint(3);
    EXPECT_EQ(a, fingerprint(3));
    EXPECT_NE(a, fingerprint(4));
}

/// Records when it was called and what it saw.
class RecordingPlugin final : public WorldPlugin {
  public:
    explicit RecordingPlugin(std::vector<std::string>& log) : log_(log) {}
    void configure(sessionproto::ServiceNodeConfig&) const override { log_.push_back("configure node"); }
    void configure(sessionproto::ClientConfig&) const override { log_.push_back("configure client"); }
    void on_nodes_built(World& world) override {
        log_.push_back("nodes " + std::to_string(world.service_node_count()) + " blocks " +
                       std::to_string(world.blocks()) + " clients " + std::to_string(world.client_count()));
        world.bus().subscribe<BlockApplied>([this](const BlockApplied& b) { blocks.push_back(b.height); });
        world.bus().subscribe<LevelsSampled>([this](const LevelsSampled&) { ++levels; });
        world.bus().subscribe<MessageStored>([this](const MessageStored& m) {
            stored.insert(m.message);
            with_guard += m.guard ? 1 : 0;
        });
        world.bus().subscribe<MessageDelivered>([this](const MessageDelivered& m) { delivered.insert(m.message); });
        world.bus().subscribe<NodeObserved>([this](const NodeObserved&) { ++observations; });
    }
    void on_started(World& world) override {
        log_.push_back("started clients " + std::to_string(world.client_count()) + " events " +
                       std::to_string(world.engine().events_processed()));
    }
    std::vector<std::uint64_t> blocks;
    std::size_t levels = 0, observations = 0, with_guard = 0;
    std::set<std::uint32_t> stored, delivered;

  private:
    std::vector<std::string>& log_;
};

TEST(World, PluginsAreCalledAtTheirPointsAndHearEveryEventOnTheBus) {
    std::vector<std::string> log;
    RecordingPlugin a(log), b(log);
    World world(small_spec(5, 40), {&a, &b});
    EXPECT_EQ(log, (std::vector<std::string>{"configure node", "configure client", "configure node", "configure client",
                                             "nodes 30 blocks 0 clients 0", "nodes 30 blocks 0 clients 0",
                                             "started clients 40 events 0", "started clients 40 events 0"}));
    world.run();
    EXPECT_EQ(a.blocks, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(b.blocks, a.blocks);
    EXPECT_EQ(a.levels, 11u);  // at 0 and after each of the 10 minutes
    EXPECT_GT(a.observations, 0u);
    // The ledger and the events agree: every stored message once, with the guard of its path.
    std::set<std::uint32_t> stored, delivered;
    for (std::uint32_t id = 0; id < world.messages().size(); ++id) {
        if (world.messages()[id].stored) stored.insert(id);
        if (world.messages()[id].delivered) delivered.insert(id);
    }
    ASSERT_GT(stored.size(), 5u);
    EXPECT_EQ(a.stored, stored);
    EXPECT_EQ(a.with_guard, stored.size());
    EXPECT_EQ(a.delivered, delivered);
    EXPECT_EQ(world.messages_delivered(), delivered.size());
}

TEST(World, TheSummaryWritesExactlyItsDeclaredKeys) {
    // "cpu" is there only when the service nodes have a processor model; every other key always.
    std::set<std::string> declared;
    for (const auto k : WORLD_SUMMARY_KEYS) declared.emplace(k);
    for (const bool with_cpu : {false, true}) {
        WorldSpec spec = small_spec(2, 5);
        if (with_cpu) spec.service_nodes.cpu = host::CpuModel{};
        World world(spec);
        world.run();
        const auto s = world_summary(world);
        std::set<std::string> keys;
        for (const auto& [key, value] : s.items()) keys.insert(key);
        std::set<std::string> expected = declared;
        if (!with_cpu) expected.erase("cpu");
        EXPECT_EQ(keys, expected) << "with_cpu " << with_cpu;
    }
    EXPECT_TRUE(is_world_summary_key("crypto"));
    EXPECT_FALSE(is_world_summary_key("churn"));
}

TEST(World, OnlyOnePluginMayDecideHowSwarmUpdatesAreDelivered) {
    World world(small_spec(1));
    world.set_swarm_update_delivery([](const sessionproto::SwarmUpdate&) {});
    EXPECT_THROW(world.set_swarm_update_delivery([](const sessionproto::SwarmUpdate&) {}), std::logic_error);
}

}  // namespace
}  // namespace sessionsim::world
