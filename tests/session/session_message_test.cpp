#include <gtest/gtest.h>
#include <sodium.h>

#include "models/session/crypto/session_encrypt.hpp"
#include "models/session/wire/envelope.hpp"
#include "models/session/wire/session_protos.pb.h"

#include <algorithm>

namespace sessionproto {
namespace {

struct Pair {
    DeterministicEntropy entropy{42, "session_message_test"};
    Ed25519Keypair alice = ed25519_generate(entropy);
    Ed25519Keypair bob = ed25519_generate(entropy);
    X25519Keypair bob_x = x25519_from_ed25519(bob);
    AccountId alice_id = *AccountId::from_ed25519(alice.pub);
    AccountId bob_id = *AccountId::from_ed25519(bob.pub);
};

TEST(SessionEncrypt, RoundTripRecoversPlaintextAndSender) {
    Pair p;
    const Bytes msg = to_bytes("hello bob");
    const auto ct = encrypt_for_recipient(p.alice.sec, p.bob_id.x25519(), msg, p.entropy);
    ASSERT_TRUE(ct.ok());
    EXPECT_EQ(ct->size(), msg.size() + SESSION_ENCRYPT_OVERHEAD);
    const auto opened = decrypt_incoming(p.bob_x, *ct);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->plaintext, msg);
    EXPECT_EQ(opened->sender, p.alice_id);
    EXPECT_EQ(opened->sender_ed25519, p.alice.pub);
}

TEST(SessionEncrypt, SameEntropySeedSameCiphertext) {
    Pair a, b;
    const auto x = encrypt_for_recipient(a.alice.sec, a.bob_id.x25519(), to_bytes("m"), a.entropy);
    const auto y = encrypt_for_recipient(b.alice.sec, b.bob_id.x25519(), to_bytes("m"), b.entropy);
    EXPECT_EQ(*x, *y);
}

TEST(SessionEncrypt, EveryTamperedByteIsRejected) {
    Pair p;
    const auto ct = *encrypt_for_recipient(p.alice.sec, p.bob_id.x25519(), to_bytes("attack at dawn"), p.entropy);
    for (std::size_t i = 0; i < ct.size(); ++i) {
        Bytes bad = ct;
        bad[i] ^= std::byte{0x01};
        EXPECT_FALSE(decrypt_incoming(p.bob_x, bad).ok()) << "byte " << i;
    }
    EXPECT_EQ(decrypt_incoming(p.bob_x, ByteView(ct).first(ct.size() - 1)).error().code, ErrorCode::decrypt_failed);
    EXPECT_EQ(decrypt_incoming(p.bob_x, ByteView(ct).first(100)).error().code, ErrorCode::bad_length);
    Bytes extended = ct;
    extended.push_back(std::byte{0});
    EXPECT_FALSE(decrypt_incoming(p.bob_x, extended).ok());
    // The wrong recipient cannot open it.
    const auto carol = x25519_generate(p.entropy);
    EXPECT_EQ(decrypt_incoming(carol, ct).error().code, ErrorCode::decrypt_failed);
}

TEST(SessionEncrypt, SignatureBindsTheRecipientAndStandardSealedBoxesOpen) {
    Pair p;
    const auto carol = x25519_generate(p.entropy);
    auto inner_for = [&](const X25519Pubkey& signed_for) {
        Bytes m = to_bytes("hi");
        Bytes to_sign = m;
        append(to_sign, p.alice.pub.view());
        append(to_sign, signed_for.view());
        append(m, p.alice.pub.view());
        append(m, ed25519_sign(p.alice.sec, to_sign).view());
        return m;
    };
    auto seal_to_bob = [&](const Bytes& inner) {
        Bytes sealed(inner.size() + crypto_box_SEALBYTES);
        crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()), reinterpret_cast<const unsigned char*>(inner.data()),
                        inner.size(), p.bob_x.pub.uc());
        return sealed;
    };
    // Signed for Bob, sealed with libsodium's own crypto_box_seal: opens.
    const auto ok = decrypt_incoming(p.bob_x, seal_to_bob(inner_for(p.bob_x.pub)));
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(to_string(ok->plaintext), "hi");
    // Signed for Carol, re-sealed to Bob: the signature check fails.
    EXPECT_EQ(decrypt_incoming(p.bob_x, seal_to_bob(inner_for(carol.pub))).error().code, ErrorCode::bad_signature);
}

TEST(Padding, LengthsFollowTheFormulaAndUnpadRestores) {
    for (std::size_t n : {0u, 1u, 5u, 157u, 158u, 159u, 160u, 317u, 318u, 319u, 1000u}) {
        const Bytes m(n, std::byte{0x41});
        const Bytes padded = pad_message(m);
        EXPECT_EQ(padded.size(), (n + 2 + 159) / 160 * 160 - 1) << n;
        EXPECT_EQ(padded[n], std::byte{0x80});
        EXPECT_EQ(unpad_message(padded), m);
    }
    // Unpadded input (no 0x80 before the trailing zeros) is accepted unchanged.
    const Bytes raw = *from_hex("414200");
    EXPECT_EQ(unpad_message(raw), raw);
}

TEST(Envelope, StoredBlobHasSessionsWrapperLayout) {
    const Bytes wrapped = wrap_envelope(to_bytes("ENV"));
    // WebSocketMessage{type=REQUEST(1), request{verb "PUT", path "/api/v1/message", body, id 0}}:
    // field 1 varint 1 = 08 01, field 2 length-delimited = 12 ..., as Session's stored messages start.
    ASSERT_GE(wrapped.size(), 3u);
    EXPECT_EQ(to_hex(ByteView(wrapped).first(3)), "080112");
    const std::string text = to_string(wrapped);
    EXPECT_NE(text.find("PUT"), std::string::npos);
    EXPECT_NE(text.find("/api/v1/message"), std::string::npos);
    EXPECT_EQ(to_string(*unwrap_envelope(wrapped)), "ENV");
    EXPECT_EQ(unwrap_envelope(to_bytes("\xff\xff\xff")).error().code, ErrorCode::bad_encoding);
}

// Sampled crypto: the modelled stand-in has the real size, is read only where accepted, and a
// real message still needs the real key there.
TEST(Envelope, AModelledMessageHasTheRealSizeAndOpensOnlyWhereAccepted) {
    Pair p;
    const OutgoingMessage message{"see you at 8", 1767225600123};
    const auto real = seal_message(p.alice, p.bob_id, message, p.entropy);
    const auto modelled = seal_message(p.alice, p.bob_id, message, p.entropy, CryptoWork::modelled);
    ASSERT_TRUE(real.ok());
    ASSERT_TRUE(modelled.ok());
    EXPECT_EQ(modelled->size(), real->size());
    EXPECT_EQ(open_message(p.bob_x, *modelled).error().code, ErrorCode::decrypt_failed);
    const auto got = open_message(p.bob_x, *modelled, true);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got->body, "see you at 8");
    EXPECT_EQ(got->sender, p.alice_id);
    EXPECT_EQ(got->timestamp_ms, 1767225600123u);
    EXPECT_TRUE(open_message(p.bob_x, *real, true).ok());
    const auto alice_x = x25519_from_ed25519(p.alice);
    EXPECT_EQ(open_message(alice_x, *real, true).error().code, ErrorCode::decrypt_failed);
    // The stand-in's zero signature is part of the mark: a non-zero one is not a stand-in.
    Bytes inner = encrypt_for_recipient_modelled(p.alice.pub, to_bytes("x"));
    EXPECT_TRUE(is_modelled_ciphertext(inner));
    EXPECT_TRUE(decrypt_incoming_modelled(inner).ok());
    inner.back() = std::byte{1};
    EXPECT_EQ(decrypt_incoming_modelled(inner).error().code, ErrorCode::decrypt_failed);
    EXPECT_EQ(decrypt_incoming_modelled(to_bytes("short")).error().code, ErrorCode::bad_length);
}

TEST(Envelope, SealedMessageOpensForTheRecipientOnly) {
    Pair p;
    const auto blob = seal_message(p.alice, p.bob_id, OutgoingMessage{"see you at 8", 1767225600123}, p.entropy);
    ASSERT_TRUE(blob.ok());
    const auto got = open_message(p.bob_x, *blob);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got->body, "see you at 8");
    EXPECT_EQ(got->sender, p.alice_id);
    EXPECT_EQ(got->timestamp_ms, 1767225600123u);
    const auto alice_x = x25519_from_ed25519(p.alice);
    EXPECT_EQ(open_message(alice_x, *blob).error().code, ErrorCode::decrypt_failed);
    // Every byte of the encrypted content is authenticated. (The wrapper's verb and path and the
    // Envelope's timestamp are not, in Session either: the sealed content is what is protected.)
    wire::Envelope envelope;
    const Bytes envelope_bytes = *unwrap_envelope(*blob);
    ASSERT_TRUE(envelope.ParseFromArray(envelope_bytes.data(), static_cast<int>(envelope_bytes.size())));
    const Bytes content = to_bytes(envelope.content());
    const auto at = std::search(blob->begin(), blob->end(), content.begin(), content.end());
    ASSERT_NE(at, blob->end());
    const auto start = static_cast<std::size_t>(at - blob->begin());
    for (std::size_t i = start; i < start + content.size(); ++i) {
        Bytes bad = *blob;
        bad[i] ^= std::byte{0x20};
        EXPECT_FALSE(open_message(p.bob_x, bad).ok()) << "byte " << i;
    }
    // Truncated or garbage blobs are rejected, never a crash.
    for (std::size_t n = 0; n < blob->size(); n += 13) EXPECT_FALSE(open_message(p.bob_x, ByteView(*blob).first(n)).ok());
}

}  // namespace
}  // namespace sessionproto
