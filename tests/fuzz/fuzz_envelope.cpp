// libFuzzer target: a stored message blob opened by its recipient: WebSocketMessage and
// Envelope protobufs, the sealed box, padding and the Content protobuf.
#include "models/session/crypto/keys.hpp"
#include "models/session/wire/envelope.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const X25519Keypair recipient = [] {
        DeterministicEntropy entropy(3, "fuzz/recipient");
        return x25519_from_ed25519(ed25519_generate(entropy));
    }();
    const ByteView input(reinterpret_cast<const std::byte*>(data), size);
    (void)unwrap_envelope(input);
    (void)open_message(recipient, input);
    (void)open_message(recipient, input, true);  // a sampled run's client reads modelled stand-ins
    return 0;
}
