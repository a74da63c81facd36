// The shared pool reply (models/session/node/pool_reply.hpp) and the decoded-reply memo
// (models/session/onion/decoded_reply_memo.hpp): built once, they give exactly the bytes and the
// results the per-request path gives, and the memo never answers for bytes it has not seen.
#include <gtest/gtest.h>

#include "models/session/node/pool_cache.hpp"
#include "models/session/node/pool_reply.hpp"
#include "models/session/onion/builder.hpp"
#include "models/session/onion/decoded_reply_memo.hpp"
#include "models/session/onion/hop_processing.hpp"
#include "models/session/onion/response.hpp"
#include "models/session/storage/directory_rpc.hpp"

namespace sessionproto {
namespace {

/// `n` listed nodes: 400 make a reply of ~100 KB, above DecodedReplyMemo::LARGE.
std::vector<SnodeRecord> listed(int n, std::uint64_t seed = 9) {
    DeterministicEntropy e(seed, "pool_reply");
    std::vector<SnodeRecord> out;
    for (int i = 0; i < n; ++i) {
        const auto kp = ed25519_generate(e);
        out.push_back(SnodeRecord{kp.pub, x25519_from_ed25519(kp).pub,
                                  PeerAddress{0x0B000100u + static_cast<std::uint32_t>(i), STORAGE_HTTPS_PORT},
                                  static_cast<std::uint64_t>(1000 + i / 5)});
    }
    return out;
}

/// A modelled (or real) onion request through three nodes and the FinalDestination its last node sees.
struct Flow {
    OnionRequest request;
    FinalDestination final;
};

Flow flow(EncType enc_type, CryptoWork work, DeterministicEntropy& e) {
    std::vector<Ed25519Keypair> ids;
    std::vector<SnodeKeys> keys;
    for (int i = 0; i < 4; ++i) {
        ids.push_back(ed25519_generate(e));
        keys.push_back(SnodeKeys{ids.back().pub, x25519_from_ed25519(ids.back()).pub});
    }
    const std::string payload = get_service_nodes_request();
    auto built = build_onion_request(as_bytes(payload), std::span(keys).first(3), keys[3], enc_type, e, work);
    EXPECT_TRUE(built.ok());
    auto hop = parse_entry_request(built->body);
    const bool modelled = work == CryptoWork::modelled;
    for (int i = 0; i < 3; ++i) hop = std::get<RelayToNode>(*peel_onion_layer(x25519_from_ed25519(ids[i]), std::move(*hop), modelled)).hop;
    auto final = std::get<FinalDestination>(*peel_onion_layer(x25519_from_ed25519(ids[3]), std::move(*hop), modelled));
    return Flow{*built, std::move(final)};
}

class PoolReplyTest : public ::testing::TestWithParam<EncType> {};

TEST_P(PoolReplyTest, TheSharedReplyIsTheBytesEachRequestWouldGet) {
    const auto nodes = listed(400);
    const std::string states = service_node_states_json(nodes);
    const PoolReply shared(states);
    EXPECT_EQ(shared.text(), get_service_nodes_reply(states));
    DeterministicEntropy e(1, "pool_reply_flows");
    for (bool base64 : {true, false}) {
        for (bool json_body : {false, true}) {
            Flow f = flow(GetParam(), CryptoWork::modelled, e);
            f.final.base64 = base64;
            f.final.json_body = json_body;
            const OnionResponse response{200, get_service_nodes_reply(states)};
            EXPECT_EQ(shared.response_json(f.final), snode_response_json(f.final, response));
            const auto each = encode_snode_response(f.final, response, e);
            ASSERT_TRUE(each.ok());
            EXPECT_EQ(shared.modelled_reply(f.final), *each) << "base64 " << base64 << " json " << json_body;
            // Built once: a second request of the same shape gets the same object.
            EXPECT_EQ(&shared.modelled_reply(f.final), &shared.modelled_reply(f.final));
        }
    }
}

TEST_P(PoolReplyTest, ARealRequestIsStillSealedWithItsOwnKey) {
    const std::string states = service_node_states_json(listed(20));
    const PoolReply shared(states);
    DeterministicEntropy e(2, "pool_reply_real");
    const Flow f = flow(GetParam(), CryptoWork::real, e);
    DeterministicEntropy a(7, "seal"), b(7, "seal");
    const auto from_shared = seal_snode_response(f.final, shared.response_json(f.final), a);
    const auto each = encode_snode_response(f.final, OnionResponse{200, get_service_nodes_reply(states)}, b);
    ASSERT_TRUE(from_shared.ok() && each.ok());
    EXPECT_EQ(*from_shared, *each);
    const auto decoded = decode_snode_response(f.request, *from_shared);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->body, shared.text());
}

TEST_P(PoolReplyTest, TheMemoAnswersOnlyForTheSameLargeModelledBytes) {
    DeterministicEntropy e(3, "pool_reply_memo");
    Flow f = flow(GetParam(), CryptoWork::modelled, e);
    const PoolReply one(service_node_states_json(listed(400, 9)));
    const PoolReply other(service_node_states_json(listed(400, 10)));
    const Bytes& a = one.modelled_reply(f.final);
    const Bytes& b = other.modelled_reply(f.final);
    ASSERT_GE(a.size(), DecodedReplyMemo::LARGE);

    DecodedReplyMemo memo;
    const auto first = memo.decode(f.request, a);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->body, one.text());
    EXPECT_EQ(memo.misses(), 1u);
    const auto again = memo.decode(f.request, a);
    EXPECT_EQ(memo.hits(), 1u);
    EXPECT_EQ(again->body, first->body);
    EXPECT_EQ(again->status, 200);
    EXPECT_EQ(memo.decode(f.request, b)->body, other.text());
    EXPECT_EQ(memo.misses(), 2u);

    // One byte changed: not the bytes it saw; a corrupted modelled layer is refused, not remembered.
    Bytes tampered = a;
    tampered[tampered.size() / 2] ^= std::byte{0x01};
    const auto changed = memo.decode(f.request, tampered);
    EXPECT_EQ(changed.ok(), decode_snode_response(f.request, tampered).ok());
    if (changed.ok()) {
        EXPECT_NE(changed->body, one.text());
    }
    EXPECT_EQ(memo.hits(), 1u);

    // A byte the key's sample skips (bytes_sample_hash): the exact comparison tells them apart.
    Bytes unsampled = a;
    unsampled[17] ^= std::byte{0x01};
    ASSERT_EQ(bytes_sample_hash(unsampled), bytes_sample_hash(a));
    const auto skipped = memo.decode(f.request, unsampled);
    EXPECT_EQ(skipped.ok(), decode_snode_response(f.request, unsampled).ok());
    EXPECT_EQ(memo.hits(), 1u);

    // Small replies and real requests are always decoded afresh.
    f.final.json_body = false;
    const Bytes small = seal_snode_response_modelled(f.final, R"({"body":"ok","status":200})");
    ASSERT_TRUE(memo.decode(f.request, small).ok());
    ASSERT_TRUE(memo.decode(f.request, small).ok());
    EXPECT_EQ(memo.hits() + memo.misses(), 5u);
    const Flow real = flow(GetParam(), CryptoWork::real, e);
    const auto sealed = seal_snode_response(real.final, one.response_json(real.final), e);
    ASSERT_TRUE(sealed.ok());
    ASSERT_GE(sealed->size(), DecodedReplyMemo::LARGE);
    for (int i = 0; i < 2; ++i) {
        const auto opened = memo.decode(real.request, *sealed);
        ASSERT_TRUE(opened.ok()) << opened.error().message;
        EXPECT_EQ(opened->body, one.text());
    }
    EXPECT_EQ(memo.hits() + memo.misses(), 5u);
}

TEST(PoolCacheTest, ParsedBodiesAreSharedByTheirBytes) {
    PoolCache cache;
    int parses = 0;
    static int* counter = nullptr;
    counter = &parses;
    const auto parse = [](ByteView body) -> std::optional<SnodePool> {
        ++*counter;
        auto nodes = parse_get_service_nodes_reply(to_string(body));
        if (!nodes) return std::nullopt;
        return std::move(*nodes);
    };
    const std::string one = get_service_nodes_reply(service_node_states_json(listed(30, 1)));
    const std::string two = get_service_nodes_reply(service_node_states_json(listed(30, 2)));
    const auto a = cache.parsed(as_bytes(one), parse);
    const auto a_again = cache.parsed(as_bytes(one), parse);
    const auto b = cache.parsed(as_bytes(two), parse);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a.get(), a_again.get());
    EXPECT_NE(a.get(), b.get());
    EXPECT_EQ(parses, 2);
    EXPECT_EQ(a->size(), 30u);
    EXPECT_EQ(cache.parsed(as_bytes(std::string("not json")), parse), nullptr);
}

// The keys of the memos: a large body's hash reads a sample of it, and equality reads all of it.
TEST(PoolCacheTest, LargeKeysAreSampledAndComparedWhole) {
    Bytes a(300'000);
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::byte>(i * 131 % 251);
    Bytes b = a;
    b[17] ^= std::byte{0x40};  // between the first two pieces of the sample
    EXPECT_EQ(bytes_sample_hash(a), bytes_sample_hash(b));
    EXPECT_FALSE(same_bytes(a, b));
    EXPECT_TRUE(same_bytes(a, Bytes(a)));
    EXPECT_FALSE(same_bytes(a, ByteView(a).first(a.size() - 1)));
    EXPECT_TRUE(same_bytes(ByteView{}, ByteView{}));
    Bytes c = a;
    c.back() ^= std::byte{0x01};  // the last piece is always sampled
    EXPECT_NE(bytes_sample_hash(a), bytes_sample_hash(c));
    const Bytes small(1'000, std::byte{7});  // up to 1 KiB: the hash reads every byte
    EXPECT_EQ(bytes_sample_hash(small), bytes_hash(small));
}

INSTANTIATE_TEST_SUITE_P(Ciphers, PoolReplyTest, ::testing::Values(EncType::aes_gcm, EncType::xchacha20),
                         [](const auto& info) { return info.param == EncType::aes_gcm ? "aes_gcm" : "xchacha20"; });

}  // namespace
}  // namespace sessionproto
