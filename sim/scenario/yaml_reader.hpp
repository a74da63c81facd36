#pragma once
// The reader framework of the scenario loader (private to sim_scenario): a value being read with
// its key path and position (Val), mappings that check their keys (Map), the --set overrides, and
// the Loader that collects every problem with file:line:col and sorts them into file order. The
// scalar readers below each report their own problem and leave `out` unchanged on error, so that
// one load reports every problem at once.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/scenario_error.hpp"

namespace sessionsim::scenario::reader {

struct Loc {
    int line = 0;      // 1-based, 0: none
    int column = 0;
    int override_index = -1;
};

Loc loc_of(const YAML::Node& node);

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

/// What a problem says it got: "nothing", "a mapping", "a list" or the scalar in quotes.
std::string got(const YAML::Node& node);
/// "a, b, c".
std::string join(const std::vector<std::string>& items);
/// "parent.key" ("key" at the top).
std::string child_path(const std::string& parent, std::string_view key);
/// A number as problems print it ("0.25", "1e+06").
std::string num(double v);

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

/// One load: the file's name and folder, the overrides, and every problem found so far.
class Loader {
  public:
    Loader(std::string file, std::filesystem::path base_dir, const std::vector<std::string>& overrides);

    void add(const Loc& loc, std::string key, std::string message);
    void fail(const Val& v, std::string message) { add(v.loc, v.path, std::move(message)); }

    /// The override that sets exactly `path` (the last one when several do), marked consumed.
    Override* override_for(const std::string& path);
    int override_index(const Override* o) const { return static_cast<int>(o - overrides_.data()); }
    std::vector<Override>& overrides() noexcept { return overrides_; }

    void remember_keys(const std::string& path, const std::vector<std::string>& keys) { known_[path] = keys; }

    /// Overrides nobody read name unknown keys.
    void report_unconsumed();

    /// Every problem: file problems in file order, then overrides in command-line order.
    std::vector<Problem> problems();
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

// ----- scalar readers: each reports its own problem and leaves `out` unchanged on error -----

inline constexpr double INF = std::numeric_limits<double>::infinity();

/// The scalar text of `v`, or nullopt (absent: no problem; wrong type: a problem).
std::optional<std::string> scalar(Loader& l, const Val& v, const std::string& expected);

/// True when `v` is present; otherwise the problem "missing required key; expected <expected>".
bool required(Loader& l, const Val& v, const std::string& expected);

/// A whole number in [min, max].
void read_u64(Loader& l, const Val& v, std::uint64_t& out, std::uint64_t min, std::uint64_t max);

/// A number in [lo, hi] (either bound may be open: lo_open / hi_open; infinity: no bound).
void read_real(Loader& l, const Val& v, double& out, double lo, bool lo_open, double hi, bool hi_open);

void read_bool(Loader& l, const Val& v, bool& out);

void read_string(Loader& l, const Val& v, std::string& out, bool non_empty);

/// A duration > 0 (or >= 0 with allow_zero) and at most `max`.
void read_duration(Loader& l, const Val& v, SimDuration& out, bool allow_zero, SimDuration max = SimDuration::max());

/// A bandwidth > 0 in bits/s, or 'unlimited' (0).
void read_bandwidth(Loader& l, const Val& v, double& out);

/// One of `choices` by name (with a suggestion when it is none of them).
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

/// The items of a list-valued key (`key[i]`, each at its own position; an override's at the
/// override's). Absent or null: none. Not a list: the problem "expected <expected>", and none.
std::vector<Val> sequence_items(Loader& l, const Val& v, const std::string& expected);

}  // namespace sessionsim::scenario::reader
