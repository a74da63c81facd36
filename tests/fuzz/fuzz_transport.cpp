// libFuzzer target: one simulated datagram's transport frame (protobuf Packet).
#include "models/session/node/transport.hpp"
#include "models/session/wire/transport.pb.h"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView bytes(reinterpret_cast<const std::byte*>(data), size);
    auto packet = decode_packet(bytes);
    auto header = peek_packet_header(bytes);
    // decode_packet reads as protobuf's generated parser does: the same packets, the same fields.
    wire::Packet reference;
    const bool parsed = reference.ParsePartialFromArray(data, static_cast<int>(size)) && reference.IsInitialized() &&
                        (reference.kind() == wire::Packet::REQUEST ? reference.has_endpoint() : reference.has_status());
    if (parsed != packet.ok()) __builtin_trap();
    if (packet && (packet->request_id != reference.request_id() || to_string(packet->body) != reference.body() ||
                   (packet->is_request && packet->endpoint != reference.endpoint()) ||
                   (!packet->is_request && packet->status != reference.status()))) {
        __builtin_trap();
    }
    if (packet) {
        // The header read without the body is the decoded packet's.
        if (!header || header->is_request != packet->is_request || header->request_id != packet->request_id ||
            header->endpoint != packet->endpoint || header->status != packet->status) {
            __builtin_trap();
        }
        // What decodes re-encodes and decodes to the same packet.
        auto again = decode_packet(encode_packet(*packet));
        if (!again || again->body != packet->body || again->request_id != packet->request_id) __builtin_trap();
    }
    return 0;
}
