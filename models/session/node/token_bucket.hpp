#pragma once
// Per-IP token buckets, as the storage server rate-limits clients (spec session-network §3.5;
// oxen-io/oxen-storage-server oxenss/rpc/rate_limiter.cpp): each client IPv4 address has a
// bucket of `burst` tokens refilled at `rate_per_s` tokens per second; a request takes one token
// or is refused. Refill is computed lazily from the `now` given to each call, in integer
// milli-tokens, so results are exact and deterministic. Memory is bounded: buckets that have
// refilled to full are forgotten by cleanup(now) and, when `max_tracked` addresses are held, by
// admit() before a new address is added; a new address that still finds no room is refused,
// as the server refuses clients beyond its limit.
#include <cstddef>
#include <cstdint>
#include <map>

#include "models/session/node/io.hpp"

namespace sessionproto {

class TokenBucketMap {
  public:
    /// rate_per_s > 0 tokens per second, burst > 0 tokens, max_tracked > 0 addresses.
    TokenBucketMap(std::uint32_t rate_per_s, std::uint32_t burst, std::size_t max_tracked) noexcept;

    /// Takes one token of `ipv4`'s bucket at `now`. Outputs: true if admitted, false if limited.
    bool admit(std::uint32_t ipv4, Timestamp now);
    /// Forgets every bucket that is full at `now` (a full bucket carries no information).
    /// Outputs: how many were forgotten.
    std::size_t cleanup(Timestamp now);

    std::size_t tracked() const noexcept { return buckets_.size(); }
    /// Whole tokens left in `ipv4`'s bucket at `now` (burst for an unknown address).
    std::uint64_t tokens(std::uint32_t ipv4, Timestamp now) const;

  private:
    struct Bucket {
        std::uint64_t milli_tokens = 0;
        Timestamp last{};
    };
    std::uint64_t refilled(const Bucket& b, Timestamp now) const noexcept;

    std::uint64_t rate_;       // tokens per second = milli-tokens per ms
    std::uint64_t capacity_;   // burst in milli-tokens
    std::size_t max_tracked_;
    std::map<std::uint32_t, Bucket> buckets_;
};

}  // namespace sessionproto
