#include "models/session/node/token_bucket.hpp"

#include <algorithm>

namespace sessionproto {

namespace {
constexpr std::uint64_t MILLI = 1000;
}

TokenBucketMap::TokenBucketMap(std::uint32_t rate_per_s, std::uint32_t burst, std::size_t max_tracked) noexcept
    : rate_(std::max<std::uint32_t>(rate_per_s, 1)),
      capacity_(static_cast<std::uint64_t>(std::max<std::uint32_t>(burst, 1)) * MILLI),
      max_tracked_(std::max<std::size_t>(max_tracked, 1)) {}

std::uint64_t TokenBucketMap::refilled(const Bucket& b, Timestamp now) const noexcept {
    if (now <= b.last) return b.milli_tokens;
    const auto elapsed_ms = static_cast<std::uint64_t>((now - b.last).count());
    // rate_ tokens/s = rate_ milli-tokens/ms; avoid overflow for long idle times.
    if (elapsed_ms >= capacity_ / rate_ + 1) return capacity_;
    return std::min(capacity_, b.milli_tokens + elapsed_ms * rate_);
}

bool TokenBucketMap::admit(std::uint32_t ipv4, Timestamp now) {
    auto it = buckets_.find(ipv4);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_tracked_) cleanup(now);
        if (buckets_.size() >= max_tracked_) return false;
        it = buckets_.emplace(ipv4, Bucket{capacity_, now}).first;
    }
    Bucket& b = it->second;
    b.milli_tokens = refilled(b, now);
    if (now > b.last) b.last = now;
    if (b.milli_tokens < MILLI) return false;
    b.milli_tokens -= MILLI;
    return true;
}

std::size_t TokenBucketMap::cleanup(Timestamp now) {
    return std::erase_if(buckets_, [&](const auto& entry) { return refilled(entry.second, now) >= capacity_; });
}

std::uint64_t TokenBucketMap::tokens(std::uint32_t ipv4, Timestamp now) const {
    const auto it = buckets_.find(ipv4);
    if (it == buckets_.end()) return capacity_ / MILLI;
    return refilled(it->second, now) / MILLI;
}

}  // namespace sessionproto
