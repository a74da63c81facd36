#include <gtest/gtest.h>

#include "models/session/node/io.hpp"
#include "models/session/node/transport.hpp"

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

TEST(Transport, MalformedPacketsAreRejected) {
    EXPECT_EQ(decode_packet(to_bytes("garbage!")).error().code, ErrorCode::bad_encoding);
    EXPECT_FALSE(decode_packet(Bytes{}).ok());  // required fields missing
    Bytes cut = encode_packet(TransportPacket{true, 1, "/storage_rpc/v1", 0, to_bytes("{\"method\":\"info\"}")});
    cut.resize(cut.size() - 3);
    EXPECT_FALSE(decode_packet(cut).ok());
}

TEST(PeerAddress, Formats) {
    EXPECT_EQ((PeerAddress{0x0B000709, 22021}).to_string(), "11.0.7.9:22021");
    EXPECT_EQ((PeerAddress{0x0B000709, 22021}).ip_string(), "11.0.7.9");
}

}  // namespace
}  // namespace sessionproto
