// Member results (models/session/storage/member_result.hpp): one swarm member's entry of a
// recursive reply, built directly and read back, and the same entry as inside a SwarmReply.
#include "models/session/storage/member_result.hpp"

#include <gtest/gtest.h>

#include "models/session/storage/rpc.hpp"

namespace sessionproto {
namespace {

using json = nlohmann::json;

Signature sig(std::uint8_t b) {
    Signature s{};
    for (auto& x : s.data) x = std::byte{b};
    return s;
}

TEST(MemberResultTest, StoreResultRoundTripsAndMatchesItsSwarmReplyEntry) {
    const StoreNodeResult r{std::string(43, 'h'), sig(3), 1'700'000'000'000, true};
    const json j = to_json(r);
    EXPECT_EQ(j["already"], true);
    EXPECT_EQ(*parse_store_result(j), r);
    StoreReply reply;
    const Ed25519Pubkey key{};
    reply.swarm.emplace(key, r);
    EXPECT_EQ(to_json(reply)["swarm"][key.hex()], j);  // the entry is the member result, as is
    EXPECT_FALSE(is_failure_entry(j));
}

TEST(MemberResultTest, HashListResultsRoundTripAsAListOrPerNamespace) {
    HashListNodeResult flat;
    flat.hashes = std::vector<std::string>{"a", "b"};
    flat.signature = sig(4);
    EXPECT_EQ(*parse_hash_list_result(to_json(flat, "deleted"), "deleted"), flat);
    EXPECT_FALSE(parse_hash_list_result(to_json(flat, "deleted"), "updated").ok());
    HashListNodeResult by_ns;
    by_ns.hashes = std::map<Namespace, std::vector<std::string>>{{Namespace::default_ns, {"x"}},
                                                                 {static_cast<Namespace>(-10), {"y", "z"}}};
    by_ns.signature = sig(5);
    const json j = to_json(by_ns, "updated");
    EXPECT_EQ(j["updated"]["-10"], json::array({"y", "z"}));
    EXPECT_EQ(*parse_hash_list_result(j, "updated"), by_ns);
}

TEST(MemberResultTest, ExpireResultRoundTrips) {
    ExpireNodeResult single;
    single.updated = {"a"};
    single.expiry_ms = {123};
    single.signature = sig(6);
    EXPECT_EQ(*parse_expire_result(to_json(single)), single);
    ExpireNodeResult multi = single;
    multi.multi = true;
    multi.expiry_ms = {1, 2};
    multi.unchanged = std::map<std::string, std::int64_t>{{"b", 9}};
    EXPECT_EQ(*parse_expire_result(to_json(multi)), multi);
}

TEST(MemberResultTest, FailuresRoundTripAndAreRecognised) {
    SwarmFailure f;
    f.timeout = true;
    f.code = 503;
    f.reason = "busy";
    const json j = to_json(f);
    EXPECT_TRUE(is_failure_entry(j));
    EXPECT_EQ(*parse_swarm_failure(j), f);
    EXPECT_TRUE(is_failure_entry(json::array()));
    EXPECT_TRUE(is_failure_entry(json("x")));
    EXPECT_FALSE(is_failure_entry(json::object({{"failed", "yes"}})));
}

TEST(MemberResultTest, MalformedEntriesAreErrors) {
    for (const char* text : {R"({})", R"({"hash": 1, "signature": "", "expiry": 1})",
                             R"({"hash": "h", "signature": "short", "expiry": 1})",
                             R"({"hash": "h", "expiry": 1})", R"([])", R"(null)"}) {
        EXPECT_FALSE(parse_store_result(json::parse(text)).ok()) << text;
    }
    for (const char* text : {R"({"deleted": 5})", R"({"deleted": {"x": []}})", R"({"deleted": [1]})",
                             R"({"deleted": {"99999": []}})"}) {
        EXPECT_FALSE(parse_hash_list_result(json::parse(text), "deleted").ok()) << text;
    }
    for (const char* text : {R"({"updated": [], "expiry": "x"})", R"({"updated": "a", "expiry": 1})",
                             R"({"updated": [], "expiry": [1.5]})", R"({"updated": [], "expiry": 1, "unchanged": []})"}) {
        EXPECT_FALSE(parse_expire_result(json::parse(text)).ok()) << text;
    }
    EXPECT_FALSE(parse_swarm_failure(json::parse(R"({"failed": true, "code": "x"})")).ok());
}

}  // namespace
}  // namespace sessionproto
