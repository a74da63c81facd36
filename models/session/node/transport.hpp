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
/// Errors: bad_encoding (not a Packet, a request without an endpoint, a response without a status).
Result<TransportPacket> decode_packet(ByteView bytes);

}  // namespace sessionproto
