// sweep_aggregate: the grid, the flattening of summary.json, the figures with their intervals
// against values computed by hand, and output bytes that do not depend on the order of the runs.
#include "sim/app/sweep_aggregate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace sessionsim::app {
namespace {

using nlohmann::json;

// Student t quantiles t(0.975, df): df = 1 is tan(0.475 pi); df = 4 from tables (R: qt(0.975, 4)).
constexpr double T_975_DF1 = 12.706204736174707;
constexpr double T_975_DF4 = 2.7764451051977987;
constexpr double Z_975 = 1.959963984540054;

/// A summary.json of the shape World::summary writes, with the figures the tests look at.
json summary(std::uint64_t sent, std::uint64_t delivered, std::uint64_t round_trips, std::uint64_t failures,
             double p50) {
    json s;
    s["messages_sent"] = sent;
    s["messages_delivered"] = delivered;
    s["delivery_ratio"] = sent > 0 ? static_cast<double>(delivered) / static_cast<double>(sent) : 0.0;
    s["e2e_latency_ms"] = {{"count", delivered}, {"p50", p50}};
    s["onion_latency_ms"] = {{"count", round_trips}, {"p50", 400.0}};
    const double t = static_cast<double>(round_trips), f = static_cast<double>(failures);
    s["onion_failure_rate"] = t + f > 0 ? f / (t + f) : 0.0;
    s["replication_coverage"] = 1.0;
    s["crypto"] = {{"mode", "real"}, {"fraction", 1.0}, {"onion_requests_real", 12}};
    s["fingerprint"] = "0123456789abcdef";
    return s;
}

RunRecord ok_run(std::uint64_t seed, json s) {
    RunRecord r;
    r.seed = seed;
    r.dir = "runs/p0-seed" + std::to_string(seed);
    r.status = "ok";
    r.summary = std::move(s);
    return r;
}

TEST(SweepAggregate, FlattensNumericLeavesWithDots) {
    const json s = {{"messages_sent", 10},
                    {"delivery_ratio", 0.5},
                    {"e2e_latency_ms", {{"p50", 3.5}, {"count", 4}}},
                    {"network", {{"deep", {{"er", -2}}}}},
                    {"list", {7, 8}},
                    {"flag", true},
                    {"name", "x"},
                    {"nothing", nullptr},
                    {"fingerprint", "abc"},
                    {"crypto", {{"fraction", 1.0}, {"messages_real", 3}, {"mode", "real"}}}};
    const auto flat = flatten_numeric(s);
    const std::map<std::string, double> want = {{"delivery_ratio", 0.5},    {"e2e_latency_ms.count", 4},
                                                {"e2e_latency_ms.p50", 3.5}, {"list.0", 7},
                                                {"list.1", 8},               {"messages_sent", 10},
                                                {"network.deep.er", -2}};
    EXPECT_EQ(flat, want);
    EXPECT_FALSE(is_aggregated_figure("fingerprint"));
    EXPECT_FALSE(is_aggregated_figure("crypto.onion_requests_modelled"));
    EXPECT_TRUE(is_aggregated_figure("cryptography"));
    EXPECT_TRUE(is_aggregated_figure("e2e_latency_ms.p50"));
}

TEST(SweepAggregate, TIntervalOfTwoRunsByHand) {
    const std::vector<double> v = {-10.0, -6.0};  // may be negative: the plain t interval
    const auto f = t_figure(v, false);
    EXPECT_EQ(f.n, 2u);
    EXPECT_DOUBLE_EQ(f.mean, -8.0);
    ASSERT_TRUE(f.sd && f.lo && f.hi);
    EXPECT_NEAR(*f.sd, 2.0 * std::sqrt(2.0), 1e-12);  // |a - b| / sqrt 2
    // half width = t(0.975, 1) sd / sqrt 2 = t(0.975, 1) |a - b| / 2
    EXPECT_NEAR(*f.lo, -8.0 - 2.0 * T_975_DF1, 1e-9);
    EXPECT_NEAR(*f.hi, -8.0 + 2.0 * T_975_DF1, 1e-9);
    EXPECT_EQ(f.method, "t");
}

TEST(SweepAggregate, TIntervalOfFiveRunsByHand) {
    const std::vector<double> v = {3.0, 1.0, 5.0, 2.0, 4.0};
    const auto f = t_figure(v, false);
    EXPECT_EQ(f.n, 5u);
    EXPECT_DOUBLE_EQ(f.mean, 3.0);
    ASSERT_TRUE(f.sd && f.lo && f.hi);
    EXPECT_NEAR(*f.sd, std::sqrt(2.5), 1e-12);  // sum of squares 10, over n - 1 = 4
    const double half = T_975_DF4 * std::sqrt(2.5) / std::sqrt(5.0);  // 1.9632431614775607
    EXPECT_NEAR(half, 1.9632431614775607, 1e-12);
    EXPECT_NEAR(*f.lo, 3.0 - half, 1e-9);
    EXPECT_NEAR(*f.hi, 3.0 + half, 1e-9);
}

TEST(SweepAggregate, ProportionsAreClampedAndOneRunHasNoInterval) {
    const std::vector<double> v = {0.9, 1.0};
    const auto f = t_figure(v, true);
    EXPECT_EQ(f.method, "t_clamped");
    ASSERT_TRUE(f.lo && f.hi);
    EXPECT_NEAR(*f.lo, 0.95 - 0.05 * T_975_DF1, 1e-9);  // 0.3146897631912646
    EXPECT_DOUBLE_EQ(*f.hi, 1.0);                       // 0.95 + 0.635 clamped
    const std::vector<double> one = {7.5};
    const auto g = t_figure(one, false);
    EXPECT_EQ(g.n, 1u);
    EXPECT_DOUBLE_EQ(g.mean, 7.5);
    EXPECT_EQ(g.method, "none");
    EXPECT_FALSE(g.sd || g.lo || g.hi);
    EXPECT_THROW(t_figure(std::vector<double>{}, false), std::invalid_argument);
}

TEST(SweepAggregate, NonNegativeFiguresAreCutAtZeroOthersAreNot) {
    const std::vector<double> counts = {1.0, 9.0};  // mean 5, t interval 5 +- 4 * 12.706
    const auto c = t_figure(counts, false);
    EXPECT_EQ(c.method, "t_non_negative");
    ASSERT_TRUE(c.lo && c.hi);
    EXPECT_DOUBLE_EQ(*c.lo, 0.0);
    EXPECT_NEAR(*c.hi, 5.0 + 4.0 * T_975_DF1, 1e-9);
    const std::vector<double> signed_values = {-1.0, 9.0};  // may be negative: the plain interval
    const auto s = t_figure(signed_values, false);
    EXPECT_EQ(s.method, "t");
    EXPECT_NEAR(*s.lo, 4.0 - 5.0 * T_975_DF1, 1e-9);
    const std::vector<double> tight = {100.0, 101.0};  // above 0 anyway: plain t
    EXPECT_EQ(t_figure(tight, false).method, "t");
}

TEST(SweepAggregate, ProportionsAreKnownByTheirNames) {
    for (const char* name : {"delivery_ratio", "onion_failure_rate", "replication_coverage", "storage_dead_share",
                             "compromised.correlation.top1_accuracy", "link_observer.timing.deanonymised_share",
                             "spam.victim_delivery_ratio"}) {
        EXPECT_TRUE(is_proportion_figure(name)) << name;
    }
    for (const char* name : {"messages_sent", "spam.pow.hash_rate", "link_observer.timing.mean_entropy_bits",
                             "e2e_latency_ms.p50", "share", "rate_limited"}) {
        EXPECT_FALSE(is_proportion_figure(name)) << name;
    }
}

TEST(SweepAggregate, PooledWilsonByHand) {
    // 90 of 100 and 95 of 100: 185 of 200, p = 0.925, z = Phi^-1(0.975).
    const double p = 0.925, n = 200, z = Z_975;
    const double centre = p + z * z / (2 * n);
    const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    const double lo = (centre - half) / (1 + z * z / n), hi = (centre + half) / (1 + z * z / n);
    EXPECT_NEAR(lo, 0.8799563897637055, 1e-12);
    EXPECT_NEAR(hi, 0.954025082815618, 1e-12);

    const std::vector<RunRecord> runs = {ok_run(1, summary(100, 90, 997, 3, 10.0)),
                                         ok_run(2, summary(100, 95, 1996, 4, 20.0))};
    const auto figures = aggregate_point(runs);
    const auto& d = figures.at("delivery_ratio.pooled");
    EXPECT_EQ(d.method, "wilson_pooled");
    EXPECT_EQ(d.n, 2u);
    EXPECT_EQ(*d.successes, 185u);
    EXPECT_EQ(*d.trials, 200u);
    EXPECT_DOUBLE_EQ(d.mean, 0.925);
    EXPECT_NEAR(*d.lo, lo, 1e-12);
    EXPECT_NEAR(*d.hi, hi, 1e-12);
    EXPECT_FALSE(d.sd);

    // Onion failures derived from the rate: 3 of 1000 and 4 of 2000, pooled 7 of 3000.
    const auto& o = figures.at("onion_failure_rate.pooled");
    EXPECT_EQ(*o.successes, 7u);
    EXPECT_EQ(*o.trials, 3000u);
    EXPECT_NEAR(*o.lo, 0.0011307320906370833, 1e-12);
    EXPECT_NEAR(*o.hi, 0.004808815340637359, 1e-12);

    // The per-run proportions: t over the runs, clamped.
    const auto& r = figures.at("delivery_ratio");
    EXPECT_EQ(r.method, "t_clamped");
    EXPECT_DOUBLE_EQ(r.mean, 0.925);
    EXPECT_EQ(figures.at("replication_coverage").method, "t_clamped");
    EXPECT_DOUBLE_EQ(*figures.at("replication_coverage").hi, 1.0);
    EXPECT_DOUBLE_EQ(figures.at("e2e_latency_ms.p50").mean, 15.0);
    EXPECT_EQ(figures.count("fingerprint"), 0u);
    EXPECT_EQ(figures.count("crypto.onion_requests_real"), 0u);
    EXPECT_EQ(figures.count("crypto.fraction"), 0u);
}

TEST(SweepAggregate, OnionFailuresAreDerivedOnlyWhenExact) {
    EXPECT_EQ(derive_onion_failures(summary(1, 1, 997, 3, 1.0)), std::optional<std::uint64_t>(3));
    EXPECT_EQ(derive_onion_failures(summary(1, 1, 1234567, 89, 1.0)), std::optional<std::uint64_t>(89));
    EXPECT_EQ(derive_onion_failures(summary(1, 1, 50, 0, 1.0)), std::optional<std::uint64_t>(0));
    EXPECT_EQ(derive_onion_failures(summary(1, 1, 0, 0, 1.0)), std::optional<std::uint64_t>(0));
    // No round trips and only failures: rate 1, any count fits.
    EXPECT_EQ(derive_onion_failures(summary(1, 1, 0, 5, 1.0)), std::nullopt);
    json s = summary(1, 1, 10, 1, 1.0);
    s["onion_failure_rate"] = 0.123456;  // no whole count over 10 round trips gives it
    EXPECT_EQ(derive_onion_failures(s), std::nullopt);
    s.erase("onion_failure_rate");
    EXPECT_EQ(derive_onion_failures(s), std::nullopt);
    EXPECT_EQ(derive_onion_failures(json("not a summary")), std::nullopt);
    // One run whose failures cannot be derived: no pooled onion figure for the point.
    json broken = summary(10, 9, 0, 5, 1.0);
    const auto figures = aggregate_point({ok_run(1, summary(10, 9, 100, 1, 1.0)), ok_run(2, broken)});
    EXPECT_EQ(figures.count("onion_failure_rate.pooled"), 0u);
    EXPECT_EQ(figures.count("delivery_ratio.pooled"), 1u);
}

TEST(SweepAggregate, FailedRunsAreLeftOutAndOrderDoesNotMatter) {
    std::vector<RunRecord> runs;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const double p50 = 0.1 * static_cast<double>(seed * seed);
        runs.push_back(ok_run(seed, summary(10 * seed, 9 * seed, 100 * seed, seed, p50)));
    }
    RunRecord failed;
    failed.seed = 6;
    failed.dir = "runs/p0-seed6";
    failed.status = "failed: exit 1";
    runs.push_back(failed);

    std::vector<PointResult> in_order(1), shuffled(1);
    in_order[0].parameters = {{"workload.rate_per_user_per_hour", "10"}};
    in_order[0].runs = runs;
    in_order[0].figures = aggregate_point(runs);
    std::vector<RunRecord> other = {runs[3], runs[5], runs[0], runs[4], runs[2], runs[1]};
    shuffled[0].parameters = in_order[0].parameters;
    shuffled[0].runs = other;
    shuffled[0].figures = aggregate_point(other);

    EXPECT_EQ(in_order[0].figures.at("messages_sent").n, 5u);
    EXPECT_DOUBLE_EQ(in_order[0].figures.at("messages_sent").mean, 30.0);
    SweepHeader header;
    header.scenario = "s";
    header.file = "s.yaml";
    header.grid = {{"workload.rate_per_user_per_hour", {"10"}}};
    header.seeds = {1, 2, 3, 4, 5, 6};
    const std::string a = sweep_json(header, in_order).dump(2);
    const std::string b = sweep_json(header, shuffled).dump(2);
    EXPECT_EQ(a, b);
    EXPECT_EQ(sweep_csv(header.grid, in_order), sweep_csv(header.grid, shuffled));
    const json j = json::parse(a);
    ASSERT_EQ(j["failed_runs"].size(), 1u);
    EXPECT_EQ(j["failed_runs"][0]["dir"], "runs/p0-seed6");
    EXPECT_EQ(j["failed_runs"][0]["log"], "runs/p0-seed6/run.log");
    EXPECT_EQ(j["points"][0]["runs"][5]["status"], "failed: exit 1");
    EXPECT_EQ(j["points"][0]["runs"][0]["seed"], 1);
    EXPECT_TRUE(j["points"][0]["figures"]["e2e_latency_ms.p50"]["sd"].is_number());
}

TEST(SweepAggregate, CsvRowsArePointThenFigure) {
    std::vector<GridAxis> grid = {{"a", {"1", "{x: 1, y: 2}"}}, {"b", {"p"}}};
    std::vector<PointResult> points(2);
    points[0].parameters = {{"a", "1"}, {"b", "p"}};
    points[1].parameters = {{"a", "{x: 1, y: 2}"}, {"b", "p"}};
    const std::vector<double> v = {-14.0, -10.0};
    for (auto& p : points) {
        p.figures.emplace("zeta", t_figure(v, false));
        p.figures.emplace("alpha", t_figure(std::vector<double>{2.5}, false));
    }
    const std::string csv = sweep_csv(grid, points);
    const auto& zeta = points[0].figures.at("zeta");
    const std::string bounds = format_number(*zeta.lo) + "," + format_number(*zeta.hi);
    const std::string want = "point,a,b,figure,n,mean,lo,hi,method\n"
                             "0,1,p,alpha,1,2.5,,,none\n"
                             "0,1,p,zeta,2,-12," + bounds + ",t\n"
                             "1,\"{x: 1, y: 2}\",p,alpha,1,2.5,,,none\n"
                             "1,\"{x: 1, y: 2}\",p,zeta,2,-12," + bounds + ",t\n";
    EXPECT_EQ(csv, want);
    EXPECT_NEAR(std::stod(format_number(*zeta.lo)), -12.0 - 2.0 * T_975_DF1, 1e-9);  // reads back
    EXPECT_EQ(format_number(12.0), "12");
    EXPECT_EQ(format_number(0.925), "0.925");
    EXPECT_EQ(format_number(1e-7), "1e-07");
}

TEST(SweepAggregate, GridIsACartesianProductFirstAxisSlowest) {
    const std::vector<GridAxis> axes = {parse_grid_option("a=1,2"), parse_grid_option("b=x,y,z")};
    const auto points = expand_grid(axes);
    ASSERT_EQ(points.size(), 6u);
    EXPECT_EQ(points[0], (GridPoint{{"a", "1"}, {"b", "x"}}));
    EXPECT_EQ(points[1], (GridPoint{{"a", "1"}, {"b", "y"}}));
    EXPECT_EQ(points[3], (GridPoint{{"a", "2"}, {"b", "x"}}));
    EXPECT_EQ(points[5], (GridPoint{{"a", "2"}, {"b", "z"}}));
    EXPECT_EQ(expand_grid({}).size(), 1u);
    EXPECT_EQ(point_label(3, 4), "p3");
    EXPECT_EQ(point_label(3, 12), "p03");
    EXPECT_EQ(point_label(11, 12), "p11");
    EXPECT_EQ(point_label(0, 1), "p0");
    EXPECT_EQ(point_label(7, 101), "p007");
}

TEST(SweepAggregate, GridOptionParsing) {
    const auto axis = parse_grid_option("workload.rate_per_user_per_hour=2,4.5,8");
    EXPECT_EQ(axis.key, "workload.rate_per_user_per_hour");
    EXPECT_EQ(axis.values, (std::vector<std::string>{"2", "4.5", "8"}));
    const auto flow = parse_grid_option("crypto={mode: real},{mode: sampled, fraction: 0.1}");
    EXPECT_EQ(flow.values, (std::vector<std::string>{"{mode: real}", "{mode: sampled, fraction: 0.1}"}));
    const auto quoted = parse_grid_option("description='a, b',\"c,d\",[1, 2]");
    EXPECT_EQ(quoted.values, (std::vector<std::string>{"'a, b'", "\"c,d\"", "[1, 2]"}));
    for (const char* bad : {"no-equals", "=1,2", "a=", "a=1,,2", "a=1, ,2", "a=1,1", "a={x: 1", "a=1]", "a='x",
                            "seed=1,2"}) {
        EXPECT_THROW(parse_grid_option(bad), std::invalid_argument) << bad;
    }
}

}  // namespace
}  // namespace sessionsim::app
