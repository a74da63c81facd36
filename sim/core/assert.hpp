#pragma once
// SIM_ASSERT: an invariant check that stays on in release builds. On failure it prints the
// condition, the message, the source location and, when an Engine is running on this thread,
// the simulated time and the number of the event being processed, then aborts.
#include <string_view>

namespace sessionsim {

[[noreturn]] void assert_failed(const char* condition, std::string_view message, const char* file,
                                int line) noexcept;

}  // namespace sessionsim

#define SIM_ASSERT(cond, msg)                                                   \
    do {                                                                        \
        if (!(cond)) [[unlikely]] {                                             \
            ::sessionsim::assert_failed(#cond, (msg), __FILE__, __LINE__);      \
        }                                                                       \
    } while (false)
