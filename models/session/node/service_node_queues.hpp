#pragma once
// Where a busy storage server's inputs wait, and what it answers when there is no room: oxenss
// hands every request to an oxenmq worker through a category with a capped queue
// (session-foundation/session-storage-server v2.8.0, 861638758ff626142446964f20d44e43b7055918):
//   - clients' HTTPS requests (/onion_req/v2, /storage_rpc/v1) through "https", at most 1000
//     queued (oxenss/server/https.cpp, add_category("https", ..., 2 reserved threads, 1000));
//     one that cannot be queued is answered 503 "Server busy, try again later" (the dropped
//     task's call_data answers as it is destroyed, https.cpp);
//   - other nodes' OMQ requests (sn.onion_request, sn.storage_cc, sn.data, data_ready) through
//     "sn", at most 1000 queued (oxenss/server/omq.cpp, add_category("sn", ..., 2, 1000)); one
//     that cannot be queued is dropped without a reply ("No space to queue incoming command ...
//     dropping message", oxen-mq v1.2.17 worker.cpp): the sender times out;
//   - replies to this node's own requests run as oxenmq reply jobs, never behind a category cap.
// A simulator host with a processor model (sim/host/cpu_model.hpp) applies these; a real node
// gets them from oxenmq.
#include <cstddef>
#include <optional>

#include "models/session/common/bytes.hpp"
#include "models/session/node/io.hpp"

namespace sessionproto {

inline constexpr std::size_t OXENSS_HTTPS_QUEUE_LIMIT = 1000;  ///< https.cpp, "https" category max queued
inline constexpr std::size_t OXENSS_SN_QUEUE_LIMIT = 1000;     ///< omq.cpp, "sn" category max queued

/// The queue an input to a service node waits in; a datagram that is not a transport packet
/// counts as a client's (it reaches the HTTPS server).
InputQueue service_node_input_queue(ByteView payload);

/// What the node answers an input it cannot queue: the 503 of an HTTPS request; nothing for an
/// OMQ request or a reply.
std::optional<Bytes> service_node_busy_reply(ByteView payload);

}  // namespace sessionproto
