#include "sim/core/allocator_tuning.hpp"

#include <cstdlib>
#include <string_view>

#if defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>
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

std::optional<std::string> tunables_with_thread_cache(const char* current) {
    const std::string setting = "glibc.malloc.tcache_count=" + std::to_string(THREAD_CACHE_BLOCKS);
    if (current == nullptr || *current == '\0') return setting;
    const std::string_view existing(current);
    if (existing.find("glibc.malloc.tcache_count=") != std::string_view::npos) return std::nullopt;
    return std::string(existing) + ":" + setting;  // tunables are separated by ':'
}

void restart_with_allocator_tunables(char** argv) noexcept {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    try {
        const auto tunables = tunables_with_thread_cache(std::getenv("GLIBC_TUNABLES"));
        if (!tunables || argv == nullptr || argv[0] == nullptr) return;
        if (setenv("GLIBC_TUNABLES", tunables->c_str(), 1) != 0) return;
        execv("/proc/self/exe", argv);  // returns only on failure: go on as we are
    } catch (...) {
        // out of memory building a short string: go on with the defaults
    }
#else
    (void)argv;
#endif
}

}  // namespace sessionsim
