#pragma once
// Simulated time: a strong type over int64 nanoseconds, never mixed with wall-clock time.
// SimClock is not a real clock (it has no now()): only an Engine knows the current simulated time.
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace sessionsim {

struct SimClock {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = std::chrono::duration<rep, period>;
    using time_point = std::chrono::time_point<SimClock, duration>;
    static constexpr bool is_steady = true;
};

using SimDuration = SimClock::duration;
using SimTime = SimClock::time_point;

/// The start of every simulation.
inline constexpr SimTime SIM_EPOCH{};
/// Later than any event: the deadline of an unbounded run.
inline constexpr SimTime SIM_TIME_MAX{SimDuration{INT64_MAX}};

// Helpers for the units scenarios speak in. std::chrono literals (10ms, 5s, 2min, 1h) convert
// to SimDuration implicitly as well: `using namespace std::chrono_literals;`.
constexpr SimDuration nanoseconds(std::int64_t n) noexcept { return SimDuration{n}; }
constexpr SimDuration microseconds(std::int64_t n) noexcept { return SimDuration{n * 1'000}; }
constexpr SimDuration milliseconds(std::int64_t n) noexcept { return SimDuration{n * 1'000'000}; }
constexpr SimDuration seconds(std::int64_t n) noexcept { return SimDuration{n * 1'000'000'000}; }
constexpr SimDuration minutes(std::int64_t n) noexcept { return seconds(n * 60); }
constexpr SimDuration hours(std::int64_t n) noexcept { return seconds(n * 3600); }
constexpr SimDuration days(std::int64_t n) noexcept { return hours(n * 24); }

/// Fractional seconds to a duration, rounded to the nearest nanosecond.
SimDuration from_seconds(double s) noexcept;
/// Fractional milliseconds to a duration, rounded to the nearest nanosecond.
SimDuration from_milliseconds(double ms) noexcept;

constexpr double to_seconds(SimDuration d) noexcept { return static_cast<double>(d.count()) * 1e-9; }
constexpr double to_milliseconds(SimDuration d) noexcept { return static_cast<double>(d.count()) * 1e-6; }
constexpr double to_seconds(SimTime t) noexcept { return to_seconds(t.time_since_epoch()); }
constexpr std::int64_t to_nanoseconds(SimTime t) noexcept { return t.time_since_epoch().count(); }

/// "12.345678901" (seconds since the start, nanosecond precision, no locale).
std::string format_time(SimTime t);
/// Writes format_time(t) followed by " s" (found by ADL: test failures print readable times).
std::ostream& operator<<(std::ostream& out, SimTime t);

}  // namespace sessionsim
