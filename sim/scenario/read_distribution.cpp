#include "sim/scenario/section_readers.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

#include "sim/scenario/units.hpp"

namespace sessionsim::scenario::reader {
namespace {

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

}  // namespace

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

}  // namespace sessionsim::scenario::reader
