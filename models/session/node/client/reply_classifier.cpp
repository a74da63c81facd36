#include "models/session/node/client/reply_classifier.hpp"

#include <utility>

#include "models/session/onion/response.hpp"

namespace sessionproto {

std::optional<Ed25519Pubkey> next_node_not_found(std::string_view text) {
    static constexpr std::string_view NOT_FOUND = "Next node not found: ";
    if (text.substr(0, NOT_FOUND.size()) != NOT_FOUND) return std::nullopt;
    auto key = Ed25519Pubkey::from_hex(text.substr(NOT_FOUND.size(), 64));
    if (!key) return std::nullopt;
    return *key;
}

ClassifiedReply classify_onion_reply(std::uint32_t status, ByteView body, const OnionRequest& request,
                                     std::uint64_t path_id, DecodedReplyMemo* memo) {
    ClassifiedReply out;
    out.transport_status = status;
    out.outcome.path_id = path_id;
    if (status != 200) {
        out.source = ReplySource::path;
        out.text = to_string(body);
        if (status == 406 || status == 425) {
            out.verdict = ReplyVerdict::clock_error;
        } else if (status == 400 || status == 404) {
            out.verdict = ReplyVerdict::no_penalty;
        } else if (auto key = next_node_not_found(out.text)) {
            out.verdict = ReplyVerdict::next_node_not_found;
            out.missing_node = *key;
        } else {
            out.verdict = ReplyVerdict::path_error;
        }
        return out;
    }
    auto decoded = memo != nullptr ? memo->decode(request, body) : decode_snode_response(request, body);
    if (!decoded) {
        out.source = ReplySource::path;
        out.verdict = ReplyVerdict::undecryptable;
        return out;
    }
    out.source = ReplySource::destination;
    out.outcome = OnionOutcome{true, decoded->status, std::move(decoded->body), path_id};
    const int s = out.outcome.status;
    if (s == 200) {
        out.verdict = ReplyVerdict::ok;
    } else if (s == 406 || s == 425) {
        out.verdict = ReplyVerdict::clock_error;
    } else if (s == 421) {
        out.verdict = ReplyVerdict::wrong_swarm;
    } else if (s == 400) {
        out.verdict = ReplyVerdict::no_penalty;
    } else if (auto key = next_node_not_found(out.outcome.body)) {
        out.verdict = ReplyVerdict::next_node_not_found;
        out.missing_node = *key;
    } else {
        out.verdict = ReplyVerdict::node_error;
    }
    return out;
}

}  // namespace sessionproto
