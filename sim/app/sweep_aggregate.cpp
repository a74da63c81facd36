#include "sim/app/sweep_aggregate.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/stats/intervals.hpp"
#include "sim/stats/sample_statistics.hpp"

namespace sessionsim::app {
namespace {

using nlohmann::json;

/// A whole number >= 0 at a dotted path of `j`, or nullopt.
std::optional<std::uint64_t> count_at(const json& j, std::initializer_list<const char*> path) {
    const json* node = &j;
    for (const char* key : path) {
        if (!node->is_object()) return std::nullopt;
        const auto it = node->find(key);
        if (it == node->end()) return std::nullopt;
        node = &*it;
    }
    if (node->is_number_unsigned()) return node->get<std::uint64_t>();
    if (node->is_number_integer() && node->get<std::int64_t>() >= 0) {
        return static_cast<std::uint64_t>(node->get<std::int64_t>());
    }
    return std::nullopt;
}

void flatten_into(const json& value, const std::string& prefix, std::map<std::string, double>& out) {
    if (value.is_object()) {
        for (const auto& [key, child] : value.items()) {
            std::string name = prefix;
            if (!name.empty()) name.append(".");
            name.append(key);
            flatten_into(child, name, out);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            std::string name = prefix;
            if (!name.empty()) name.append(".");
            name.append(std::to_string(i));
            flatten_into(value[i], name, out);
        }
    } else if (value.is_number() && is_aggregated_figure(prefix)) {
        out[prefix] = value.get<double>();
    }
}

/// Adds `b` to `a` unless it overflows.
bool add_to(std::uint64_t& a, std::uint64_t b) {
    if (a > std::numeric_limits<std::uint64_t>::max() - b) return false;
    a += b;
    return true;
}

/// sum messages_delivered / sum messages_sent over the runs, when every run has both counts.
std::optional<std::pair<std::uint64_t, std::uint64_t>> pooled_delivery(std::span<const RunRecord> runs) {
    std::uint64_t delivered = 0, sent = 0;
    for (const auto& run : runs) {
        const auto d = count_at(run.summary, {"messages_delivered"});
        const auto s = count_at(run.summary, {"messages_sent"});
        if (!d || !s || *d > *s) return std::nullopt;
        if (!add_to(delivered, *d) || !add_to(sent, *s)) return std::nullopt;
    }
    if (sent == 0) return std::nullopt;
    return std::pair{delivered, sent};
}

/// sum failures / sum (round trips + failures) over the runs, when every run's failures are derivable.
std::optional<std::pair<std::uint64_t, std::uint64_t>> pooled_onion_failures(std::span<const RunRecord> runs) {
    std::uint64_t failures = 0, finished = 0;
    for (const auto& run : runs) {
        const auto trips = count_at(run.summary, {"onion_latency_ms", "count"});
        const auto failed = derive_onion_failures(run.summary);
        if (!trips || !failed) return std::nullopt;
        if (!add_to(failures, *failed) || !add_to(finished, *trips) || !add_to(finished, *failed)) {
            return std::nullopt;
        }
    }
    if (finished == 0) return std::nullopt;
    return std::pair{failures, finished};
}

nlohmann::ordered_json optional_number(const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

std::string csv_cell(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string csv_number(const std::optional<double>& v) { return v ? format_number(*v) : std::string(); }

std::vector<RunRecord> by_seed(std::vector<RunRecord> runs) {
    std::sort(runs.begin(), runs.end(), [](const RunRecord& a, const RunRecord& b) {
        return a.seed != b.seed ? a.seed < b.seed : a.dir < b.dir;
    });
    return runs;
}

}  // namespace

GridAxis parse_grid_option(std::string_view text) {
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) {
        throw std::invalid_argument("--grid expects key.path=value1,value2,..., got '" + std::string(text) + "'");
    }
    GridAxis axis;
    axis.key = std::string(text.substr(0, eq));
    if (axis.key.empty()) throw std::invalid_argument("--grid '" + std::string(text) + "': the key is empty");
    if (axis.key == "seed") {
        throw std::invalid_argument("--grid seed=...: the seeds of a sweep are set with --seeds (s0 .. s0+K-1)");
    }
    // Split at commas outside [], {} and quotes: a YAML flow value is one value.
    const std::string_view values = text.substr(eq + 1);
    std::string current;
    int depth = 0;
    char quote = 0;
    auto finish = [&axis, &current, text]() {
        if (current.find_first_not_of(" \t") == std::string::npos) {
            throw std::invalid_argument("--grid '" + std::string(text) + "': empty value");
        }
        if (std::find(axis.values.begin(), axis.values.end(), current) != axis.values.end()) {
            throw std::invalid_argument("--grid '" + std::string(text) + "': value '" + current + "' appears twice");
        }
        axis.values.push_back(current);
        current.clear();
    };
    for (char c : values) {
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if (c == ']' || c == '}') {
            if (--depth < 0) break;
        } else if (c == ',' && depth == 0) {
            finish();
            continue;
        }
        current.push_back(c);
    }
    if (depth != 0 || quote != 0) {
        throw std::invalid_argument("--grid '" + std::string(text) + "': unbalanced brackets or quotes");
    }
    finish();
    return axis;
}

std::vector<GridPoint> expand_grid(std::span<const GridAxis> axes) {
    std::vector<GridPoint> points{GridPoint{}};
    for (const auto& axis : axes) {
        std::vector<GridPoint> next;
        next.reserve(points.size() * axis.values.size());
        for (const auto& point : points) {
            for (const auto& value : axis.values) {
                GridPoint p = point;
                p.emplace_back(axis.key, value);
                next.push_back(std::move(p));
            }
        }
        points = std::move(next);
    }
    return points;
}

std::string point_label(std::size_t index, std::size_t count) {
    const std::size_t width = count > 1 ? std::to_string(count - 1).size() : 1;
    std::string digits = std::to_string(index);
    std::string label = "p";
    if (digits.size() < width) label.append(width - digits.size(), '0');
    label.append(digits);
    return label;
}

std::map<std::string, double> flatten_numeric(const json& summary) {
    std::map<std::string, double> out;
    flatten_into(summary, "", out);
    return out;
}

bool is_aggregated_figure(std::string_view name) {
    return name != "fingerprint" && name != "crypto" && name.rfind("crypto.", 0) != 0;
}

bool is_proportion_figure(std::string_view name) {
    // By the summary's naming (scenarios/README.md): a last component ending in _ratio, _share,
    // _accuracy or _rate is a proportion, except the flooders' PoW hash rate.
    const auto dot = name.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? name : name.substr(dot + 1);
    const auto ends_with = [last](std::string_view suffix) {
        return last.size() >= suffix.size() && last.substr(last.size() - suffix.size()) == suffix;
    };
    if (last == "hash_rate") return false;
    return last == "replication_coverage" || ends_with("_ratio") || ends_with("_share") || ends_with("_accuracy") ||
           ends_with("_rate");
}

std::optional<std::uint64_t> derive_onion_failures(const json& summary) {
    const auto trips = count_at(summary, {"onion_latency_ms", "count"});
    if (!trips || !summary.is_object()) return std::nullopt;
    const auto it = summary.find("onion_failure_rate");
    if (it == summary.end() || !it->is_number()) return std::nullopt;
    const double rate = it->get<double>();
    if (rate == 0.0) return 0;
    if (!(rate > 0.0 && rate < 1.0)) return std::nullopt;  // 1: no round trips, any count fits
    const double t = static_cast<double>(*trips);
    const double x = rate * t / (1.0 - rate);
    if (!(x < 9.0e15)) return std::nullopt;
    const auto failures = static_cast<std::uint64_t>(std::llround(x));
    // The same arithmetic as the summary's: only the count behind the stored rate is kept.
    const double f = static_cast<double>(failures);
    if (f / (t + f) != rate) return std::nullopt;
    return failures;
}

FigureStats t_figure(std::span<const double> values, bool clamp_to_unit) {
    if (values.empty()) throw std::invalid_argument("t_figure: no values");
    FigureStats figure;
    figure.n = values.size();
    if (values.size() == 1) {
        figure.mean = values.front();
        figure.method = "none";
        return figure;
    }
    const auto interval = stats::mean_interval(values, SWEEP_CONFIDENCE);
    figure.mean = interval.estimate;
    figure.sd = stats::mean_and_sd(values).sd;
    // A figure that cannot be negative (a count, bytes, a latency: every run's value >= 0) has a
    // mean that cannot be either: its interval is cut at 0 rather than reaching below it.
    const bool non_negative = std::all_of(values.begin(), values.end(), [](double v) { return v >= 0.0; });
    if (clamp_to_unit) {
        figure.lo = std::clamp(interval.lo, 0.0, 1.0);
        figure.hi = std::clamp(interval.hi, 0.0, 1.0);
        figure.method = "t_clamped";
    } else if (non_negative && interval.lo < 0.0) {
        figure.lo = 0.0;
        figure.hi = interval.hi;
        figure.method = "t_non_negative";
    } else {
        figure.lo = interval.lo;
        figure.hi = interval.hi;
        figure.method = "t";
    }
    return figure;
}

FigureStats wilson_figure(std::uint64_t successes, std::uint64_t trials, std::size_t runs) {
    const double z = stats::normal_quantile(0.5 + 0.5 * SWEEP_CONFIDENCE);
    const auto interval = stats::wilson_interval(successes, trials, z);
    FigureStats figure;
    figure.n = runs;
    figure.mean = interval.estimate;
    figure.lo = interval.lo;
    figure.hi = interval.hi;
    figure.method = "wilson_pooled";
    figure.successes = successes;
    figure.trials = trials;
    return figure;
}

std::map<std::string, FigureStats> aggregate_point(std::vector<RunRecord> runs) {
    std::vector<RunRecord> ok;
    for (auto& run : by_seed(std::move(runs))) {
        if (run.ok() && run.summary.is_object()) ok.push_back(std::move(run));
    }
    std::map<std::string, std::vector<double>> values;
    for (const auto& run : ok) {
        for (const auto& [name, value] : flatten_numeric(run.summary)) values[name].push_back(value);
    }
    std::map<std::string, FigureStats> figures;
    for (const auto& [name, samples] : values) figures.emplace(name, t_figure(samples, is_proportion_figure(name)));
    if (const auto d = pooled_delivery(ok)) {
        figures.emplace("delivery_ratio.pooled", wilson_figure(d->first, d->second, ok.size()));
    }
    if (const auto o = pooled_onion_failures(ok)) {
        figures.emplace("onion_failure_rate.pooled", wilson_figure(o->first, o->second, ok.size()));
    }
    return figures;
}

nlohmann::ordered_json figure_json(const FigureStats& figure) {
    nlohmann::ordered_json j;
    j["n"] = figure.n;
    j["mean"] = figure.mean;
    j["sd"] = optional_number(figure.sd);
    j["lo"] = optional_number(figure.lo);
    j["hi"] = optional_number(figure.hi);
    j["method"] = figure.method;
    if (figure.successes) j["successes"] = *figure.successes;
    if (figure.trials) j["trials"] = *figure.trials;
    return j;
}

nlohmann::ordered_json sweep_json(const SweepHeader& header, std::span<const PointResult> points) {
    using ojson = nlohmann::ordered_json;
    ojson j;
    j["scenario"] = header.scenario;
    j["file"] = header.file;
    j["hash"] = header.hash;
    j["overrides"] = header.overrides;
    j["grid"] = ojson::array();
    for (const auto& axis : header.grid) j["grid"].push_back({{"key", axis.key}, {"values", axis.values}});
    j["seeds"] = header.seeds;
    j["confidence"] = SWEEP_CONFIDENCE;
    j["methods"] = {
        {"t", "mean over the runs +- t(0.975, n-1) sd / sqrt(n) (Student t, runs as the samples)"},
        {"t_clamped", "the t interval clamped to [0, 1] (a proportion)"},
        {"t_non_negative", "the t interval cut at 0: every run's value is >= 0 (a count, bytes, a latency)"},
        {"wilson_pooled", "Wilson score interval on the counts pooled over the runs (successes / trials)"},
        {"none", "a single run: its value, no interval"}};
    j["points"] = ojson::array();
    j["failed_runs"] = ojson::array();
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& point = points[i];
        ojson p;
        p["point"] = i;
        p["label"] = point_label(i, points.size());
        p["parameters"] = ojson::object();
        for (const auto& [key, value] : point.parameters) p["parameters"][key] = value;
        p["runs"] = ojson::array();
        for (const auto& run : by_seed(point.runs)) {
            std::string log = run.dir;
            log.append("/").append(SWEEP_RUN_LOG);
            p["runs"].push_back({{"seed", run.seed}, {"dir", run.dir}, {"log", log}, {"status", run.status}});
            if (!run.ok()) {
                j["failed_runs"].push_back(
                    {{"point", i}, {"seed", run.seed}, {"dir", run.dir}, {"log", log}, {"status", run.status}});
            }
        }
        p["figures"] = ojson::object();
        for (const auto& [name, figure] : point.figures) p["figures"][name] = figure_json(figure);
        j["points"].push_back(std::move(p));
    }
    return j;
}

std::string sweep_csv(std::span<const GridAxis> grid, std::span<const PointResult> points) {
    std::string out = "point";
    for (const auto& axis : grid) out.append(",").append(csv_cell(axis.key));
    out.append(",figure,n,mean,lo,hi,method\n");
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& point = points[i];
        std::string prefix = std::to_string(i);
        for (std::size_t a = 0; a < grid.size(); ++a) {
            prefix.append(",");
            if (a < point.parameters.size()) prefix.append(csv_cell(point.parameters[a].second));
        }
        for (const auto& [name, figure] : point.figures) {
            out.append(prefix).append(",").append(csv_cell(name)).append(",").append(std::to_string(figure.n));
            out.append(",").append(format_number(figure.mean));
            out.append(",").append(csv_number(figure.lo)).append(",").append(csv_number(figure.hi));
            out.append(",").append(figure.method).append("\n");
        }
    }
    return out;
}

std::string format_number(double value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

}  // namespace sessionsim::app
