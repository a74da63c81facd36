#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/storage/limits.hpp"
#include "models/session/storage/message_hash.hpp"
#include "models/session/storage/message_store.hpp"
#include "models/session/storage/rpc.hpp"

namespace sessionproto {
namespace {

using nlohmann::json;

constexpr std::int64_t NOW = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

Ed25519Keypair identity() { return ed25519_from_seed(*Ed25519Seed::from_hex(std::string(64, '1'))); }
SessionId owner() { return AccountId::from_ed25519(identity().pub)->as_session_id(); }

json store_params(std::int64_t timestamp, std::int64_t ttl, Namespace ns = Namespace::default_ns) {
    return to_params(make_store(owner(), ns, to_bytes("hello"), timestamp, ttl));
}

ErrorCode store_error(const json& params) {
    auto r = parse_store(params);
    EXPECT_FALSE(r.ok()) << params.dump();
    return r.ok() ? ErrorCode::invalid_argument : r.error().code;
}

TEST(StorageLimits, TtlBoundsInsideAndOutside) {
    EXPECT_TRUE(check_store_ttl(Namespace::default_ns, NOW, NOW + TTL_MINIMUM_MS).ok());
    EXPECT_EQ(check_store_ttl(Namespace::default_ns, NOW, NOW + TTL_MINIMUM_MS - 1).error().code, ErrorCode::bad_ttl);
    EXPECT_TRUE(check_store_ttl(Namespace::default_ns, NOW, NOW + 14 * MS_PER_DAY).ok());
    EXPECT_EQ(check_store_ttl(Namespace::default_ns, NOW, NOW + 14 * MS_PER_DAY + 1).error().code, ErrorCode::bad_ttl);
    EXPECT_TRUE(check_store_ttl(Namespace::user_profile, NOW, NOW + 30 * MS_PER_DAY).ok());
    EXPECT_EQ(check_store_ttl(Namespace::user_profile, NOW, NOW + 30 * MS_PER_DAY + 1).error().code, ErrorCode::bad_ttl);
    EXPECT_EQ(max_ttl_ms(static_cast<Namespace>(-30)), TTL_MAXIMUM_MS);
}

TEST(StorageLimits, ClockWindowsInsideAndOutside) {
    EXPECT_TRUE(check_store_clock(NOW + 10'000, NOW + 20'000, NOW).ok());
    EXPECT_EQ(check_store_clock(NOW + 10'001, NOW + 20'000, NOW).error().code, ErrorCode::bad_timestamp);
    EXPECT_TRUE(check_store_clock(NOW - 60'000, NOW - 10'000, NOW).ok());
    EXPECT_EQ(check_store_clock(NOW - 60'000, NOW - 10'001, NOW).error().code, ErrorCode::bad_timestamp);
    EXPECT_TRUE(check_signature_timestamp(NOW + 60'000, NOW).ok());
    EXPECT_TRUE(check_signature_timestamp(NOW - 60'000, NOW).ok());
    EXPECT_EQ(check_signature_timestamp(NOW + 60'001, NOW).error().code, ErrorCode::bad_timestamp);
    EXPECT_EQ(check_signature_timestamp(NOW - 60'001, NOW).error().code, ErrorCode::bad_timestamp);
    EXPECT_TRUE(check_signature_timestamp(NOW - 70'000, NOW, true).ok());
    EXPECT_FALSE(check_signature_timestamp(NOW - 70'001, NOW, true).ok());
    EXPECT_TRUE(check_delete_before(NOW + 60'000, NOW).ok());
    EXPECT_FALSE(check_delete_before(NOW + 60'001, NOW).ok());
    EXPECT_TRUE(check_expire_all(NOW - 60'000, NOW).ok());
    EXPECT_FALSE(check_expire_all(NOW - 60'001, NOW).ok());
    EXPECT_EQ(*expire_applied_expiry(NOW - 60'000, NOW), NOW - 60'000);
    EXPECT_FALSE(expire_applied_expiry(NOW - 60'001, NOW).ok());
    EXPECT_EQ(*expire_applied_expiry(NOW + 40 * MS_PER_DAY, NOW), NOW + 30 * MS_PER_DAY);
    EXPECT_TRUE(check_message_size(76'800).ok());
    EXPECT_EQ(check_message_size(76'801).error().code, ErrorCode::too_large);
}

TEST(StorageRpc, StoreRoundTripAndValidation) {
    auto body = rpc_body(make_store(owner(), Namespace::default_ns, to_bytes("hello"), NOW, 3'600'000));
    auto parsed = parse_rpc_request(body);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    ASSERT_EQ(method_of(*parsed), RpcMethod::store);
    const auto& s = std::get<StoreRequest>(*parsed);
    EXPECT_EQ(s.pubkey, owner());
    EXPECT_EQ(s.expiry_ms, NOW + 3'600'000);
    EXPECT_EQ(to_string(s.data), "hello");
    EXPECT_TRUE(validate(s, NOW).ok());  // public inbox: no signature needed
    EXPECT_EQ(validate(s, NOW - 10'001).error().code, ErrorCode::bad_timestamp);
    EXPECT_EQ(http_status(RpcMethod::store, ErrorCode::bad_timestamp), 406);

    // ttl as a string, timestamp as a string (backwards compatibility), and the pubKey alias.
    json legacy = {{"pubKey", owner().hex()}, {"timestamp", std::to_string(NOW)}, {"ttl", "20000"},
                   {"data", to_base64(to_bytes("x"))}};
    auto l = parse_store(legacy);
    ASSERT_TRUE(l.ok()) << l.error().message;
    EXPECT_EQ(l->expiry_ms, NOW + 20'000);
    EXPECT_TRUE(validate(*l, NOW).ok());
    legacy["ttl"] = "9999";
    EXPECT_EQ(validate(*parse_store(legacy), NOW).error().code, ErrorCode::bad_ttl);
    EXPECT_EQ(http_status(RpcMethod::store, ErrorCode::bad_ttl), 403);
}

TEST(StorageRpc, PrivateNamespaceStoreNeedsAValidSignature) {
    auto req = make_store(owner(), Namespace::user_profile, to_bytes("cfg"), NOW, 30 * MS_PER_DAY);
    EXPECT_EQ(validate(req, NOW).error().code, ErrorCode::bad_signature);
    sign_store(req, identity(), NOW);
    auto parsed = parse_store(to_params(req));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->sig_timestamp_ms, NOW);
    EXPECT_TRUE(validate(*parsed, NOW).ok());
    EXPECT_TRUE(validate(*parsed, NOW + 10'000).ok());  // expiry far away, sig ts 10 s old
    EXPECT_EQ(validate(*parsed, NOW + 60'001).error().code, ErrorCode::bad_timestamp);
    // Signed by somebody else.
    auto forged = req;
    forged.signature = sign_request(ed25519_from_seed(*Ed25519Seed::from_hex(std::string(64, '2'))).sec,
                                    store_signed_text(Namespace::user_profile, NOW));
    EXPECT_EQ(validate(forged, NOW).error().code, ErrorCode::bad_signature);
    // Signed for another namespace.
    auto wrong_ns = req;
    wrong_ns.signature = sign_request(identity().sec, store_signed_text(Namespace::contacts, NOW));
    EXPECT_EQ(validate(wrong_ns, NOW).error().code, ErrorCode::bad_signature);
    EXPECT_EQ(http_status(RpcMethod::store, ErrorCode::bad_signature), 401);
}

TEST(StorageRpc, MalformedStoreParamsAreRejectedWithTheRightCode) {
    const json good = store_params(NOW, 20'000);
    ASSERT_TRUE(parse_store(good).ok());
    auto with = [&](const char* key, json value) {
        json j = good;
        j[key] = std::move(value);
        return j;
    };
    auto without = [&](const char* key) {
        json j = good;
        j.erase(key);
        return j;
    };
    EXPECT_EQ(store_error(json::array()), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(without("pubkey")), ErrorCode::missing_field);
    EXPECT_EQ(store_error(without("data")), ErrorCode::missing_field);
    EXPECT_EQ(store_error(without("timestamp")), ErrorCode::missing_field);
    EXPECT_EQ(store_error(with("timestamp", nullptr)), ErrorCode::missing_field);  // null = absent
    EXPECT_EQ(store_error(without("expiry")), ErrorCode::missing_field);
    EXPECT_EQ(store_error(with("ttl", 20'000)), ErrorCode::bad_encoding);  // both ttl and expiry
    EXPECT_EQ(store_error(with("pubkey", 5)), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("pubkey", "05abc")), ErrorCode::bad_length);
    EXPECT_EQ(store_error(with("pubkey", "05" + std::string(63, 'a') + "g")), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("pubkey", "99" + std::string(64, 'a'))), ErrorCode::bad_prefix);
    EXPECT_EQ(store_error(with("pubKey", owner().hex())), ErrorCode::bad_encoding);  // both spellings
    EXPECT_EQ(store_error(with("timestamp", 1.5)), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("timestamp", "12x")), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("timestamp", true)), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("expiry", -5)), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("expiry", "123")), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("expiry", 999'999'999)), ErrorCode::bad_timestamp);  // seconds, not ms
    EXPECT_EQ(store_error(with("namespace", 40000)), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("namespace", -40000)), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("namespace", "all")), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("data", "not base64!")), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("data", 12)), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("data", to_base64(Bytes(MAX_MESSAGE_BODY + 1)))), ErrorCode::too_large);
    EXPECT_TRUE(parse_store(with("data", to_base64(Bytes(MAX_MESSAGE_BODY)))).ok());
    EXPECT_EQ(store_error(with("signature", "short")), ErrorCode::bad_encoding);
    EXPECT_EQ(store_error(with("signature", std::string(86, '*'))), ErrorCode::bad_encoding);
    json sub = with("signature", to_base64(Bytes(64)));
    sub["subaccount"] = "abcd";
    EXPECT_EQ(store_error(sub), ErrorCode::unsupported);
    json ed = with("signature", to_base64(Bytes(64)));
    ed["pubkey_ed25519"] = "abcd";
    EXPECT_EQ(store_error(ed), ErrorCode::bad_length);
    ed["pubkey_ed25519"] = std::string(64, 'z');
    EXPECT_EQ(store_error(ed), ErrorCode::bad_encoding);
}

TEST(StorageRpc, MalformedBodiesAreRejected) {
    EXPECT_EQ(parse_rpc_request("").error().code, ErrorCode::bad_encoding);
    EXPECT_EQ(parse_rpc_request("{\"method\":").error().code, ErrorCode::bad_encoding);
    EXPECT_EQ(parse_rpc_request("[1,2]").error().code, ErrorCode::bad_encoding);
    EXPECT_EQ(parse_rpc_request(std::string(1, '\xff')).error().code, ErrorCode::bad_encoding);
    EXPECT_EQ(parse_rpc_request("{\"params\":{}}").error().code, ErrorCode::missing_field);
    EXPECT_EQ(parse_rpc_request("{\"method\":7,\"params\":{}}").error().code, ErrorCode::missing_field);
    EXPECT_EQ(parse_rpc_request("{\"method\":\"store\"}").error().code, ErrorCode::missing_field);
    EXPECT_EQ(parse_rpc_request("{\"method\":\"store\",\"params\":[]}").error().code, ErrorCode::missing_field);
    EXPECT_EQ(parse_rpc_request("{\"method\":\"frobnicate\",\"params\":{}}").error().code, ErrorCode::unsupported);
    EXPECT_EQ(http_status(RpcMethod::store, ErrorCode::bad_encoding), 400);
    // Deep nesting does not crash.
    const std::string deep = "{\"method\":\"store\",\"params\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
    EXPECT_FALSE(parse_rpc_request(deep).ok());
}

TEST(StorageRpc, RetrieveAuthenticationAndLastHash) {
    const auto kp = identity();
    auto req = make_retrieve(owner(), Namespace::default_ns, "", NOW, kp);
    auto parsed = parse_rpc_request(rpc_body(req));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const auto& r = std::get<RetrieveRequest>(*parsed);
    EXPECT_TRUE(r.authenticated);
    EXPECT_TRUE(validate(r, NOW).ok());
    EXPECT_TRUE(validate(r, NOW - 60'000).ok());
    EXPECT_EQ(validate(r, NOW - 60'001).error().code, ErrorCode::bad_timestamp);
    // Unsigned retrieve: 401 for namespace 0, allowed for -10.
    const json unsigned_default = {{"pubkey", owner().hex()}};
    auto u = parse_retrieve(unsigned_default);
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(validate(*u, NOW).error().code, ErrorCode::bad_signature);
    const json legacy = {{"pubkey", owner().hex()}, {"namespace", -10}};
    EXPECT_TRUE(validate(*parse_retrieve(legacy), NOW).ok());
    // A namespace that needs auth, without a signature: rejected at parse.
    EXPECT_EQ(parse_retrieve(json{{"pubkey", owner().hex()}, {"namespace", 3}}).error().code, ErrorCode::missing_field);
    // Signature without timestamp.
    json p = to_params(req);
    p.erase("timestamp");
    EXPECT_EQ(parse_retrieve(p).error().code, ErrorCode::missing_field);
    // last_hash rules.
    p = to_params(req);
    p["last_hash"] = "";
    EXPECT_FALSE(parse_retrieve(p)->last_hash.has_value());
    p["last_hash"] = "short";
    EXPECT_EQ(parse_retrieve(p).error().code, ErrorCode::bad_length);
    p["last_hash"] = std::string(42, 'a') + "!";
    EXPECT_EQ(parse_retrieve(p).error().code, ErrorCode::bad_encoding);
    p["last_hash"] = std::string(43, 'a');
    p["lastHash"] = std::string(43, 'a');
    EXPECT_EQ(parse_retrieve(p).error().code, ErrorCode::bad_encoding);
    p.erase("last_hash");
    EXPECT_EQ(*parse_retrieve(p)->last_hash, std::string(43, 'a'));
    p["max_count"] = "3";
    EXPECT_EQ(parse_retrieve(p).error().code, ErrorCode::bad_encoding);
}

TEST(StorageRpc, AModelledRetrieveSignatureIsAcceptedOnlyInAModelledFlow) {
    const auto kp = identity();
    const auto modelled = make_retrieve(owner(), Namespace::default_ns, "", NOW, kp, CryptoWork::modelled);
    const auto real = make_retrieve(owner(), Namespace::default_ns, "", NOW, kp);
    EXPECT_EQ(rpc_body(modelled).size(), rpc_body(real).size());
    EXPECT_EQ(validate(modelled, NOW).error().code, ErrorCode::bad_signature);
    EXPECT_TRUE(validate(modelled, NOW, CryptoWork::modelled).ok());
    // The clock window still applies, and a real signature is still verified.
    EXPECT_EQ(validate(modelled, NOW - 60'001, CryptoWork::modelled).error().code, ErrorCode::bad_timestamp);
    EXPECT_TRUE(validate(real, NOW, CryptoWork::modelled).ok());
    auto forged = real;
    forged.signature.data[0] ^= std::byte{1};
    EXPECT_EQ(validate(forged, NOW, CryptoWork::modelled).error().code, ErrorCode::bad_signature);
}

TEST(StorageRpc, EffectiveRetrieveLimits) {
    RetrieveRequest r{.pubkey = owner()};
    EXPECT_EQ(*effective_retrieve_limits(r).max_size, 7'800'000u / 5);
    EXPECT_FALSE(effective_retrieve_limits(r).max_count.has_value());
    r.max_size = -1;
    EXPECT_EQ(*effective_retrieve_limits(r).max_size, 7'800'000u);
    r.max_size = 9'000'000;
    EXPECT_EQ(*effective_retrieve_limits(r).max_size, 7'800'000u);
    r.max_size = 1000;
    EXPECT_EQ(*effective_retrieve_limits(r).max_size, 1000u);
    r.max_size.reset();
    r.max_count = 7;
    EXPECT_EQ(*effective_retrieve_limits(r).max_count, 7u);
    EXPECT_EQ(*effective_retrieve_limits(r).max_size, 7'800'000u);
}

TEST(StorageRpc, DeleteExpireAndFriendsRoundTripAndVerify) {
    const auto kp = identity();
    const std::string h1 = storage_message_hash(owner(), Namespace::default_ns, to_bytes("1"));
    const std::string h2 = storage_message_hash(owner(), Namespace::default_ns, to_bytes("2"));
    auto d = parse_rpc_request(rpc_body(make_delete(owner(), {h1, h2}, kp)));
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_TRUE(validate(std::get<DeleteRequest>(*d), NOW).ok());
    auto tampered = std::get<DeleteRequest>(*d);
    std::swap(tampered.messages[0], tampered.messages[1]);  // order is signed
    EXPECT_EQ(validate(tampered, NOW).error().code, ErrorCode::bad_signature);
    EXPECT_EQ(parse_delete(json{{"pubkey", owner().hex()}, {"signature", to_base64(Bytes(64))}, {"messages", json::array()}})
                  .error()
                  .code,
              ErrorCode::missing_field);
    EXPECT_EQ(parse_delete(json{{"pubkey", owner().hex()}, {"signature", to_base64(Bytes(64))}, {"messages", {1}}})
                  .error()
                  .code,
              ErrorCode::bad_encoding);

    auto da = parse_rpc_request(rpc_body(make_delete_all(owner(), AllNamespaces{}, NOW, kp)));
    ASSERT_TRUE(da.ok()) << da.error().message;
    const auto& dar = std::get<DeleteAllRequest>(*da);
    EXPECT_TRUE(std::holds_alternative<AllNamespaces>(dar.ns));
    EXPECT_TRUE(validate(dar, NOW + 70'000, true).ok());
    EXPECT_EQ(validate(dar, NOW + 70'000, false).error().code, ErrorCode::bad_timestamp);

    auto db = parse_rpc_request(rpc_body(make_delete_before(owner(), Namespace::contacts, NOW + 60'001, kp)));
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(validate(std::get<DeleteBeforeRequest>(*db), NOW).error().code, ErrorCode::bad_timestamp);
    EXPECT_EQ(http_status(RpcMethod::delete_before, ErrorCode::bad_timestamp), 401);

    auto ea = parse_rpc_request(rpc_body(make_expire_all(owner(), Namespace::default_ns, NOW + 1000, kp)));
    ASSERT_TRUE(ea.ok());
    EXPECT_TRUE(validate(std::get<ExpireAllRequest>(*ea), NOW).ok());

    auto ex = parse_rpc_request(
        rpc_body(make_expire(owner(), {h1, h2}, {NOW + 40 * MS_PER_DAY}, ExpireMode::extend, kp)));
    ASSERT_TRUE(ex.ok()) << ex.error().message;
    const auto& exr = std::get<ExpireRequest>(*ex);
    EXPECT_EQ(exr.mode, ExpireMode::extend);
    auto applied = validate_expire(exr, NOW);
    ASSERT_TRUE(applied.ok()) << applied.error().message;
    EXPECT_EQ(applied->front(), NOW + 30 * MS_PER_DAY);  // capped; the signature covers the request
    json bad = to_params(RpcRequest{exr});
    bad["shorten"] = true;
    EXPECT_EQ(parse_expire(bad).error().code, ErrorCode::bad_encoding);
    bad = to_params(RpcRequest{exr});
    bad["expiry"] = json::array({NOW, NOW, NOW});
    EXPECT_EQ(parse_expire(bad).error().code, ErrorCode::bad_length);
    bad["expiry"] = json::array();
    EXPECT_EQ(parse_expire(bad).error().code, ErrorCode::missing_field);
    auto past = make_expire(owner(), {h1}, {NOW - 60'001}, ExpireMode::set, kp);
    EXPECT_EQ(validate_expire(past, NOW).error().code, ErrorCode::bad_timestamp);
}

TEST(StorageRpc, StoreReplyShapeRoundTripAndStatus) {
    const auto node1 = ed25519_from_seed(*Ed25519Seed::from_hex(std::string(64, '4')));
    const auto node2 = ed25519_from_seed(*Ed25519Seed::from_hex(std::string(64, '5')));
    const std::string hash = storage_message_hash(owner(), Namespace::default_ns, to_bytes("m"));
    StoreReply reply;
    StoreNodeResult ok{hash, ed25519_sign(node1.sec, as_bytes(store_result_signed_text(hash))), NOW + 1000, true};
    reply.swarm.emplace(node1.pub, ok);
    SwarmFailure f;
    f.timeout = true;
    reply.swarm.emplace(node2.pub, f);
    reply.hash = hash;
    reply.t_ms = NOW;
    const json j = to_json(reply);
    EXPECT_EQ(j["swarm"][node1.pub.hex()]["hash"], hash);
    EXPECT_EQ(j["swarm"][node1.pub.hex()]["already"], true);
    EXPECT_EQ(j["swarm"][node2.pub.hex()]["failed"], true);
    EXPECT_EQ(j["swarm"][node2.pub.hex()]["timeout"], true);
    EXPECT_EQ(j["t"], NOW);
    auto back = parse_store_reply(j);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, reply);
    EXPECT_EQ(reply_status(reply), 200);
    reply.swarm.erase(node1.pub);
    EXPECT_EQ(reply_status(reply), 500);
    // The node's signature verifies with its key.
    EXPECT_TRUE(ed25519_verify(node1.pub, ok.signature, as_bytes(hash)));
    // Malformed replies.
    EXPECT_EQ(parse_store_reply(json{{"swarm", {{"zz", json::object()}}}}).error().code, ErrorCode::bad_encoding);
    EXPECT_EQ(parse_store_reply(json::object()).error().code, ErrorCode::missing_field);
    json no_sig = j;
    no_sig["swarm"][node1.pub.hex()].erase("signature");
    EXPECT_EQ(parse_store_reply(no_sig).error().code, ErrorCode::missing_field);
}

TEST(StorageRpc, RetrieveReplyShapeFromTheStore) {
    MessageStore store;
    store.store(owner(), Namespace::default_ns, NOW, NOW + 60'000, to_bytes("a"));
    store.store(owner(), Namespace::default_ns, NOW, NOW + 60'000, to_bytes("b"));
    const auto reply = make_retrieve_reply(store.retrieve(owner(), Namespace::default_ns, "", NOW), NOW);
    const json j = to_json(reply);
    ASSERT_EQ(j["messages"].size(), 2u);
    EXPECT_EQ(j["messages"][0]["expiration"], NOW + 60'000);  // the server's key
    EXPECT_EQ(j["messages"][0]["data"], to_base64(to_bytes("a")));
    EXPECT_EQ(j["more"], false);
    auto back = parse_retrieve_reply(j);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, reply);
    json bad = j;
    bad["messages"][0]["data"] = "%%%";
    EXPECT_EQ(parse_retrieve_reply(bad).error().code, ErrorCode::bad_encoding);
    bad = j;
    bad["messages"][0].erase("timestamp");
    EXPECT_EQ(parse_retrieve_reply(bad).error().code, ErrorCode::missing_field);
}

TEST(StorageRpc, HashListAndExpireRepliesRoundTrip) {
    const auto node = ed25519_from_seed(*Ed25519Seed::from_hex(std::string(64, '6')));
    DeleteReply d;
    HashListNodeResult per_ns;
    per_ns.hashes = std::map<Namespace, std::vector<std::string>>{{Namespace::legacy_closed_group, {std::string(43, 'A')}}};
    d.swarm.emplace(node.pub, per_ns);
    const json dj = to_json(d, "deleted");
    EXPECT_TRUE(dj["swarm"][node.pub.hex()]["deleted"].contains("-10"));
    auto dback = parse_hash_list_reply(dj, "deleted");
    ASSERT_TRUE(dback.ok()) << dback.error().message;
    EXPECT_EQ(*dback, d);

    ExpireReply e;
    ExpireNodeResult er;
    er.updated = {std::string(43, 'B')};
    er.expiry_ms = {NOW};
    er.unchanged = std::map<std::string, std::int64_t>{{std::string(43, 'C'), NOW + 5}};
    e.swarm.emplace(node.pub, er);
    auto eback = parse_expire_reply(to_json(e));
    ASSERT_TRUE(eback.ok()) << eback.error().message;
    EXPECT_EQ(*eback, e);
    EXPECT_EQ(expire_result_signed_text(owner(), {NOW}, {"r"}, {"u"}, {{"c", 5}}),
              owner().hex() + std::to_string(NOW) + "ruc5");
}

}  // namespace
}  // namespace sessionproto
