#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <optional>

#include "models/session/common/entropy.hpp"

#include "models/session/node/io.hpp"
#include "models/session/node/service_node_queues.hpp"
#include "models/session/node/transport.hpp"
#include "models/session/wire/transport.pb.h"

namespace sessionproto {
namespace {

TEST(Transport, RequestsAndResponsesRoundTrip) {
    const TransportPacket request{true, 77, ENDPOINT_ONION_REQ, 0, to_bytes("body")};
    const auto decoded = decode_packet(encode_packet(request));
    ASSERT_TRUE(decoded.ok());
    EXPECT_TRUE(decoded->is_request);
    EXPECT_EQ(decoded->request_id, 77u);
    EXPECT_EQ(decoded->endpoint, "/onion_req/v2");
    EXPECT_EQ(to_string(decoded->body), "body");
    const TransportPacket response{false, 77, "", 421, to_bytes("{}")};
    const auto r = decode_packet(encode_packet(response));
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->is_request);
    EXPECT_EQ(r->status, 421u);
}

// encode_packet appends the body itself (transport.cpp): its bytes must be exactly what protobuf
// writes for the whole message, for requests and responses, with bodies whose length takes 1, 2
// and 3 varint bytes, and empty.
TEST(Transport, EncodingIsProtobufs) {
    for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{127}, std::size_t{128},
                                   std::size_t{16383}, std::size_t{16384}, std::size_t{530000}}) {
        Bytes body(size);
        for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<std::byte>(i * 31 + 7);
        for (const bool is_request : {true, false}) {
            const TransportPacket packet{is_request, 1ULL << 40 | size, is_request ? "sn.onion_request" : "",
                                         is_request ? 0U : 421U, body};
            wire::Packet p;
            p.set_kind(is_request ? wire::Packet::REQUEST : wire::Packet::RESPONSE);
            p.set_request_id(packet.request_id);
            if (is_request) {
                p.set_endpoint(packet.endpoint);
            } else {
                p.set_status(packet.status);
            }
            p.set_body(body.data(), body.size());
            const std::string want = p.SerializeAsString();
            const Bytes got = encode_packet(packet);
            ASSERT_EQ(got.size(), want.size()) << "body of " << size << " bytes";
            EXPECT_EQ(std::memcmp(got.data(), want.data(), want.size()), 0) << "body of " << size << " bytes";
        }
    }
}

TEST(Transport, MalformedPacketsAreRejected) {
    EXPECT_EQ(decode_packet(to_bytes("garbage!")).error().code, ErrorCode::bad_encoding);
    EXPECT_FALSE(decode_packet(Bytes{}).ok());  // required fields missing
    Bytes cut = encode_packet(TransportPacket{true, 1, "/storage_rpc/v1", 0, to_bytes("{\"method\":\"info\"}")});
    cut.resize(cut.size() - 3);
    EXPECT_FALSE(decode_packet(cut).ok());
}

TEST(Transport, TheHeaderIsReadWithoutTheBodyAsDecodeReadsIt) {
    const TransportPacket request{true, 1ull << 40, ENDPOINT_ONION_RELAY, 0, Bytes(5000, std::byte{7})};
    const auto h = peek_packet_header(encode_packet(request));
    ASSERT_TRUE(h.ok());
    EXPECT_TRUE(h->is_request);
    EXPECT_EQ(h->request_id, 1ull << 40);
    EXPECT_EQ(h->endpoint, ENDPOINT_ONION_RELAY);
    const auto r = peek_packet_header(encode_packet(TransportPacket{false, 9, "", 503, to_bytes("busy")}));
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->is_request);
    EXPECT_EQ(r->request_id, 9u);
    EXPECT_EQ(r->status, 503u);
    // What decode_packet refuses, the header refuses too.
    EXPECT_FALSE(peek_packet_header(to_bytes("garbage!")).ok());
    EXPECT_FALSE(peek_packet_header(Bytes{}).ok());
    Bytes cut = encode_packet(TransportPacket{true, 1, "/storage_rpc/v1", 0, to_bytes("{\"method\":\"info\"}")});
    cut.resize(cut.size() - 3);
    EXPECT_FALSE(peek_packet_header(cut).ok());
}

/// protobuf's generated parser, the reading decode_packet must give (it reads the body once).
std::optional<TransportPacket> protobuf_reading(const Bytes& b) {
    wire::Packet p;
    if (!p.ParsePartialFromArray(b.data(), static_cast<int>(b.size())) || !p.IsInitialized()) return std::nullopt;
    const bool request = p.kind() == wire::Packet::REQUEST;
    if (request ? !p.has_endpoint() : !p.has_status()) return std::nullopt;
    return TransportPacket{request, p.request_id(), request ? p.endpoint() : "", request ? 0u : p.status(),
                           to_bytes(p.body())};
}

// The fuzz target's property, on a fixed seed in every test run: whatever decode_packet accepts
// (mutated packets: flipped bytes, cuts, insertions), the header reads the same, and
// decode_packet accepts and reads what protobuf's generated parser does (fields repeated by
// concatenated packets: the last one wins).
TEST(Transport, TheHeaderAgreesWithDecodeOnMutatedPackets) {
    DeterministicEntropy entropy(5, "transport_test/mutations");
    const auto draw = [&](std::size_t bound) {
        std::array<std::byte, 4> b{};
        entropy.fill(b);
        std::uint32_t v = 0;
        std::memcpy(&v, b.data(), 4);
        return static_cast<std::size_t>(v % bound);
    };
    const std::vector<Bytes> seeds{
        encode_packet(TransportPacket{true, 3, ENDPOINT_ONION_REQ, 0, to_bytes("abc")}),
        encode_packet(TransportPacket{false, 1ull << 35, "", 421, to_bytes("{}")}),
        encode_packet(TransportPacket{true, 0, ENDPOINT_REPLICATE, 0, Bytes{}}),
        [] {
            Bytes twice = encode_packet(TransportPacket{false, 7, "", 200, to_bytes("first body")});
            const Bytes second = encode_packet(TransportPacket{true, 8, ENDPOINT_ONION_RELAY, 0, to_bytes("second")});
            twice.insert(twice.end(), second.begin(), second.end());
            return twice;
        }()};
    std::size_t decoded = 0;
    for (int i = 0; i < 20000; ++i) {
        Bytes b = seeds[draw(seeds.size())];
        for (std::size_t m = 0, n = 1 + draw(3); m < n; ++m) {
            switch (draw(3)) {
                case 0:
                    if (!b.empty()) b[draw(b.size())] = static_cast<std::byte>(draw(256));
                    break;
                case 1:
                    if (!b.empty()) b.resize(draw(b.size()));
                    break;
                default:
                    b.insert(b.begin() + static_cast<std::ptrdiff_t>(draw(b.size() + 1)), static_cast<std::byte>(draw(256)));
            }
        }
        const auto packet = decode_packet(b);
        const auto header = peek_packet_header(b);
        const auto reference = protobuf_reading(b);
        ASSERT_EQ(packet.ok(), reference.has_value()) << i << " " << to_hex(b);
        if (!packet.ok()) continue;
        ++decoded;
        EXPECT_EQ(packet->is_request, reference->is_request) << i;
        EXPECT_EQ(packet->request_id, reference->request_id) << i;
        EXPECT_EQ(packet->endpoint, reference->endpoint) << i;
        EXPECT_EQ(packet->status, reference->status) << i;
        EXPECT_EQ(packet->body, reference->body) << i;
        ASSERT_TRUE(header.ok()) << i;
        EXPECT_EQ(header->is_request, packet->is_request) << i;
        EXPECT_EQ(header->request_id, packet->request_id) << i;
        EXPECT_EQ(header->endpoint, packet->endpoint) << i;
        EXPECT_EQ(header->status, packet->status) << i;
    }
    EXPECT_GT(decoded, 1000u);  // the mutations leave many packets decodable
}

TEST(ServiceNodeQueues, ClientsRequestsNodesRequestsAndRepliesWaitApart) {
    const auto packet = [](bool request, const char* endpoint) {
        return encode_packet(TransportPacket{request, 5, request ? endpoint : "", request ? 0u : 200u, to_bytes("{}")});
    };
    EXPECT_EQ(service_node_input_queue(packet(true, ENDPOINT_ONION_REQ)), InputQueue::https);
    EXPECT_EQ(service_node_input_queue(packet(true, ENDPOINT_STORAGE_RPC)), InputQueue::https);
    EXPECT_EQ(service_node_input_queue(packet(true, ENDPOINT_ONION_RELAY)), InputQueue::sn);
    EXPECT_EQ(service_node_input_queue(packet(true, ENDPOINT_REPLICATE)), InputQueue::sn);
    EXPECT_EQ(service_node_input_queue(packet(true, ENDPOINT_DATA_READY)), InputQueue::sn);
    EXPECT_EQ(service_node_input_queue(packet(false, "")), InputQueue::reply);
    EXPECT_EQ(service_node_input_queue(to_bytes("not a packet")), InputQueue::https);
    // A client's request that finds no room: 503 "Server busy, try again later", its request id.
    const auto busy = service_node_busy_reply(packet(true, ENDPOINT_ONION_REQ));
    ASSERT_TRUE(busy.has_value());
    const auto reply = decode_packet(*busy);
    ASSERT_TRUE(reply.ok());
    EXPECT_FALSE(reply->is_request);
    EXPECT_EQ(reply->request_id, 5u);
    EXPECT_EQ(reply->status, 503u);
    EXPECT_EQ(to_string(reply->body), "Server busy, try again later");
    // Another node's request gets nothing (oxenmq drops it); neither does a reply.
    EXPECT_FALSE(service_node_busy_reply(packet(true, ENDPOINT_ONION_RELAY)).has_value());
    EXPECT_FALSE(service_node_busy_reply(packet(false, "")).has_value());
}

TEST(PeerAddress, Formats) {
    EXPECT_EQ((PeerAddress{0x0B000709, 22021}).to_string(), "11.0.7.9:22021");
    EXPECT_EQ((PeerAddress{0x0B000709, 22021}).ip_string(), "11.0.7.9");
}

}  // namespace
}  // namespace sessionproto
