// libFuzzer target: what a node finds inside a correctly encrypted layer: the frame and its
// control JSON. The input is encrypted to the node with a fixed key, then peeled, so the fuzzer
// reaches the frame parser and the control-JSON handling (relay, final, proxy) directly.
#include "models/session/crypto/keys.hpp"
#include "models/session/onion/hop_encryption.hpp"
#include "models/session/onion/hop_processing.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static DeterministicEntropy entropy(2, "fuzz/control");
    static const X25519Keypair node = x25519_generate(entropy);
    static const X25519Keypair client = x25519_generate(entropy);
    static const SymmetricKey key = *client_layer_key(EncType::xchacha20, client.sec, client.pub, node.pub);
    static const Bytes nonce(24, std::byte{7});
    const ByteView plain(reinterpret_cast<const std::byte*>(data), size);
    auto sealed = seal_layer(EncType::xchacha20, key, plain, nonce);
    if (!sealed) return 0;
    (void)peel_onion_layer(node, OnionHop{std::move(*sealed), client.pub, EncType::xchacha20, 0});
    // The same frame in a modelled layer (sampled crypto): no decryption in the way.
    (void)peel_onion_layer(node, OnionHop{seal_layer_modelled(EncType::xchacha20, plain), X25519Pubkey{},
                                          EncType::xchacha20, 0},
                           true);
    return 0;
}
