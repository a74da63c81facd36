#include "models/session/node/service_node_queues.hpp"

#include <string_view>

#include "models/session/node/transport.hpp"

namespace sessionproto {
namespace {

bool is_https_endpoint(std::string_view endpoint) {
    return endpoint == ENDPOINT_ONION_REQ || endpoint == ENDPOINT_STORAGE_RPC;
}

}  // namespace

InputQueue service_node_input_queue(ByteView payload) {
    const auto header = peek_packet_header(payload);
    if (!header.ok()) return InputQueue::https;
    if (!header->is_request) return InputQueue::reply;
    return is_https_endpoint(header->endpoint) ? InputQueue::https : InputQueue::sn;
}

std::optional<Bytes> service_node_busy_reply(ByteView payload) {
    const auto header = peek_packet_header(payload);
    if (!header.ok() || !header->is_request || !is_https_endpoint(header->endpoint)) return std::nullopt;
    TransportPacket reply;
    reply.is_request = false;
    reply.request_id = header->request_id;
    reply.status = 503;
    reply.body = to_bytes("Server busy, try again later");
    return encode_packet(reply);
}

}  // namespace sessionproto
