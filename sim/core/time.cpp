#include "sim/core/time.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace sessionsim {

SimDuration from_seconds(double s) noexcept { return SimDuration{std::llround(s * 1e9)}; }

SimDuration from_milliseconds(double ms) noexcept { return SimDuration{std::llround(ms * 1e6)}; }

std::string format_time(SimTime t) {
    const std::int64_t ns = to_nanoseconds(t);
    const std::int64_t whole = ns / 1'000'000'000;
    std::int64_t frac = ns % 1'000'000'000;
    const bool negative = ns < 0;
    if (frac < 0) frac = -frac;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%lld.%09lld", negative && whole == 0 ? "-" : "",
                  static_cast<long long>(whole), static_cast<long long>(frac));
    return buf;
}

std::ostream& operator<<(std::ostream& out, SimTime t) { return out << format_time(t) << " s"; }

}  // namespace sessionsim
