#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "tests/support/text_mutation.hpp"

namespace sessionproto {
namespace {

TEST(Bytes, HexAndBase64RoundTripAndRejectJunk) {
    const Bytes b = *from_hex("00ff10ab");
    EXPECT_EQ(to_hex(b), "00ff10ab");
    EXPECT_EQ(*from_hex("00FF10AB"), b);
    EXPECT_FALSE(from_hex("abc").has_value());
    EXPECT_FALSE(from_hex("zz").has_value());
    EXPECT_EQ(to_base64(to_bytes("hello")), "aGVsbG8=");
    EXPECT_EQ(to_base64(to_bytes("hello"), false), "aGVsbG8");
    EXPECT_EQ(to_string(*from_base64("aGVsbG8=")), "hello");
    EXPECT_EQ(to_string(*from_base64("aGVsbG8")), "hello");
    EXPECT_FALSE(from_base64("aGVs bG8=").has_value());
    EXPECT_FALSE(from_base64("aGVsbG8-").has_value());
}

// bytes.cpp's base64 is by table; libsodium's codec is the reference it must equal: the same text
// for every input, and the same bytes or the same refusal for random texts over the alphabet, '=',
// URL-safe and junk characters, and for one-character mutations of valid encodings.
std::string sodium_to_base64(const Bytes& bytes, bool padded) {
    if (bytes.empty()) return {};
    const int variant = padded ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), uc(bytes), bytes.size(), variant);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::optional<Bytes> sodium_from_base64(std::string_view text) {
    if (text.empty()) return Bytes{};
    const int variant =
        text.back() == '=' ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    Bytes out(text.size() * 3 / 4 + 3);
    std::size_t written = 0;
    const char* end = nullptr;
    if (sodium_base642bin(uc(std::span<std::byte>(out)), out.size(), text.data(), text.size(), nullptr, &written, &end,
                          variant) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(written);
    return out;
}

TEST(Bytes, Base64AgreesWithLibsodium) {
    ASSERT_GE(sodium_init(), 0);
    DeterministicEntropy entropy(5, "base64");
    auto draw = [&](std::size_t below) {
        std::array<std::byte, 4> r{};
        entropy.fill(r);
        std::uint32_t v = 0;
        for (const auto b : r) v = v << 8 | std::to_integer<std::uint32_t>(b);
        return static_cast<std::size_t>(v % below);
    };
    const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n.";
    std::size_t accepted = 0, refused = 0;
    for (int round = 0; round < 20000; ++round) {
        Bytes bytes(draw(40));
        entropy.fill(bytes);
        for (const bool padded : {true, false}) {
            const std::string text = to_base64(bytes, padded);
            ASSERT_EQ(text, sodium_to_base64(bytes, padded));
            ASSERT_EQ(from_base64(text), std::optional<Bytes>(bytes));
            if (text.empty()) continue;
            const std::string mutated = sessionsim::test::mutate_one_character(text, chars, draw);
            const auto ours = from_base64(mutated);
            ASSERT_EQ(ours, sodium_from_base64(mutated)) << "text '" << mutated << "'";
            (ours ? accepted : refused) += 1;
        }
        std::string junk(draw(9), 'A');  // short texts: every padding and leftover-bit case
        for (auto& c : junk) c = chars[draw(chars.size() - 2)];
        ASSERT_EQ(from_base64(junk), sodium_from_base64(junk)) << "text '" << junk << "'";
    }
    EXPECT_GT(accepted, 1000u);  // the mutations reach both outcomes
    EXPECT_GT(refused, 1000u);
}

TEST(AccountId, ParsesAndRejectsWithClearErrors) {
    const std::string good = "05" + std::string(64, 'a');
    const auto id = AccountId::parse(good);
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(id->hex(), good);
    auto err = AccountId::parse(good.substr(0, 64));
    ASSERT_FALSE(err.ok());
    EXPECT_EQ(err.error().code, ErrorCode::bad_length);
    err = AccountId::parse("15" + std::string(64, 'a'));
    ASSERT_FALSE(err.ok());
    EXPECT_EQ(err.error().code, ErrorCode::bad_prefix);
    EXPECT_NE(err.error().message.find("starts with 05"), std::string::npos);
    err = AccountId::parse("05" + std::string(63, 'a') + "g");
    ASSERT_FALSE(err.ok());
    EXPECT_EQ(err.error().code, ErrorCode::bad_encoding);
    EXPECT_EQ(SessionId::parse("99" + std::string(64, '0')).error().code, ErrorCode::bad_prefix);
    EXPECT_EQ(SessionId::parse("25" + std::string(64, '0'))->prefix(), IdPrefix::blinded25);
}

TEST(Keys, AccountIdOfAnIdentityIsItsX25519KeyAndSignaturesVerify) {
    DeterministicEntropy entropy(7, "identity");
    const auto kp = ed25519_generate(entropy);
    const auto x = x25519_from_ed25519(kp);
    const auto id = AccountId::from_ed25519(kp.pub);
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(id->x25519(), x.pub);
    const auto sig = ed25519_sign(kp.sec, to_bytes("message"));
    EXPECT_TRUE(ed25519_verify(kp.pub, sig, to_bytes("message")));
    EXPECT_FALSE(ed25519_verify(kp.pub, sig, to_bytes("messagf")));
    // Both sides of a Diffie-Hellman agree.
    const auto other = x25519_generate(entropy);
    EXPECT_EQ(*x25519_shared(x.sec, other.pub), *x25519_shared(other.sec, x.pub));
}

// The pubkey conversion is memoised (keys.cpp): answers must equal libsodium's on every call, also
// for keys that share a memo slot (same first 8 bytes) and for keys that are not valid points.
TEST(Keys, ThePubkeyConversionAlwaysAnswersAsLibsodiumDoes) {
    DeterministicEntropy entropy(11, "conversion");
    std::vector<Ed25519Pubkey> keys;
    for (int i = 0; i < 3; ++i) keys.push_back(ed25519_generate(entropy).pub);
    for (int i = 1; i < 3; ++i) std::copy_n(keys[0].data.begin(), 8, keys[i].data.begin());  // one slot
    Ed25519Pubkey not_a_point = keys[0];
    not_a_point.data.fill(std::byte{0xff});
    std::copy_n(keys[0].data.begin(), 8, not_a_point.data.begin());
    keys.push_back(not_a_point);
    int invalid = 0;
    for (int round = 0; round < 3; ++round) {
        for (const auto& key : keys) {
            X25519Pubkey direct;
            const bool ok = crypto_sign_ed25519_pk_to_curve25519(direct.uc(), key.uc()) == 0;
            const auto memoised = x25519_from_ed25519(key);
            ASSERT_EQ(memoised.ok(), ok);
            if (ok) {
                EXPECT_EQ(*memoised, direct);
            }
            invalid += ok ? 0 : 1;
        }
    }
    EXPECT_GE(invalid, 3);  // the 0xff key at least, every round
}

TEST(Entropy, DeterministicEntropyIsReproducibleAndSeedDependent) {
    DeterministicEntropy a(1, "node/1"), b(1, "node/1"), c(2, "node/1"), d(1, "node/2");
    std::array<std::byte, 100> x{}, y{}, z{}, w{};
    a.fill(std::span(x).first(37));
    a.fill(std::span(x).subspan(37));  // split draws continue the same stream
    b.fill(y);
    c.fill(z);
    d.fill(w);
    EXPECT_EQ(x, y);
    EXPECT_NE(x, z);
    EXPECT_NE(x, w);
    EXPECT_EQ(a.bytes_drawn(), 100u);
}

}  // namespace
}  // namespace sessionproto
