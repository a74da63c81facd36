// Onion-request and 1-to-1 encryption throughput against the raw libsodium primitives the same
// work needs, measured in the same run (ratios printed at the end).
//
// OnionRoundTrip: a client builds an unauthenticated store of a ~1 KiB message to a recipient's
// namespace 0 (no Ed25519 in the loop) over 3 hops to a destination service node with XChaCha20
// layers (4 layers, 4 fresh ephemeral keys); each of the 4 nodes peels its layer; the
// destination answers; the client decrypts the answer.
// OnionPrimitiveBound: the libsodium calls one round trip cannot avoid: 12 X25519 operations
// (4 key generations, 4 client and 4 node shared secrets) and 5 XChaCha20-Poly1305 encryptions
// and 5 decryptions of the same sizes.
// OnionRoundTripAesGcm / OnionPrimitiveBoundAesGcm: the same with AES-GCM layers as Session's
// clients build them (no enc_type field), the cipher of every shipped client profile.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "bench/onion_primitive_bound.hpp"
#include "bench/ratio_reporter.hpp"
#include "models/session/common/sodium.hpp"
#include "models/session/crypto/session_encrypt.hpp"
#include "models/session/onion/builder.hpp"
#include "models/session/onion/hop_processing.hpp"
#include "models/session/onion/response.hpp"

namespace sessionproto {
namespace {

using bench::World;

void onion_round_trip(benchmark::State& state, EncType cipher, EncTypeField field) {
    World w;
    const OnionResponse answer{200, R"({"hash":"bench","swarm":{}})"};
    for (auto _ : state) {
        auto request = build_onion_request(w.payload, w.path, w.destination, cipher, w.entropy, CryptoWork::real, field);
        auto hop = parse_entry_request(request->body);
        for (int i = 0; i < 3; ++i) {
            auto action = peel_onion_layer(w.nodes[i].x, std::move(*hop));
            hop = std::move(std::get<RelayToNode>(*action).hop);
        }
        auto final_action = peel_onion_layer(w.nodes[3].x, std::move(*hop));
        const auto& final = std::get<FinalDestination>(*final_action);
        const auto reply = encode_snode_response(final, answer, w.entropy);
        const auto decoded = decode_snode_response(*request, *reply);
        if (!decoded || decoded->status != 200) state.SkipWithError("round trip failed");
        benchmark::DoNotOptimize(decoded->body.data());
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel("payload " + std::to_string(w.payload.size()) + " B");
}

void BM_OnionRoundTrip(benchmark::State& state) { onion_round_trip(state, EncType::xchacha20, EncTypeField::always); }
BENCHMARK(BM_OnionRoundTrip)->Unit(benchmark::kMicrosecond);

void BM_OnionPrimitiveBound(benchmark::State& state) { bench::onion_primitive_bound(state); }
BENCHMARK(BM_OnionPrimitiveBound)->Unit(benchmark::kMicrosecond);

// The cipher every shipped client profile uses (models/session/node/PROFILES.md): AES-GCM layers
// without an enc_type field.
void BM_OnionRoundTripAesGcm(benchmark::State& state) {
    onion_round_trip(state, EncType::aes_gcm, EncTypeField::unless_aes_gcm);
}
BENCHMARK(BM_OnionRoundTripAesGcm)->Unit(benchmark::kMicrosecond);

void BM_OnionPrimitiveBoundAesGcm(benchmark::State& state) { bench::onion_primitive_bound(state, EncType::aes_gcm); }
BENCHMARK(BM_OnionPrimitiveBoundAesGcm)->Unit(benchmark::kMicrosecond);

// 1-to-1 messages: encrypt (sign + sealed box) and decrypt (open + verify) of a 1 KiB padded message.
void BM_SessionEncrypt(benchmark::State& state) {
    World w;
    const Bytes message(1119, std::byte{0x41});
    const X25519Pubkey recipient = w.nodes[1].x.pub;
    for (auto _ : state) {
        auto ct = encrypt_for_recipient(w.nodes[0].identity.sec, recipient, message, w.entropy);
        benchmark::DoNotOptimize(ct->data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SessionEncrypt)->Unit(benchmark::kMicrosecond);

void BM_SessionDecrypt(benchmark::State& state) {
    World w;
    const Bytes message(1119, std::byte{0x41});
    const Bytes ct = *encrypt_for_recipient(w.nodes[0].identity.sec, w.nodes[1].x.pub, message, w.entropy);
    for (auto _ : state) {
        auto opened = decrypt_incoming(w.nodes[1].x, ct);
        if (!opened) state.SkipWithError("decrypt failed");
        benchmark::DoNotOptimize(opened->plaintext.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SessionDecrypt)->Unit(benchmark::kMicrosecond);

// The primitives: Ed25519 sign + X25519 key generation + crypto_box_easy (X25519 + XSalsa20-Poly1305).
void BM_SessionEncryptPrimitiveBound(benchmark::State& state) {
    World w;
    std::vector<unsigned char> m(1119 + 96), c(1119 + 96 + 16), sig(64);
    unsigned char sk[32] = {5}, pk[32], nonce[24] = {6};
    for (auto _ : state) {
        crypto_sign_ed25519_detached(sig.data(), nullptr, m.data(), 1119 + 64, w.nodes[0].identity.sec.uc());
        crypto_scalarmult_curve25519_base(pk, sk);
        if (crypto_box_easy(c.data(), m.data(), m.size(), nonce, w.nodes[1].x.pub.uc(), sk) != 0) state.SkipWithError("box");
        benchmark::DoNotOptimize(c.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SessionEncryptPrimitiveBound)->Unit(benchmark::kMicrosecond);

// The primitives: crypto_box_seal_open + Ed25519 verify + the sender's X25519 key from its
// Ed25519 key (decrypt_incoming returns the sender's Account ID, 05 || pk_to_curve25519(A)).
void BM_SessionDecryptPrimitiveBound(benchmark::State& state) {
    World w;
    const Bytes message(1119 + 96, std::byte{0x41});
    std::vector<unsigned char> c(message.size() + crypto_box_SEALBYTES), m(message.size());
    crypto_box_seal(c.data(), uc(message), message.size(), w.nodes[1].x.pub.uc());
    unsigned char sig[64];
    crypto_sign_ed25519_detached(sig, nullptr, uc(message), 1119 + 32, w.nodes[0].identity.sec.uc());
    for (auto _ : state) {
        if (crypto_box_seal_open(m.data(), c.data(), c.size(), w.nodes[1].x.pub.uc(), w.nodes[1].x.sec.uc()) != 0) {
            state.SkipWithError("open");
        }
        const int ok = crypto_sign_ed25519_verify_detached(sig, m.data(), 1119 + 32, w.nodes[0].identity.pub.uc());
        unsigned char sender_x[32];
        if (crypto_sign_ed25519_pk_to_curve25519(sender_x, w.nodes[0].identity.pub.uc()) != 0) state.SkipWithError("pk");
        benchmark::DoNotOptimize(ok);
        benchmark::DoNotOptimize(sender_x);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SessionDecryptPrimitiveBound)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sessionproto

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    sessionsim::bench::RatioReporter reporter({
        {"BM_OnionRoundTrip", "BM_OnionPrimitiveBound"},
        {"BM_OnionRoundTripAesGcm", "BM_OnionPrimitiveBoundAesGcm"},
        {"BM_OnionRoundTripAesGcm", "BM_OnionRoundTrip"},
        {"BM_SessionEncrypt", "BM_SessionEncryptPrimitiveBound"},
        {"BM_SessionDecrypt", "BM_SessionDecryptPrimitiveBound"},
    });
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
