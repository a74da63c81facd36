#include "sim/core/log.hpp"

#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace sessionsim {
namespace {

constexpr std::array<std::string_view, 6> LEVEL_NAMES{"trace", "debug", "info", "warn", "error", "off"};
constexpr std::array<std::string_view, LOG_CATEGORY_COUNT> CATEGORY_NAMES{
    "engine", "net", "host", "workload", "adversary", "scenario", "metrics", "app", "model"};

template <std::size_t N>
std::string join(const std::array<std::string_view, N>& names) {
    std::string out;
    for (auto n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

LogLevel parse_level(std::string_view text, std::string_view context) {
    for (std::size_t i = 0; i < LEVEL_NAMES.size(); ++i) {
        if (LEVEL_NAMES[i] == text) return static_cast<LogLevel>(i);
    }
    throw std::invalid_argument("--log: unknown level '" + std::string(text) + "' in '" + std::string(context) +
                                "' (levels: " + join(LEVEL_NAMES) + ")");
}

}  // namespace

std::string_view to_string(LogLevel level) noexcept { return LEVEL_NAMES[static_cast<std::size_t>(level)]; }
std::string_view to_string(LogCategory category) noexcept {
    return CATEGORY_NAMES[static_cast<std::size_t>(category)];
}

Logger::Logger(std::ostream* out, const SimTime* clock) noexcept : out_(out), clock_(clock) {
    levels_.fill(LogLevel::warn);
}

void Logger::set_level(LogCategory category, LogLevel level) noexcept {
    levels_[static_cast<std::size_t>(category)] = level;
}

void Logger::set_output(std::ostream* out) noexcept { out_ = out; }

void Logger::configure(std::string_view spec) {
    auto levels = levels_;
    std::size_t start = 0;
    while (start <= spec.size()) {
        const std::size_t comma = spec.find(',', start);
        const std::string_view part =
            spec.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (!part.empty()) {
            const std::size_t colon = part.find(':');
            if (colon == std::string_view::npos) {
                levels.fill(parse_level(part, part));
            } else {
                const std::string_view cat = part.substr(0, colon);
                const LogLevel level = parse_level(part.substr(colon + 1), part);
                if (cat == "all") {
                    levels.fill(level);
                } else {
                    bool found = false;
                    for (std::size_t i = 0; i < CATEGORY_NAMES.size(); ++i) {
                        if (CATEGORY_NAMES[i] == cat) {
                            levels[i] = level;
                            found = true;
                        }
                    }
                    if (!found) {
                        throw std::invalid_argument("--log: unknown category '" + std::string(cat) + "' in '" +
                                                    std::string(part) + "' (categories: all, " +
                                                    join(CATEGORY_NAMES) + ")");
                    }
                }
            }
        }
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    levels_ = levels;
}

void Logger::write(LogLevel level, LogCategory category, std::string_view node, std::string_view message) {
    std::ostream& out = out_ != nullptr ? *out_ : std::cerr;
    const SimTime now = clock_ != nullptr ? *clock_ : SIM_EPOCH;
    char stamp[40];
    std::snprintf(stamp, sizeof stamp, "[%12.6f] ", to_seconds(now));
    out << stamp << (node.empty() ? std::string_view("-") : node) << ' ' << to_string(category);
    if (level >= LogLevel::warn) out << ' ' << to_string(level);
    out << ": " << message << '\n';
}

}  // namespace sessionsim
