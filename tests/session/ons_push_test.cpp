// ONS record and push-notification decryption. Known answers come from
// tests/vectors/session_encrypt.json.
#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "models/session/common/bytes.hpp"
#include "models/session/common/sodium.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/crypto/ons_push.hpp"

namespace sessionproto {
namespace {

XChaChaNonce nonce_of(std::string_view h) {
    const auto raw = *from_hex(h);
    XChaChaNonce n{};
    std::copy(raw.begin(), raw.end(), n.begin());
    return n;
}

const char* const ONS_CT = "3575802dd9bfea72672a208840f37ca289ceade5d3ffacabe2d231f109d204329fc33e28c331580d9a8c9b8a64cacfec97";
const char* const ONS_NONCE = "00112233445566778899aabbccddeeff00ffeeddccbbaa99";
const char* const ONS_ID = "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";

TEST(Ons, KnownAnswer) {
    const auto id = decrypt_ons_response("test", *from_hex(ONS_CT), nonce_of(ONS_NONCE));
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_EQ(id->hex(), ONS_ID);
    // The registry side produces exactly the same record.
    EXPECT_EQ(to_hex(encrypt_ons_record("test", *id, nonce_of(ONS_NONCE))), ONS_CT);
}

TEST(Ons, WrongNameTamperTruncationAndBadPlaintextFail) {
    const auto ct = *from_hex(ONS_CT);
    const auto nonce = nonce_of(ONS_NONCE);
    EXPECT_EQ(decrypt_ons_response("Test", ct, nonce).error().code, ErrorCode::decrypt_failed);  // names are not folded
    EXPECT_EQ(decrypt_ons_response("test2", ct, nonce).error().code, ErrorCode::decrypt_failed);
    for (std::size_t i = 0; i < ct.size(); ++i) {
        auto bad = ct;
        bad[i] ^= std::byte{0x04};
        EXPECT_EQ(decrypt_ons_response("test", bad, nonce).error().code, ErrorCode::decrypt_failed) << i;
    }
    auto other_nonce = nonce;
    other_nonce[23] ^= std::byte{1};
    EXPECT_FALSE(decrypt_ons_response("test", ct, other_nonce).ok());
    for (std::size_t n = 0; n < 16; ++n) {
        EXPECT_EQ(decrypt_ons_response("test", ByteView(ct).first(n), nonce).error().code, ErrorCode::truncated);
    }
    EXPECT_EQ(decrypt_ons_response("test", ByteView(ct).first(40), nonce).error().code, ErrorCode::decrypt_failed);

    // A record that decrypts but is not a 33-byte 05 ID.
    sodium_ready();
    const auto key = ons_key("test");
    auto seal = [&](const Bytes& plain) {
        Bytes out(plain.size() + 16);
        crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()), nullptr, uc(plain),
                                                   plain.size(), nullptr, 0, nullptr,
                                                   reinterpret_cast<const unsigned char*>(nonce.data()), key.uc());
        return out;
    };
    EXPECT_EQ(decrypt_ons_response("test", seal(Bytes(32, std::byte{5})), nonce).error().code, ErrorCode::bad_length);
    Bytes blinded(33, std::byte{1});
    blinded[0] = std::byte{0x15};
    EXPECT_EQ(decrypt_ons_response("test", seal(blinded), nonce).error().code, ErrorCode::bad_prefix);
}

const char* const PUSH_PAYLOAD =
    "00112233445566778899aabbccddeeff00ffeeddccbbaa991bcba42892762dbeecbfb1a375fab4aca5f0991e99eb0344ceeafa";
const char* const PUSH_KEY = "0123456789abcdef0123456789abcdeffedcba9876543210fedcba9876543210";

TEST(PushNotification, KnownAnswer) {
    const auto plain = decrypt_push_notification(*from_hex(PUSH_PAYLOAD), *SymmetricKey::from_hex(PUSH_KEY));
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(to_string(*plain), "TestMessage");
}

TEST(PushNotification, PaddingIsStrippedAndTamperingFails) {
    const auto key = *SymmetricKey::from_hex(PUSH_KEY);
    const auto nonce = nonce_of(ONS_NONCE);
    const auto payload = encrypt_push_notification(to_bytes("hello"), key, nonce, 27);
    ASSERT_EQ(payload.size(), 24 + 5 + 27 + 16U);
    EXPECT_EQ(to_string(*decrypt_push_notification(payload, key)), "hello");
    // Interior zero bytes stay; only trailing ones go.
    Bytes with_zero = to_bytes("a");
    with_zero.push_back(std::byte{0});
    append(with_zero, std::string_view("b"));
    EXPECT_EQ(*decrypt_push_notification(encrypt_push_notification(with_zero, key, nonce, 3), key), with_zero);

    for (std::size_t i = 0; i < payload.size(); ++i) {
        auto bad = payload;
        bad[i] ^= std::byte{0x10};
        EXPECT_EQ(decrypt_push_notification(bad, key).error().code, ErrorCode::decrypt_failed) << i;
    }
    for (std::size_t n = 0; n < 40; ++n) {
        EXPECT_EQ(decrypt_push_notification(ByteView(payload).first(n), key).error().code, ErrorCode::truncated);
    }
    EXPECT_EQ(decrypt_push_notification(ByteView(payload).first(41), key).error().code, ErrorCode::decrypt_failed);
    auto wrong = key;
    wrong.data[31] ^= std::byte{1};
    EXPECT_EQ(decrypt_push_notification(payload, wrong).error().code, ErrorCode::decrypt_failed);
}

}  // namespace
}  // namespace sessionproto
