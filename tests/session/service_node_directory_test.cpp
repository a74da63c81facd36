// The directory RPCs a service node answers from its service-node list: get_swarm and
// oxend_request(get_service_nodes), which clients use to bootstrap and find swarms.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "models/session/node/service_node.hpp"
#include "models/session/node/transport.hpp"
#include "models/session/swarm/swarm_space.hpp"

namespace sessionproto {
namespace {

using json = nlohmann::json;

struct Directory : ::testing::Test {
    DeterministicEntropy entropy{21, "directory"};
    std::vector<Ed25519Keypair> ids;
    std::vector<SnodeRecord> records;
    SwarmUpdate update;
    Timestamp now{std::chrono::milliseconds{1767225600000}};

    void SetUp() override {
        for (std::uint32_t i = 0; i < 10; ++i) {
            ids.push_back(ed25519_generate(entropy));
            records.push_back(SnodeRecord{ids.back().pub, x25519_from_ed25519(ids.back()).pub,
                                          PeerAddress{0x0B000100 + i, STORAGE_HTTPS_PORT}, i < 5 ? 100u : 200u});
        }
        std::sort(records.begin(), records.end(),
                  [](const SnodeRecord& a, const SnodeRecord& b) { return a.ed25519 < b.ed25519; });
        update = make_swarm_update(1, records);
    }

    /// Sends `body` to a node as a direct storage RPC and returns (status, body) of its answer.
    std::pair<std::uint32_t, std::string> ask(ServiceNode& node, const std::string& body) {
        node.handle(now, Inbound{PeerAddress{0x0C000001, 0},
                                 encode_packet(TransportPacket{true, 9, ENDPOINT_STORAGE_RPC, 0, to_bytes(body)})});
        const Effects e = node.take_effects();
        EXPECT_EQ(e.sends.size(), 1u);
        if (e.sends.empty()) return {0, ""};
        const auto reply = decode_packet(e.sends[0].payload);
        EXPECT_TRUE(reply.ok());
        EXPECT_EQ(reply->request_id, 9u);
        return {reply->status, to_string(reply->body)};
    }
};

TEST_F(Directory, GetSwarmListsTheMembersOfTheResponsibleSwarm) {
    ServiceNode node(ids[0], PeerAddress{0x0B000100, STORAGE_HTTPS_PORT}, ServiceNodeConfig{}, entropy);
    EXPECT_EQ(ask(node, R"({"method":"get_swarm","params":{"pubkey":"05)" + std::string(64, 'a') + R"("}})").first,
              503u);  // no service-node list yet
    node.handle(now, update);
    (void)node.take_effects();
    const std::string user = "05" + std::string(64, 'a');
    const auto [status, body] = ask(node, R"({"method":"get_swarm","params":{"pubkey":")" + user + R"("}})");
    ASSERT_EQ(status, 200u) << body;
    const json j = json::parse(body);
    const std::vector<SwarmId> swarms{SwarmId{100}, SwarmId{200}};
    const auto expected = closest_swarm(pubkey_to_swarm_space(*SessionId::parse(user)), swarms);
    EXPECT_EQ(j.at("swarm").get<std::string>(), expected->hex());
    ASSERT_EQ(j.at("snodes").size(), 5u);
    for (const auto& s : j.at("snodes")) {
        const auto rec = std::find_if(records.begin(), records.end(), [&](const SnodeRecord& r) {
            return r.ed25519.hex() == s.at("pubkey_ed25519").get<std::string>();
        });
        ASSERT_NE(rec, records.end());
        EXPECT_EQ(rec->swarm_id, expected->value);
        EXPECT_EQ(s.at("pubkey_x25519").get<std::string>(), rec->x25519.hex());
    }
    EXPECT_EQ(ask(node, R"({"method":"get_swarm","params":{"pubkey":"zz"}})").first, 400u);
    EXPECT_EQ(ask(node, R"({"method":"get_swarm","params":[]})").first, 400u);
}

TEST_F(Directory, GetServiceNodesListsEveryActiveNode) {
    ServiceNode node(ids[3], PeerAddress{0x0B000103, STORAGE_HTTPS_PORT}, ServiceNodeConfig{}, entropy);
    node.handle(now, update);
    (void)node.take_effects();
    const auto [status, body] = ask(
        node, R"({"method":"oxend_request","params":{"endpoint":"get_service_nodes","params":{"active_only":true}}})");
    ASSERT_EQ(status, 200u) << body;
    const json states = json::parse(body).at("result").at("service_node_states");
    ASSERT_EQ(states.size(), 10u);
    for (std::size_t i = 0; i < states.size(); ++i) {
        EXPECT_EQ(states[i].at("pubkey_ed25519").get<std::string>(), records[i].ed25519.hex());
        EXPECT_EQ(states[i].at("storage_port").get<int>(), STORAGE_HTTPS_PORT);
        EXPECT_EQ(states[i].at("swarm_id").get<std::uint64_t>(), records[i].swarm_id);
    }
    EXPECT_EQ(ask(node, R"({"method":"oxend_request","params":{"endpoint":"get_block"}})").first, 400u);
}

}  // namespace
}  // namespace sessionproto
