#pragma once
// Per-IP token buckets, as the storage server rate-limits direct client RPCs (spec
// session-network §3.5 and its 2026-12 correction; oxen-io/oxen-storage-server
// oxenss/rpc/rate_limiter.{h,cpp} at c3b96a2, `fill_bucket`, `remove_token`,
// `should_rate_limit_client`, `clean_buckets`). The arithmetic is oxenss's, in integer
// microseconds:
//   - token period P = 1'000'000 us / rate (integer division: 3333 us at 300/s);
//   - on each request the bucket gains floor(min(now - last, P * burst) / P) whole tokens
//     (capped at burst), where `last` is the time point of the last *admitted* request: a refused
//     request leaves it alone, an admitted one sets it to now, so the fraction of a period
//     already elapsed is thrown away at every success;
//   - a request is admitted when the bucket then holds a token (it takes it);
//   - a new address starts with burst - 1 tokens (its first request is admitted);
//   - cleanup (oxenss: every 10 s; here: at the node's sweep) refills every bucket the same way
//     *without* moving its time point, and forgets those that are full. When `max_tracked`
//     addresses are held a new address triggers a cleanup first and is refused if there is
//     still no room.
// Why a Poisson sender sustains ~300 ln 2 ≈ 208 requests/s and not 300: README.md next to this
// file, "Rate limiting", has the derivation and the admitted rate at any sending rate.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>

#include "models/session/node/io.hpp"

namespace sessionproto {

/// The bucket's clock: oxenss measures elapsed time in whole microseconds. A node's Timestamp
/// (milliseconds) converts to it implicitly.
using BucketTime = std::chrono::sys_time<std::chrono::microseconds>;

class TokenBucketMap {
  public:
    /// Estimated heap bytes of the tracked buckets (perf.json "memory.structures").
    std::size_t heap_bytes() const;
    /// rate_per_s > 0 tokens per second, burst > 0 tokens, max_tracked > 0 addresses (0s are
    /// taken as 1).
    TokenBucketMap(std::uint32_t rate_per_s, std::uint32_t burst, std::size_t max_tracked) noexcept;

    /// One request from `ipv4` at `now`. Outputs: true if admitted (a token taken), false if limited.
    bool admit(std::uint32_t ipv4, BucketTime now);
    /// Refills every bucket to `now` (time points unchanged, as oxenss) and forgets the full ones.
    /// Outputs: how many were forgotten.
    std::size_t cleanup(BucketTime now);

    std::size_t tracked() const noexcept { return buckets_.size(); }
    /// Whole tokens `ipv4`'s bucket would hold at `now` (burst for an unknown address).
    std::uint64_t tokens(std::uint32_t ipv4, BucketTime now) const;
    /// The token period P in microseconds (3333 at 300/s).
    std::int64_t period_us() const noexcept { return period_us_; }

  private:
    struct Bucket {
        std::uint32_t tokens = 0;
        BucketTime last{};
    };
    /// Whole tokens gained since b.last at `now` (0 if the clock went back).
    std::uint32_t earned(const Bucket& b, BucketTime now) const noexcept;
    /// oxenss fill_bucket: adds earned tokens, caps at burst. Outputs: true if the bucket is full.
    bool fill(Bucket& b, BucketTime now) const noexcept;

    std::int64_t period_us_;
    std::uint32_t burst_;
    std::int64_t fill_us_;  ///< P * burst: the longest elapsed time that counts
    std::size_t max_tracked_;
    std::map<std::uint32_t, Bucket> buckets_;
};

}  // namespace sessionproto
