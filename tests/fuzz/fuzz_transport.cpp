// libFuzzer target: one simulated datagram's transport frame (protobuf Packet).
#include "models/session/node/transport.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto packet = decode_packet(ByteView(reinterpret_cast<const std::byte*>(data), size));
    if (packet) {
        // What decodes re-encodes and decodes to the same packet.
        auto again = decode_packet(encode_packet(*packet));
        if (!again || again->body != packet->body || again->request_id != packet->request_id) __builtin_trap();
    }
    return 0;
}
