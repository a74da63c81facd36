// The directory RPC codec (models/session/storage/directory_rpc.hpp): requests and replies round
// trip, and hostile replies are refused or filtered, never thrown.
#include "models/session/storage/directory_rpc.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sessionproto {
namespace {

using json = nlohmann::json;

std::vector<SnodeRecord> nodes(int n) {
    DeterministicEntropy e(5, "directory_rpc");
    std::vector<SnodeRecord> out;
    for (int i = 0; i < n; ++i) {
        const auto kp = ed25519_generate(e);
        out.push_back(SnodeRecord{kp.pub, x25519_from_ed25519(kp).pub,
                                  PeerAddress{0x0B000100u + static_cast<std::uint32_t>(i), STORAGE_HTTPS_PORT},
                                  static_cast<std::uint64_t>(1000 + i)});
    }
    return out;
}

TEST(DirectoryRpcTest, RequestsHaveTheShapesNodesExpect) {
    const SessionId who = *SessionId::parse("05" + std::string(64, 'e'));
    const json gs = json::parse(get_swarm_request(who));
    EXPECT_EQ(gs["method"], "get_swarm");
    EXPECT_EQ(gs["params"]["pubkey"], who.hex());
    EXPECT_EQ(*parse_get_swarm_params(gs["params"]), who);
    const json sn = json::parse(get_service_nodes_request());
    EXPECT_EQ(sn["method"], "oxend_request");
    EXPECT_TRUE(parse_oxend_request_params(sn["params"]).ok());
    EXPECT_EQ(sn["params"]["params"]["active_only"], true);
    for (const char* f : {"public_ip", "storage_port", "pubkey_ed25519", "pubkey_x25519", "swarm_id"}) {
        EXPECT_EQ(sn["params"]["params"]["fields"][f], true) << f;
    }
}

TEST(DirectoryRpcTest, BadRequestParamsAreRefusedWithTheNodesText) {
    for (const char* params : {R"({})", R"({"pubkey": 5})", R"({"pubkey": "zz"})", R"({"pubkey": null})", R"([])"}) {
        const auto r = parse_get_swarm_params(json::parse(params));
        ASSERT_FALSE(r.ok()) << params;
        EXPECT_EQ(r.error().message, "get_swarm: pubkey must be a 66-character ID");
    }
    for (const char* params : {R"({})", R"({"endpoint": "get_n_service_nodes"})", R"({"endpoint": 1})"}) {
        const auto r = parse_oxend_request_params(json::parse(params));
        ASSERT_FALSE(r.ok()) << params;
        EXPECT_EQ(r.error().code, ErrorCode::unsupported);
    }
}

TEST(DirectoryRpcTest, GetSwarmReplyRoundTripsWithTheSwarmId) {
    const auto swarm = nodes(5);
    const std::string body = get_swarm_reply(swarm, SwarmId{0xabc});
    const json j = json::parse(body);
    EXPECT_EQ(j["swarm"], "abc");
    EXPECT_EQ(j["snodes"][0]["port"], std::to_string(STORAGE_HTTPS_PORT));  // a string, as oxenss
    EXPECT_EQ(j["snodes"][0]["port_omq"], STORAGE_OMQ_PORT);
    const auto parsed = parse_get_swarm_reply(body);
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed->size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ((*parsed)[i].ed25519, swarm[i].ed25519);
        EXPECT_EQ((*parsed)[i].x25519, swarm[i].x25519);
        EXPECT_EQ((*parsed)[i].address, swarm[i].address);
        EXPECT_EQ((*parsed)[i].swarm_id, 0xabcu);
    }
    EXPECT_EQ(json::parse(get_swarm_reply({}, std::nullopt))["swarm"], "");
}

TEST(DirectoryRpcTest, ServiceNodeStatesRoundTrip) {
    const auto list = nodes(7);
    const std::string body = get_service_nodes_reply(service_node_states_json(list));
    const auto parsed = parse_get_service_nodes_reply(body);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, list);
    // The bare form is accepted too.
    const auto bare = parse_get_service_nodes_reply("{\"service_node_states\":" + service_node_states_json(list) + "}");
    ASSERT_TRUE(bare.ok());
    EXPECT_EQ(*bare, list);
}

TEST(DirectoryRpcTest, MalformedEntriesAreDroppedAndEmptyRepliesRefused) {
    const auto list = nodes(4);
    json j = json::parse(get_service_nodes_reply(service_node_states_json(list)));
    auto& states = j["result"]["service_node_states"];
    states[0]["public_ip"] = "0.0.0.0";
    states[1]["storage_port"] = 70000;
    states[2] = "junk";
    const auto parsed = parse_get_service_nodes_reply(j.dump());
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed->size(), 1u);
    EXPECT_EQ((*parsed)[0], list[3]);
    for (const char* body : {"", "nope", "[]", "{}", R"({"result": {"service_node_states": {}}})",
                             R"({"result": {"service_node_states": [1, 2]}})", R"({"snodes": "x"})",
                             R"({"snodes": [{"ip": "1.2.3.4", "port": "0", "pubkey_ed25519": "", "pubkey_x25519": ""}]})"}) {
        EXPECT_FALSE(parse_get_service_nodes_reply(body).ok()) << body;
        EXPECT_FALSE(parse_get_swarm_reply(body).ok()) << body;
    }
}

TEST(DirectoryRpcTest, SwarmEntriesAcceptNumericPortsAndPortHttps) {
    const auto list = nodes(2);
    json j = json::parse(get_swarm_reply(list, SwarmId{1}));
    j["snodes"][0]["port"] = 22021;
    j["snodes"][1].erase("port");
    j["snodes"][1]["port_https"] = "22021";
    j["swarm"] = "not hex";
    const auto parsed = parse_get_swarm_reply(j.dump());
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed->size(), 2u);
    EXPECT_EQ((*parsed)[0].swarm_id, UINT64_MAX);  // no usable swarm id
}

TEST(DirectoryRpcTest, Ipv4ParsingIsStrict) {
    EXPECT_EQ(parse_ipv4("10.0.1.2"), 0x0A000102u);
    EXPECT_EQ(parse_ipv4("255.255.255.255"), 0xFFFFFFFFu);
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "-1.2.3.4", "1..2.3", "0001.2.3.4", "a.b.c.d"}) {
        EXPECT_FALSE(parse_ipv4(bad)) << bad;
    }
}

}  // namespace
}  // namespace sessionproto
