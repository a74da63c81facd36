#pragma once
// Linking allocation_counter.cpp into a binary replaces the global operator new/delete with
// counting versions (in their own translation unit, so the compiler cannot pair them wrongly).
#include <cstddef>

namespace sessionsim::testing {

/// Calls of operator new since the program started.
std::size_t allocation_count() noexcept;
/// Bytes requested through operator new since the program started.
std::size_t allocated_bytes() noexcept;

}  // namespace sessionsim::testing
