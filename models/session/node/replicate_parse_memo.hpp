#pragma once
// ReplicateParseMemo: an sn.storage_cc body parsed once for every swarm member that receives it.
// The entry node forwards one recursive request to each of its 4 to 9 peers with the same bytes
// (ServiceNode::start_fanout), and what a peer reads from them (the typed request, and whether it
// is a modelled flow's) is a pure function of those bytes: parsing them once per fan-out instead of
// once per peer is the same result at a fraction of the cost. Entries are matched on the whole
// bytes (a hash picks the slot, a comparison decides), so a hit is exact; pushes (sn.data batches,
// sent to one node each) and bodies that are not JSON objects are never kept.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"
#include "models/session/storage/rpc.hpp"

namespace sessionproto {

/// What a swarm member reads from a replicated request's body.
struct ReplicatedRequest {
    Result<RpcRequest> request;  ///< parse_rpc_json of the body
    bool modelled = false;       ///< the body carries the modelled-flow marker (service_node.hpp MODELLED_FIELD)
};

/// One memo per thread serves every node of the simulations on it (the hosts of a run share one
/// thread); a hit or a miss never changes what a node does.
class ReplicateParseMemo {
  public:
    static constexpr std::size_t SLOTS = 1024;         ///< direct-mapped by the bytes' hash
    static constexpr std::size_t LARGEST = 16 * 1024;  ///< larger bodies are not kept (at most 16 MiB in all)

    /// The kept reading of `body`, or null when it was not kept (then parse it and offer it).
    std::shared_ptr<const ReplicatedRequest> find(ByteView body);
    /// Keeps `reading` as what `body` says (replacing the slot's entry).
    void keep(ByteView body, std::shared_ptr<const ReplicatedRequest> reading);

    std::uint64_t hits() const noexcept { return hits_; }
    std::uint64_t misses() const noexcept { return misses_; }

    /// This thread's memo.
    static ReplicateParseMemo& for_this_thread();

  private:
    struct Entry {
        std::size_t hash = 0;
        Bytes body;
        std::shared_ptr<const ReplicatedRequest> reading;
    };
    std::vector<Entry> slots_ = std::vector<Entry>(SLOTS);
    std::uint64_t hits_ = 0;
    std::uint64_t misses_ = 0;
};

}  // namespace sessionproto
