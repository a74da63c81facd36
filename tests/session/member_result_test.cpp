// Member results (models/session/storage/member_result.hpp): one swarm member's entry of a
// recursive reply, built directly and read back, and the same entry as inside a SwarmReply.
#include "models/session/storage/member_result.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "models/session/common/entropy.hpp"
#include "models/session/common/canonical_json.hpp"
#include "models/session/storage/json_fields.hpp"
#include "models/session/storage/rpc.hpp"
#include "tests/support/text_mutation.hpp"

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


// ---- Canonical text and the entry node's reply written from it ---------------------------------

/// Draws from a seeded stream (no std:: distribution).
class Draw {
  public:
    explicit Draw(const char* name) : entropy_(7, name) {}
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(entropy_.uniform(n)); }
    /// A JSON value like a member result's, sometimes beyond the canonical subset.
    json value(int depth) {
        switch (below(depth > 2 ? 5 : 7)) {
            case 0: return below(2) == 0;
            case 1: return nullptr;
            case 2: {
                static const std::int64_t ints[] = {0, 1, -1, 42, 1'700'000'000'000, -99'999'999'999'999'999,
                                                    999'999'999'999'999'999, 4'000'000'000'000'000'000};
                return ints[below(std::size(ints))];
            }
            case 3: {
                const std::string chars = "abcXYZ019+/=_- \"\\\n\x7f\xc3\xa9";
                std::string s(below(12), 'a');
                for (auto& c : s) c = below(5) == 0 ? chars[below(chars.size())] : chars[below(9)];
                return s;
            }
            case 4: return below(9) == 0 ? json(0.5) : json(static_cast<std::uint64_t>(below(1000)));
            case 5: {
                json a = json::array();
                for (std::size_t i = below(4); i > 0; --i) a.push_back(value(depth + 1));
                return a;
            }
            default: return object(depth + 1);
        }
    }
    json object(int depth) {
        static const char* keys[] = {"hash", "signature", "expiry", "already", "updated", "unchanged", "failed", "t", "é"};
        json o = json::object();
        for (std::size_t i = below(5); i > 0; --i) o[keys[below(std::size(keys))]] = value(depth);
        return o;
    }

  private:
    DeterministicEntropy entropy_;
};

// The property the entry node relies on: a text the check calls canonical is a JSON object that
// parses and is written back byte for byte. Random objects (some beyond the subset: floats,
// escapes, UTF-8, big integers) and one-character mutations of them reach both answers.
TEST(CanonicalJson, AcceptedTextsAreObjectsWrittenBackUnchanged) {
    Draw draw("canonical");
    const std::string chars = "{}[]\":,0123456789-+.eE tfnul\"\\ax\n";
    std::size_t accepted = 0, refused = 0, dumps_accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        const std::string text = json_field::safe_dump(draw.object(0));
        dumps_accepted += is_canonical_json_object(text) ? 1 : 0;
        const std::string mutated =
            sessionsim::test::mutate_one_character(text, chars, [&](std::size_t n) { return draw.below(n); });
        for (const std::string& candidate : {text, mutated}) {
            if (!is_canonical_json_object(candidate)) {
                ++refused;
                continue;
            }
            ++accepted;
            const json parsed = json_field::parse_or_discard(candidate);
            ASSERT_FALSE(parsed.is_discarded()) << candidate;
            ASSERT_TRUE(parsed.is_object()) << candidate;
            ASSERT_EQ(json_field::safe_dump(parsed), candidate);
        }
    }
    EXPECT_GT(dumps_accepted, 5000u);  // most written objects are in the subset
    EXPECT_GT(accepted, 10000u);
    EXPECT_GT(refused, 5000u);
}

TEST(CanonicalJson, RefusesWhatDumpWouldWriteOtherwise) {
    for (const char* text : {R"({"a":1})", R"({})", R"({"a":{"b":[1,-2,true,false,null,"x"]},"b":[]})",
                             R"({"n":999999999999999999})", R"({"a":"x\"y\\z","b":["\\"]})"}) {
        EXPECT_TRUE(is_canonical_json_object(text)) << text;
    }
    for (const char* text : {R"({"a": 1})", R"( {"a":1})", R"({"b":1,"a":2})", R"({"a":1,"a":2})", R"({"a":"\/"})",
                             R"({"a":1.0})", R"({"a":1e3})", R"({"a":-0})", R"({"a":01})", R"({"a":1234567890123456789})",
                             R"({"a":1}x)", R"([1])", R"("a")", R"({"a":tru})", R"({"a":[1,]})", R"({"a":1,})", R"({)",
                             "{\"a\":\"\xc3\xa9\"}", "{\"a\":\"\t\"}", R"({"a\"":1})", R"({"a":"\n"})", R"({"a":"\u0041"})",
                             R"({"a":"x\"})", R"({"a":"\\\"})"}) {
        EXPECT_FALSE(is_canonical_json_object(text)) << text;
    }
    std::string deep;
    for (int i = 0; i < 40; ++i) deep += "{\"a\":";
    deep += "1";
    for (int i = 0; i < 40; ++i) deep += "}";
    EXPECT_FALSE(is_canonical_json_object(deep));  // bounded depth: hostile nesting is refused
    std::vector<std::string> members;
    EXPECT_TRUE(is_canonical_json_object(R"({"a":[1,{"x":2}],"failed":true})", [&](const CanonicalMember& m) {
        members.push_back(std::string(m.key) + "=" + std::string(m.value));
    }));
    EXPECT_EQ(members, (std::vector<std::string>{"a=[1,{\"x\":2}]", "failed=true"}));
}

// A string written without the tree is dump()'s text, and read back is the string again; only
// strings beyond printable ASCII are left to the tree.
TEST(CanonicalJson, AStringIsWrittenAndReadAsTheTreeWould) {
    Draw draw("canonical string");
    const std::string chars = "ab \"\\/\n\x1f\x7f\xc3\xa9{}";
    std::size_t written = 0, refused = 0;
    for (int round = 0; round < 5000; ++round) {
        std::string s(draw.below(10), 'a');
        for (auto& c : s) c = chars[draw.below(draw.below(3) == 0 ? chars.size() : 6)];
        std::string out = "x";
        if (!append_canonical_json_string(out, s)) {
            ++refused;
            EXPECT_EQ(out, "x");
            EXPECT_TRUE(std::any_of(s.begin(), s.end(), [](char c) { return c < 0x20 || c > 0x7E; })) << s;
            continue;
        }
        ++written;
        ASSERT_EQ(out.substr(1), json(s).dump()) << s;
        ASSERT_TRUE(is_canonical_json_object("{\"k\":" + out.substr(1) + "}")) << out;
        ASSERT_EQ(canonical_json_string_content(out.substr(1)), s);
    }
    EXPECT_GT(written, 2000u);
    EXPECT_GT(refused, 500u);
}

// The entry node's reply built from texts is the reply the storage server writes from the
// parsed tree: own results, failures, canonical peer answers and non-canonical ones (whitespace,
// keys out of order, escapes, a failure entry), with and without the top-level hash.
TEST(MemberResultTest, SwarmReplyTextIsTheDumpOfTheTree) {
    Draw draw("swarm reply");
    for (int round = 0; round < 2000; ++round) {
        std::map<Ed25519Pubkey, MemberEntryText> entries;
        json swarm = json::object();
        bool any_ok = false, any_ok_texts = false;
        for (std::size_t i = draw.below(10); i > 0; --i) {
            Ed25519Pubkey key{};
            for (auto& b : key.data) b = std::byte(draw.below(256));
            json entry;
            std::optional<MemberEntryText> text;
            switch (draw.below(4)) {
                case 0: {
                    SwarmFailure f;
                    f.timeout = draw.below(2) == 0;
                    f.code = static_cast<int>(draw.below(600));
                    entry = to_json(f);
                    text = member_entry_text(entry);
                    break;
                }
                case 1: {
                    entry = to_json(StoreNodeResult{std::string(43, 'h'), sig(5), 1'700'000'000'000, draw.below(2) == 0});
                    text = member_entry_text(entry);
                    break;
                }
                default: {  // a peer's answer, as written by some peer
                    entry = draw.object(0);
                    const std::string body = draw.below(3) == 0 ? entry.dump(1, ' ', false, json::error_handler_t::replace)
                                                                 : json_field::safe_dump(entry);
                    text = member_entry_from_peer(body);
                    ASSERT_TRUE(text.has_value()) << body;
                }
            }
            any_ok = any_ok || !is_failure_entry(entry);
            any_ok_texts = any_ok_texts || !text->failed;
            ASSERT_EQ(text->failed, is_failure_entry(entry));
            swarm[key.hex()] = entry;
            entries[key] = std::move(*text);
        }
        json tree = json::object();
        tree["swarm"] = swarm;
        std::optional<std::string> hash;
        if (draw.below(2) == 0) {
            hash = "abc+/=" + std::to_string(round);
            tree["hash"] = *hash;
        }
        tree["t"] = 1'767'225'600'000 + round;
        ASSERT_EQ(swarm_reply_text(entries, hash, 1'767'225'600'000 + round), json_field::safe_dump(tree));
        ASSERT_EQ(any_ok_texts, any_ok);
    }
    EXPECT_FALSE(member_entry_from_peer("[1]").has_value());
    EXPECT_FALSE(member_entry_from_peer("{\"a\":").has_value());
    EXPECT_TRUE(member_entry_from_peer(R"({ "failed" : true })")->failed);
}

}  // namespace
}  // namespace sessionproto
