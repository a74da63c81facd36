// Closed-group crypto: multi-recipient encryption, config encryption and padding, subaccounts.
// Known answers come from tests/vectors/groups_config.json.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/config_encrypt.hpp"
#include "models/session/crypto/group_subaccount.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/crypto/multi_encrypt.hpp"

namespace sessionproto {
namespace {

template <class T>
T fixed(std::string_view h) {
    auto r = T::from_hex(h);
    EXPECT_TRUE(r.ok()) << h;
    return r.ok() ? *r : T{};
}

X25519Keypair x_of_seed(std::string_view seed_hex) { return x25519_from_ed25519(ed25519_from_seed(fixed<Ed25519Seed>(seed_hex))); }

XChaChaNonce vector_nonce() {
    const auto raw = *from_hex("32ab4bb45d6df5cc14e1c330fb1a8b68ea3826a8c2213a49");
    XChaChaNonce n{};
    std::copy(raw.begin(), raw.end(), n.begin());
    return n;
}

struct MultiFixture {
    X25519Keypair sender = x_of_seed("0123456789abcdef0123456789abcdef00000000000000000000000000000000");
    std::vector<X25519Keypair> recipients{x_of_seed("0123456789abcdef000000000000000000000000000000000000000000000000"),
                                          x_of_seed("0123456789abcdef111111111111111100000000000000000000000000000000"),
                                          x_of_seed("0123456789abcdef222222222222222200000000000000000000000000000000")};
    X25519Keypair outsider = x_of_seed("0123456789abcdef333333333333333300000000000000000000000000000000");
    std::vector<X25519Pubkey> pubs() const {
        std::vector<X25519Pubkey> out;
        for (const auto& r : recipients) out.push_back(r.pub);
        return out;
    }
};

// ---- multi-recipient encryption -----------------------------------------------------------------

TEST(MultiEncrypt, KnownAnswerAndEveryRecipientDecrypts) {
    MultiFixture f;
    const std::vector<Bytes> msgs{to_bytes("hello")};
    const auto cts = encrypt_for_multiple(msgs, f.pubs(), vector_nonce(), f.sender, "test suite");
    ASSERT_TRUE(cts.ok());
    ASSERT_EQ(cts->size(), 3U);
    EXPECT_EQ(to_hex((*cts)[0]), "e64937e5ea201b84f4e88a976dad900d91caaf6a17");
    EXPECT_EQ(to_hex((*cts)[1]), "b7a15bcd9f7b09445defcae2f1dc5085dd75cb085b");
    EXPECT_EQ(to_hex((*cts)[2]), "01c4fc2156327735f3fb5063b11ea95f6ebcc5b6cc");
    for (const auto& r : f.recipients) {
        const auto plain = decrypt_for_multiple(*cts, vector_nonce(), r, f.sender.pub, "test suite");
        ASSERT_TRUE(plain.ok());
        EXPECT_EQ(to_string(*plain), "hello");
        // The wrong domain, the wrong sender or the wrong nonce fails.
        EXPECT_EQ(decrypt_for_multiple(*cts, vector_nonce(), r, f.sender.pub, "not test suite").error().code,
                  ErrorCode::decrypt_failed);
        EXPECT_FALSE(decrypt_for_multiple(*cts, vector_nonce(), r, f.outsider.pub, "test suite").ok());
        XChaChaNonce other = vector_nonce();
        other[0] ^= std::byte{1};
        EXPECT_FALSE(decrypt_for_multiple(*cts, other, r, f.sender.pub, "test suite").ok());
    }
    EXPECT_EQ(decrypt_for_multiple(*cts, vector_nonce(), f.outsider, f.sender.pub, "test suite").error().code,
              ErrorCode::decrypt_failed);
}

TEST(MultiEncrypt, PerRecipientMessagesAndBadArguments) {
    MultiFixture f;
    const std::vector<Bytes> msgs{to_bytes("hello"), to_bytes("cruel"), to_bytes("world")};
    const auto cts = encrypt_for_multiple(msgs, f.pubs(), vector_nonce(), f.sender, "test suite");
    ASSERT_TRUE(cts.ok());
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(*decrypt_for_multiple(*cts, vector_nonce(), f.recipients[i], f.sender.pub, "test suite"), msgs[i]);
    }
    // Tampered entries and truncated entries are skipped, never crash.
    auto bad = *cts;
    bad[1][3] ^= std::byte{0x40};
    bad[0].resize(5);
    EXPECT_FALSE(decrypt_for_multiple(std::vector<Bytes>{bad[0], bad[1]}, vector_nonce(), f.recipients[1], f.sender.pub,
                                      "test suite")
                     .ok());
    EXPECT_EQ(*decrypt_for_multiple(bad, vector_nonce(), f.recipients[2], f.sender.pub, "test suite"), msgs[2]);
    // Two messages for three recipients.
    const std::vector<Bytes> two{to_bytes("a"), to_bytes("b")};
    EXPECT_EQ(encrypt_for_multiple(two, f.pubs(), vector_nonce(), f.sender, "d").error().code, ErrorCode::invalid_argument);
    // A low-order recipient key.
    const std::vector<X25519Pubkey> low{X25519Pubkey{}};
    EXPECT_EQ(encrypt_for_multiple(two, low, vector_nonce(), f.sender, "d").error().code, ErrorCode::invalid_argument);
    const std::vector<Bytes> one{to_bytes("a")};
    EXPECT_EQ(encrypt_for_multiple(one, low, vector_nonce(), f.sender, "d").error().code, ErrorCode::invalid_argument);
}

TEST(MultiEncrypt, SimpleFormKnownAnswerRoundTripAndPadding) {
    MultiFixture f;
    const std::vector<Bytes> msgs{to_bytes("hello"), to_bytes("cruel"), to_bytes("world")};
    const auto encoded = encrypt_for_multiple_simple(msgs, f.pubs(), vector_nonce(), f.sender, "test suite");
    ASSERT_TRUE(encoded.ok());
    EXPECT_EQ(to_hex(*encoded),
              "64313a2332343a32ab4bb45d6df5cc14e1c330fb1a8b68ea3826a8c2213a49313a656c32313ae64937e5ea201b84f4e88a976dad90"
              "0d91caaf6a1732313abcb642c49c6da03f70cdaab2ed6666721318afd63132313a1ecee2215d226817edfdb097f05037eb79930910"
              "3a6565");
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(*decrypt_for_multiple_simple(*encoded, f.recipients[i], f.sender.pub, "test suite"), msgs[i]);
    }
    EXPECT_EQ(decrypt_for_multiple_simple(*encoded, f.outsider, f.sender.pub, "test suite").error().code,
              ErrorCode::decrypt_failed);

    // Padding to a multiple of 5 entries; the nonce comes from the entropy.
    DeterministicEntropy entropy(8, "multi");
    const auto padded = encrypt_for_multiple_simple(msgs, f.pubs(), f.sender, "test suite", 5, entropy);
    ASSERT_TRUE(padded.ok());
    // d 1:# 24:<24> 1:e l (5 × "21:" + 21) e e
    EXPECT_EQ(padded->size(), 1 + 3 + 3 + 24 + 3 + 1 + 5 * (3 + 21) + 2U);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(*decrypt_for_multiple_simple(*padded, f.recipients[i], f.sender.pub, "test suite"), msgs[i]);
    }
}

TEST(MultiEncrypt, MalformedBencodeIsRejectedNotCrashed) {
    MultiFixture f;
    const std::vector<Bytes> msgs{to_bytes("hello")};
    const auto encoded = *encrypt_for_multiple_simple(msgs, f.pubs(), vector_nonce(), f.sender, "test suite");
    const auto& r0 = f.recipients[0];
    for (std::size_t n = 0; n < encoded.size(); ++n) {
        const auto r = decrypt_for_multiple_simple(ByteView(encoded).first(n), r0, f.sender.pub, "test suite");
        ASSERT_FALSE(r.ok()) << "truncated to " << n;
    }
    auto code = [&](std::string_view text) {
        return decrypt_for_multiple_simple(as_bytes(text), r0, f.sender.pub, "test suite").error().code;
    };
    EXPECT_EQ(code("d1:#3:abc1:elee"), ErrorCode::bad_encoding);              // nonce not 24 bytes
    EXPECT_EQ(code("d1:el1:xee"), ErrorCode::bad_encoding);                   // no nonce
    EXPECT_EQ(code("l1:#e"), ErrorCode::bad_encoding);                        // not a dict
    EXPECT_EQ(code("d1:#99999999999:x"), ErrorCode::bad_encoding);            // length beyond the end
    EXPECT_EQ(code("d1:#24:aaaaaaaaaaaaaaaaaaaaaaaa1:eli5eee"), ErrorCode::bad_encoding);  // non-string entry
    EXPECT_EQ(code("d1:#24:aaaaaaaaaaaaaaaaaaaaaaaa1:ele"), ErrorCode::bad_encoding);      // unterminated
    // Unknown keys are skipped; an empty list decrypts nothing.
    EXPECT_EQ(code("d1:#24:aaaaaaaaaaaaaaaaaaaaaaaa1:ele1:zli1ed1:ai2eeee"), ErrorCode::decrypt_failed);
    // Deep nesting is refused, not recursed into without bound.
    std::string deep = "d1:#24:aaaaaaaaaaaaaaaaaaaaaaaa1:ele1:z";
    deep.append(std::string(10000, 'l'));
    EXPECT_EQ(code(deep), ErrorCode::bad_encoding);
    // Trailing junk after the dict.
    Bytes trailing = encoded;
    trailing.push_back(std::byte{'x'});
    EXPECT_EQ(decrypt_for_multiple_simple(trailing, r0, f.sender.pub, "test suite").error().code, ErrorCode::bad_encoding);
}

// ---- config encryption --------------------------------------------------------------------------

const char* const KEY_BASE = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

TEST(ConfigEncrypt, KnownAnswersAndRoundTrip) {
    const auto key_base = fixed<SymmetricKey>(KEY_BASE);
    const auto ct1 = config_encrypt(to_bytes("some message 1"), key_base, "test-suite1");
    ASSERT_TRUE(ct1.ok());
    EXPECT_EQ(to_hex(*ct1),
              "f14f242a26638f3305707d1035e734577f943cd7d28af58e32637e0966dcaf2f4860cb4d0f8ba7e09d29e31f5e4a18f658472"
              "87a54a0");
    const auto ct2 = config_encrypt(to_bytes("some message 1"), key_base, "test-suite2");
    ASSERT_TRUE(ct2.ok());
    EXPECT_EQ(to_hex(ByteView(*ct2).last(24)), "277e639d36ba46470dfff509a68cb73d9a96386c51739bdd");
    EXPECT_EQ(to_string(*config_decrypt(*ct1, key_base, "test-suite1")), "some message 1");
    // Deterministic: the same input gives the same output.
    EXPECT_EQ(*config_encrypt(to_bytes("some message 1"), key_base, "test-suite1"), *ct1);
    // An empty message works too.
    const auto empty = *config_encrypt(Bytes{}, key_base, "d");
    EXPECT_EQ(empty.size(), CONFIG_ENCRYPT_OVERHEAD);
    EXPECT_TRUE(config_decrypt(empty, key_base, "d")->empty());
}

TEST(ConfigEncrypt, TamperWrongKeyWrongDomainAndBadArgumentsFail) {
    const auto key_base = fixed<SymmetricKey>(KEY_BASE);
    const auto ct = *config_encrypt(to_bytes("some message 1"), key_base, "test-suite1");
    for (std::size_t i = 0; i < ct.size(); ++i) {
        auto bad = ct;
        bad[i] ^= std::byte{0x80};
        EXPECT_EQ(config_decrypt(bad, key_base, "test-suite1").error().code, ErrorCode::decrypt_failed) << i;
    }
    for (std::size_t n = 0; n < CONFIG_ENCRYPT_OVERHEAD; ++n) {
        EXPECT_EQ(config_decrypt(ByteView(ct).first(n), key_base, "test-suite1").error().code, ErrorCode::truncated);
    }
    EXPECT_EQ(config_decrypt(ByteView(ct).first(ct.size() - 1), key_base, "test-suite1").error().code,
              ErrorCode::decrypt_failed);
    auto other_key = key_base;
    other_key.data[0] ^= std::byte{1};
    EXPECT_EQ(config_decrypt(ct, other_key, "test-suite1").error().code, ErrorCode::decrypt_failed);
    EXPECT_EQ(config_decrypt(ct, key_base, "test-suite2").error().code, ErrorCode::decrypt_failed);
    EXPECT_EQ(config_encrypt(to_bytes("x"), key_base, "").error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(config_encrypt(to_bytes("x"), key_base, std::string(25, 'd')).error().code, ErrorCode::invalid_argument);
    EXPECT_TRUE(config_encrypt(to_bytes("x"), key_base, std::string(24, 'd')).ok());
    EXPECT_EQ(config_decrypt(ct, key_base, std::string(25, 'd')).error().code, ErrorCode::invalid_argument);
}

TEST(ConfigEncrypt, PaddedSizeTableAndPadding) {
    const std::vector<std::array<std::size_t, 3>> table{
        {1, 0, 256},         {1, 10, 246},        {246, 10, 246},      {247, 10, 502},      {247, 256, 256},
        {3839, 96, 4000},    {3744, 96, 3744},    {3745, 96, 4000},    {4864, 0, 4864},     {4865, 0, 5120},
        {5121, 0, 6144},     {9216, 0, 9216},     {9217, 0, 10240},    {10241, 0, 11264},   {20480, 0, 20480},
        {20481, 0, 22528},   {38912, 0, 38912},   {38913, 0, 40960},   {40961, 0, 46080},   {46081, 0, 51200},
        {71680, 0, 71680},   {71681, 0, 76800},   {76800, 0, 76800},   {76776, 24, 76776}};
    for (const auto& [size, overhead, expected] : table) {
        EXPECT_EQ(padded_size(size, overhead), expected) << size << "+" << overhead;
    }
    EXPECT_EQ(padded_size(100), 256 - CONFIG_ENCRYPT_OVERHEAD);
    const auto padded = pad_config_message(to_bytes("abc"), 40);
    ASSERT_EQ(padded.size(), 216U);
    EXPECT_EQ(padded.front(), std::byte{0});
    EXPECT_EQ(to_string(ByteView(padded).last(3)), "abc");
}

// ---- subaccounts --------------------------------------------------------------------------------

const char* const GROUP_SEED = "0123456789abcdeffedcba98765432100123456789abcdeffedcba9876543210";
const char* const MEMBER_SEED = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

TEST(GroupSubaccount, KnownAnswer) {
    const auto group = ed25519_from_seed(fixed<Ed25519Seed>(GROUP_SEED));
    const auto member = ed25519_from_seed(fixed<Ed25519Seed>(MEMBER_SEED));
    const auto member_id = *AccountId::from_ed25519(member.pub);
    EXPECT_EQ(member_id.hex(), "05c5ba413c336f2fe1fb9a2c525f8a86a412a1db128a7841b4e0e217fa9eb7fd5e");
    const auto auth = make_subaccount(group, member_id, true, false);
    ASSERT_TRUE(auth.ok());
    EXPECT_EQ(auth->hex(),
              "03030000013cb83a207d36c574aefe7dc51a5d1c3ad69d17f6c8d1c9398bee1180f8770ae9baefbffda37dc88100979128c1927a"
              "93492ee965cab5551e28f254313ef060b939cf3d50dc6336bab59155753fea6450844339ec36e2048b1602d97dd97e05");
    const auto sig = subaccount_sign(*auth, member.sec, to_bytes("retrieve9991693340111000"));
    ASSERT_TRUE(sig.ok());
    EXPECT_EQ(to_base64(sig->token.view()), "AwMAAIWvMR2nJXCFnK5+hNahNecWqMC39/TVVLjaR3imNug5");
    EXPECT_EQ(to_base64(sig->token_signature.view()),
              "6brvv/2jfciBAJeRKMGSepNJLullyrVVHijyVDE+8GC5Oc89UNxjNrq1kVV1P+pkUIRDOew24gSLFgLZfdl+BQ==");
    EXPECT_EQ(to_base64(sig->signature.view()),
              "c3PJ4g29v5RivKm8Tdg49vGU2/6kVd0yONnpz5U5zePMYptqW3iYQ0TYf2rEzv3qqkPhS5p67M5GAccHoBHGDQ==");
    EXPECT_EQ(*make_subaccount_token(group, member_id, true, false), sig->token);
}

TEST(GroupSubaccount, VerifiesForEitherSignAndRejectsTampering) {
    const auto group = ed25519_from_seed(fixed<Ed25519Seed>(GROUP_SEED));
    DeterministicEntropy entropy(9, "subaccount");
    int negatives = 0;
    for (int i = 0; i < 8; ++i) {
        const auto member = ed25519_generate(entropy);
        if ((std::to_integer<unsigned>(member.pub.data[31]) & 0x80U) != 0) ++negatives;
        const auto id = *AccountId::from_ed25519(member.pub);
        const auto auth = *make_subaccount(group, id, false, true);
        EXPECT_TRUE(verify_subaccount(group.pub, member.sec, auth, false, true));
        EXPECT_FALSE(verify_subaccount(group.pub, member.sec, auth, true, false));  // no write permission
        const auto msg = to_bytes("delete_all1700000000000");
        const auto sig = *subaccount_sign(auth, member.sec, msg);
        EXPECT_TRUE(verify_subaccount_signature(group.pub, sig, msg, subaccount_flags::DEL));
        EXPECT_FALSE(verify_subaccount_signature(group.pub, sig, msg, subaccount_flags::WRITE));
        EXPECT_FALSE(verify_subaccount_signature(group.pub, sig, to_bytes("delete_all1700000000001"), subaccount_flags::DEL));
        auto forged = sig;
        forged.token.data[1] |= std::byte{subaccount_flags::WRITE};  // grant itself write
        EXPECT_FALSE(verify_subaccount_signature(group.pub, forged, msg, 0));
        auto bad_auth = auth;
        bad_auth.data[50] ^= std::byte{1};
        EXPECT_FALSE(verify_subaccount(group.pub, member.sec, bad_auth, false, false));
        // Another group's key does not vouch for it.
        const auto other_group = ed25519_generate(entropy);
        EXPECT_FALSE(verify_subaccount(other_group.pub, member.sec, auth, false, false));
        EXPECT_FALSE(verify_subaccount_signature(other_group.pub, sig, msg, 0));
        // Another member cannot use this auth data: its signature does not match the token's kT.
        const auto thief = ed25519_generate(entropy);
        EXPECT_FALSE(verify_subaccount(group.pub, thief.sec, auth, false, false));
        const auto stolen = *subaccount_sign(auth, thief.sec, msg);
        EXPECT_FALSE(verify_subaccount_signature(group.pub, stolen, msg, 0));
    }
    EXPECT_GT(negatives, 0);
    EXPECT_LT(negatives, 8);
    EXPECT_EQ(subaccount_flags_for(false, false), subaccount_flags::READ);
    EXPECT_EQ(subaccount_flags_for(true, true), 0x07);
}

}  // namespace
}  // namespace sessionproto
