#include "sim/core/allocator_tuning.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sessionsim {

bool tune_allocator_for_simulation() noexcept {
#if defined(__GLIBC__)
    // A fixed M_MMAP_THRESHOLD also turns off glibc's own adjustment of both thresholds.
    return mallopt(M_MMAP_THRESHOLD, static_cast<int>(HEAP_ALLOCATION_LIMIT_BYTES)) == 1 &&
           mallopt(M_TRIM_THRESHOLD, static_cast<int>(HEAP_TOP_KEPT_BYTES)) == 1;
#else
    return false;
#endif
}

}  // namespace sessionsim
