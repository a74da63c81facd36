#include "sim/adversary/churn/churn_trace.hpp"

#include <algorithm>
#include <optional>

namespace sessionsim::adversary {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

/// Printable and short, for a message: at most 40 characters, control bytes as '?'.
std::string shown(std::string_view s) {
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
    }
    if (s.size() > 40) out += "...";
    return out + "'";
}

/// Ten years: a bound that keeps every time far from overflowing int64 nanoseconds.
constexpr std::int64_t MAX_TIME_NS = 10LL * 365 * 24 * 3600 * 1'000'000'000LL;

/// A number (digits, optionally '.' and digits) and an optional unit; nullopt when malformed.
std::optional<SimDuration> parse_time(std::string_view s) {
    std::size_t i = 0;
    std::int64_t whole = 0;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (whole > 1'000'000'000'000LL) return std::nullopt;
        whole = whole * 10 + (s[i] - '0');
        ++i;
        ++digits;
    }
    std::int64_t frac = 0, frac_scale = 1;
    if (i < s.size() && s[i] == '.') {
        ++i;
        std::size_t frac_digits = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (frac_digits < 9) {
                frac = frac * 10 + (s[i] - '0');
                frac_scale *= 10;
            }
            ++i;
            ++frac_digits;
        }
        if (frac_digits == 0) return std::nullopt;
    }
    if (digits == 0) return std::nullopt;
    const std::string_view unit = s.substr(i);
    std::int64_t ns_per_unit = 0;
    if (unit.empty() || unit == "s") {
        ns_per_unit = 1'000'000'000LL;
    } else if (unit == "ms") {
        ns_per_unit = 1'000'000LL;
    } else if (unit == "min") {
        ns_per_unit = 60'000'000'000LL;
    } else if (unit == "h") {
        ns_per_unit = 3'600'000'000'000LL;
    } else if (unit == "d") {
        ns_per_unit = 86'400'000'000'000LL;
    } else {
        return std::nullopt;
    }
    if (whole > MAX_TIME_NS / ns_per_unit) return std::nullopt;
    const std::int64_t ns = whole * ns_per_unit + static_cast<std::int64_t>(static_cast<long double>(frac) *
                                                                             static_cast<long double>(ns_per_unit) /
                                                                             static_cast<long double>(frac_scale));
    if (ns > MAX_TIME_NS) return std::nullopt;
    return SimDuration(ns);
}

std::optional<std::uint64_t> parse_index(std::string_view s) {
    if (s.empty() || s.size() > 12) return std::nullopt;
    std::uint64_t v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

}  // namespace

std::string format_trace_time(SimDuration d) {
    const std::int64_t ns = d.count();
    if (ns % 60'000'000'000LL == 0 && ns != 0) return std::to_string(ns / 60'000'000'000LL) + "min";
    if (ns % 1'000'000'000LL == 0) return std::to_string(ns / 1'000'000'000LL) + "s";
    return std::to_string(ns / 1'000'000LL) + "ms";
}

ChurnTrace parse_churn_trace(std::string_view text, std::uint64_t initial_nodes, std::size_t max_problems) {
    ChurnTrace out;
    auto problem = [&](std::size_t line, std::string message) {
        if (out.problems.size() < max_problems) {
            out.problems.push_back({line, std::move(message)});
        } else {
            ++out.problems_left_out;
        }
    };
    // Per node: up, and the line of its last row (0: none).
    std::vector<bool> up(static_cast<std::size_t>(std::min<std::uint64_t>(initial_nodes, 1'000'000)), true);
    std::vector<std::size_t> last_line(up.size(), 0);
    if (initial_nodes > up.size()) {
        problem(0, "expected a network of at most 1000000 service nodes for a trace, got " + std::to_string(initial_nodes));
        return out;
    }
    bool header = false;
    SimDuration previous{};
    std::size_t previous_line = 0;
    std::size_t line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        const std::string_view raw = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? text.size() : end + 1;
        ++line_no;
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#') continue;
        std::vector<std::string_view> fields;
        std::size_t start = 0;
        while (true) {
            const std::size_t comma = line.find(',', start);
            fields.push_back(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
            if (comma == std::string_view::npos) break;
            start = comma + 1;
            if (fields.size() > 3) break;
        }
        if (!header) {
            header = true;
            if (fields.size() != 3 || fields[0] != "time" || fields[1] != "node" || fields[2] != "event") {
                problem(line_no, "expected the header 'time,node,event', got " + shown(line));
            }
            continue;
        }
        if (fields.size() != 3) {
            problem(line_no, "expected 3 comma-separated fields time,node,event, got " + shown(line));
            continue;
        }
        ChurnTraceEvent e;
        e.line = line_no;
        bool ok = true;
        if (fields[2] == "down") {
            e.kind = ChurnTraceEvent::Kind::down;
        } else if (fields[2] == "up") {
            e.kind = ChurnTraceEvent::Kind::up;
        } else if (fields[2] == "join") {
            e.kind = ChurnTraceEvent::Kind::join;
        } else {
            problem(line_no, "expected an event up, down or join, got " + shown(fields[2]));
            ok = false;
        }
        const auto at = parse_time(fields[0]);
        if (!at) {
            problem(line_no, "expected a time >= 0 like 90s, 1.5min, 2h (units ms s min h d; s when none; at most "
                             "10 years), got " + shown(fields[0]));
            ok = false;
        } else if (*at < previous) {
            problem(line_no, "expected a time >= " + format_trace_time(previous) + " (line " +
                                 std::to_string(previous_line) + "; rows are in time order), got " + shown(fields[0]));
            ok = false;
        }
        if (!ok) continue;
        e.at = *at;
        if (e.kind == ChurnTraceEvent::Kind::join) {
            const std::uint64_t next = up.size();
            if (!fields[1].empty()) {
                const auto node = parse_index(fields[1]);
                if (!node || *node != next) {
                    problem(line_no, "expected the joining node's index " + std::to_string(next) +
                                         " (joined nodes are numbered from " + std::to_string(initial_nodes) +
                                         " in join order) or nothing, got " + shown(fields[1]));
                    continue;
                }
            }
            if (up.size() >= 1'000'000) {
                problem(line_no, "expected at most 1000000 service nodes in all, got one more join");
                continue;
            }
            e.node = next;
            up.push_back(true);
            last_line.push_back(line_no);
        } else {
            const auto node = parse_index(fields[1]);
            if (!node || *node >= up.size()) {
                problem(line_no, "expected a service node index 0.." + std::to_string(up.size() == 0 ? 0 : up.size() - 1) +
                                     " (the initial nodes, then those joined so far), got " + shown(fields[1]));
                continue;
            }
            const auto n = static_cast<std::size_t>(*node);
            const bool going_down = e.kind == ChurnTraceEvent::Kind::down;
            if (up[n] != going_down) {
                const std::string since = last_line[n] > 0 ? " since line " + std::to_string(last_line[n]) : " from the start";
                problem(line_no, std::string("expected ") + (going_down ? "up" : "down") + " for node " +
                                     std::to_string(n) + ", which is " + (up[n] ? "up" : "down") + since +
                                     ", got " + shown(fields[2]));
                continue;
            }
            up[n] = !going_down;
            last_line[n] = line_no;
            e.node = n;
        }
        previous = e.at;
        previous_line = line_no;
        out.events.push_back(e);
    }
    if (!header) problem(0, "expected the header 'time,node,event', got an empty file");
    return out;
}

}  // namespace sessionsim::adversary
