#include "sim/scenario/world.hpp"

#include <gtest/gtest.h>

#include "sim/host/randombytes_guard.hpp"
#include "sim/scenario/yaml_loader.hpp"

namespace sessionsim::scenario {
namespace {

ScenarioSpec small_spec(std::uint64_t seed) {
    const std::string text = R"(
name: world-test
seed: )" + std::to_string(seed) + R"(
duration: 10min
service_nodes:
  count: 30
clients:
  count: 1
)";
    return load_scenario_text(text, "world-test.yaml");
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
        EXPECT_EQ(node.address().ipv4, world.network().address(world.service_node_host(i)).value);
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

}  // namespace
}  // namespace sessionsim::scenario
