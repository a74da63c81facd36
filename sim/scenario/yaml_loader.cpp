#include "sim/scenario/yaml_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "sim/net/topology.hpp"
#include "sim/scenario/scenario_hash.hpp"
#include "sim/world/world_summary.hpp"

namespace sessionsim::scenario {

// ---------------------------------------------------------------------------------------------
// Grammars

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

}  // namespace

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

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[n][m];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = SIZE_MAX;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    if (best.empty()) return {};
    const std::size_t len = std::max(word.size(), best.size());
    if (best_d <= 2 || best_d * 3 <= len) return best;
    // A clear prefix ("rate" for "rate_per_user_per_hour").
    for (const auto& c : candidates) {
        if (word.size() >= 3 && c.rfind(word, 0) == 0) return c;
    }
    return {};
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

// ---------------------------------------------------------------------------------------------
// Spec helpers

// ---------------------------------------------------------------------------------------------
// The loader

namespace {

struct Loc {
    int line = 0;      // 1-based, 0: none
    int column = 0;
    int override_index = -1;
};

Loc loc_of(const YAML::Node& node) {
    const YAML::Mark m = node.Mark();
    if (m.is_null()) return {};
    return {m.line + 1, m.column + 1, -1};
}

/// A value being read: its key path, its node when present, and where problems about it point.
struct Val {
    std::string path;
    YAML::Node node;
    bool present = false;
    Loc loc;  // the node's position, or the parent's for an absent key
};

struct Override {
    std::string text;
    std::string key;
    YAML::Node value;
    bool usable = false;  // the text was key=value with a readable YAML value
    bool consumed = false;
};

std::string got(const YAML::Node& node) {
    if (node.IsNull()) return "nothing";
    if (node.IsMap()) return "a mapping";
    if (node.IsSequence()) return "a list";
    std::string out = "'";
    out.append(node.Scalar()).append("'");
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out.append(out.empty() ? "" : ", ").append(i);
    return out;
}

std::string child_path(const std::string& parent, std::string_view key) {
    std::string out = parent;
    if (!out.empty()) out.append(".");
    out.append(key);
    return out;
}

std::string num(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

class Loader;

/// A mapping being read. Keys are looked up in the overrides first, then in the file.
class Map {
  public:
    Map(Loader& loader, const Val& val);
    /// The value at `key` (an override wins over the file).
    Val get(std::string_view key);
    /// Reports the file's keys that are not in `known` (with a suggestion) and remembers `known`
    /// for overrides that name unknown keys.
    void check_keys(const std::vector<std::string>& known);
    const Val& val() const noexcept { return val_; }
    /// The file's entries, in order (name, key position, value).
    struct Entry {
        std::string key;
        Loc key_loc;
        YAML::Node value;
    };
    const std::vector<Entry>& entries() const noexcept { return entries_; }

  private:
    Loader& loader_;
    Val val_;
    std::vector<Entry> entries_;
};

class Loader {
  public:
    Loader(std::string file, std::filesystem::path base_dir, const std::vector<std::string>& overrides)
        : file_(std::move(file)), base_dir_(std::move(base_dir)) {
        for (const auto& text : overrides) {
            Override o;
            o.text = text;
            o.key = text.substr(0, std::min(text.find('='), text.size()));
            overrides_.push_back(o);
        }
        for (std::size_t i = 0; i < overrides_.size(); ++i) {
            Override& o = overrides_[i];
            const std::size_t eq = o.text.find('=');
            const bool key_ok = eq != std::string::npos && !o.key.empty() && o.key.front() != '.' &&
                                o.key.back() != '.' && o.key.find("..") == std::string::npos &&
                                o.key.find(' ') == std::string::npos;
            o.consumed = true;  // unless it parses
            if (!key_ok) {
                add(Loc{0, 0, static_cast<int>(i)}, "", "expected key.path=value, got '" + o.text + "'");
                continue;
            }
            const std::string value = o.text.substr(eq + 1);
            try {
                o.value = YAML::Load(value);
                o.usable = true;
                o.consumed = false;
            } catch (const YAML::Exception& e) {
                add(Loc{0, 0, static_cast<int>(i)}, o.key,
                    "expected a YAML value after '=', got '" + value + "' (" + e.msg + ")");
            }
        }
    }

    void add(const Loc& loc, std::string key, std::string message) {
        Problem p;
        if (loc.override_index >= 0) {
            p.file = "--set " + overrides_text(loc.override_index);
        } else {
            p.file = file_;
            p.line = loc.line;
            p.column = loc.column;
        }
        p.key = std::move(key);
        p.message = std::move(message);
        problems_.push_back({loc.override_index, loc.line, loc.column, problems_.size(), std::move(p)});
    }
    void fail(const Val& v, std::string message) { add(v.loc, v.path, std::move(message)); }

    /// The override that sets exactly `path` (the last one when several do), marked consumed.
    Override* override_for(const std::string& path) {
        Override* found = nullptr;
        for (auto& o : overrides_) {
            if (!o.usable || o.key != path) continue;
            o.consumed = true;
            found = &o;
        }
        return found;
    }
    int override_index(const Override* o) const { return static_cast<int>(o - overrides_.data()); }
    std::vector<Override>& overrides() noexcept { return overrides_; }

    void remember_keys(const std::string& path, const std::vector<std::string>& keys) { known_[path] = keys; }

    /// Overrides nobody read name unknown keys.
    void report_unconsumed() {
        for (std::size_t i = 0; i < overrides_.size(); ++i) {
            const Override& o = overrides_[i];
            if (o.consumed) continue;
            // The deepest mapping we know on the way to o.key.
            std::string parent;
            std::string rest = o.key;
            for (std::size_t dot = o.key.find('.'); dot != std::string::npos; dot = o.key.find('.', dot + 1)) {
                const std::string prefix = o.key.substr(0, dot);
                if (known_.count(prefix) != 0) {
                    parent = prefix;
                    rest = o.key.substr(dot + 1);
                }
            }
            const std::string first = rest.substr(0, rest.find('.'));
            const auto& keys = known_[parent];
            std::string message;
            if (std::find(keys.begin(), keys.end(), first) != keys.end()) {
                message = "unknown key; '" + child_path(parent, first) + "' takes a value, not keys";
            } else if (const std::string s = did_you_mean(first, keys); !s.empty()) {
                message = "unknown key '" + first + "' (did you mean '" + s + "'?)";
            } else {
                message = "unknown key '" + first + "'; expected one of: " + join(keys);
            }
            add(Loc{0, 0, static_cast<int>(i)}, o.key, message);
        }
    }

    std::vector<Problem> problems() {
        std::stable_sort(problems_.begin(), problems_.end(), [](const Entry& a, const Entry& b) {
            // File problems in file order, then overrides in command-line order.
            const int oa = a.override_index, ob = b.override_index;
            if (oa != ob) return oa < ob;
            if (a.line != b.line) return a.line < b.line;
            if (a.column != b.column) return a.column < b.column;
            return a.seq < b.seq;
        });
        std::vector<Problem> out;
        for (auto& e : problems_) out.push_back(std::move(e.problem));
        return out;
    }
    bool ok() const noexcept { return problems_.empty(); }
    std::size_t problem_count() const noexcept { return problems_.size(); }
    const std::filesystem::path& base_dir() const noexcept { return base_dir_; }
    const std::string& file() const noexcept { return file_; }

  private:
    std::string overrides_text(int i) const { return overrides_.at(static_cast<std::size_t>(i)).text; }
    struct Entry {
        int override_index;
        int line;
        int column;
        std::size_t seq;
        Problem problem;
    };
    std::string file_;
    std::filesystem::path base_dir_;
    std::vector<Override> overrides_;
    std::vector<Entry> problems_;
    std::map<std::string, std::vector<std::string>> known_;
};

Map::Map(Loader& loader, const Val& val) : loader_(loader), val_(val) {
    if (!val.present || val.node.IsNull()) return;
    if (!val.node.IsMap()) {
        loader_.fail(val, "expected a mapping, got " + got(val.node));
        return;
    }
    std::vector<std::string> seen;
    for (auto it = val.node.begin(); it != val.node.end(); ++it) {
        Loc key_loc = loc_of(it->first);
        if (val.loc.override_index >= 0) key_loc = val.loc;
        if (!it->first.IsScalar()) {
            loader_.add(key_loc, val.path, "expected text keys, got " + got(it->first) + " as a key");
            continue;
        }
        const std::string key = it->first.Scalar();
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
            loader_.add(key_loc, child_path(val.path, key), "duplicate key");
            continue;
        }
        seen.push_back(key);
        entries_.push_back({key, key_loc, it->second});
    }
}

Val Map::get(std::string_view key) {
    Val v;
    v.path = child_path(val_.path, key);
    if (Override* o = loader_.override_for(v.path)) {
        v.node = o->value;
        v.present = true;
        v.loc = Loc{0, 0, loader_.override_index(o)};
        return v;
    }
    for (const auto& e : entries_) {
        if (e.key != key) continue;
        v.node = e.value;
        v.present = true;
        v.loc = e.value.IsNull() ? e.key_loc : loc_of(e.value);
        if (v.loc.line == 0) v.loc = e.key_loc;
        if (val_.loc.override_index >= 0) v.loc = val_.loc;
        return v;
    }
    v.loc = val_.loc;
    return v;
}

void Map::check_keys(const std::vector<std::string>& known) {
    loader_.remember_keys(val_.path, known);
    for (const auto& e : entries_) {
        if (std::find(known.begin(), known.end(), e.key) != known.end()) continue;
        const std::string s = did_you_mean(e.key, known);
        loader_.add(e.key_loc, child_path(val_.path, e.key),
                    s.empty() ? "unknown key; expected one of: " + join(known)
                              : "unknown key (did you mean '" + s + "'?)");
    }
}

// ----- scalar readers: each reports its own problem and leaves `out` unchanged on error -----

/// The scalar text of `v`, or nullopt (absent: no problem; wrong type: a problem).
std::optional<std::string> scalar(Loader& l, const Val& v, const std::string& expected) {
    if (!v.present) return std::nullopt;
    if (!v.node.IsScalar()) {
        l.fail(v, "expected " + expected + ", got " + got(v.node));
        return std::nullopt;
    }
    return v.node.Scalar();
}

bool required(Loader& l, const Val& v, const std::string& expected) {
    if (v.present) return true;
    l.fail(v, "missing required key; expected " + expected);
    return false;
}

void read_u64(Loader& l, const Val& v, std::uint64_t& out, std::uint64_t min, std::uint64_t max) {
    std::string expected = "a whole number";
    if (max != UINT64_MAX) {
        expected.append(" from ").append(std::to_string(min)).append(" to ").append(std::to_string(max));
    } else if (min > 0) {
        expected.append(" >= ").append(std::to_string(min));
    }
    const auto text = scalar(l, v, expected);
    if (!text) return;
    const auto n = parse_u64(*text);
    if (!n || *n < min || *n > max) {
        l.fail(v, "expected " + expected + ", got " + got(v.node));
        return;
    }
    out = *n;
}

/// A number in [lo, hi] (either bound may be open: lo_open / hi_open; infinity: no bound).
void read_real(Loader& l, const Val& v, double& out, double lo, bool lo_open, double hi, bool hi_open) {
    std::string expected = "a number";
    const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
    if (has_lo && has_hi) {
        expected.append(" in ").append(lo_open ? "(" : "[").append(num(lo)).append(", ").append(num(hi)).append(
            hi_open ? ")" : "]");
    } else if (has_lo) {
        expected.append(lo_open ? " > " : " >= ").append(num(lo));
    } else if (has_hi) {
        expected.append(hi_open ? " < " : " <= ").append(num(hi));
    }
    const auto text = scalar(l, v, expected);
    if (!text) return;
    const auto x = parse_number(*text);
    if (!x || (has_lo && (lo_open ? *x <= lo : *x < lo)) || (has_hi && (hi_open ? *x >= hi : *x > hi))) {
        l.fail(v, "expected " + expected + ", got " + got(v.node));
        return;
    }
    out = *x;
}

constexpr double INF = std::numeric_limits<double>::infinity();

void read_bool(Loader& l, const Val& v, bool& out) {
    const auto text = scalar(l, v, "true or false");
    if (!text) return;
    if (*text == "true") {
        out = true;
    } else if (*text == "false") {
        out = false;
    } else {
        l.fail(v, "expected true or false, got " + got(v.node));
    }
}

void read_string(Loader& l, const Val& v, std::string& out, bool non_empty) {
    const auto text = scalar(l, v, "text");
    if (!text) return;
    if (non_empty && text->empty()) {
        l.fail(v, "expected non-empty text, got ''");
        return;
    }
    out = *text;
}

const std::string DURATION_GRAMMAR = "a duration like 250ms, 10min or 1.5h (units ns us ms s min h d)";

/// A duration > 0 (or >= 0 with allow_zero) and at most `max`.
void read_duration(Loader& l, const Val& v, SimDuration& out, bool allow_zero, SimDuration max = SimDuration::max()) {
    const auto text = scalar(l, v, DURATION_GRAMMAR);
    if (!text) return;
    const auto d = parse_duration(*text);
    if (!d) {
        l.fail(v, "expected " + DURATION_GRAMMAR + ", got " + got(v.node));
        return;
    }
    if (!allow_zero && d->count() == 0) {
        l.fail(v, "expected a duration > 0, got " + got(v.node));
        return;
    }
    if (*d > max) {
        l.fail(v, "expected a duration <= " + format_duration(max) + ", got " + got(v.node));
        return;
    }
    out = *d;
}

const std::string BANDWIDTH_GRAMMAR =
    "a bandwidth like 100Mbps, 512kbps or 10MB/s (units bps kbps Mbps Gbps B/s kB/s MB/s GB/s) or 'unlimited'";

void read_bandwidth(Loader& l, const Val& v, double& out) {
    const auto text = scalar(l, v, BANDWIDTH_GRAMMAR);
    if (!text) return;
    const auto bps = parse_bandwidth_bps(*text);
    if (!bps) {
        l.fail(v, "expected " + BANDWIDTH_GRAMMAR + ", got " + got(v.node));
        return;
    }
    if (*bps == 0 && *text != "unlimited") {
        l.fail(v, "expected a bandwidth > 0 (or 'unlimited'), got " + got(v.node));
        return;
    }
    out = *bps;
}

template <class E>
void read_enum(Loader& l, const Val& v, E& out, const std::vector<std::pair<std::string, E>>& choices) {
    std::vector<std::string> names;
    for (const auto& c : choices) names.push_back(c.first);
    std::string expected = "one of ";
    expected.append(join(names));
    const auto text = scalar(l, v, expected);
    if (!text) return;
    for (const auto& c : choices) {
        if (c.first == *text) {
            out = c.second;
            return;
        }
    }
    const std::string s = did_you_mean(*text, names);
    l.fail(v, "expected " + expected + ", got " + got(v.node) + (s.empty() ? "" : " (did you mean '" + s + "'?)"));
}

// ----- distributions -----

/// A parameter of a kind: `scaled` ones carry the distribution's unit (written as durations in a
/// distribution of durations), the others are plain numbers (shapes, sigma, zipf's s and n).
struct Param {
    const char* key;
    bool scaled;
    bool required;
};

/// The parameters of each kind, into a, then b.
std::vector<Param> params_of(Distribution::Kind kind) {
    using Kind = Distribution::Kind;
    switch (kind) {
        case Kind::none: return {};
        case Kind::constant: return {{"value", true, true}};
        case Kind::uniform: return {{"min", true, true}, {"max", true, true}};
        case Kind::exponential: return {{"mean", true, true}};
        case Kind::normal: return {{"mean", true, true}, {"sd", true, true}};
        case Kind::lognormal: return {{"median", true, true}, {"sigma", false, true}};
        case Kind::weibull: return {{"shape", false, true}, {"scale", true, true}};
        case Kind::pareto: return {{"min", true, true}, {"shape", false, true}};
        case Kind::zipf: return {{"s", false, true}, {"n", false, false}};
    }
    return {};
}

/// What a distribution key holds: its unit, the kinds it allows (in the order messages list
/// them) and how its scalar forms read.
struct DistributionGrammar {
    Distribution::Unit unit;
    std::vector<Distribution::Kind> kinds;
    const char* constant;        ///< the scalar form of a constant, as messages name it
    const char* constant_short;  ///< the same where the message lists the forms without detail
    bool none;                   ///< `none` is allowed (as a scalar and as a kind)
};

const DistributionGrammar& grammar_of(Distribution::Unit unit) {
    using Kind = Distribution::Kind;
    static const DistributionGrammar NUMBERS{
        Distribution::Unit::number,
        {Kind::constant, Kind::uniform, Kind::exponential, Kind::normal, Kind::lognormal, Kind::weibull, Kind::pareto,
         Kind::zipf},
        "a number >= 0",
        "a number",
        false};
    static const DistributionGrammar DURATIONS{
        Distribution::Unit::milliseconds,
        {Kind::none, Kind::constant, Kind::uniform, Kind::exponential, Kind::normal, Kind::lognormal, Kind::pareto,
         Kind::weibull},
        "a duration",
        "a duration",
        true};
    return unit == Distribution::Unit::number ? NUMBERS : DURATIONS;
}

/// Reads `{dist: kind, params...}` into `out`; false (with the problems reported) when it does not.
bool read_distribution_map(Loader& l, const Val& v, const DistributionGrammar& grammar, Distribution& out) {
    Map m(l, v);
    if (v.present && !v.node.IsMap()) return false;
    std::vector<std::string> names;
    std::vector<std::pair<std::string, std::size_t>> choices;
    for (std::size_t i = 0; i < grammar.kinds.size(); ++i) {
        names.emplace_back(Distribution::kind_name(grammar.kinds[i]));
        choices.emplace_back(names.back(), i);
    }
    const Val dist = m.get("dist");
    std::size_t index = SIZE_MAX;
    if (required(l, dist, "one of " + join(names))) read_enum(l, dist, index, choices);
    if (index == SIZE_MAX) {
        // Unknown kind: accept any parameter name so that only the kind is reported.
        std::vector<std::string> all = {"dist"};
        for (const Distribution::Kind kind : grammar.kinds) {
            for (const auto& p : params_of(kind)) {
                if (std::find(all.begin(), all.end(), p.key) == all.end()) all.push_back(p.key);
            }
        }
        m.check_keys(all);
        return false;
    }
    const Distribution::Kind kind = grammar.kinds[index];
    const std::vector<Param> params = params_of(kind);
    std::vector<std::string> known = {"dist"};
    for (const auto& p : params) known.push_back(p.key);
    m.check_keys(known);
    const bool durations = grammar.unit == Distribution::Unit::milliseconds;
    Distribution d{kind, 0, 0};
    bool ok = true;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Param& p = params[i];
        const bool duration = durations && p.scaled;
        double& x = i == 0 ? d.a : d.b;
        const Val pv = m.get(p.key);
        if (!pv.present) {
            if (p.required) {
                required(l, pv, duration ? DURATION_GRAMMAR : "a number");
                ok = false;
            }
            continue;
        }
        if (duration) {
            SimDuration t{-1};
            read_duration(l, pv, t, true);
            if (t.count() < 0) ok = false;
            else x = to_milliseconds(t);
        } else {
            double number = NAN;
            read_real(l, pv, number, -INF, false, INF, false);
            if (std::isnan(number)) ok = false;
            else x = number;
        }
    }
    if (!ok) return false;
    if (const std::string p = d.problem(grammar.unit); !p.empty()) {
        l.fail(v, "invalid distribution: " + p);
        return false;
    }
    out = d;
    return true;
}

/// A distribution of `unit`: a scalar constant (or `none`), or `{dist: kind, params...}`.
void read_distribution(Loader& l, const Val& v, Distribution& out, Distribution::Unit unit) {
    if (!v.present) return;
    const DistributionGrammar& grammar = grammar_of(unit);
    const std::string none = grammar.none ? "'none', " : "";
    if (v.node.IsScalar()) {
        const std::string& text = v.node.Scalar();
        if (grammar.none && text == "none") {
            out = Distribution::none();
            return;
        }
        std::optional<double> constant;
        if (unit == Distribution::Unit::number) {
            if (const auto x = parse_number(text); x && *x >= 0) constant = *x;
        } else if (const auto d = parse_duration(text)) {
            constant = to_milliseconds(*d);
        }
        if (!constant) {
            std::vector<std::string> kinds;
            for (const Distribution::Kind kind : grammar.kinds) {
                if (kind != Distribution::Kind::none) kinds.emplace_back(Distribution::kind_name(kind));
            }
            l.fail(v, "expected " + none + grammar.constant + " (a constant) or a mapping with 'dist' (" + join(kinds) +
                          "), got " + got(v.node));
            return;
        }
        out = Distribution::constant(*constant);
        return;
    }
    if (!v.node.IsMap()) {
        l.fail(v, "expected " + none + grammar.constant_short + " or a mapping with 'dist', got " + got(v.node));
        return;
    }
    read_distribution_map(l, v, grammar, out);
}

// ----- sections -----

void read_regions(Loader& l, const Val& v, RegionWeights& out, const std::optional<net::Topology>& topology) {
    const std::string expected = "'all' or a mapping of region name to weight";
    std::vector<std::pair<std::string, double>> weights;
    bool any = false;
    auto check_region = [&](const std::string& name, const Loc& loc, const std::string& path) {
        if (!topology || topology->find(name)) return;
        std::vector<std::string> names;
        for (std::uint32_t i = 0; i < topology->region_count(); ++i) names.push_back(topology->name(net::RegionId{i}));
        const std::string s = did_you_mean(name, names);
        l.add(loc, path,
              "expected a region of the topology (" + join(names) + "), got '" + name + "'" +
                  (s.empty() ? "" : " (did you mean '" + s + "'?)"));
    };
    auto add_weight = [&](const std::string& name, const Val& wv) {
        double w = -1;
        read_real(l, wv, w, 0, true, INF, false);
        if (w > 0) {
            auto it = std::find_if(weights.begin(), weights.end(), [&](const auto& p) { return p.first == name; });
            if (it == weights.end()) weights.emplace_back(name, w);
            else it->second = w;
        }
        any = true;
    };
    if (v.present) {
        if (v.node.IsScalar() && v.node.Scalar() == "all") {
            out.all = true;
        } else if (v.node.IsMap()) {
            Map m(l, v);
            for (const auto& e : m.entries()) {
                const Val wv = m.get(e.key);
                check_region(e.key, v.loc.override_index >= 0 ? v.loc : e.key_loc, wv.path);
                add_weight(e.key, wv);
            }
            if (m.entries().empty()) l.fail(v, "expected " + expected + ", got an empty mapping");
        } else {
            l.fail(v, "expected " + expected + ", got " + got(v.node));
        }
    }
    // --set population.regions.<name>=<weight>
    const std::string prefix = v.path + ".";
    for (std::size_t i = 0; i < l.overrides().size(); ++i) {
        Override& o = l.overrides()[i];
        // (one that replaces a weight the file has was read with the file's entries)
        if (!o.usable || o.consumed || o.key.rfind(prefix, 0) != 0) continue;
        const std::string name = o.key.substr(prefix.size());
        if (name.find('.') != std::string::npos) continue;
        o.consumed = true;
        const Loc loc{0, 0, static_cast<int>(i)};
        check_region(name, loc, o.key);
        add_weight(name, Val{o.key, o.value, true, loc});
    }
    if (any) {
        out.all = false;
        out.weights = std::move(weights);
    }
}

void read_link(Loader& l, const Val& v, net::AccessLink& link) {
    Map m(l, v);
    m.check_keys({"up", "down", "queue_limit_bytes", "delay", "jitter", "loss"});
    read_bandwidth(l, m.get("up"), link.up_bps);
    read_bandwidth(l, m.get("down"), link.down_bps);
    read_u64(l, m.get("queue_limit_bytes"), link.queue_limit_bytes, 0, UINT64_MAX);
    read_duration(l, m.get("delay"), link.access_delay, true);
    read_distribution(l, m.get("jitter"), link.jitter, Distribution::Unit::milliseconds);
    read_real(l, m.get("loss"), link.loss, 0, false, 1, false);
}

std::optional<net::Topology> read_topology(Loader& l, const Val& v, TopologySpec& out) {
    const std::string expected = "'world' or the path of a GraphML file (relative to the scenario)";
    if (!v.present) return net::Topology::world();
    const auto text = scalar(l, v, expected);
    if (!text) return std::nullopt;
    if (*text == "world") {
        out.builtin_world = true;
        return net::Topology::world();
    }
    std::filesystem::path path(*text);
    if (path.is_relative()) path = l.base_dir() / path;
    std::error_code ec;
    if (text->empty() || !std::filesystem::is_regular_file(path, ec)) {
        l.fail(v, "expected " + expected + ", got " + got(v.node) + " (no such file)");
        return std::nullopt;
    }
    out.builtin_world = false;
    out.graphml = path;
    try {
        return net::Topology::from_graphml(path);
    } catch (const net::TopologyError& e) {
        l.fail(v, "expected a valid GraphML topology, got " + got(v.node) + ": " + e.what());
        return std::nullopt;
    }
}

void read_sessions(Loader& l, const Val& v, SessionSpec& out) {
    if (!v.present) return;
    if (v.node.IsScalar() && v.node.Scalar() == "always") {
        out.always_online = true;
        return;
    }
    if (!v.node.IsMap()) {
        l.fail(v, "expected 'always' or a mapping with 'online' and 'offline' period distributions, got " +
                      got(v.node));
        return;
    }
    Map m(l, v);
    m.check_keys({"online", "offline"});
    out.always_online = false;
    for (const char* key : {"online", "offline"}) {
        const Val pv = m.get(key);
        if (!required(l, pv, "a duration distribution")) continue;
        Distribution& d = std::string_view(key) == "online" ? out.online : out.offline;
        const std::size_t before = l.problem_count();
        read_distribution(l, pv, d, Distribution::Unit::milliseconds);
        if (l.problem_count() == before && !(d.mean() > 0)) {
            l.fail(pv, "expected a period distribution with a mean > 0, got " + got(pv.node));
        }
    }
}

/// The items of a list-valued key (`key[i]`, each at its own position; an override's at the
/// override's). Absent or null: none. Not a list: the problem "expected <expected>", and none.
std::vector<Val> sequence_items(Loader& l, const Val& v, const std::string& expected) {
    std::vector<Val> items;
    if (!v.present || v.node.IsNull()) return items;
    if (!v.node.IsSequence()) {
        l.fail(v, "expected " + expected + ", got " + got(v.node));
        return items;
    }
    std::size_t i = 0;
    for (auto it = v.node.begin(); it != v.node.end(); ++it, ++i) {
        Loc loc = loc_of(*it);
        if (v.loc.override_index >= 0 || loc.line == 0) loc = v.loc;
        items.push_back(Val{v.path + "[" + std::to_string(i) + "]", *it, true, loc});
    }
    return items;
}

void read_labels(Loader& l, const Val& v, std::vector<std::string>& out) {
    const std::string expected = "a list of lower-case words like [slow]";
    for (const Val& item : sequence_items(l, v, expected)) {
        const auto text = scalar(l, item, expected);
        if (!text) continue;
        const bool word = !text->empty() && std::all_of(text->begin(), text->end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        });
        if (!word) {
            l.fail(item, "expected a lower-case word (a-z, 0-9, '-', '_'), got '" + *text + "'");
            continue;
        }
        out.push_back(*text);
    }
}

/// One churn adversary (sim/adversary/churn/churn_config.hpp).
/// churn `trace`: a CSV of downs, ups and joins (sim/adversary/churn/churn_trace.hpp), relative to the
/// scenario's folder; every problem of the file is reported with its line.
void read_churn_trace(Loader& l, const Val& v, std::uint64_t initial_nodes, adversary::ChurnConfig& out) {
    const std::string expected = "the path of a CSV churn trace (relative to the scenario)";
    const auto text = scalar(l, v, expected);
    if (!text) return;
    std::filesystem::path path(*text);
    if (path.is_relative()) path = l.base_dir() / path;
    std::error_code ec;
    if (text->empty() || !std::filesystem::is_regular_file(path, ec)) {
        l.fail(v, "expected " + expected + ", got " + got(v.node) + " (no such file)");
        return;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in && !in.eof()) {
        l.fail(v, "expected a readable " + expected + ", got " + got(v.node));
        return;
    }
    const auto trace = adversary::parse_churn_trace(bytes.str(), initial_nodes);
    for (const auto& p : trace.problems) {
        l.fail(v, *text + (p.line > 0 ? ":" + std::to_string(p.line) : std::string()) + ": " + p.message);
    }
    if (trace.problems_left_out > 0) {
        l.fail(v, *text + ": " + std::to_string(trace.problems_left_out) + " more problems left out");
    }
    out.traced = true;
    out.trace_file = path.string();
    out.trace = trace.events;
}

void read_churn(Loader& l, Map& m, adversary::ChurnConfig& out, std::uint64_t initial_nodes) {
    m.check_keys({"type", "name", "session", "downtime", "detection", "age", "joins_per_hour", "credit", "list_lag",
                  "push_requires_peer", "new_member_check", "trace"});
    if (const Val tv = m.get("trace"); tv.present) {
        read_churn_trace(l, tv, initial_nodes, out);
        for (const char* key : {"session", "downtime", "joins_per_hour"}) {
            if (const Val v = m.get(key); v.present) {
                l.fail(v, std::string("expected no ") + key + " with a trace (the trace says when nodes go down, come "
                          "back and join), got " + got(v.node));
            }
        }
    }
    const std::vector<std::pair<const char*, Distribution*>> periods = {
        {"session", &out.session}, {"downtime", &out.downtime}};
    for (const auto& [key, d] : periods) {
        const Val pv = m.get(key);
        const std::size_t before = l.problem_count();
        read_distribution(l, pv, *d, Distribution::Unit::milliseconds);
        const bool never_back = std::string_view(key) == "downtime" && d->kind == Distribution::Kind::none;
        if (pv.present && l.problem_count() == before && !never_back && !(d->mean() > 0)) {
            l.fail(pv, "expected a period distribution with a mean > 0, got " + got(pv.node));
        }
    }
    read_duration(l, m.get("detection"), out.detection, true);
    read_distribution(l, m.get("age"), out.age, Distribution::Unit::milliseconds);
    read_real(l, m.get("joins_per_hour"), out.joins_per_hour, 0, false, 1e6, false);
    read_distribution(l, m.get("list_lag"), out.list_lag, Distribution::Unit::milliseconds);
    read_bool(l, m.get("push_requires_peer"), out.push_requires_peer);
    if (const Val nv = m.get("new_member_check"); nv.present) {
        const std::size_t before = l.problem_count();
        read_duration(l, nv, out.new_member_check, true, hours(24));
        if (l.problem_count() == before && out.new_member_check > SimDuration::zero() &&
            out.new_member_check < seconds(1)) {
            l.fail(nv, "expected 0 (at each metrics bucket) or a check interval of at least 1s, got " + got(nv.node));
        }
    }
    if (const Val cv = m.get("credit"); cv.present) {
        Map c(l, cv);
        if (cv.node.IsMap()) {
            c.check_keys({"initial", "per_30_days", "cap", "minimum"});
            read_duration(l, c.get("initial"), out.credit.initial, true);
            read_duration(l, c.get("per_30_days"), out.credit.per_30_days, true);
            read_duration(l, c.get("cap"), out.credit.cap, true);
            read_duration(l, c.get("minimum"), out.credit.minimum_to_decommission, true);
        } else {
            l.fail(cv, "expected a mapping with initial, per_30_days, cap, minimum, got " + got(cv.node));
        }
    }
}

/// One spam adversary (sim/adversary/spam/spam_config.hpp).
void read_spam(Loader& l, Map& m, adversary::SpamConfig& out) {
    m.check_keys({"type", "name", "flooders", "rate_per_second", "target", "message_size_bytes", "ttl", "start",
                  "proof_of_work", "content", "defences", "link"});
    read_u64(l, m.get("flooders"), out.flooders, 1, 10'000);
    if (const Val lv = m.get("link"); lv.present) read_link(l, lv, out.link.emplace());
    read_real(l, m.get("rate_per_second"), out.rate_per_second, 0, true, 1e7, false);
    if (const Val tv = m.get("target"); tv.present) {
        const std::string expected = "a mapping with one of users, swarms, nodes and a count, like {users: 1}";
        if (!tv.node.IsMap() || tv.node.size() != 1) {
            l.fail(tv, "expected " + expected + ", got " + got(tv.node));
        } else {
            Map t(l, tv);
            t.check_keys({"users", "swarms", "nodes"});
            const std::pair<const char*, adversary::SpamConfig::TargetKind> kinds[] = {
                {"users", adversary::SpamConfig::TargetKind::users},
                {"swarms", adversary::SpamConfig::TargetKind::swarms},
                {"nodes", adversary::SpamConfig::TargetKind::nodes}};
            for (const auto& [key, kind] : kinds) {
                if (const Val cv = t.get(key); cv.present) {
                    out.target = kind;
                    read_u64(l, cv, out.target_count, 1, 1'000'000);
                }
            }
        }
    }
    read_distribution(l, m.get("message_size_bytes"), out.message_size_bytes, Distribution::Unit::number);
    if (const Val cv = m.get("content"); cv.present) {
        read_enum<bool>(l, cv, out.session_messages, {{"random", false}, {"messages", true}});
        if (out.session_messages && out.target != adversary::SpamConfig::TargetKind::users) {
            l.fail(cv, "expected content: messages only with a users target (a message needs a recipient who "
                       "can open it), got target " + std::string(out.target == adversary::SpamConfig::TargetKind::swarms ? "swarms" : "nodes"));
        }
    }
    read_duration(l, m.get("ttl"), out.ttl, false, days(14));
    read_duration(l, m.get("start"), out.start, true);
    if (const Val pv = m.get("proof_of_work"); pv.present) {
        if (!pv.node.IsMap()) {
            l.fail(pv, "expected a mapping with difficulty and hash_rate, got " + got(pv.node));
        } else {
            Map p(l, pv);
            p.check_keys({"difficulty", "hash_rate"});
            auto& pow = out.pow.emplace();
            read_real(l, p.get("difficulty"), pow.difficulty, 0, true, 1e12, false);
            read_real(l, p.get("hash_rate"), pow.hash_rate, 0, true, 1e15, false);
        }
    }
    if (const Val dv = m.get("defences"); dv.present) {
        if (!dv.node.IsMap()) {
            l.fail(dv, "expected a mapping with token_bucket, storage_cap_bytes, message_requests, got " + got(dv.node));
        } else {
            Map d(l, dv);
            d.check_keys({"token_bucket", "storage_cap_bytes", "message_requests"});
            read_bool(l, d.get("token_bucket"), out.token_bucket);
            read_bool(l, d.get("message_requests"), out.message_requests);
            if (const Val cv = d.get("storage_cap_bytes"); cv.present) {
                std::uint64_t cap = 0;
                read_u64(l, cv, cap, 1024, UINT64_MAX);
                out.storage_cap_bytes = cap;
            }
        }
    }
}

/// Compromised service nodes (sim/adversary/compromised/compromised_config.hpp): exactly one of fraction,
/// count, region; optionally active (drop, delay, tamper, target). Tampering needs real crypto on
/// every flow: a modelled stand-in has no cipher or MAC to catch it.
void read_compromised(Loader& l, Map& m, adversary::CompromisedNodesConfig& out, const Val& item,
                      const CryptoSpec& crypto) {
    m.check_keys({"type", "name", "fraction", "count", "region", "stake", "staking_requirement", "operator_share", "drop", "delay", "tamper", "target"});
    read_real(l, m.get("drop"), out.active.drop, 0, false, 1, false);
    read_distribution(l, m.get("delay"), out.active.delay, Distribution::Unit::milliseconds);
    if (const Val v = m.get("tamper"); v.present) {
        const std::size_t before = l.problem_count();
        read_real(l, v, out.active.tamper, 0, false, 1, false);
        if (l.problem_count() == before && out.active.tamper > 0 && crypto.mode == CryptoMode::sampled &&
            crypto.fraction < 1) {
            l.fail(v, "expected tamper 0 with crypto.mode sampled and fraction < 1 (modelled flows have no cipher or "
                      "MAC to detect tampering; use crypto.mode real), got " + got(v.node));
        }
    }
    using Target = adversary::ActiveBehaviour::Target;
    read_enum<Target>(l, m.get("target"), out.active.target,
                      {{"all", Target::all}, {"clients", Target::clients}, {"relays", Target::relays}});
    int given = 0;
    if (const Val v = m.get("fraction"); v.present) {
        ++given;
        out.selection = adversary::CompromisedNodesConfig::Selection::fraction;
        read_real(l, v, out.fraction, 0, false, 1, false);
    }
    if (const Val v = m.get("count"); v.present) {
        ++given;
        out.selection = adversary::CompromisedNodesConfig::Selection::count;
        read_u64(l, v, out.count, 0, UINT64_MAX);
    }
    if (const Val v = m.get("region"); v.present) {
        ++given;
        out.selection = adversary::CompromisedNodesConfig::Selection::region;
        read_string(l, v, out.region, true);
    }
    if (const Val v = m.get("stake"); v.present) {
        ++given;
        out.selection = adversary::CompromisedNodesConfig::Selection::stake;
        read_real(l, v, out.stake, 0, false, 1e15, false);
    }
    read_real(l, m.get("staking_requirement"), out.staking_requirement, 0, true, 1e15, false);
    read_real(l, m.get("operator_share"), out.operator_share, 0.25, false, 1, false);
    if (out.selection != adversary::CompromisedNodesConfig::Selection::stake) {
        for (const char* key : {"staking_requirement", "operator_share"}) {
            if (const Val v = m.get(key); v.present) l.fail(v, std::string("expected ") + key + " only with stake, got " + got(v.node));
        }
    }
    if (given != 1) l.fail(item, "expected exactly one of fraction, count, region, stake, got " + std::to_string(given));
}

/// A region name checked against the topology (when it loaded).
void read_region_name(Loader& l, const Val& v, std::string& out, const std::optional<net::Topology>& topology) {
    const auto text = scalar(l, v, "a region name");
    if (!text) return;
    if (topology && !topology->find(*text)) {
        std::vector<std::string> names;
        for (std::uint32_t i = 0; i < topology->region_count(); ++i) names.push_back(topology->name(net::RegionId{i}));
        const std::string s = did_you_mean(*text, names);
        l.fail(v, "expected a region of the topology (" + join(names) + "), got '" + *text + "'" +
                      (s.empty() ? "" : " (did you mean '" + s + "'?)"));
        return;
    }
    out = *text;
}

/// A link observer (sim/adversary/link_observer/link_tap.hpp): tapped regions (a name or a list), links
/// ([[a, b], ...]) and client access links; at least one tap.
void read_link_observer(Loader& l, Map& m, adversary::LinkObserverConfig& out, const Val& item,
                        const std::optional<net::Topology>& topology) {
    m.check_keys({"type", "name", "regions", "transit", "links", "client_access_share", "window", "layers_bytes"});
    if (const Val v = m.get("regions"); v.present) {
        if (v.node.IsScalar()) {
            read_region_name(l, v, out.regions.emplace_back(), topology);
        } else {
            for (const Val& r : sequence_items(l, v, "a region name or a list of region names")) {
                std::string name;
                read_region_name(l, r, name, topology);
                if (!name.empty()) out.regions.push_back(name);
            }
        }
    }
    read_bool(l, m.get("transit"), out.transit);
    for (const Val& link : sequence_items(l, m.get("links"), "a list of region pairs like [[na-east, eu-west]]")) {
        if (!link.node.IsSequence() || link.node.size() != 2) {
            l.fail(link, "expected a pair of region names like [na-east, eu-west], got " + got(link.node));
            continue;
        }
        auto ends = sequence_items(l, link, "a pair of region names");
        std::string a, b;
        read_region_name(l, ends[0], a, topology);
        read_region_name(l, ends[1], b, topology);
        if (!a.empty() && !b.empty()) out.links.emplace_back(a, b);
    }
    read_real(l, m.get("client_access_share"), out.client_access_share, 0, false, 1, false);
    read_duration(l, m.get("window"), out.window, false, hours(1));
    if (const Val v = m.get("layers_bytes"); v.present) {
        const auto pair = sequence_items(l, v, "a pair [min, max] of byte counts");
        std::uint64_t lo = 0, hi = 0;
        if (v.node.IsSequence() && pair.size() != 2) {
            l.fail(v, "expected a pair [min, max] of byte counts, got " + got(v.node));
        } else if (pair.size() == 2) {
            read_u64(l, pair[0], lo, 0, 1'000'000);
            read_u64(l, pair[1], hi, 0, 1'000'000);
            if (lo > hi) l.fail(v, "expected min <= max, got [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
            out.layers_min_bytes = static_cast<std::int64_t>(lo);
            out.layers_max_bytes = static_cast<std::int64_t>(hi);
        }
    }
    // (a region or link that did not read has its own problem already)
    if (!m.get("regions").present && !m.get("links").present && out.client_access_share == 0.0) {
        l.fail(item, "expected at least one tap: regions, links or client_access_share > 0");
    }
}

/// One kind of adversary: its `type:`, its default summary key, and its reader.
struct AdversaryKind {
    const char* type;
    const char* summary_key;
    std::function<AdversaryConfig(Loader&, Map&, const Val& item, const ScenarioSpec&, const std::optional<net::Topology>&)> read;
};

/// Every kind a scenario can name (sim/adversary/<kind>/; built in sim/scenario/adversary_kinds.cpp).
const std::vector<AdversaryKind>& adversary_kinds() {
    static const std::vector<AdversaryKind> kinds{
        {"churn", "churn",
         [](Loader& l, Map& m, const Val&, const ScenarioSpec& spec, const std::optional<net::Topology>&) {
             adversary::ChurnConfig c;
             read_churn(l, m, c, spec.service_nodes.count);
             return AdversaryConfig(std::move(c));
         }},
        {"spam", "spam",
         [](Loader& l, Map& m, const Val&, const ScenarioSpec&, const std::optional<net::Topology>&) {
             adversary::SpamConfig c;
             read_spam(l, m, c);
             return AdversaryConfig(std::move(c));
         }},
        {"compromised_nodes", "compromised",
         [](Loader& l, Map& m, const Val& item, const ScenarioSpec& spec, const std::optional<net::Topology>&) {
             adversary::CompromisedNodesConfig c;
             read_compromised(l, m, c, item, spec.crypto);
             return AdversaryConfig(std::move(c));
         }},
        {"link_observer", "link_observer",
         [](Loader& l, Map& m, const Val& item, const ScenarioSpec&, const std::optional<net::Topology>& topology) {
             adversary::LinkObserverConfig c;
             read_link_observer(l, m, c, item, topology);
             return AdversaryConfig(std::move(c));
         }},
    };
    return kinds;
}

/// An adversary's `name:`: a lower-case word that is not a key of the world's own summary.
bool valid_adversary_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || !(name[0] >= 'a' && name[0] <= 'z')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

void read_adversaries(Loader& l, const Val& v, ScenarioSpec& spec, const std::optional<net::Topology>& topology) {
    std::string types;
    std::vector<std::string> type_names;
    for (const auto& kind : adversary_kinds()) {
        types += (types.empty() ? "" : ", ") + std::string(kind.type);
        type_names.emplace_back(kind.type);
    }
    std::map<std::string, std::size_t> of_kind;  // adversaries so far by summary key
    std::set<std::string> names;
    for (const Val& item : sequence_items(l, v, "a list of adversaries ({type: churn, ...}, {type: spam, ...})")) {
        if (!item.node.IsMap()) {
            l.fail(item, "expected a mapping with a 'type' (" + types + "), got " + got(item.node));
            continue;
        }
        Map m(l, item);
        const Val tv = m.get("type");
        if (!required(l, tv, "an adversary type (" + types + ")")) continue;
        const auto type = scalar(l, tv, "an adversary type (" + types + ")");
        if (!type) continue;
        const auto& kinds = adversary_kinds();
        const auto kind = std::find_if(kinds.begin(), kinds.end(), [&](const AdversaryKind& k) { return *type == k.type; });
        if (kind == kinds.end()) {
            const std::string s = did_you_mean(*type, type_names);
            l.fail(tv, "expected an adversary type (" + types + "), got '" + *type + "'" +
                           (s.empty() ? "" : " (did you mean '" + s + "'?)"));
            continue;
        }
        const std::size_t nth = ++of_kind[kind->summary_key];
        if (*type == "churn" && nth > 1) {
            // Churn drives every service node's up and down periods: two would fight over them.
            l.fail(tv, "expected at most one churn adversary (it drives every service node's up and down periods), got a second one");
            continue;
        }
        AdversarySpec a{nth == 1 ? std::string(kind->summary_key) : std::string(kind->summary_key) + "_" + std::to_string(nth),
                        kind->read(l, m, item, spec, topology)};
        if (const Val nv = m.get("name"); nv.present) {
            if (const auto name = scalar(l, nv, "a lower-case name (letters, digits, _)")) {
                if (!valid_adversary_name(*name)) {
                    l.fail(nv, "expected a lower-case name (a letter, then letters, digits or _), got '" + *name + "'");
                } else if (world::is_world_summary_key(*name)) {
                    l.fail(nv, "expected a name that is not a key of the world's summary, got '" + *name + "'");
                } else {
                    a.name = *name;
                }
            }
        }
        if (!names.insert(a.name).second) {
            l.fail(m.get("name").present ? m.get("name") : tv,
                   "expected a name no other adversary has, got '" + a.name + "' twice (give each a distinct name:)");
            continue;
        }
        spec.adversaries.push_back(std::move(a));
    }
}

ScenarioSpec load(std::string_view text, const std::string& display_name, const std::filesystem::path& base_dir,
                  const std::vector<std::string>& overrides) {
    Loader l(display_name, base_dir, overrides);
    ScenarioSpec spec;
    spec.source = display_name;
    spec.overrides = overrides;
    spec.source_hash = scenario_hash(text, overrides);

    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        Loc loc;
        if (!e.mark.is_null()) loc = {e.mark.line + 1, e.mark.column + 1, -1};
        l.add(loc, "", "expected valid YAML, got a syntax error: " + e.msg);
        throw ScenarioErrors(l.problems());
    }
    Val rv{"", root, !root.IsNull(), root.IsNull() ? Loc{} : loc_of(root)};
    if (rv.present && !root.IsMap()) {
        l.fail(rv, "expected a mapping of scenario keys (name, duration, service_nodes, ...), got " + got(root));
        throw ScenarioErrors(l.problems());
    }
    Map top(l, rv);
    top.check_keys({"name", "description", "labels", "seed", "duration", "epoch", "topology", "service_nodes", "clients",
                    "workload", "crypto", "outputs", "adversaries"});

    if (const Val v = top.get("name"); required(l, v, "text")) read_string(l, v, spec.name, true);
    read_string(l, top.get("description"), spec.description, false);
    read_labels(l, top.get("labels"), spec.labels);
    read_u64(l, top.get("seed"), spec.seed, 0, UINT64_MAX);
    if (const Val v = top.get("duration"); required(l, v, DURATION_GRAMMAR)) read_duration(l, v, spec.duration, false);
    if (const Val v = top.get("epoch"); v.present) {
        const std::string expected = "a UTC time like 2026-01-01T00:00:00Z";
        if (const auto t = scalar(l, v, expected)) {
            if (const auto ms = parse_utc_timestamp_ms(*t)) spec.epoch_unix_ms = *ms;
            else l.fail(v, "expected " + expected + ", got " + got(v.node));
        }
    }
    const std::optional<net::Topology> topology = read_topology(l, top.get("topology"), spec.topology);

    {
        const Val v = top.get("service_nodes");
        if (required(l, v, "a mapping with at least 'count'")) {
            Map m(l, v);
            m.check_keys({"count", "regions", "link"});
            if (const Val c = m.get("count"); required(l, c, "a whole number >= 1")) {
                read_u64(l, c, spec.service_nodes.count, 1, UINT64_MAX);
            }
            read_regions(l, m.get("regions"), spec.service_nodes.regions, topology);
            read_link(l, m.get("link"), spec.service_nodes.link);
        }
    }
    {
        const Val v = top.get("clients");
        if (required(l, v, "a mapping with at least 'count'")) {
            ClientsSpec& c = spec.clients;
            Map m(l, v);
            m.check_keys({"count", "regions", "link", "profile", "paths", "poll_interval", "sessions"});
            if (const Val cv = m.get("count"); required(l, cv, "a whole number >= 1")) read_u64(l, cv, c.count, 1, UINT64_MAX);
            read_regions(l, m.get("regions"), c.regions, topology);
            c.link.up_bps = 20e6;
            c.link.down_bps = 50e6;
            c.link.access_delay = milliseconds(10);
            read_link(l, m.get("link"), c.link);
            read_enum(l, m.get("profile"), c.profile,
                      {{"desktop", ClientProfile::desktop}, {"android", ClientProfile::android}});
            std::uint64_t paths = 2;
            read_u64(l, m.get("paths"), paths, 2, 3);
            c.paths = static_cast<int>(paths);
            read_duration(l, m.get("poll_interval"), c.poll_interval, false);
            read_sessions(l, m.get("sessions"), c.sessions);
        }
    }
    {
        WorkloadSpec& w = spec.workload;
        Map m(l, top.get("workload"));
        m.check_keys({"contacts", "activity", "rate_per_user_per_hour", "diurnal_amplitude", "diurnal_peak_hour",
                      "message_size_bytes", "ttl"});
        read_distribution(l, m.get("contacts"), w.contacts, Distribution::Unit::number);
        read_distribution(l, m.get("activity"), w.activity, Distribution::Unit::number);
        read_real(l, m.get("rate_per_user_per_hour"), w.rate_per_user_per_hour, 0, false, INF, false);
        read_real(l, m.get("diurnal_amplitude"), w.diurnal_amplitude, 0, false, 1, false);
        read_real(l, m.get("diurnal_peak_hour"), w.diurnal_peak_hour, 0, false, 24, true);
        read_distribution(l, m.get("message_size_bytes"), w.message_size_bytes, Distribution::Unit::number);
        read_duration(l, m.get("ttl"), w.ttl, false, hours(24 * 14));
    }
    {
        Map m(l, top.get("crypto"));
        m.check_keys({"mode", "fraction"});
        read_enum(l, m.get("mode"), spec.crypto.mode, {{"real", CryptoMode::real}, {"sampled", CryptoMode::sampled}});
        const Val f = m.get("fraction");
        if (spec.crypto.mode == CryptoMode::sampled) {
            spec.crypto.fraction = 0.01;
            read_real(l, f, spec.crypto.fraction, 0, false, 1, false);
        } else if (f.present) {
            l.fail(f, "expected no fraction with mode real (fraction applies to mode sampled), got " + got(f.node));
        }
    }
    {
        Map m(l, top.get("outputs"));
        m.check_keys({"dir", "csv", "report", "observations"});
        std::string dir = spec.outputs.dir.string();
        read_string(l, m.get("dir"), dir, true);
        spec.outputs.dir = dir;
        read_bool(l, m.get("csv"), spec.outputs.csv);
        read_bool(l, m.get("report"), spec.outputs.report);
        read_bool(l, m.get("observations"), spec.outputs.observations);
    }
    read_adversaries(l, top.get("adversaries"), spec, topology);

    l.report_unconsumed();
    if (!l.ok()) throw ScenarioErrors(l.problems());
    return spec;
}

}  // namespace

ScenarioSpec load_scenario_text(std::string_view text, const std::string& display_name,
                                const std::vector<std::string>& overrides) {
    return load(text, display_name, std::filesystem::path(display_name).parent_path(), overrides);
}

ScenarioSpec load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    if (in) bytes << in.rdbuf();
    if (!in || in.bad()) {
        Problem p;
        p.file = file.string();
        p.message = "expected a readable scenario file, got an error opening it";
        throw ScenarioErrors({p});
    }
    return load(bytes.str(), file.string(), file.parent_path(), overrides);
}

}  // namespace sessionsim::scenario
