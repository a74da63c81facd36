#include "models/session/node/transport.hpp"

#include "models/session/wire/transport.pb.h"

namespace sessionproto {

Bytes encode_packet(const TransportPacket& packet) {
    wire::Packet p;
    p.set_kind(packet.is_request ? wire::Packet::REQUEST : wire::Packet::RESPONSE);
    p.set_request_id(packet.request_id);
    if (packet.is_request) {
        p.set_endpoint(packet.endpoint);
    } else {
        p.set_status(packet.status);
    }
    p.set_body(packet.body.data(), packet.body.size());
    Bytes out(p.ByteSizeLong());
    p.SerializeToArray(out.data(), static_cast<int>(out.size()));
    return out;
}

Result<TransportPacket> decode_packet(ByteView bytes) {
    wire::Packet p;
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX) ||
        !p.ParsePartialFromArray(bytes.data(), static_cast<int>(bytes.size())) || !p.IsInitialized()) {
        return Error{ErrorCode::bad_encoding, "not a transport Packet"};
    }
    TransportPacket out;
    out.is_request = p.kind() == wire::Packet::REQUEST;
    out.request_id = p.request_id();
    if (out.is_request) {
        if (!p.has_endpoint()) return Error{ErrorCode::bad_encoding, "a request needs an endpoint"};
        out.endpoint = p.endpoint();
    } else {
        if (!p.has_status()) return Error{ErrorCode::bad_encoding, "a response needs a status"};
        out.status = p.status();
    }
    out.body = to_bytes(p.body());
    return out;
}

}  // namespace sessionproto
