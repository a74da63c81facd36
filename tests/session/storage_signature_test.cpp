#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/storage/message_hash.hpp"
#include "models/session/storage/namespace.hpp"
#include "models/session/storage/request_signature.hpp"

namespace sessionproto {
namespace {

Ed25519Keypair vector_identity() {
    return ed25519_from_seed(*Ed25519Seed::from_hex("0123456789abcdef0123456789abcdef00000000000000000000000000000000"));
}

SessionId account_of(const Ed25519Keypair& kp) { return AccountId::from_ed25519(kp.pub)->as_session_id(); }

TEST(StorageNamespace, TextAndClasses) {
    EXPECT_EQ(namespace_text(Namespace::default_ns), "");
    EXPECT_EQ(namespace_text(Namespace::legacy_closed_group), "-10");
    EXPECT_EQ(namespace_text(Namespace::user_profile), "2");
    EXPECT_EQ(namespace_text(NamespaceSelector{AllNamespaces{}}), "all");
    EXPECT_EQ(namespace_text(NamespaceSelector{Namespace::default_ns}), "");
    EXPECT_TRUE(is_public_inbox(Namespace::default_ns));
    EXPECT_TRUE(is_public_inbox(static_cast<Namespace>(-30)));
    EXPECT_FALSE(is_public_inbox(Namespace::group_messages));
    EXPECT_TRUE(is_public_outbox(static_cast<Namespace>(-1)));
    EXPECT_TRUE(is_public_outbox(static_cast<Namespace>(-21)));
    EXPECT_FALSE(is_public_outbox(static_cast<Namespace>(1)));
    EXPECT_FALSE(is_public_outbox(static_cast<Namespace>(-11)));
    EXPECT_TRUE(is_noauth_retrieve(Namespace::legacy_closed_group));
    EXPECT_FALSE(is_noauth_retrieve(Namespace::default_ns));
    EXPECT_TRUE(is_unrevocable(static_cast<Namespace>(-211)));
    EXPECT_FALSE(is_unrevocable(static_cast<Namespace>(11)));
    EXPECT_EQ(namespace_from_int(32767).ok(), true);
    EXPECT_EQ(namespace_from_int(-32768).ok(), true);
    EXPECT_EQ(namespace_from_int(32768).error().code, ErrorCode::bad_encoding);
    EXPECT_EQ(namespace_from_int(-32769).error().code, ErrorCode::bad_encoding);
}

TEST(StorageHash, Blake2bKnownAnswersAndBounds) {
    // libsession-util tests/test_hash.cpp "Hash generation".
    EXPECT_EQ(to_hex(*blake2b(32, to_bytes("TestMessage"))),
              "2a48a12262e4548afb97fe2b04a912a02297d451169ee7ef2d01a28ea20286ab");
    EXPECT_EQ(to_hex(*blake2b(32, to_bytes("TestMessage"), to_bytes("TestKey"))),
              "3d643e479b626bb2907476e32ccf7bdbd1ac3efa0da6e2c335255c48dcc216b6");
    EXPECT_EQ(blake2b(16, to_bytes("x"))->size(), 16u);
    EXPECT_EQ(blake2b(64, to_bytes("x"))->size(), 64u);
    EXPECT_EQ(blake2b(15, to_bytes("x")).error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(blake2b(65, to_bytes("x")).error().code, ErrorCode::invalid_argument);
    EXPECT_TRUE(blake2b(32, to_bytes("x"), Bytes(64)).ok());
    EXPECT_EQ(blake2b(32, to_bytes("x"), Bytes(65)).error().code, ErrorCode::invalid_argument);
}

TEST(StorageHash, MessageHashKnownAnswerAndNamespaceDependence) {
    // oxen-storage-server unit_test/service_node.cpp "message hashing".
    const auto owner = *SessionId::parse("05ffba630924aa1224bb930dde21c0d11bf004608f2812217f8ac812d6c7e3ad48");
    const Bytes data = *from_base64(
        "CAES1gIKA1BVVBIPL2FwaS92MS9tZXNzYWdlGrsCCAYovfqZv4YvQq8CVwutUBbhRzZw80TvR6uTYMKg9DSagrtpeEpY31L7VxawfS8aSya0SiDa"
        "4J025SkjP13YX8g5pxgQ8Z6hgfNArMqr/tSijJ9miVKVDJ63YWE85O8kyWF8tdtZR5j0Vxb+JH5U8Rg1bp7ftKk3OSf7JJMcrUUrDnctQHe540zJ"
        "2OTDJ03DfubkX5NmKqEu5nhXGxeeDv3mTiL63fjtCvZYcikfjf6Nh1AX++HTgJ9SGoEIMastGUorFrmmXb2sbjHxNiJn0Radj/VzcA9VxYwBW5+A"
        "bGQ2d9+vvm7X+8vh+jIenJfjxf+8CWER+9adNfb4YUH07I+godNCV0O0J05gzqfKdT7J8MBZzFBtKrbk8oCagPpTsq/wZyYFKFKKD+q+zh704dYB"
        "ILvs5yXUA96pIAA=");
    const std::string hash = storage_message_hash(owner, Namespace::default_ns, data);
    EXPECT_EQ(hash, "4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs");
    EXPECT_EQ(hash.size(), MESSAGE_HASH_LENGTH);
    EXPECT_TRUE(is_valid_message_hash(hash));
    // Namespace text enters the hash; so does the network byte.
    EXPECT_NE(storage_message_hash(owner, Namespace::legacy_closed_group, data), hash);
    const SessionId group(IdPrefix::group, owner.key());
    EXPECT_NE(storage_message_hash(group, Namespace::default_ns, data), hash);
    // Hash = H32(netid || key || ns_text || data): recompute by hand for namespace -10.
    Bytes manual{std::byte{0x05}};
    append(manual, owner.key_view());
    append(manual, std::string_view("-10"));
    append(manual, data);
    EXPECT_EQ(to_base64(*blake2b(32, manual), false),
              storage_message_hash(owner, Namespace::legacy_closed_group, data));
    EXPECT_FALSE(is_valid_message_hash(hash.substr(1)));
    EXPECT_FALSE(is_valid_message_hash(hash.substr(1) + "="));
    EXPECT_FALSE(is_valid_message_hash(hash.substr(1) + "-"));
}

TEST(StorageSignature, SignedStringsOfEveryMethod) {
    EXPECT_EQ(store_signed_text(Namespace::default_ns, 1700000000000), "store1700000000000");
    EXPECT_EQ(store_signed_text(Namespace::user_groups, 1700000000000), "store51700000000000");
    EXPECT_EQ(retrieve_signed_text(Namespace::legacy_closed_group, 1700000000000), "retrieve-101700000000000");
    const std::vector<std::string> hashes{"aaa", "bbb"};
    EXPECT_EQ(delete_signed_text(hashes), "deleteaaabbb");
    EXPECT_EQ(delete_all_signed_text(AllNamespaces{}, 1700000000000), "delete_allall1700000000000");
    EXPECT_EQ(delete_all_signed_text(Namespace::default_ns, 1700000000000), "delete_all1700000000000");
    EXPECT_EQ(delete_before_signed_text(Namespace::contacts, 1700000000000), "delete_before31700000000000");
    const std::vector<std::int64_t> one{1700000000000};
    const std::vector<std::int64_t> two{1700000000000, 1700000000001};
    EXPECT_EQ(expire_signed_text(ExpireMode::set, one, hashes), "expire1700000000000aaabbb");
    EXPECT_EQ(expire_signed_text(ExpireMode::shorten, one, hashes), "expireshorten1700000000000aaabbb");
    EXPECT_EQ(expire_signed_text(ExpireMode::extend, two, hashes), "expireextend17000000000001700000000001aaabbb");
    EXPECT_EQ(expire_all_signed_text(AllNamespaces{}, 1700000000000), "expire_allall1700000000000");
}

TEST(StorageSignature, KnownAnswerAndServerVerification) {
    const auto kp = vector_identity();
    const SessionId owner = account_of(kp);
    EXPECT_EQ(owner.hex(), "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
    const std::string text = retrieve_signed_text(Namespace::default_ns, 1700000000000);
    const Signature sig = sign_request(kp.sec, text);
    EXPECT_EQ(to_base64(sig.view()),
              "WyOyu+IdImmQ8OV7AdFy6O5bTGN2pn7r6UQdyVYaZIkW25BqP1rzts9nJJOT85kCiurH2eozd2DV7Mhds7fGAg==");
    EXPECT_TRUE(verify_request_signature(owner, kp.pub, sig, text).ok());
    // Without pubkey_ed25519 the server uses the X25519 bytes as an Ed25519 key: fails.
    EXPECT_EQ(verify_request_signature(owner, std::nullopt, sig, text).error().code, ErrorCode::bad_signature);
    // Another text, or a flipped signature bit, fails.
    EXPECT_EQ(verify_request_signature(owner, kp.pub, sig, retrieve_signed_text(Namespace::default_ns, 1700000000001))
                  .error()
                  .code,
              ErrorCode::bad_signature);
    Signature bad = sig;
    bad.data[5] ^= std::byte{0x01};
    EXPECT_EQ(verify_request_signature(owner, kp.pub, bad, text).error().code, ErrorCode::bad_signature);
}

TEST(StorageSignature, Ed25519KeyMustConvertToThe05Id) {
    const auto kp = vector_identity();
    const auto other = ed25519_from_seed(*Ed25519Seed::from_hex(std::string(64, '7')));
    const SessionId owner = account_of(kp);
    const std::string text = store_signed_text(Namespace::user_profile, 1700000000000);
    // The other key signs validly for itself, but does not convert to `owner`.
    const Signature sig = sign_request(other.sec, text);
    const auto r = verify_request_signature(owner, other.pub, sig, text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::bad_signature);
    EXPECT_NE(r.error().message.find("convert"), std::string::npos);
    EXPECT_EQ(request_verification_key(owner, other.pub).error().code, ErrorCode::bad_signature);
    EXPECT_EQ(*request_verification_key(owner, kp.pub), kp.pub);
}

TEST(StorageSignature, GroupIdsVerifyWithTheGroupKey) {
    const auto group = ed25519_from_seed(*Ed25519Seed::from_hex(std::string(64, '3')));
    const SessionId gid(IdPrefix::group, group.pub.data);
    const std::string text = delete_all_signed_text(AllNamespaces{}, 1700000000000);
    const Signature sig = sign_request(group.sec, text);
    EXPECT_TRUE(verify_request_signature(gid, std::nullopt, sig, text).ok());
    // A member's key is not the group key.
    const auto member = vector_identity();
    EXPECT_EQ(verify_request_signature(gid, std::nullopt, sign_request(member.sec, text), text).error().code,
              ErrorCode::bad_signature);
    // pubkey_ed25519 is only for 05 IDs.
    EXPECT_EQ(verify_request_signature(gid, group.pub, sig, text).error().code, ErrorCode::bad_prefix);
}

}  // namespace
}  // namespace sessionproto
