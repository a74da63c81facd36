#pragma once
// The C library's allocator, set for a long simulation. A run allocates and frees payloads of up
// to ~1 MB (a block's pool reply in a packet) at a high rate: with glibc's defaults they are
// mmapped and unmapped one by one, or the heap's top is given back to the kernel and faulted in
// again, and the page faults cost a fifth of a mainnet run. Set once, first thing in main(), by
// the command line and the benchmarks; outputs do not depend on it (only wall time and RSS after
// a peak, which stays mapped for the next one).
#include <cstddef>

namespace sessionsim {

/// Allocations below this size come from the heap, never from their own mapping.
inline constexpr std::size_t HEAP_ALLOCATION_LIMIT_BYTES = std::size_t{32} << 20;
/// Free memory at the heap's top kept mapped (not given back to the kernel) up to this size.
inline constexpr std::size_t HEAP_TOP_KEPT_BYTES = std::size_t{256} << 20;

/// Applies the two settings above (glibc's mallopt); a no-op on another C library. True if set.
bool tune_allocator_for_simulation() noexcept;

}  // namespace sessionsim
