#pragma once
// The work one 3-hop onion round trip needs, shared by the benchmarks that compare against it:
// a small world of 4 service nodes and a ~1 KiB store payload, and the raw libsodium primitives
// one round trip cannot avoid (12 X25519 operations: 4 key generations, 4 client and 4 node
// shared secrets; 5 XChaCha20-Poly1305 encryptions and 5 decryptions of the same sizes).
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "models/session/common/sodium.hpp"
#include "models/session/onion/builder.hpp"

namespace sessionproto::bench {

/// The HMAC key of Session's AES-GCM onion layers: "LOKI", zero-padded to crypto_auth_hmacsha256's
/// 32-byte key (HMAC pads short keys with zeros, so this is the same MAC).
inline constexpr unsigned char LOKI_KEY[32] = {'L', 'O', 'K', 'I'};

struct Node {
    Ed25519Keypair identity;
    X25519Keypair x;
};

struct World {
    DeterministicEntropy entropy{1, "bench/onion"};
    std::vector<Node> nodes;
    std::vector<SnodeKeys> path;
    SnodeKeys destination;
    Bytes payload;
    World() {
        for (int i = 0; i < 4; ++i) {
            Node n;
            n.identity = ed25519_generate(entropy);
            n.x = x25519_from_ed25519(n.identity);
            nodes.push_back(n);
        }
        for (int i = 0; i < 3; ++i) path.push_back(SnodeKeys{nodes[i].identity.pub, nodes[i].x.pub});
        destination = SnodeKeys{nodes[3].identity.pub, nodes[3].x.pub};
        Bytes message(1024);
        entropy.fill(message);
        const nlohmann::json store = {{"method", "store"},
                                      {"params",
                                       {{"pubkey", "05" + std::string(64, 'a')},
                                        {"namespace", 0},
                                        {"ttl", 1209600000},
                                        {"timestamp", 1767225600000},
                                        {"data", to_base64(message)}}}};
        payload = to_bytes(store.dump());
    }
};

/// One iteration = the primitive work of one onion round trip with `cipher`'s layers: for
/// XChaCha20 12 X25519 and 5 + 5 XChaCha20-Poly1305; for AES-GCM (Session's clients: desktop
/// util.worker.ts, Android AESGCM.kt) also the 8 HMAC-SHA256 key derivations and AES-256-GCM.
inline void onion_primitive_bound(benchmark::State& state, EncType cipher = EncType::xchacha20) {
    sodium_ready();
    World w;
    // Sizes of the 5 encryptions of one round trip: the destination layer, three path layers,
    // the reply; measured from a real build so the bound does the same amount of AEAD work.
    std::vector<OnionLayerTrace> trace;
    (void)build_onion_request(w.payload, w.path, w.destination, cipher, w.entropy, &trace);
    std::vector<std::size_t> sizes;
    for (const auto& layer : trace) sizes.push_back(layer.plaintext.size());
    sizes.push_back(48);
    std::vector<unsigned char> m(sizes[3] + 64), c(sizes[3] + 64 + 16);
    unsigned char key[32] = {1}, nonce[24] = {2}, sk[32] = {3}, pk[32], out[32];
    for (auto _ : state) {
        for (int k = 0; k < 4; ++k) {
            crypto_scalarmult_curve25519_base(pk, sk);     // ephemeral key
            if (crypto_scalarmult_curve25519(out, sk, w.nodes[k].x.pub.uc()) != 0) state.SkipWithError("x25519");
            if (crypto_scalarmult_curve25519(out, w.nodes[k].x.sec.uc(), pk) != 0) state.SkipWithError("x25519");
            sk[0] ^= out[0];
            if (cipher == EncType::aes_gcm) {
                // key = HMAC-SHA256(key "LOKI", shared secret), on the client and on the node
                for (int side = 0; side < 2; ++side) crypto_auth_hmacsha256(key, out, sizeof out, LOKI_KEY);
            }
        }
        for (std::size_t size : sizes) {
            unsigned long long clen = 0, mlen = 0;
            int bad = 0;
            if (cipher == EncType::aes_gcm) {
                crypto_aead_aes256gcm_encrypt(c.data(), &clen, m.data(), size, nullptr, 0, nullptr, nonce, key);
                bad = crypto_aead_aes256gcm_decrypt(m.data(), &mlen, nullptr, c.data(), clen, nullptr, 0, nonce, key);
            } else {
                crypto_aead_xchacha20poly1305_ietf_encrypt(c.data(), &clen, m.data(), size, nullptr, 0, nullptr, nonce, key);
                bad = crypto_aead_xchacha20poly1305_ietf_decrypt(m.data(), &mlen, nullptr, c.data(), clen, nullptr, 0,
                                                                 nonce, key);
            }
            if (bad != 0) state.SkipWithError("aead");
        }
        benchmark::DoNotOptimize(out);
    }
    state.SetItemsProcessed(state.iterations());
}

}  // namespace sessionproto::bench
