#pragma once
// Reply classification: what an onion request's answer means for the client (desktop onions.ts
// processOnionRequestErrorOnPath / processOnionRequestErrorAtDestination; ../CLIENT.md "Strikes").
// A pure function of the transport status, the body and the request's reply key: it decides,
// the Client shell applies (counters, strikes, drops, then the requester's own handling).
//
// - A transport status other than 200 is an error from a path node, in clear text: 406/425 clock
//   errors and 400/404 carry no penalty, "Next node not found: <ed25519>" names a node to drop at
//   once, anything else counts against the path.
// - A 200 whose body does not decrypt is a bad reply (against the path).
// - Otherwise the destination answered `{"status", "body"}`: 200 ok, 406/425 clock error, 421
//   wrong swarm, 400 no penalty, "Next node not found" drops that node, anything else is a failure
//   of the destination node.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/session/common/bytes.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/onion/builder.hpp"
#include "models/session/onion/decoded_reply_memo.hpp"

namespace sessionproto {

/// An onion reply as a requester sees it.
struct OnionOutcome {
    bool ok = false;            ///< the destination answered (any status)
    int status = 0;             ///< the destination's status
    std::string body;
    std::uint64_t path_id = 0;  ///< the path it went through
};

enum class ReplySource : std::uint8_t {
    path,         ///< a path node answered in clear (transport status ≠ 200), or the reply did not decrypt
    destination,  ///< the destination's own, decrypted answer
};

enum class ReplyVerdict : std::uint8_t {
    ok,                   ///< destination 200
    clock_error,          ///< 406 / 425: no penalty (a store is aborted)
    wrong_swarm,          ///< destination 421
    no_penalty,           ///< path 400 / 404, destination 400
    next_node_not_found,  ///< `missing_node` is dropped at once
    path_error,           ///< any other path status: a strike on the path
    undecryptable,        ///< a 200 that does not decrypt: a strike on the path
    node_error,           ///< any other destination status: a strike on the destination node
};

struct ClassifiedReply {
    ReplySource source = ReplySource::path;
    ReplyVerdict verdict = ReplyVerdict::path_error;
    std::optional<Ed25519Pubkey> missing_node;  ///< next_node_not_found
    std::uint32_t transport_status = 0;
    std::string text;       ///< a path error's clear text
    OnionOutcome outcome;   ///< source == destination (ok = true); failed (ok = false) otherwise
};

/// Inputs: the transport status and body of the reply to `request`, sent through `path_id`.
/// Never throws on hostile bytes. With `memo`, a large modelled reply decoded before is not
/// decoded again (the same result: decoded_reply_memo.hpp).
ClassifiedReply classify_onion_reply(std::uint32_t status, ByteView body, const OnionRequest& request,
                                     std::uint64_t path_id, DecodedReplyMemo* memo = nullptr);

/// The key in "Next node not found: <64 hex>" (a path node's or destination's error text).
std::optional<Ed25519Pubkey> next_node_not_found(std::string_view text);

}  // namespace sessionproto
