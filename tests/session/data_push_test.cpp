// The sn.data push codec (models/session/storage/data_push.hpp): batches round trip, bad items
// are errors of their own, and a body that is not a push list is refused.
#include "models/session/storage/data_push.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sessionproto {
namespace {

using json = nlohmann::json;

StoredMessage message(char fill, std::size_t size, std::int16_t ns = 0) {
    return StoredMessage{*SessionId::parse("05" + std::string(64, fill)), static_cast<Namespace>(ns),
                         std::string(43, fill), 1'700'000'000'000, 1'700'000'100'000,
                         Bytes(size, std::byte{static_cast<unsigned char>(fill)})};
}

TEST(DataPushTest, BatchesRoundTripInOrder) {
    const std::vector<StoredMessage> stored{message('a', 10), message('b', 20, -10), message('c', 30, 5)};
    std::vector<const StoredMessage*> ptrs;
    for (const auto& m : stored) ptrs.push_back(&m);
    const auto batches = encode_push_batches(ptrs, 1'000'000);
    ASSERT_EQ(batches.size(), 1u);
    const json body = json::parse(batches[0]);
    ASSERT_TRUE(is_push(body));
    const auto items = parse_push(body);
    ASSERT_TRUE(items.ok());
    ASSERT_EQ(items->size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        ASSERT_TRUE((*items)[i].ok());
        const PushItem& it = *(*items)[i];
        EXPECT_EQ(it.owner, stored[i].owner);
        EXPECT_EQ(it.ns, stored[i].ns);
        EXPECT_EQ(it.timestamp_ms, stored[i].timestamp_ms);
        EXPECT_EQ(it.expiry_ms, stored[i].expiry_ms);
        EXPECT_EQ(it.data, stored[i].data);
    }
}

TEST(DataPushTest, BatchesAreCutByTheirEstimatedSize) {
    // Each message counts 3000 / 3 * 4 + 256 = 4256 bytes.
    std::vector<StoredMessage> stored;
    for (char c = 'a'; c < 'f'; ++c) stored.push_back(message(c, 3000));
    std::vector<const StoredMessage*> ptrs;
    for (const auto& m : stored) ptrs.push_back(&m);
    const auto batches = encode_push_batches(ptrs, 2 * 4256);
    ASSERT_EQ(batches.size(), 3u);  // 2 + 2 + 1
    EXPECT_EQ(parse_push(json::parse(batches[0]))->size(), 2u);
    EXPECT_EQ(parse_push(json::parse(batches[2]))->size(), 1u);
    EXPECT_EQ(encode_push_batches(ptrs, 1).size(), 5u);  // one oversize message per batch
    EXPECT_TRUE(encode_push_batches({}, 1000).empty());
}

TEST(DataPushTest, BadItemsAreErrorsOfTheirOwn) {
    const StoredMessage good = message('a', 10);
    json body = json::parse(encode_push_batches({&good}, 1'000'000)[0]);
    json item = body["push"][0];
    auto with = [&](const char* field, json value) {
        json copy = item;
        if (value.is_null()) {
            copy.erase(field);
        } else {
            copy[field] = std::move(value);
        }
        return copy;
    };
    body["push"] = json::array({item, 42, with("pubkey", "05zz"), with("namespace", 40000), with("timestamp", "x"),
                                with("expiry", nullptr), with("data", "***"), with("data", 7),
                                with("data", std::string(200'000, 'A')), with("pubkey", nullptr)});
    const auto items = parse_push(body);
    ASSERT_TRUE(items.ok());
    ASSERT_EQ(items->size(), 10u);
    EXPECT_TRUE((*items)[0].ok());
    for (std::size_t i = 1; i < items->size(); ++i) EXPECT_FALSE((*items)[i].ok()) << i;
    EXPECT_EQ((*items)[8].error().code, ErrorCode::too_large);
}

TEST(DataPushTest, ABodyThatIsNotAPushListIsRefused) {
    EXPECT_FALSE(is_push(json::parse(R"({"method": "store"})")));
    EXPECT_FALSE(is_push(json::parse("[1]")));
    for (const char* text : {R"({"push": {}})", R"({"push": null})", R"({"push": "x"})", R"({})", R"(7)"}) {
        EXPECT_FALSE(parse_push(json::parse(text)).ok()) << text;
    }
    EXPECT_TRUE(parse_push(json::parse(R"({"push": []})"))->empty());
}

}  // namespace
}  // namespace sessionproto
