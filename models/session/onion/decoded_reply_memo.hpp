#pragma once
// DecodedReplyMemo: large modelled onion replies, decoded once for every client that receives the
// same bytes. A modelled reply (sampled crypto) is a pure function of its bytes and cipher, and the
// large ones are the shared get_service_nodes reply of a block (~700 KB of base64), which thousands
// of clients fetch: decoding it (base64, then the {"body", "status"} JSON) once per block instead of
// once per client is the same result at a fraction of the cost. Real-crypto replies, and replies
// under LARGE bytes, are always decoded afresh. Entries are matched on the whole bytes (a hash
// picks the candidate, memcmp decides), so a hit is exact.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"
#include "models/session/onion/response.hpp"

namespace sessionproto {

class DecodedReplyMemo {
  public:
    static constexpr std::size_t LARGE = 64 * 1024;  ///< smaller replies are not kept
    static constexpr std::size_t KEPT = 4;           ///< entries, the oldest replaced first

    /// decode_snode_response(request, reply), from the memo when the same modelled bytes were
    /// decoded before with the same cipher. Errors are never kept.
    Result<OnionResponse> decode(const OnionRequest& request, ByteView reply);

    /// Estimated heap bytes of the kept entries.
    std::size_t heap_bytes() const noexcept {
        std::size_t bytes = entries_.capacity() * sizeof(Entry);
        for (const Entry& e : entries_) bytes += e.reply.capacity() + e.decoded.body.capacity() + 1;
        return bytes;
    }
    std::uint64_t hits() const noexcept { return hits_; }
    std::uint64_t misses() const noexcept { return misses_; }

  private:
    struct Entry {
        EncType enc_type;
        std::size_t hash;
        Bytes reply;
        OnionResponse decoded;
    };
    std::vector<Entry> entries_;  // oldest first
    std::uint64_t hits_ = 0;
    std::uint64_t misses_ = 0;
};

}  // namespace sessionproto
