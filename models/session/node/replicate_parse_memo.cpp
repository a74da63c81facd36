#include "models/session/node/replicate_parse_memo.hpp"

namespace sessionproto {

std::shared_ptr<const ReplicatedRequest> ReplicateParseMemo::find(ByteView body) {
    const std::size_t hash = bytes_hash(body);
    const Entry& e = slots_[hash % SLOTS];
    if (e.reading && e.hash == hash && same_bytes(e.body, body)) {
        ++hits_;
        return e.reading;
    }
    ++misses_;
    return nullptr;
}

ReplicateParseMemo& ReplicateParseMemo::for_this_thread() {
    static thread_local ReplicateParseMemo memo;
    return memo;
}

void ReplicateParseMemo::keep(ByteView body, std::shared_ptr<const ReplicatedRequest> reading) {
    if (body.size() > LARGEST) return;
    const std::size_t hash = bytes_hash(body);
    Entry& e = slots_[hash % SLOTS];
    e.hash = hash;
    e.body.assign(body.begin(), body.end());
    e.reading = std::move(reading);
}

}  // namespace sessionproto
