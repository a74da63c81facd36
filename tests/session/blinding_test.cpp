// XEd25519 keys, community / version blinding and blinded direct messages. Known answers come
// from tests/vectors/{account_ids,blinding,session_encrypt}.json.
#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "models/session/common/bytes.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/common/sodium.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/blinding.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/crypto/xed25519.hpp"

namespace sessionproto {
namespace {

Bytes hexb(std::string_view h) {
    auto b = from_hex(h);
    EXPECT_TRUE(b.has_value()) << h;
    return b.value_or(Bytes{});
}

template <class T>
T fixed(std::string_view h) {
    auto r = T::from_hex(h);
    EXPECT_TRUE(r.ok()) << h;
    return r.ok() ? *r : T{};
}

// The identity of the upstream tests (tests/vectors/blinding.json).
const char* const SK1 =
    "fecd9a6034bc9aba273925dee7062b123334587c3c6257341afae2d7fe85e122f4ef873908f6a5377ba3853f0e2fa326eed9e741edf9f7d0"
    "311a3ecc66a57b32";
const char* const SID1 = "05fe94b7ad4b7f1cc1bb92671f1f0d243f226e115b33770465e82b503fc3e96e1f";
// A second identity whose Ed25519 key is negative (its 15 signature verifies with the negated ID).
const char* const SK2 =
    "8659efdcbe0949e0f81141e6d397e8be75f45d09262f209d5950e97989eb43c73570b69a47dc094544c1c5089c40414bbda1ffdde8aab261"
    "7fe937ee74a5ee81";
const char* const SID2 = "0505c9a9bf178fa644d44bebf628716dc7f2df3d0842e97881962c723699152073";
const char* const SERVER = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

AccountId account(std::string_view h) { return *AccountId::parse(h); }

/// An identity whose Ed25519 public key has the wanted sign, drawn deterministically.
Ed25519Keypair identity_with_sign(bool negative, std::uint64_t seed) {
    DeterministicEntropy entropy(seed, "blinding-test");
    for (;;) {
        auto kp = ed25519_generate(entropy);
        if (((std::to_integer<unsigned>(kp.pub.data[31]) & 0x80U) != 0) == negative) return kp;
    }
}

// ---- field arithmetic and XEd25519 -------------------------------------------------------------

field25519::Fe fe_hex(std::string_view h) {
    std::array<std::byte, 32> b{};
    const auto raw = hexb(h);
    std::copy(raw.begin(), raw.end(), b.begin());
    return field25519::from_bytes(b);
}

TEST(Field25519, ReducesCanonicallyAndInverts) {
    using namespace field25519;
    const auto zero = from_u64(0);
    const auto one = from_u64(1);
    // p itself and p + 5 (non-canonical encodings) reduce to 0 and 5.
    const auto p = fe_hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    EXPECT_EQ(to_bytes(p), to_bytes(zero));
    EXPECT_EQ(to_bytes(fe_hex("f2ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")), to_bytes(from_u64(5)));
    // 0 - 1 = p - 1, and (p - 1)^2 = 1.
    const auto minus_one = sub(zero, one);
    EXPECT_EQ(to_hex(ByteView(to_bytes(minus_one))), "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    EXPECT_TRUE(equal(mul(minus_one, minus_one), one));
    EXPECT_TRUE(equal(add(minus_one, one), zero));
    EXPECT_TRUE(equal(invert(zero), zero));
    // a · a^-1 = 1 and distributivity for pseudo-random values, including near 2^256.
    DeterministicEntropy entropy(1, "field");
    for (int i = 0; i < 200; ++i) {
        auto bytes_a = entropy.bytes<32>();
        auto bytes_b = entropy.bytes<32>();
        Fe a = from_bytes(bytes_a);
        Fe b = from_bytes(bytes_b);
        if (i % 3 == 0) a.limb = {~0ULL, ~0ULL, ~0ULL, ~0ULL};  // unreduced extremes are valid inputs
        if (equal(a, zero)) continue;
        EXPECT_TRUE(equal(mul(a, invert(a)), one));
        EXPECT_TRUE(equal(mul(add(a, b), b), add(mul(a, b), mul(b, b))));
        EXPECT_TRUE(equal(sub(add(a, b), b), a));
        EXPECT_TRUE(equal(sub(b, a), sub(zero, sub(a, b))));
    }
}

TEST(XEd25519, KnownAnswer) {
    const auto x = fixed<X25519Pubkey>("fe94b7ad4b7f1cc1bb92671f1f0d243f226e115b33770465e82b503fc3e96e1f");
    EXPECT_EQ(xed25519_pubkey(x).hex(), "f4ef873908f6a5377ba3853f0e2fa326eed9e741edf9f7d0311a3ecc66a57b32");
}

TEST(XEd25519, RecoversTheEd25519KeyUpToItsSign) {
    DeterministicEntropy entropy(2, "xed");
    int negatives = 0;
    for (int i = 0; i < 64; ++i) {
        const auto kp = ed25519_generate(entropy);
        auto expected = kp.pub;
        if ((std::to_integer<unsigned>(expected.data[31]) & 0x80U) != 0) ++negatives;
        expected.data[31] &= std::byte{0x7f};
        EXPECT_EQ(xed25519_pubkey(*x25519_from_ed25519(kp.pub)), expected);
        // Bit 255 of u is ignored.
        auto x = *x25519_from_ed25519(kp.pub);
        x.data[31] |= std::byte{0x80};
        EXPECT_EQ(xed25519_pubkey(x), expected);
    }
    EXPECT_GT(negatives, 0);  // both signs were exercised
    EXPECT_LT(negatives, 64);
}

// ---- blinded IDs --------------------------------------------------------------------------------

TEST(Blinding, IdsKnownAnswers) {
    const auto server = fixed<CommunityPubkey>(SERVER);
    const auto ids = blind15_ids(account(SID1), server);
    ASSERT_TRUE(ids.ok());
    EXPECT_EQ(ids->positive.hex(), "15b74ed205f1f931e1bb1291183778a9456b835937d923b0f2e248aa3a44c07844");
    EXPECT_EQ(ids->negated.hex(), "15b74ed205f1f931e1bb1291183778a9456b835937d923b0f2e248aa3a44c078c4");
    const auto id25 = blind25_id(account(SID1), server);
    ASSERT_TRUE(id25.ok());
    EXPECT_EQ(id25->hex(), "253b991dcbba44cfdb45d5b38880d95cff723309e3ece6fd01415ad5fa1dccc7ac");
}

TEST(Blinding, IdsFromEd25519AgreeWithIdsFromTheAccountId) {
    const auto server = fixed<CommunityPubkey>(SERVER);
    for (bool negative : {false, true}) {
        const auto kp = identity_with_sign(negative, 3);
        const auto id = *AccountId::from_ed25519(kp.pub);
        const auto ids = *blind15_ids(id, server);
        const auto from_ed15 = *blind15_id_from_ed25519(kp.pub, server);
        // The 15 ID from the real key is the positive candidate for a positive key, else the negated one.
        EXPECT_EQ(from_ed15, negative ? ids.negated : ids.positive);
        EXPECT_EQ(*blind25_id_from_ed25519(kp.pub, server), *blind25_id(id, server));
        // The blinded key pairs' public keys are the IDs the server will see.
        EXPECT_EQ(blind15_keypair(kp.sec, server).pub.data, from_ed15.key());
        EXPECT_EQ(blind25_keypair(kp.sec, server).pub.data, blind25_id(id, server)->key());
        EXPECT_TRUE(session_id_matches_blinded_id(id, ids.positive, server));
        EXPECT_TRUE(session_id_matches_blinded_id(id, ids.negated, server));
        EXPECT_TRUE(session_id_matches_blinded_id(id, *blind25_id(id, server), server));
        EXPECT_FALSE(session_id_matches_blinded_id(account(SID1), *blind25_id(id, server), server));
        // Another server gives unlinkable IDs.
        const auto other = fixed<CommunityPubkey>("00cdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
        EXPECT_NE(*blind25_id(id, other), *blind25_id(id, server));
        EXPECT_FALSE(session_id_matches_blinded_id(id, *blind25_id(id, other), server));
    }
}

TEST(Blinding, UnusablePointsAreErrorsNotCrashes) {
    const auto server = fixed<CommunityPubkey>(SERVER);
    // u = 0 maps to y = -1, a point of small order; u = p - 1 has no image.
    const auto zero = AccountId(X25519Pubkey{});
    EXPECT_EQ(blind15_ids(zero, server).error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(blind25_id(zero, server).error().code, ErrorCode::invalid_argument);
    auto pm1 = fixed<X25519Pubkey>("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    EXPECT_FALSE(blind25_id(AccountId(pm1), server).ok());
    EXPECT_FALSE(blind15_id_from_ed25519(Ed25519Pubkey{}, server).ok());
}

// ---- blinded signatures -------------------------------------------------------------------------

TEST(Blinding, Blind15SignatureKnownAnswersVerifyWithTheRightCandidate) {
    const auto server = fixed<CommunityPubkey>(SERVER);
    const auto sig1 = blind15_sign(fixed<Ed25519SecretKey>(SK1), server, to_bytes("hello"));
    EXPECT_EQ(sig1.hex(),
              "1a5ade20b43af0e16b3e591d6f86303938d7557c0ac54469dd4f5aea759f82d22cafa42587251756e133acdddd8cbec2f707a9ce09a4"
              "9f2193f46a91502c5006");
    const auto ids1 = *blind15_ids(account(SID1), server);
    EXPECT_TRUE(blinded_verify(ids1.positive, sig1, to_bytes("hello")));
    EXPECT_FALSE(blinded_verify(ids1.negated, sig1, to_bytes("hello")));
    EXPECT_FALSE(blinded_verify(ids1.positive, sig1, to_bytes("hellp")));

    // SK2's key is negative: its signature verifies against the negated candidate only.
    const auto sig2 = blind15_sign(fixed<Ed25519SecretKey>(SK2), server, to_bytes("this"));
    EXPECT_EQ(sig2.hex(),
              "dacf91dfb411e99cd8ef4cb07b195b49289cf1a724fef122c73462818560bc29832a98d870ec4feb79dedca5b59aba6a466d3ce8f3e3"
              "5adf25a1813f6989fd0a");
    const auto ids2 = *blind15_ids(account(SID2), server);
    EXPECT_FALSE(blinded_verify(ids2.positive, sig2, to_bytes("this")));
    EXPECT_TRUE(blinded_verify(ids2.negated, sig2, to_bytes("this")));
}

TEST(Blinding, Blind25SignatureKnownAnswerAndAlwaysVerifiesWithTheId) {
    const auto server = fixed<CommunityPubkey>(SERVER);
    const auto sig = blind25_sign(fixed<Ed25519SecretKey>(SK1), server, to_bytes("hello"));
    EXPECT_EQ(sig.hex(),
              "e6c57de4ac0cd278abbeef815bd88b163a037085deae789ecaaf4805884c4c3d3db25f3afa856241366cb341a3a4c9bbaa2cda81d028"
              "079c956fab16a7fe6206");
    for (bool negative : {false, true}) {
        const auto kp = identity_with_sign(negative, 4);
        const auto id = *blind25_id(*AccountId::from_ed25519(kp.pub), server);
        const auto s = blind25_sign(kp.sec, server, to_bytes("message"));
        EXPECT_TRUE(blinded_verify(id, s, to_bytes("message"))) << "negative=" << negative;
        auto tampered = s;
        tampered.data[40] ^= std::byte{1};
        EXPECT_FALSE(blinded_verify(id, tampered, to_bytes("message")));
    }
}

TEST(Blinding, SignatureDependsOnlyOnTheSeed) {
    // A secret key whose public half is garbage signs as its seed's real identity.
    const auto server = fixed<CommunityPubkey>(SERVER);
    auto sk = fixed<Ed25519SecretKey>(SK1);
    const auto good15 = blind15_sign(sk, server, to_bytes("m"));
    const auto good25 = blind25_sign(sk, server, to_bytes("m"));
    std::fill(sk.data.begin() + 32, sk.data.end(), std::byte{0x11});
    EXPECT_EQ(blind15_sign(sk, server, to_bytes("m")), good15);
    EXPECT_EQ(blind25_sign(sk, server, to_bytes("m")), good25);
}

// ---- version blinding ---------------------------------------------------------------------------

TEST(VersionBlinding, KeypairAndSignatureKnownAnswers) {
    const auto sk = fixed<Ed25519SecretKey>(SK1);
    const auto kp = version_blind_keypair(sk);
    EXPECT_EQ(kp.pub.hex(), "88e8adb27e7b8ce776fcc25bc1501fb2888fcac0308e52fb10044f789ae1a8fa");
    EXPECT_EQ(kp.sec.hex(),
              "91faddc2c36da4f7bcf24fd977d9ca5346ae7489cfd43c58cad9eaaa6ed60f6988e8adb27e7b8ce776fcc25bc1501fb2888fcac030"
              "8e52fb10044f789ae1a8fa");
    EXPECT_EQ(version_blind_id(sk).hex(), "07" + kp.pub.hex());
    const auto msg = version_signed_message(1234567890, "GET", "/session_version?platform=desktop", std::nullopt);
    EXPECT_EQ(to_string(msg), "1234567890GET/session_version?platform=desktop");
    const auto sig = version_blind_sign(sk, 1234567890, "GET", "/session_version?platform=desktop", std::nullopt);
    EXPECT_EQ(sig.hex(),
              "143c2c9828f7680ee81e6247bc7aa4777c4991add87cd724149b00452bed4e920fa57daf4627c68f43fcbddb2d465d5ea11def523f"
              "3befb2bbee39c769676305");
    EXPECT_TRUE(ed25519_verify(kp.pub, sig, msg));
    // A body is appended and changes the signature.
    const auto body = to_bytes("{}");
    EXPECT_EQ(to_string(version_signed_message(1, "POST", "/x", ByteView(body))), "1POST/x{}");
    EXPECT_NE(version_blind_sign(sk, 1, "POST", "/x", ByteView(body)), version_blind_sign(sk, 1, "POST", "/x", std::nullopt));
}

// ---- blinded direct messages --------------------------------------------------------------------

struct DmParties {
    Ed25519Keypair sender;
    Ed25519Keypair recipient;
    CommunityPubkey server;
};

DmParties vector_parties() {
    return {ed25519_from_seed(fixed<Ed25519Seed>("0123456789abcdef0123456789abcdef00000000000000000000000000000000")),
            ed25519_from_seed(fixed<Ed25519Seed>("00112233445566778899aabbccddeeff00000000000000000000000000000000")),
            fixed<CommunityPubkey>("1d7e7f92b1ed3643855c98ecac02fc7274033a3467653f047d6e433540c03f17")};
}

TEST(BlindedDm, KnownAnswer25) {
    const auto p = vector_parties();
    const auto recipient = *SessionId::parse("254a9f0487029641ea81a674ee06cbcf05fe1e53bcd1e6447d1cbf14ccfdabd78b");
    EXPECT_EQ(*blind25_id(*AccountId::from_ed25519(p.recipient.pub), p.server), recipient);
    XChaChaNonce nonce{};
    for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<std::byte>(i);
    const auto ct = encrypt_for_blinded_recipient(p.sender.sec, p.server, recipient, to_bytes("hello"), nonce);
    ASSERT_TRUE(ct.ok());
    EXPECT_EQ(to_hex(*ct),
              "0090e08a5333bd92269e9f43663654d6720fc05c771e11ed41762235a92fb6d61c7a8ff2adbcaed8986e4e56c2036fcfb1c92779"
              "0406000102030405060708090a0b0c0d0e0f1011121314151617");
    const auto sender_id = *SessionId::parse("258ce2ed7e357093056e9c4a72a1cba4718647134f2c23b76dedcc9c79b7a1f53a");
    const auto key = blinded_shared_key(p.sender.sec, p.server, sender_id, recipient, true);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->hex(), "bed3964ee6b7fc43a8e16d47a3280f21ede0fad9eb6279a476c4301b3546aca8");
    // The recipient computes the same key from its side.
    EXPECT_EQ(*blinded_shared_key(p.recipient.sec, p.server, recipient, sender_id, false), *key);
    const auto opened = decrypt_from_blinded_recipient(p.recipient.sec, p.server, sender_id, recipient, *ct);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(to_string(opened->plaintext), "hello");
    EXPECT_EQ(opened->sender.hex(), "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
    EXPECT_EQ(opened->sender_ed25519, p.sender.pub);
}

TEST(BlindedDm, RoundTripsFor15And25AndEitherSign) {
    DeterministicEntropy entropy(5, "dm");
    const auto server = fixed<CommunityPubkey>(SERVER);
    for (bool sender_negative : {false, true}) {
        for (bool recipient_negative : {false, true}) {
            const auto sender = identity_with_sign(sender_negative, 10);
            const auto recipient = identity_with_sign(recipient_negative, 11);
            for (IdPrefix prefix : {IdPrefix::blinded15, IdPrefix::blinded25}) {
                const bool is15 = prefix == IdPrefix::blinded15;
                const auto own = is15 ? blind15_keypair(recipient.sec, server) : blind25_keypair(recipient.sec, server);
                const auto snd = is15 ? blind15_keypair(sender.sec, server) : blind25_keypair(sender.sec, server);
                const SessionId recipient_id(prefix, own.pub.data);
                const SessionId sender_id(prefix, snd.pub.data);
                const auto ct = encrypt_for_blinded_recipient(sender.sec, server, recipient_id, to_bytes("hi there"), entropy);
                ASSERT_TRUE(ct.ok());
                EXPECT_EQ(ct->size(), 1 + 8 + 32 + 16 + 24U);
                const auto opened = decrypt_from_blinded_recipient(recipient.sec, server, sender_id, recipient_id, *ct);
                ASSERT_TRUE(opened.ok()) << opened.error().message;
                EXPECT_EQ(to_string(opened->plaintext), "hi there");
                EXPECT_EQ(opened->sender, *AccountId::from_ed25519(sender.pub));
            }
        }
    }
}

TEST(BlindedDm, TamperedTruncatedOrMisaddressedMessagesFail) {
    const auto p = vector_parties();
    DeterministicEntropy entropy(6, "dm-tamper");
    const auto recipient_id = SessionId(IdPrefix::blinded25, blind25_keypair(p.recipient.sec, p.server).pub.data);
    const auto sender_id = SessionId(IdPrefix::blinded25, blind25_keypair(p.sender.sec, p.server).pub.data);
    const auto ct = *encrypt_for_blinded_recipient(p.sender.sec, p.server, recipient_id, to_bytes("secret"), entropy);
    auto open = [&](ByteView c) { return decrypt_from_blinded_recipient(p.recipient.sec, p.server, sender_id, recipient_id, c); };
    ASSERT_TRUE(open(ct).ok());

    // Every single-byte flip is caught.
    for (std::size_t i = 0; i < ct.size(); ++i) {
        auto bad = ct;
        bad[i] ^= std::byte{0x01};
        const auto r = open(bad);
        ASSERT_FALSE(r.ok()) << "flip at " << i;
        EXPECT_EQ(r.error().code, i == 0 ? ErrorCode::unsupported : ErrorCode::decrypt_failed);
    }
    // Every truncation is rejected without a crash.
    for (std::size_t n = 0; n < ct.size(); ++n) EXPECT_FALSE(open(ByteView(ct).first(n)).ok());
    EXPECT_EQ(open(ByteView(ct).first(10)).error().code, ErrorCode::truncated);

    // The wrong recipient key, or a claimed sender that did not send it, cannot decrypt.
    const auto stranger = ed25519_from_seed(fixed<Ed25519Seed>(std::string(64, '7')));
    EXPECT_EQ(decrypt_from_blinded_recipient(stranger.sec, p.server, sender_id, recipient_id, ct).error().code,
              ErrorCode::decrypt_failed);
    const auto stranger_id = SessionId(IdPrefix::blinded25, blind25_keypair(stranger.sec, p.server).pub.data);
    EXPECT_EQ(decrypt_from_blinded_recipient(p.recipient.sec, p.server, stranger_id, recipient_id, ct).error().code,
              ErrorCode::decrypt_failed);
    // Mixed prefixes and non-blinded recipients are refused.
    const auto id15 = SessionId(IdPrefix::blinded15, recipient_id.key());
    EXPECT_EQ(decrypt_from_blinded_recipient(p.recipient.sec, p.server, sender_id, id15, ct).error().code,
              ErrorCode::bad_prefix);
    EXPECT_EQ(encrypt_for_blinded_recipient(p.sender.sec, p.server, SessionId(IdPrefix::standard, recipient_id.key()),
                                            to_bytes("x"), entropy)
                  .error()
                  .code,
              ErrorCode::bad_prefix);
}

TEST(BlindedDm, InnerKeyMustMatchTheSendersBlindedId) {
    // A sender who knows the shared key but puts someone else's Ed25519 key inside is caught.
    sodium_ready();
    const auto p = vector_parties();
    const auto recipient_id = SessionId(IdPrefix::blinded25, blind25_keypair(p.recipient.sec, p.server).pub.data);
    const auto sender_id = SessionId(IdPrefix::blinded25, blind25_keypair(p.sender.sec, p.server).pub.data);
    const auto key = *blinded_shared_key(p.sender.sec, p.server, sender_id, recipient_id, true);
    const auto impostor = ed25519_from_seed(fixed<Ed25519Seed>(std::string(64, '9')));
    Bytes inner = to_bytes("forged");
    append(inner, impostor.pub.view());
    XChaChaNonce nonce{};
    Bytes ct(1 + inner.size() + 16);
    ct[0] = BLINDED_ENCRYPT_VERSION;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(ct.data()) + 1, nullptr, uc(inner),
                                               inner.size(), nullptr, 0, nullptr,
                                               reinterpret_cast<const unsigned char*>(nonce.data()), key.uc());
    append(ct, ByteView(nonce));
    const auto r = decrypt_from_blinded_recipient(p.recipient.sec, p.server, sender_id, recipient_id, ct);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::bad_signature);
}

}  // namespace
}  // namespace sessionproto
