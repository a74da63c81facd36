#include "sim/scenario/units.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <utility>

namespace sessionsim::scenario {
namespace {

/// A decimal number at the start of `text`: digits, optionally '.' and more digits. Returns the
/// number of characters used (0: none).
std::size_t decimal_prefix(std::string_view text, double& value) {
    std::size_t i = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == 0) return 0;
    if (i < text.size() && text[i] == '.') {
        std::size_t j = i + 1;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
        if (j == i + 1) return 0;
        i = j;
    }
    value = std::strtod(std::string(text.substr(0, i)).c_str(), nullptr);
    return i;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
    if (text.empty() || text.size() > 64) return std::nullopt;
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return std::nullopt;
    }
    const std::string s(text);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
    if (text.empty() || text.size() > 20) return std::nullopt;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    errno = 0;
    const std::string s(text);
    const unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
    if (errno == ERANGE) return std::nullopt;
    return static_cast<std::uint64_t>(v);
}

std::optional<SimDuration> parse_duration(std::string_view text) {
    double value = 0;
    const std::size_t n = decimal_prefix(text, value);
    if (n == 0) return std::nullopt;
    const std::string_view unit = text.substr(n);
    static const std::pair<std::string_view, double> UNITS[] = {
        {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"min", 60e9}, {"h", 3600e9}, {"d", 86400e9}};
    for (const auto& [name, factor] : UNITS) {
        if (unit != name) continue;
        const long double ns = static_cast<long double>(value) * factor;
        if (ns > 9.2e18L) return std::nullopt;
        return SimDuration{static_cast<std::int64_t>(std::llround(static_cast<double>(ns)))};
    }
    return std::nullopt;
}

std::optional<double> parse_bandwidth_bps(std::string_view text) {
    if (text == "unlimited") return 0.0;
    double value = 0;
    const std::size_t n = decimal_prefix(text, value);
    if (n == 0) return std::nullopt;
    const std::string_view unit = text.substr(n);
    static const std::pair<std::string_view, double> UNITS[] = {
        {"bps", 1.0}, {"kbps", 1e3}, {"Mbps", 1e6}, {"Gbps", 1e9},
        {"B/s", 8.0}, {"kB/s", 8e3}, {"MB/s", 8e6}, {"GB/s", 8e9}};
    for (const auto& [name, factor] : UNITS) {
        if (unit == name) return value * factor;
    }
    return std::nullopt;
}

std::optional<std::int64_t> parse_utc_timestamp_ms(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SSZ
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':' || text[19] != 'Z') {
        return std::nullopt;
    }
    auto field = [&](std::size_t at, std::size_t len) -> int {
        int v = 0;
        for (std::size_t i = at; i < at + len; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    const int y = field(0, 4), m = field(5, 2), d = field(8, 2), hh = field(11, 2), mm = field(14, 2),
              ss = field(17, 2);
    if (y < 1970 || m < 1 || m > 12 || d < 1 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) {
        return std::nullopt;
    }
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > DAYS[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
    // days_from_civil (H. Hinnant)
    const int yy = y - (m <= 2 ? 1 : 0);
    const int era = yy / 400;
    const int yoe = yy - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    return ((days * 24 + hh) * 60 + mm) * 60'000 + static_cast<std::int64_t>(ss) * 1000;
}

std::string format_duration(SimDuration d) {
    const std::int64_t ns = d.count();
    static const std::pair<const char*, std::int64_t> UNITS[] = {{"d", 86'400'000'000'000},
                                                                 {"h", 3'600'000'000'000},
                                                                 {"min", 60'000'000'000},
                                                                 {"s", 1'000'000'000},
                                                                 {"ms", 1'000'000},
                                                                 {"us", 1'000}};
    if (ns == 0) return "0s";
    for (const auto& [unit, factor] : UNITS) {
        if (ns >= factor) {
            std::ostringstream out;
            out << static_cast<double>(ns) / static_cast<double>(factor) << unit;
            return out.str();
        }
    }
    return std::to_string(ns) + "ns";
}

}  // namespace sessionsim::scenario
