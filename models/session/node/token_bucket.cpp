#include "models/session/node/token_bucket.hpp"

#include <algorithm>

#include "models/session/common/memory_estimate.hpp"

namespace sessionproto {

TokenBucketMap::TokenBucketMap(std::uint32_t rate_per_s, std::uint32_t burst, std::size_t max_tracked) noexcept
    : period_us_(1'000'000 / std::clamp<std::int64_t>(rate_per_s, 1, 1'000'000)),
      burst_(std::max<std::uint32_t>(burst, 1)),
      fill_us_(period_us_ * burst_),
      max_tracked_(std::max<std::size_t>(max_tracked, 1)) {}

std::uint32_t TokenBucketMap::earned(const Bucket& b, BucketTime now) const noexcept {
    // oxenss clamps the elapsed time to the time a whole bucket takes, then divides in integer
    // microseconds (rate_limiter.cpp fill_bucket, c3b96a2).
    const std::int64_t elapsed = std::clamp<std::int64_t>((now - b.last).count(), 0, fill_us_);
    return static_cast<std::uint32_t>(elapsed / period_us_);
}

bool TokenBucketMap::fill(Bucket& b, BucketTime now) const noexcept {
    b.tokens += earned(b, now);
    if (b.tokens >= burst_) {
        b.tokens = burst_;
        return true;
    }
    return false;
}

bool TokenBucketMap::admit(std::uint32_t ipv4, BucketTime now) {
    if (auto it = buckets_.find(ipv4); it != buckets_.end()) {
        // oxenss remove_token: fill, refuse when empty (time point kept), else take one and
        // restart the time point at now.
        Bucket& b = it->second;
        fill(b, now);
        if (b.tokens == 0) return false;
        --b.tokens;
        b.last = now;
        return true;
    }
    if (buckets_.size() >= max_tracked_) {
        cleanup(now);
        if (buckets_.size() >= max_tracked_) return false;
    }
    buckets_.emplace(ipv4, Bucket{burst_ - 1, now});
    return true;
}

std::size_t TokenBucketMap::cleanup(BucketTime now) {
    // oxenss clean_buckets refills each bucket in place (fill_bucket moves no time point) and
    // erases it when full.
    std::size_t forgotten = 0;
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        if (fill(it->second, now)) {
            it = buckets_.erase(it);
            ++forgotten;
        } else {
            ++it;
        }
    }
    return forgotten;
}

std::uint64_t TokenBucketMap::tokens(std::uint32_t ipv4, BucketTime now) const {
    const auto it = buckets_.find(ipv4);
    if (it == buckets_.end()) return burst_;
    return std::min<std::uint64_t>(burst_, std::uint64_t{it->second.tokens} + earned(it->second, now));
}

std::size_t TokenBucketMap::heap_bytes() const { return memory::heap_bytes(buckets_); }

}  // namespace sessionproto
