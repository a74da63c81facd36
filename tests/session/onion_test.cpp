#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "models/session/common/canonical_json.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/onion/bencode.hpp"
#include "models/session/onion/builder.hpp"
#include "models/session/onion/frame.hpp"
#include "models/session/onion/hop_processing.hpp"
#include "models/session/onion/response.hpp"
#include "models/session/storage/batch_rpc.hpp"
#include "tests/support/text_mutation.hpp"

namespace sessionproto {
namespace {

struct Node {
    Ed25519Keypair identity;
    X25519Keypair x;
    SnodeKeys keys() const { return SnodeKeys{identity.pub, x.pub}; }
};

Node make_node(Entropy& entropy) {
    Node n;
    n.identity = ed25519_generate(entropy);
    n.x = x25519_from_ed25519(n.identity);
    return n;
}

class OnionTest : public ::testing::TestWithParam<EncType> {
  protected:
    DeterministicEntropy entropy{3, "onion_test"};
    std::vector<Node> nodes = [this] {
        std::vector<Node> v;
        for (int i = 0; i < 4; ++i) v.push_back(make_node(entropy));
        return v;
    }();
    std::vector<SnodeKeys> path() const { return {nodes[0].keys(), nodes[1].keys(), nodes[2].keys()}; }
    const std::string payload = R"({"method":"retrieve","params":{"pubkey":"05ab"}})";

    OnionRequest build() {
        auto r = build_onion_request(as_bytes(payload), path(), nodes[3].keys(), GetParam(), entropy);
        EXPECT_TRUE(r.ok()) << r.error().message;
        return *r;
    }
};

TEST_P(OnionTest, ThreeHopsThenTheDestinationAndTheReplyBack) {
    const OnionRequest request = build();
    auto hop = parse_entry_request(request.body);
    ASSERT_TRUE(hop.ok()) << hop.error().message;
    EXPECT_EQ(hop->hop_no, 0u);
    for (int i = 0; i < 3; ++i) {
        auto action = peel_onion_layer(nodes[i].x, std::move(*hop));
        ASSERT_TRUE(action.ok()) << "hop " << i << ": " << action.error().message;
        auto* relay = std::get_if<RelayToNode>(&*action);
        ASSERT_NE(relay, nullptr) << "hop " << i;
        EXPECT_EQ(relay->next, nodes[i + 1].identity.pub);
        EXPECT_EQ(relay->hop.hop_no, static_cast<std::uint32_t>(i + 1));
        // Between nodes the layer travels bencoded.
        auto relayed = parse_relay(encode_relay(relay->hop));
        ASSERT_TRUE(relayed.ok()) << relayed.error().message;
        EXPECT_EQ(relayed->ciphertext, relay->hop.ciphertext);
        hop = std::move(relayed);
    }
    auto final_action = peel_onion_layer(nodes[3].x, std::move(*hop));
    ASSERT_TRUE(final_action.ok()) << final_action.error().message;
    auto* final = std::get_if<FinalDestination>(&*final_action);
    ASSERT_NE(final, nullptr);
    EXPECT_EQ(to_string(final->request), payload);
    EXPECT_EQ(final->reply_key, request.destination_key);
    EXPECT_TRUE(final->base64);

    const auto reply = encode_snode_response(*final, OnionResponse{200, R"({"messages":[]})"}, entropy);
    ASSERT_TRUE(reply.ok());
    const auto decoded = decode_snode_response(request, *reply);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->status, 200);
    EXPECT_EQ(decoded->body, R"({"messages":[]})");
}

TEST_P(OnionTest, EveryTamperedByteOfTheFirstLayerIsRejected) {
    const OnionRequest request = build();
    const OnionHop original = *parse_entry_request(request.body);
    for (std::size_t i = 0; i < original.ciphertext.size(); ++i) {
        OnionHop bad = original;
        bad.ciphertext[i] ^= std::byte{0x01};
        const auto action = peel_onion_layer(nodes[0].x, std::move(bad));
        ASSERT_FALSE(action.ok()) << "byte " << i;
        EXPECT_EQ(action.error().code, ErrorCode::decrypt_failed);
    }
    // Truncated, extended, empty.
    OnionHop cut = original;
    cut.ciphertext.pop_back();
    EXPECT_EQ(peel_onion_layer(nodes[0].x, cut).error().code, ErrorCode::decrypt_failed);
    OnionHop longer = original;
    longer.ciphertext.push_back(std::byte{0});
    EXPECT_EQ(peel_onion_layer(nodes[0].x, longer).error().code, ErrorCode::decrypt_failed);
    OnionHop empty = original;
    empty.ciphertext.clear();
    EXPECT_EQ(peel_onion_layer(nodes[0].x, empty).error().code, ErrorCode::bad_length);
    // The wrong hop (hop 1 given hop 0's layer) and a wrong ephemeral key.
    EXPECT_EQ(peel_onion_layer(nodes[1].x, original).error().code, ErrorCode::decrypt_failed);
    OnionHop wrong_key = original;
    wrong_key.ephemeral = nodes[2].x.pub;
    EXPECT_EQ(peel_onion_layer(nodes[0].x, wrong_key).error().code, ErrorCode::decrypt_failed);
}

TEST_P(OnionTest, TamperedReplyIsRejected) {
    const OnionRequest request = build();
    FinalDestination final{to_bytes("x"), request.destination_key, GetParam(), false, false};
    const Bytes reply = *encode_snode_response(final, OnionResponse{200, "ok"}, entropy);
    ASSERT_TRUE(decode_snode_response(request, reply).ok());
    for (std::size_t i = 0; i < reply.size(); ++i) {
        Bytes bad = reply;
        bad[i] ^= std::byte{0x80};
        EXPECT_FALSE(decode_snode_response(request, bad).ok()) << i;
    }
}

// Sampled crypto: a modelled request is the real one's size and structure, hop by hop, with no
// key work; nodes open it only when told to (a sampled run), and refuse it otherwise.
TEST_P(OnionTest, AModelledRequestHasTheRealSizesAndIsOpenedOnlyWhenAccepted) {
    const OnionRequest real = build();
    auto built = build_onion_request(as_bytes(payload), path(), nodes[3].keys(), GetParam(), entropy,
                                     CryptoWork::modelled);
    ASSERT_TRUE(built.ok()) << built.error().message;
    const OnionRequest& modelled = *built;
    EXPECT_TRUE(modelled.modelled);
    EXPECT_FALSE(real.modelled);
    EXPECT_EQ(modelled.body.size(), real.body.size());

    // Refused without acceptance, by every node, as libsodium refuses the zero key.
    const OnionHop entry = *parse_entry_request(modelled.body);
    EXPECT_TRUE(std::all_of(entry.ephemeral.data.begin(), entry.ephemeral.data.end(),
                            [](std::byte b) { return b == std::byte{0}; }));
    EXPECT_FALSE(peel_onion_layer(nodes[0].x, entry).ok());
    // A real request is unaffected by acceptance.
    EXPECT_TRUE(peel_onion_layer(nodes[0].x, *parse_entry_request(real.body), true).ok());

    auto hop = parse_entry_request(modelled.body);
    auto real_hop = parse_entry_request(real.body);
    for (int i = 0; i < 3; ++i) {
        auto action = peel_onion_layer(nodes[i].x, std::move(*hop), true);
        auto real_action = peel_onion_layer(nodes[i].x, std::move(*real_hop));
        ASSERT_TRUE(action.ok()) << "hop " << i << ": " << action.error().message;
        auto* relay = std::get_if<RelayToNode>(&*action);
        auto* real_relay = std::get_if<RelayToNode>(&*real_action);
        ASSERT_NE(relay, nullptr);
        ASSERT_NE(real_relay, nullptr);
        EXPECT_EQ(relay->next, nodes[i + 1].identity.pub);
        EXPECT_EQ(encode_relay(relay->hop).size(), encode_relay(real_relay->hop).size()) << "hop " << i;
        hop = relay->hop;
        real_hop = real_relay->hop;
    }
    auto final_action = peel_onion_layer(nodes[3].x, std::move(*hop), true);
    ASSERT_TRUE(final_action.ok()) << final_action.error().message;
    auto& final = std::get<FinalDestination>(*final_action);
    EXPECT_TRUE(final.modelled);
    EXPECT_EQ(to_string(final.request), payload);
    const auto reply = encode_snode_response(final, OnionResponse{200, R"({"messages":[]})"}, entropy);
    ASSERT_TRUE(reply.ok());
    auto real_final = std::get<FinalDestination>(*peel_onion_layer(nodes[3].x, std::move(*real_hop)));
    EXPECT_EQ(reply->size(), encode_snode_response(real_final, OnionResponse{200, R"({"messages":[]})"}, entropy)->size());
    const auto decoded = decode_snode_response(modelled, *reply);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->body, R"({"messages":[]})");
    // A real client cannot read a modelled reply, nor a modelled client a real one.
    EXPECT_FALSE(decode_snode_response(real, *reply).ok());
}

TEST_P(OnionTest, AModelledLayerWithANonZeroNonceOrTagIsRefused) {
    const Bytes sealed = seal_layer_modelled(GetParam(), to_bytes("abc"));
    EXPECT_EQ(sealed.size(), 3 + layer_overhead(GetParam()));
    Bytes ok = sealed;
    ASSERT_TRUE(open_layer_modelled_in_place(GetParam(), ok).ok());
    EXPECT_EQ(to_string(ok), "abc");
    for (const std::size_t i : {std::size_t{0}, nonce_size(GetParam()) - 1, sealed.size() - 1}) {
        Bytes bad = sealed;
        bad[i] = std::byte{1};
        EXPECT_EQ(open_layer_modelled_in_place(GetParam(), bad).error().code, ErrorCode::decrypt_failed) << i;
    }
    Bytes short_one(layer_overhead(GetParam()) - 1);
    EXPECT_EQ(open_layer_modelled_in_place(GetParam(), short_one).error().code, ErrorCode::bad_length);
}

INSTANTIATE_TEST_SUITE_P(BothCiphers, OnionTest, ::testing::Values(EncType::xchacha20, EncType::aes_gcm),
                         [](const auto& info) { return std::string(info.param == EncType::aes_gcm ? "aes_gcm" : "xchacha20"); });

TEST(Onion, ServerDestinationIsProxiedWithTheWholeFrame) {
    DeterministicEntropy entropy(9, "server");
    std::vector<Node> nodes;
    for (int i = 0; i < 3; ++i) nodes.push_back(make_node(entropy));
    const X25519Keypair server = x25519_generate(entropy);
    ServerDestination dest;
    dest.host = "filev2.example";
    dest.x25519 = server.pub;
    const std::vector<SnodeKeys> path{nodes[0].keys(), nodes[1].keys(), nodes[2].keys()};
    const auto request = build_onion_request(to_bytes("l5:helloe"), path, dest, EncType::xchacha20, entropy);
    ASSERT_TRUE(request.ok());
    auto hop = *parse_entry_request(request->body);
    for (int i = 0; i < 2; ++i) hop = std::get<RelayToNode>(*peel_onion_layer(nodes[i].x, std::move(hop))).hop;
    const auto action = peel_onion_layer(nodes[2].x, std::move(hop));
    ASSERT_TRUE(action.ok()) << action.error().message;
    const auto& proxy = std::get<ProxyToServer>(*action);
    EXPECT_EQ(proxy.host, "filev2.example");
    EXPECT_EQ(proxy.target, "/oxen/v4/lsrpc");
    EXPECT_EQ(proxy.port, 443);
    // The server receives frame(ciphertext, routing) and can decrypt the ciphertext.
    const auto framed = parse_frame(proxy.body);
    ASSERT_TRUE(framed.ok());
    const auto eph = X25519Pubkey::from_hex(framed->control.at("ephemeral_key").get<std::string>());
    const auto key = node_layer_key(EncType::xchacha20, server.sec, server.pub, *eph);
    EXPECT_EQ(to_string(*open_layer(EncType::xchacha20, *key, framed->blob)), "l5:helloe");
    // A target Session refuses is refused at build time.
    dest.target = "/oxen/v4/lsrpc?x=1";
    EXPECT_EQ(build_onion_request(to_bytes("x"), path, dest, EncType::xchacha20, entropy).error().code,
              ErrorCode::invalid_argument);
    EXPECT_FALSE(onion_target_allowed("/other/lsrpc"));
    EXPECT_TRUE(onion_target_allowed("/loki/v3/lsrpc"));
}

TEST(Onion, HopLimitStopsEndlessRelays) {
    DeterministicEntropy entropy(5, "limit");
    const Node a = make_node(entropy), b = make_node(entropy);
    auto request = build_onion_request(to_bytes("{}"), std::vector<SnodeKeys>{a.keys()}, b.keys(), EncType::xchacha20,
                                       entropy);
    ASSERT_TRUE(request.ok());
    OnionHop hop = *parse_entry_request(request->body);
    hop.hop_no = static_cast<std::uint32_t>(MAX_ONION_HOPS);
    EXPECT_EQ(peel_onion_layer(a.x, std::move(hop)).error().code, ErrorCode::hop_limit);
    OnionHop relay{to_bytes("x"), a.x.pub, EncType::xchacha20, static_cast<std::uint32_t>(MAX_ONION_HOPS + 1)};
    EXPECT_EQ(parse_relay(encode_relay(relay)).error().code, ErrorCode::hop_limit);
    EXPECT_EQ(build_onion_request(to_bytes("x"), std::vector<SnodeKeys>{}, b.keys(), EncType::xchacha20, entropy)
                  .error()
                  .code,
              ErrorCode::invalid_argument);
}

TEST(Onion, EntryRequestsAreValidated) {
    const Bytes ct = to_bytes("0123456789012345678901234567890123456789");
    auto body = [&](const nlohmann::json& control) { return frame(ct, control); };
    const std::string key(64, 'a');
    EXPECT_TRUE(parse_entry_request(body({{"ephemeral_key", key}})).ok());
    EXPECT_EQ(parse_entry_request(body({{"ephemeral_key", key}}))->enc_type, EncType::aes_gcm);  // the default
    EXPECT_EQ(parse_entry_request(body({{"enc_type", "xchacha20"}})).error().code, ErrorCode::missing_field);
    EXPECT_EQ(parse_entry_request(body({{"ephemeral_key", key}, {"enc_type", "aes-cbc"}})).error().code,
              ErrorCode::unknown_enc_type);
    EXPECT_EQ(parse_entry_request(body({{"ephemeral_key", "zz"}})).error().code, ErrorCode::bad_encoding);
    EXPECT_EQ(parse_entry_request(body({{"ephemeral_key", 5}})).error().code, ErrorCode::missing_field);
    EXPECT_EQ(parse_entry_request(body({{"ephemeral_key", key}, {"hop_no", -1}})).error().code, ErrorCode::hop_limit);
    EXPECT_EQ(parse_entry_request(to_bytes("\x05")).error().code, ErrorCode::truncated);
    Bytes lying = body({{"ephemeral_key", key}});
    lying[0] = std::byte{0xFF};
    EXPECT_EQ(parse_entry_request(lying).error().code, ErrorCode::truncated);
    Bytes not_json = frame(ct, nlohmann::json::object());
    not_json.back() = std::byte{'x'};
    EXPECT_EQ(parse_entry_request(not_json).error().code, ErrorCode::bad_encoding);
    EXPECT_EQ(parse_frame(frame(ct, nlohmann::json::array())).error().code, ErrorCode::bad_encoding);
}

// ---- The {"body", "status"} wrapper, written and read without the tree when it can be ----------

using nlohmann::json;

/// The wrapper as the storage server writes it: the body parsed (json_body) and the whole dumped.
std::string reference_response_json(bool json_body, const OnionResponse& response) {
    json out;
    out["status"] = response.status;
    json body = json_body ? json::parse(response.body, nullptr, false) : json();
    if (json_body && !body.is_discarded()) {
        out["body"] = std::move(body);
    } else {
        out["body"] = response.body;
    }
    return out.dump();
}

/// The client's reading of the wrapper through the parsed tree: a leading space makes any text
/// non-canonical (read_snode_response_json then parses it) and changes nothing the tree holds.
Result<OnionResponse> tree_read(std::string_view text) {
    std::string padded(1, ' ');
    padded.append(text);
    return read_snode_response_json(padded);
}

// Bodies as nodes answer (batch replies, retrieve and swarm replies, error texts, texts with
// escapes, keys out of order, non-objects) and one-character mutations of the wrapper: the text
// and the reading are those of the tree, whichever path was taken.
TEST(OnionResponseText, WrittenAndReadAsTheTreeWouldBe) {
    DeterministicEntropy entropy(9, "response text");
    auto below = [&](std::size_t n) { return static_cast<std::size_t>(entropy.uniform(n)); };
    const std::vector<std::string> bodies = {
        batch_reply_body({BatchAnswer{200, R"({"messages":[],"more":false,"t":1767225600000})", true},
                          BatchAnswer{200, R"({"hash":"h","swarm":{"aa":{"failed":true,"timeout":true}},"t":1})", true},
                          BatchAnswer{421, "Wrong \"swarm\"", false}}),
        R"({"messages":[{"data":"AAEC+/==","expiration":1,"hash":"x","timestamp":2}],"more":true,"t":3})",
        R"({"b":1,"a":2})", R"({ "a": 1 })", R"({"a":"\u00e9\n"})", "Invalid request", "", "123", R"("text")",
        "[1,2]", R"({"a":1.5})", "{\"a\":\"\xc3\xa9\"}", "{\"a\":\"\xff\"}", "null",
    };
    const std::string chars = "{}[]\":,0123456789-. abtrue\\";
    std::size_t fast = 0, slow = 0;
    for (int round = 0; round < 4000; ++round) {
        const bool json_body = below(4) != 0;
        const OnionResponse response{static_cast<int>(below(2) == 0 ? 200 : 100 + below(500)), bodies[below(bodies.size())]};
        FinalDestination request;
        request.json_body = json_body;
        std::string text;
        try {
            text = reference_response_json(json_body, response);
        } catch (const json::exception&) {  // a body of invalid UTF-8 as a string: dump() throws
            continue;
        }
        ASSERT_EQ(snode_response_json(request, response), text) << response.body;
        for (int m = 0; m < 3; ++m) {
            const std::string mutated = m > 0 ? sessionsim::test::mutate_one_character(text, chars, below) : text;
            const auto ours = read_snode_response_json(mutated);
            const auto theirs = tree_read(mutated);
            ASSERT_EQ(ours.ok(), theirs.ok()) << mutated;
            if (ours.ok()) {
                ASSERT_EQ(ours->status, theirs->status) << mutated;
                ASSERT_EQ(ours->body, theirs->body) << mutated;
            } else {
                ASSERT_EQ(ours.error().message, theirs.error().message) << mutated;
            }
            (is_canonical_json_object(mutated) ? fast : slow) += 1;
        }
    }
    EXPECT_GT(fast, 2000u);  // both paths are exercised
    EXPECT_GT(slow, 2000u);
}

// A batch reply is written with sorted keys, as oxenss's nlohmann::json replies are: the text is
// what parsing and writing it back gives.
TEST(OnionResponseText, ABatchReplyIsWrittenWithSortedKeys) {
    const std::string text = batch_reply_body({BatchAnswer{200, R"({"messages":[],"t":1})", true},
                                               BatchAnswer{400, "bad", false}});
    EXPECT_EQ(text, R"({"results":[{"body":{"messages":[],"t":1},"code":200},{"body":"bad","code":400}]})");
    EXPECT_EQ(json::parse(text).dump(), text);
}

TEST(Bencode, FlatDictRoundTripAndStrictness) {
    const BencodeDict d{{"b", std::int64_t{-5}}, {"a", std::string("x:y")}};
    const Bytes enc = bencode_dict(d);
    EXPECT_EQ(to_string(enc), "d1:a3:x:y1:bi-5ee");
    EXPECT_EQ(*bdecode_dict(enc), d);
    for (const char* bad : {"", "d", "de ", "d1:ai1e1:ai2ee", "d1:bi1e1:ai2ee", "d1:ai01ee", "d1:ai-0ee", "d1:ali1eee",
                            "d1:a5:abce", "l1:ae", "d1:ad1:bi1eee", "d1:ai99999999999999999999ee", "d01:ai1ee"}) {
        EXPECT_FALSE(bdecode_dict(to_bytes(bad)).ok()) << bad;
    }
    EXPECT_TRUE(bdecode_dict(to_bytes("de")).ok());
}

}  // namespace
}  // namespace sessionproto
