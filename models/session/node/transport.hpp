#pragma once
// Encoding of one simulated datagram (wire/transport.proto): a request to an endpoint, or a
// response to a request id with a status.
#include <cstdint>
#include <string>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"

namespace sessionproto {

/// Endpoint names, as Session uses them.
inline constexpr const char* ENDPOINT_ONION_REQ = "/onion_req/v2";      ///< client -> first hop (HTTPS)
inline constexpr const char* ENDPOINT_STORAGE_RPC = "/storage_rpc/v1";  ///< client -> node, direct (HTTPS)
inline constexpr const char* ENDPOINT_ONION_RELAY = "sn.onion_request";  ///< node -> node (OMQ)
inline constexpr const char* ENDPOINT_REPLICATE = "sn.storage_cc";        ///< node -> swarm peer (OMQ)
/// existing member -> new swarm member: "are you ready for my data?" (oxen-storage-server PR #507)
inline constexpr const char* ENDPOINT_DATA_READY = "snode.data_ready";

struct TransportPacket {
    bool is_request = true;
    std::uint64_t request_id = 0;
    std::string endpoint;  ///< requests only
    std::uint32_t status = 0;  ///< responses only
    Bytes body;
};

Bytes encode_packet(const TransportPacket& packet);

/// A packet's header without its body: what a host needs to route it to a queue or to answer it
/// busy, read without copying the body.
struct PacketHeader {
    bool is_request = true;
    std::uint64_t request_id = 0;
    std::string endpoint;
    std::uint32_t status = 0;
};
/// Errors: bad_encoding (not a Packet: a field of the wrong type, truncated).
Result<PacketHeader> peek_packet_header(ByteView bytes);
/// Errors: bad_encoding (not a Packet, a request without an endpoint, a response without a status).
Result<TransportPacket> decode_packet(ByteView bytes);

}  // namespace sessionproto
