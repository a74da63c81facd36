#include "models/session/node/transport.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include "models/session/wire/transport.pb.h"

namespace sessionproto {

Bytes encode_packet(const TransportPacket& packet) {
    using google::protobuf::internal::WireFormatLite;
    using google::protobuf::io::CodedOutputStream;
    // The header fields through the generated message; the body (field 5, the last one, so
    // protobuf writes it last) appended as protobuf writes a bytes field: its tag, its length, its
    // bytes. Same bytes as serializing the whole message (Transport.EncodingIsProtobufs), without
    // copying a large body into the message first and zero-filling the output before writing it.
    wire::Packet p;
    p.set_kind(packet.is_request ? wire::Packet::REQUEST : wire::Packet::RESPONSE);
    p.set_request_id(packet.request_id);
    if (packet.is_request) {
        p.set_endpoint(packet.endpoint);
    } else {
        p.set_status(packet.status);
    }
    const std::size_t header = p.ByteSizeLong();
    const auto body_size = static_cast<std::uint32_t>(packet.body.size());
    const std::uint32_t body_tag = WireFormatLite::MakeTag(5, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
    const std::size_t prefix = CodedOutputStream::VarintSize32(body_tag) + CodedOutputStream::VarintSize32(body_size);
    Bytes out;
    out.reserve(header + prefix + packet.body.size());
    out.resize(header + prefix);
    auto* at = reinterpret_cast<std::uint8_t*>(out.data());
    p.SerializeWithCachedSizesToArray(at);
    at = CodedOutputStream::WriteVarint32ToArray(body_tag, at + header);
    CodedOutputStream::WriteVarint32ToArray(body_size, at);
    out.insert(out.end(), packet.body.begin(), packet.body.end());
    return out;
}

Result<PacketHeader> peek_packet_header(ByteView bytes) {
    using google::protobuf::internal::WireFormatLite;
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) return Error{ErrorCode::bad_encoding, "not a transport Packet"};
    google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                              static_cast<int>(bytes.size()));
    PacketHeader out;
    bool have_kind = false, have_id = false, have_endpoint = false, have_status = false;
    while (const std::uint32_t tag = in.ReadTag()) {
        const int field = WireFormatLite::GetTagFieldNumber(tag);
        const auto type = WireFormatLite::GetTagWireType(tag);
        bool ok = true;
        if (field == 1 && type == WireFormatLite::WIRETYPE_VARINT) {
            std::uint64_t kind = 0;
            ok = in.ReadVarint64(&kind);
            // An enum is read as protobuf reads it: the varint cut to int32; another value is an
            // unknown field.
            const auto value = static_cast<std::int32_t>(kind);
            if (ok && (value == wire::Packet::REQUEST || value == wire::Packet::RESPONSE)) {
                out.is_request = value == wire::Packet::REQUEST;
                have_kind = true;
            }
        } else if (field == 2 && type == WireFormatLite::WIRETYPE_VARINT) {
            ok = in.ReadVarint64(&out.request_id);
            have_id = ok;
        } else if (field == 3 && type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
            std::uint32_t size = 0;
            ok = in.ReadVarint32(&size) && size <= static_cast<std::uint32_t>(INT32_MAX) &&
                 in.ReadString(&out.endpoint, static_cast<int>(size));
            have_endpoint = ok;
        } else if (field == 4 && type == WireFormatLite::WIRETYPE_VARINT) {
            ok = in.ReadVarint32(&out.status);
            have_status = ok;
        } else {
            ok = WireFormatLite::SkipField(&in, tag);  // the body, without copying it
        }
        if (!ok) return Error{ErrorCode::bad_encoding, "not a transport Packet"};
    }
    if (!have_kind || !have_id || !in.ConsumedEntireMessage()) return Error{ErrorCode::bad_encoding, "not a transport Packet"};
    // The same rules as decode_packet.
    if (out.is_request && !have_endpoint) return Error{ErrorCode::bad_encoding, "a request needs an endpoint"};
    if (!out.is_request && !have_status) return Error{ErrorCode::bad_encoding, "a response needs a status"};
    if (out.is_request) out.status = 0;
    if (!out.is_request) out.endpoint.clear();
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
