#pragma once
// PoolCache: service-node pool snapshots shared between clients (CLIENT.md "Snode pool"), and
// the large pool replies they arrive in, decoded once (DecodedReplyMemo).
// A client's pool is an immutable list; clients that fetched the same list hold one copy of it.
// The cache is content-addressed: the key is BLAKE2b-256 of a canonical encoding of the list
// sorted by Ed25519 key, so the same nodes in another order, or the same list fetched from another
// seed, share one snapshot. Entries are weak: a snapshot no client holds any more is freed, and
// its entry is pruned on the next insertion.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/node/io.hpp"
#include "models/session/onion/decoded_reply_memo.hpp"

namespace sessionproto {

using SnodePool = std::vector<SnodeRecord>;
using SnodePoolPtr = std::shared_ptr<const SnodePool>;

class PoolCache {
  public:
    /// The shared snapshot of `nodes` (sorted by Ed25519 key, duplicates by key removed).
    /// Outputs: the same pointer for every caller that passes the same set of records while any
    /// holder keeps it alive.
    SnodePoolPtr intern(SnodePool nodes);

    /// The list a pool reply `body` carries, parsed by `parse` (nullptr when it fails), shared:
    /// a body with the same bytes as one of the last RECENT_PARSED parsed (or as one someone
    /// still holds) is not parsed again. Thousands of clients fetch the same list after a block.
    using PoolParser = std::optional<SnodePool> (*)(ByteView body);
    SnodePoolPtr parsed(ByteView body, PoolParser parse);

    /// Live snapshots (entries whose snapshot someone still holds).
    std::size_t live_count() const;
    /// Estimated heap bytes: the live snapshots, the parsed bodies kept and the decoded replies.
    std::size_t heap_bytes() const;
    /// Large modelled onion replies decoded once for all clients (the pool reply of a block).
    DecodedReplyMemo& replies() noexcept { return replies_; }
    /// Calls to intern() answered with an existing snapshot.
    std::uint64_t hits() const noexcept { return hits_; }
    std::uint64_t misses() const noexcept { return misses_; }

    static constexpr std::size_t RECENT_PARSED = 8;

  private:
    std::map<std::array<std::byte, 32>, std::weak_ptr<const SnodePool>> entries_;
    std::vector<SnodePoolPtr> recent_parsed_;  // kept alive, oldest first
    /// Parsed reply bodies: the body's hash picks candidates, its bytes decide.
    struct ParsedBody {
        std::size_t hash;
        Bytes body;
        std::weak_ptr<const SnodePool> pool;
    };
    std::vector<ParsedBody> parsed_;
    DecodedReplyMemo replies_;
    std::uint64_t hits_ = 0;
    std::uint64_t misses_ = 0;
};

}  // namespace sessionproto
