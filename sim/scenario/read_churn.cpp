#include "sim/scenario/section_readers.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>

namespace sessionsim::scenario::reader {
namespace {

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
        std::string message = *text;
        if (p.line > 0) message.append(":").append(std::to_string(p.line));
        l.fail(v, message.append(": ").append(p.message));
    }
    if (trace.problems_left_out > 0) {
        l.fail(v, *text + ": " + std::to_string(trace.problems_left_out) + " more problems left out");
    }
    out.traced = true;
    out.trace_file = path.string();
    out.trace = trace.events;
}

}  // namespace

/// One churn adversary (sim/adversary/churn/churn_config.hpp).
void read_churn(Loader& l, Map& m, adversary::ChurnConfig& out, std::uint64_t initial_nodes) {
    m.check_keys({"type", "name", "session", "downtime", "detection", "age", "joins_per_hour", "credit", "list_lag",
                  "push_requires_peer", "data_ready", "new_member_check", "trace", "decommission"});
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
    // decommission: oxend (the default: oxend's quorum timing) or fixed (a fixed `detection`
    // delay, next-block recommission). An explicit `detection` means fixed.
    const Val dv = m.get("decommission");
    const Val detection = m.get("detection");
    using Decommission = adversary::ChurnConfig::Decommission;
    if (dv.present) {
        const std::size_t before = l.problem_count();
        read_enum(l, dv, out.decommission, {{"oxend", Decommission::oxend}, {"fixed", Decommission::fixed}});
        if (l.problem_count() == before && out.decommission == Decommission::oxend && detection.present) {
            l.fail(detection, "expected no detection with decommission: oxend (oxend's quorums set the timing; "
                              "a fixed delay is decommission: fixed), got " + got(detection.node));
        }
    } else if (detection.present) {
        out.decommission = Decommission::fixed;
    }
    read_duration(l, detection, out.detection, true);
    read_distribution(l, m.get("age"), out.age, Distribution::Unit::milliseconds);
    read_real(l, m.get("joins_per_hour"), out.joins_per_hour, 0, false, 1e6, false);
    read_distribution(l, m.get("list_lag"), out.list_lag, Distribution::Unit::milliseconds);
    if (const Val pv = m.get("push_requires_peer"); pv.present) {
        // Removed: oxenss accepts a push from any service node it lists (omq.cpp handle_sn_data,
        // c3b96a2); the race of PR #507 comes from list_lag and unreachable members.
        l.fail(pv, "expected no push_requires_peer (removed: oxenss accepts sn.data from any listed service node; "
                   "the race comes from list_lag; PR #507's fix is data_ready: true), got " + got(pv.node));
    }
    read_bool(l, m.get("data_ready"), out.data_ready);
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

}  // namespace sessionsim::scenario::reader
