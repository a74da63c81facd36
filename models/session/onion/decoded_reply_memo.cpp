#include "models/session/onion/decoded_reply_memo.hpp"

namespace sessionproto {

Result<OnionResponse> DecodedReplyMemo::decode(const OnionRequest& request, ByteView reply) {
    if (!request.modelled || reply.size() < LARGE) return decode_snode_response(request, reply);
    const std::size_t hash = bytes_sample_hash(reply);
    for (const Entry& e : entries_) {
        if (e.enc_type == request.enc_type && e.hash == hash && same_bytes(e.reply, reply)) {
            ++hits_;
            return e.decoded;
        }
    }
    ++misses_;
    auto decoded = decode_snode_response(request, reply);
    if (!decoded) return decoded;
    if (entries_.size() == KEPT) entries_.erase(entries_.begin());
    entries_.push_back(Entry{request.enc_type, hash, Bytes(reply.begin(), reply.end()), *decoded});
    return decoded;
}

}  // namespace sessionproto
