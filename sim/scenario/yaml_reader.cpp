#include "sim/scenario/yaml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/scenario/units.hpp"

namespace sessionsim::scenario::reader {

Loc loc_of(const YAML::Node& node) {
    const YAML::Mark m = node.Mark();
    if (m.is_null()) return {};
    return {m.line + 1, m.column + 1, -1};
}

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

Loader::Loader(std::string file, std::filesystem::path base_dir, const std::vector<std::string>& overrides)
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

void Loader::add(const Loc& loc, std::string key, std::string message) {
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

Override* Loader::override_for(const std::string& path) {
    Override* found = nullptr;
    for (auto& o : overrides_) {
        if (!o.usable || o.key != path) continue;
        o.consumed = true;
        found = &o;
    }
    return found;
}

void Loader::report_unconsumed() {
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

std::vector<Problem> Loader::problems() {
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

void read_duration(Loader& l, const Val& v, SimDuration& out, bool allow_zero, SimDuration max) {
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

}  // namespace sessionsim::scenario::reader
