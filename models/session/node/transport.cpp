#include "models/session/node/transport.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <climits>

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

namespace {

/// A cursor over a Packet's bytes with the limits of protobuf's own parser (parse_context.h,
/// protobuf 3.21): a tag of at most 5 bytes, a varint of at most 10, a length of at most 5 bytes
/// and below 2 GiB - 16, groups nested at most 100 deep.
class WireReader {
public:
    explicit WireReader(ByteView bytes) : bytes_(bytes) {}

    bool at_end() const { return pos_ == bytes_.size(); }
    std::size_t pos() const { return pos_; }

    /// The next tag (0 when the bytes are not a tag: too long or cut).
    std::uint32_t tag() {
        std::uint64_t value = 0;
        return varint(value, 5) ? static_cast<std::uint32_t>(value) : 0;
    }

    bool varint(std::uint64_t& out, int max_bytes = 10) {
        out = 0;
        for (int i = 0; i < max_bytes && pos_ < bytes_.size(); ++i) {
            const auto b = std::to_integer<std::uint64_t>(bytes_[pos_++]);
            if (i < 10) out |= (b & 0x7F) << (7 * i);
            if (b < 0x80) return true;
        }
        return false;
    }

    /// A length prefix and the bytes it covers.
    bool length_delimited(ByteView& out) {
        const std::size_t start = pos_;
        std::uint64_t size = 0;
        if (!varint(size, 5)) return false;
        if (pos_ - start == 5 && std::to_integer<unsigned>(bytes_[pos_ - 1]) >= 8) return false;  // >= 2 GiB
        if (size > static_cast<std::uint64_t>(INT32_MAX - 16) || size > bytes_.size() - pos_) return false;
        out = bytes_.subspan(pos_, static_cast<std::size_t>(size));
        pos_ += static_cast<std::size_t>(size);
        return true;
    }

    /// Skips an unknown field's value (the tag already read).
    bool skip(std::uint32_t tag, int depth = 0) {
        switch (tag & 7) {
            case 0: {
                std::uint64_t ignored = 0;
                return varint(ignored);
            }
            case 1: return advance(8);
            case 5: return advance(4);
            case 2: {
                ByteView ignored;
                return length_delimited(ignored);
            }
            case 3: {  // a group: fields until the end tag of the same number
                if (depth >= 100) return false;
                while (true) {
                    const std::uint32_t inner = this->tag();
                    if (inner == 0 || (inner >> 3) == 0) return false;
                    if ((inner & 7) == 4) return inner == (tag & ~7u) + 4;
                    if (!skip(inner, depth + 1)) return false;
                }
            }
            default: return false;  // an end-group tag outside a group, or wire types 6 and 7
        }
    }

private:
    bool advance(std::size_t n) {
        if (bytes_.size() - pos_ < n) return false;
        pos_ += n;
        return true;
    }

    ByteView bytes_;
    std::size_t pos_ = 0;
};

/// Reads a Packet as protobuf's generated parser does (a known field of another wire type and an
/// enum value out of range are unknown fields, skipped; the last occurrence of a field wins;
/// required fields checked), keeping where the body is instead of copying it.
Result<PacketHeader> read_packet(ByteView bytes, ByteView* body) {
    const Error not_a_packet{ErrorCode::bad_encoding, "not a transport Packet"};
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) return not_a_packet;
    WireReader in(bytes);
    PacketHeader out;
    bool have_kind = false, have_id = false, have_endpoint = false, have_status = false;
    ByteView found_body;
    while (!in.at_end()) {
        const std::uint32_t tag = in.tag();
        if (tag == 0 || (tag >> 3) == 0 || (tag & 7) == 4) return not_a_packet;
        bool ok = true;
        std::uint64_t value = 0;
        ByteView field;
        switch (tag) {
            case (1 << 3) | 0:  // kind: an enum, cut to int32; another value is an unknown field
                ok = in.varint(value);
                if (ok && (static_cast<std::int32_t>(value) == wire::Packet::REQUEST ||
                           static_cast<std::int32_t>(value) == wire::Packet::RESPONSE)) {
                    out.is_request = static_cast<std::int32_t>(value) == wire::Packet::REQUEST;
                    have_kind = true;
                }
                break;
            case (2 << 3) | 0:
                ok = in.varint(out.request_id);
                have_id = have_id || ok;
                break;
            case (3 << 3) | 2:
                ok = in.length_delimited(field);
                if (ok) out.endpoint.assign(reinterpret_cast<const char*>(field.data()), field.size());
                have_endpoint = have_endpoint || ok;
                break;
            case (4 << 3) | 0:
                ok = in.varint(value);
                out.status = static_cast<std::uint32_t>(value);
                have_status = have_status || ok;
                break;
            case (5 << 3) | 2:
                ok = in.length_delimited(field);
                if (ok) found_body = field;
                break;
            default: ok = in.skip(tag);
        }
        if (!ok) return not_a_packet;
    }
    if (!have_kind || !have_id) return not_a_packet;
    if (out.is_request && !have_endpoint) return Error{ErrorCode::bad_encoding, "a request needs an endpoint"};
    if (!out.is_request && !have_status) return Error{ErrorCode::bad_encoding, "a response needs a status"};
    if (out.is_request) out.status = 0;
    if (!out.is_request) out.endpoint.clear();
    if (body != nullptr) *body = found_body;
    return out;
}

}  // namespace

Result<PacketHeader> peek_packet_header(ByteView bytes) { return read_packet(bytes, nullptr); }

Result<TransportPacket> decode_packet(ByteView bytes) {
    ByteView body;
    auto header = read_packet(bytes, &body);
    if (!header) return header.error();
    TransportPacket out;
    out.is_request = header->is_request;
    out.request_id = header->request_id;
    out.endpoint = std::move(header->endpoint);
    out.status = header->status;
    out.body.assign(body.begin(), body.end());  // the one copy of the body
    return out;
}

}  // namespace sessionproto
