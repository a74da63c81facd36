#include "models/session/node/client/connections.hpp"

#include "models/session/common/memory_estimate.hpp"

namespace sessionproto {

std::uint8_t Connections::open_or_reuse(Timestamp now, const PeerAddress& to) {
    if (keep_alive_) {
        const auto it = last_used_.find(to);
        const bool alive = it != last_used_.end() && unix_ms(now) - unix_ms(it->second) <= idle_ms_;
        last_used_[to] = now;
        if (alive) return 0;
        // Forget connections long idle, so the map holds only live ones.
        std::erase_if(last_used_, [&](const auto& e) { return unix_ms(now) - unix_ms(e.second) > idle_ms_; });
    }
    ++opened_;
    return NEW_CONNECTION_ROUND_TRIPS;
}

std::size_t Connections::heap_bytes() const { return memory::heap_bytes(last_used_); }

}  // namespace sessionproto
