// The storage RPC `batch` codec (models/session/storage/batch_rpc.hpp): the body a client sends,
// what a node accepts (1 to 20 sub-requests, oxenss), and the reply both ways.
#include "models/session/storage/batch_rpc.hpp"

#include <gtest/gtest.h>

#include "models/session/crypto/keys.hpp"
#include "models/session/common/canonical_json.hpp"
#include "models/session/common/entropy.hpp"
#include "tests/support/text_mutation.hpp"

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

// The client's reading of a batch reply's text is the tree's (parse, then parse_batch_reply), the
// bodies past `bodies_read` left null: on replies as nodes write them (canonical or not: escapes
// beyond \" and \\, whitespace, keys out of order, odd codes) and one-character mutations of them,
// for the right count and wrong ones; both paths reached.
TEST(BatchRpc, AReplysTextReadsAsItsTree) {
    DeterministicEntropy entropy(11, "batch reply text");
    auto below = [&](std::size_t n) { return static_cast<std::size_t>(entropy.uniform(n)); };
    const std::vector<BatchAnswer> answers = {
        {200, R"({"messages":[],"more":false,"t":1767225600000})", true},
        {200, R"({"messages":[{"data":"AAEC+/==","expiration":1,"hash":"x","timestamp":2}],"more":true,"t":3})", true},
        {200, R"({"hash":"h","swarm":{"aa":{"failed":true,"timeout":true},"bb":{"expiry":5,"signature":"c2ln"}},"t":1})", true},
        {421, R"({"snodes":[{"ip":"1.2.3.4"}]})", true},
        {400, "Wrong \"swarm\"", false},
        {500, "caf\xc3\xa9\n", false},
        {200, R"({ "messages": [] })", true},
        {200, R"({"b":1,"a":2})", true},
    };
    const std::string chars = "{}[]\":,0123456789-. abcodesultr\\";
    std::size_t fast = 0, slow = 0;
    for (int round = 0; round < 8000; ++round) {
        std::vector<BatchAnswer> picked(1 + below(4));
        for (auto& a : picked) a = answers[below(answers.size())];
        std::string text = batch_reply_body(picked);
        if (below(3) == 0) text = sessionsim::test::mutate_one_character(std::move(text), chars, below);
        const std::size_t expected = below(5) == 0 ? picked.size() + 1 - below(3) : picked.size();  // sometimes wrong
        const std::size_t bodies_read = below(expected + 1);
        Result<std::vector<BatchResult>> reference = [&]() -> Result<std::vector<BatchResult>> {
            json j = json::parse(text, nullptr, false);
            if (j.is_discarded()) return Error{ErrorCode::bad_encoding, "not JSON"};
            return parse_batch_reply(std::move(j), expected);
        }();
        if (reference) {
            for (std::size_t i = bodies_read; i < reference->size(); ++i) (*reference)[i].body = json();
        }
        const auto ours = parse_batch_reply_text(text, expected, bodies_read);
        ASSERT_EQ(ours.ok(), reference.ok()) << text;
        if (ours) {
            ASSERT_EQ(*ours, *reference) << text;
        } else {
            ASSERT_EQ(ours.error().message, reference.error().message) << text;
        }
        (ours && is_canonical_json_object(text) ? fast : slow) += 1;
    }
    EXPECT_GT(fast, 1000u);
    EXPECT_GT(slow, 1000u);
}

}  // namespace
}  // namespace sessionproto
