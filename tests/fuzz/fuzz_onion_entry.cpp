// libFuzzer target: the body a client POSTs to a node's /onion_req/v2, then peeling its layer
// with a fixed node key (most inputs stop at the frame parser or the decryption).
#include "models/session/crypto/keys.hpp"
#include "models/session/onion/hop_processing.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const X25519Keypair node = [] {
        DeterministicEntropy entropy(1, "fuzz/node");
        return x25519_generate(entropy);
    }();
    const ByteView input(reinterpret_cast<const std::byte*>(data), size);
    auto hop = parse_entry_request(input);
    // Also as a sampled run's node, which opens modelled layers (all-zero ephemeral key).
    if (hop) (void)peel_onion_layer(node, *hop, true);
    if (hop) (void)peel_onion_layer(node, std::move(*hop));
    return 0;
}
