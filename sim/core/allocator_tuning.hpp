#pragma once
// The C library's allocator, set for a long simulation. A run allocates and frees payloads of up
// to ~1 MB (a block's pool reply in a packet) at a high rate: with glibc's defaults they are
// mmapped and unmapped one by one, or the heap's top is given back to the kernel and faulted in
// again, and the page faults cost a fifth of a mainnet run. Set once, first thing in main(), by
// the command line and the benchmarks; outputs do not depend on it (only wall time and RSS after
// a peak, which stays mapped for the next one).
#include <cstddef>
#include <optional>
#include <string>

namespace sessionsim {

/// Allocations below this size come from the heap, never from their own mapping.
inline constexpr std::size_t HEAP_ALLOCATION_LIMIT_BYTES = std::size_t{32} << 20;
/// Free memory at the heap's top kept mapped (not given back to the kernel) up to this size.
inline constexpr std::size_t HEAP_TOP_KEPT_BYTES = std::size_t{256} << 20;

/// Applies the two settings above (glibc's mallopt); a no-op on another C library. True if set.
bool tune_allocator_for_simulation() noexcept;

// A run also allocates and frees small blocks (JSON values, strings, map nodes) in bursts of
// hundreds of the same size. glibc keeps 7 freed blocks per size in its per-thread cache and
// sends the rest through its bins (a fifth of a mainnet run's time in malloc and free, bin
// consolidation included); with a deeper cache the burst is served from the cache. That depth is
// a glibc tunable, read once when the program starts (no mallopt), so sessionsim restarts itself
// once with it set.

/// Freed blocks kept per size in the thread cache (glibc.malloc.tcache_count; glibc's default 7).
inline constexpr unsigned THREAD_CACHE_BLOCKS = 1024;

/// The GLIBC_TUNABLES value with glibc.malloc.tcache_count=THREAD_CACHE_BLOCKS added to
/// `current` (the caller's own tunables kept); nullopt when `current` already sets tcache_count
/// (the user's choice, or the restart already happened).
std::optional<std::string> tunables_with_thread_cache(const char* current);

/// Restarts the program (execv of /proc/self/exe, same arguments) with GLIBC_TUNABLES from
/// tunables_with_thread_cache when it is not set yet. Returns when nothing needs doing, on another
/// C library, under a sanitizer (its own allocator), or when the restart failed (the run goes on
/// with glibc's defaults: only its speed differs).
void restart_with_allocator_tunables(char** argv) noexcept;

}  // namespace sessionsim
