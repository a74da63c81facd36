// libFuzzer target: the reply a client receives for an onion request (base64 or raw, then
// decryption and the {"body", "status"} JSON).
#include "models/session/onion/response.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const OnionRequest request = [] {
        OnionRequest r;
        r.enc_type = EncType::xchacha20;
        DeterministicEntropy entropy(4, "fuzz/response");
        entropy.fill(r.destination_key.span());
        return r;
    }();
    (void)decode_snode_response(request, ByteView(reinterpret_cast<const std::byte*>(data), size));
    static const OnionRequest modelled = [] {
        OnionRequest r = request;
        r.modelled = true;
        return r;
    }();
    (void)decode_snode_response(modelled, ByteView(reinterpret_cast<const std::byte*>(data), size));
    return 0;
}
