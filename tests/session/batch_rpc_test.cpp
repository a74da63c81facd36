// The storage RPC `batch` codec (models/session/storage/batch_rpc.hpp): the body a client sends,
// what a node accepts (1 to 20 sub-requests, oxenss), and the reply both ways.
#include "models/session/storage/batch_rpc.hpp"

#include <gtest/gtest.h>

#include "models/session/crypto/keys.hpp"
#include "models/session/common/entropy.hpp"

namespace sessionproto {
namespace {

using nlohmann::json;

TEST(BatchRpc, ABodyCarriesEachSubRequestInOrderAndParsesBack) {
    DeterministicEntropy e(3, "batch");
    const auto signer = ed25519_generate(e);
    const SessionId owner = AccountId(x25519_from_ed25519(signer).pub).as_session_id();
    std::vector<RpcRequest> subs{make_retrieve(owner, Namespace::default_ns, "", 1'767'225'600'000, signer),
                                 make_retrieve(owner, Namespace::user_groups, std::string(43, 'a'), 1'767'225'600'000, signer)};
    const json body = json::parse(batch_body(subs));
    EXPECT_EQ(body.at("method"), "batch");
    auto parsed = parse_batch_params(body.at("params"));
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed->size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ((*parsed)[i].method, "retrieve");
        auto r = parse_rpc_params((*parsed)[i].method, (*parsed)[i].params);
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(std::get<RetrieveRequest>(*r).ns, std::get<RetrieveRequest>(subs[i]).ns);
    }
}

TEST(BatchRpc, TheNodeRefusesWhatOxenssRefuses) {
    auto error = [](const char* text) {
        auto r = parse_batch_params(json::parse(text));
        return r.ok() ? std::string("accepted") : r.error().message;
    };
    EXPECT_EQ(error(R"({})"), "Required field 'requests' missing");
    EXPECT_NE(error(R"({"requests": {}})").find("'requests'"), std::string::npos);
    EXPECT_NE(error(R"({"requests": []})").find("no sub-requests"), std::string::npos);
    EXPECT_NE(error(R"({"requests": [1]})").find("a list of objects"), std::string::npos);
    EXPECT_EQ(error(R"({"requests": [{"params": {}}]})"), "Required field 'method' missing");
    EXPECT_EQ(error(R"({"requests": [{"method": "retrieve"}]})"), "Required field 'params' missing");
    EXPECT_NE(error(R"({"requests": [{"method": "retrieve", "params": 3}]})").find("an object"), std::string::npos);
    json many = {{"requests", json::array()}};
    for (std::size_t i = 0; i <= BATCH_MAX_SUBREQUESTS; ++i) many["requests"].push_back({{"method", "info"}, {"params", json::object()}});
    EXPECT_NE(parse_batch_params(many).error().message.find("at most 20"), std::string::npos);
    many["requests"].erase(many["requests"].begin());
    EXPECT_TRUE(parse_batch_params(many).ok());  // exactly 20
}

TEST(BatchRpc, AReplyKeepsEachResultsCodeAndBody) {
    const std::string text = batch_reply_body({BatchAnswer{200, R"({"messages":[]})", true},
                                               BatchAnswer{421, R"({"snodes":[]})", true},
                                               BatchAnswer{400, "bad \"thing\"", false}});
    EXPECT_EQ(text.substr(0, 12), R"({"results":[)");
    auto parsed = parse_batch_reply(json::parse(text), 3);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ((*parsed)[0], (BatchResult{200, json::parse(R"({"messages":[]})")}));
    EXPECT_EQ((*parsed)[1].code, 421);
    EXPECT_EQ((*parsed)[2], (BatchResult{400, json("bad \"thing\"")}));
    EXPECT_FALSE(parse_batch_reply(json::parse(text), 2).ok());  // a count that is not the request's
    EXPECT_FALSE(parse_batch_reply(json::parse(R"({"results":[{"code":9999,"body":1}]})"), 1).ok());
    EXPECT_FALSE(parse_batch_reply(json::parse(R"({"results":[{"body":1}]})"), 1).ok());
    EXPECT_FALSE(parse_batch_reply(json::parse(R"({"results":3})"), 1).ok());
}

}  // namespace
}  // namespace sessionproto
