// Reply classification alone (models/session/node/client/reply_classifier.hpp): each transport
// status and destination answer, with a real onion reply key.
#include "models/session/node/client/reply_classifier.hpp"

#include <gtest/gtest.h>

#include "models/session/onion/hop_processing.hpp"
#include "models/session/onion/response.hpp"

namespace sessionproto {
namespace {

struct Onion {
    DeterministicEntropy entropy{3, "reply_classifier"};
    Ed25519Keypair guard_ed = ed25519_generate(entropy);
    X25519Keypair guard_x = x25519_from_ed25519(guard_ed);
    Ed25519Keypair dest_ed = ed25519_generate(entropy);
    X25519Keypair dest_x = x25519_from_ed25519(dest_ed);
    OnionRequest request;
    FinalDestination at_destination;

    Onion() {
        const std::vector<SnodeKeys> path{SnodeKeys{guard_ed.pub, guard_x.pub}};
        auto built = build_onion_request(as_bytes(std::string("{}")), path, SnodeKeys{dest_ed.pub, dest_x.pub},
                                         EncType::xchacha20, entropy);
        EXPECT_TRUE(built.ok());
        request = *built;
        auto hop = parse_entry_request(request.body);
        auto relay = peel_onion_layer(guard_x, std::move(*hop));
        auto final_dest = peel_onion_layer(dest_x, std::move(std::get<RelayToNode>(*relay).hop));
        at_destination = std::get<FinalDestination>(*final_dest);
    }
    /// The destination answers `status`, `body` (encrypted, in a transport 200).
    ClassifiedReply answer(int status, std::string body) {
        auto bytes = encode_snode_response(at_destination, OnionResponse{status, std::move(body)}, entropy);
        EXPECT_TRUE(bytes.ok());
        return classify_onion_reply(200, *bytes, request, 7);
    }
    ClassifiedReply clear(std::uint32_t status, const std::string& text) {
        return classify_onion_reply(status, as_bytes(text), request, 7);
    }
};

TEST(ClientReplyClassifierTest, DestinationAnswersAreDecryptedAndClassified) {
    Onion o;
    auto ok = o.answer(200, "{\"fine\":1}");
    EXPECT_EQ(ok.source, ReplySource::destination);
    EXPECT_EQ(ok.verdict, ReplyVerdict::ok);
    EXPECT_TRUE(ok.outcome.ok);
    EXPECT_EQ(ok.outcome.status, 200);
    EXPECT_EQ(ok.outcome.body, "{\"fine\":1}");
    EXPECT_EQ(ok.outcome.path_id, 7u);
    EXPECT_EQ(o.answer(406, "").verdict, ReplyVerdict::clock_error);
    EXPECT_EQ(o.answer(425, "").verdict, ReplyVerdict::clock_error);
    EXPECT_EQ(o.answer(421, "{}").verdict, ReplyVerdict::wrong_swarm);
    EXPECT_EQ(o.answer(400, "bad").verdict, ReplyVerdict::no_penalty);
    EXPECT_EQ(o.answer(503, "busy").verdict, ReplyVerdict::node_error);
    const auto gone = o.answer(502, "Next node not found: " + o.guard_ed.pub.hex());
    EXPECT_EQ(gone.verdict, ReplyVerdict::next_node_not_found);
    EXPECT_EQ(gone.source, ReplySource::destination);
    EXPECT_EQ(gone.missing_node, o.guard_ed.pub);
}

TEST(ClientReplyClassifierTest, ClearStatusesComeFromThePath) {
    Onion o;
    for (std::uint32_t s : {406u, 425u}) EXPECT_EQ(o.clear(s, "").verdict, ReplyVerdict::clock_error);
    for (std::uint32_t s : {400u, 404u}) EXPECT_EQ(o.clear(s, "").verdict, ReplyVerdict::no_penalty);
    const auto gone = o.clear(502, "Next node not found: " + o.dest_ed.pub.hex());
    EXPECT_EQ(gone.source, ReplySource::path);
    EXPECT_EQ(gone.verdict, ReplyVerdict::next_node_not_found);
    EXPECT_EQ(gone.missing_node, o.dest_ed.pub);
    const auto other = o.clear(504, "Request time out");
    EXPECT_EQ(other.verdict, ReplyVerdict::path_error);
    EXPECT_EQ(other.text, "Request time out");
    EXPECT_EQ(other.transport_status, 504u);
    EXPECT_FALSE(other.outcome.ok);
    // A malformed key after the prefix is an ordinary path error.
    EXPECT_EQ(o.clear(502, "Next node not found: zz").verdict, ReplyVerdict::path_error);
}

TEST(ClientReplyClassifierTest, ATamperedReplyIsUndecryptable) {
    Onion o;
    auto bytes = encode_snode_response(o.at_destination, OnionResponse{200, "{}"}, o.entropy);
    ASSERT_TRUE(bytes.ok());
    for (std::size_t i = 0; i < bytes->size(); i += 7) {
        Bytes bad = *bytes;
        bad[i] ^= std::byte{0x01};
        const auto c = classify_onion_reply(200, bad, o.request, 1);
        EXPECT_EQ(c.source, ReplySource::path) << i;
        EXPECT_EQ(c.verdict, ReplyVerdict::undecryptable) << i;
    }
    EXPECT_EQ(classify_onion_reply(200, Bytes{}, o.request, 1).verdict, ReplyVerdict::undecryptable);
}

TEST(ClientReplyClassifierTest, NextNodeNotFoundNeedsTheExactPrefixAndAKey) {
    const std::string key(64, 'a');
    EXPECT_TRUE(next_node_not_found("Next node not found: " + key));
    EXPECT_TRUE(next_node_not_found("Next node not found: " + key + " trailing"));
    EXPECT_FALSE(next_node_not_found("next node not found: " + key));
    EXPECT_FALSE(next_node_not_found("Next node not found: " + key.substr(0, 63)));
    EXPECT_FALSE(next_node_not_found(""));
}

}  // namespace
}  // namespace sessionproto
