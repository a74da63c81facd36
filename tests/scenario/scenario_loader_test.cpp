// The scenario loader: shipped scenarios load, broken files report every problem with its exact
// position and message, overrides apply and their problems name the override.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario_hash.hpp"
#include "sim/scenario/yaml_loader.hpp"
#include "tests/support/scenario_problems.hpp"

namespace sessionsim::scenario {
namespace {

const std::string WORLD_REGIONS =
    "na-east, na-west, sa-east, eu-west, eu-central, eu-east, af-south, ap-south, ap-southeast, ap-northeast, "
    "oceania";

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// The formatted problems of loading tests/scenario/bad/<name> (shown as "bad/<name>").
std::vector<std::string> problems_of_bad(const std::string& name, const std::vector<std::string>& overrides = {}) {
    const std::string text = read(std::string(SCENARIO_TEST_DIR) + "/bad/" + name);
    EXPECT_FALSE(text.empty()) << name;
    auto problems = test_support::problems_of_text(text, overrides, "bad/" + name);
    if (problems.empty()) ADD_FAILURE() << name << " loaded without problems";
    return problems;
}

using test_support::problems_of_text;

const std::string MINIMAL = "name: t\nduration: 1min\nservice_nodes: {count: 10}\nclients: {count: 5}\n";

using Lines = std::vector<std::string>;

// ----- grammars -----

TEST(ScenarioGrammar, Durations) {
    EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
    EXPECT_EQ(parse_duration("10min"), minutes(10));
    EXPECT_EQ(parse_duration("1.5h"), minutes(90));
    EXPECT_EQ(parse_duration("14d"), hours(14 * 24));
    EXPECT_EQ(parse_duration("3us"), microseconds(3));
    EXPECT_EQ(parse_duration("7ns"), nanoseconds(7));
    EXPECT_EQ(parse_duration("0.1s"), milliseconds(100));
    for (const char* bad : {"10", "10 min", "-5s", "1.s", ".5s", "5sec", "5S", "", "1e3s", "300000d"}) {
        EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
    }
}

TEST(ScenarioGrammar, Bandwidths) {
    EXPECT_EQ(parse_bandwidth_bps("100Mbps"), 100e6);
    EXPECT_EQ(parse_bandwidth_bps("512kbps"), 512e3);
    EXPECT_EQ(parse_bandwidth_bps("1.5Gbps"), 1.5e9);
    EXPECT_EQ(parse_bandwidth_bps("300bps"), 300.0);
    EXPECT_EQ(parse_bandwidth_bps("10MB/s"), 80e6);
    EXPECT_EQ(parse_bandwidth_bps("2kB/s"), 16e3);
    EXPECT_EQ(parse_bandwidth_bps("unlimited"), 0.0);
    for (const char* bad : {"100Mbit", "100", "100 Mbps", "100mbps", "10Mb/s", "-1Mbps", "fast"}) {
        EXPECT_FALSE(parse_bandwidth_bps(bad).has_value()) << bad;
    }
}

TEST(ScenarioGrammar, UtcTimestamps) {
    EXPECT_EQ(parse_utc_timestamp_ms("2026-01-01T00:00:00Z"), 1'767'225'600'000);
    EXPECT_EQ(parse_utc_timestamp_ms("1970-01-01T00:00:01Z"), 1000);
    EXPECT_EQ(parse_utc_timestamp_ms("2024-02-29T12:00:00Z"), 1'709'208'000'000);
    EXPECT_FALSE(parse_utc_timestamp_ms("2025-02-29T12:00:00Z").has_value());
    EXPECT_FALSE(parse_utc_timestamp_ms("2026-01-01 00:00:00").has_value());
}

TEST(ScenarioGrammar, DidYouMean) {
    EXPECT_EQ(edit_distance("nmae", "name"), 1u);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(did_you_mean("nmae", {"name", "seed"}), "name");
    EXPECT_EQ(did_you_mean("rate_per_user_per_hr", {"rate_per_user_per_hour", "ttl"}), "rate_per_user_per_hour");
    EXPECT_EQ(did_you_mean("zzzz", {"name", "seed"}), "");
}

TEST(ScenarioGrammar, FormatDuration) {
    EXPECT_EQ(format_duration(minutes(10)), "10min");
    EXPECT_EQ(format_duration(minutes(90)), "1.5h");
    EXPECT_EQ(format_duration(milliseconds(250)), "250ms");
    EXPECT_EQ(format_duration(SimDuration::zero()), "0s");
}

TEST(ScenarioHash, StableAndSensitiveToOverrides) {
    EXPECT_EQ(scenario_hash(""), "fnv1a64:cbf29ce484222325");
    EXPECT_EQ(scenario_hash("a"), "fnv1a64:af63dc4c8601ec8c");  // FNV-1a 64 reference value
    EXPECT_NE(scenario_hash("seed: 1\n"), scenario_hash("seed: 1\n", {"seed=2"}));
    EXPECT_NE(scenario_hash("x", {"a=1", "b=2"}), scenario_hash("x", {"a=1b=2"}));
    EXPECT_EQ(scenario_hash("x", {"a=1"}), scenario_hash("x", {"a=1"}));
}

// ----- shipped scenarios -----

TEST(ShippedScenarios, QuickstartLoads) {
    const ScenarioSpec s = load_scenario(std::string(SCENARIOS_DIR) + "/quickstart.yaml");
    EXPECT_EQ(s.name, "quickstart");
    EXPECT_EQ(s.seed, 1u);
    EXPECT_EQ(s.duration, minutes(10));
    EXPECT_EQ(s.epoch_unix_ms, 1'767'225'600'000);
    EXPECT_TRUE(s.topology.builtin_world);
    EXPECT_EQ(s.service_nodes.count, 100u);
    ASSERT_FALSE(s.service_nodes.regions.all);
    ASSERT_EQ(s.service_nodes.regions.weights.size(), 5u);
    EXPECT_EQ(s.service_nodes.regions.weights[0], (std::pair<std::string, double>{"eu-central", 4}));
    EXPECT_EQ(s.service_nodes.link.up_bps, 1e9);
    EXPECT_EQ(s.service_nodes.link.access_delay, milliseconds(1));
    EXPECT_EQ(s.service_nodes.link.jitter.kind, Distribution::Kind::exponential);
    EXPECT_DOUBLE_EQ(s.service_nodes.link.jitter.a, 0.5);
    EXPECT_EQ(s.clients.count, 500u);
    EXPECT_TRUE(s.clients.regions.all);
    EXPECT_EQ(s.clients.link.down_bps, 50e6);
    EXPECT_DOUBLE_EQ(s.clients.link.loss, 0.001);
    // `profile: desktop` is the alias of desktop-2024-12.
    EXPECT_EQ(s.clients.profiles, (std::vector<ProfileShare>{{"desktop-2024-12", 1.0}}));
    EXPECT_EQ(s.clients.paths, std::nullopt);          // each profile's own
    EXPECT_EQ(s.clients.poll_interval, std::nullopt);
    EXPECT_TRUE(s.clients.sessions.always_online);
    EXPECT_EQ(s.workload.activity.kind, Distribution::Kind::zipf);
    EXPECT_DOUBLE_EQ(s.workload.rate_per_user_per_hour, 4);
    EXPECT_EQ(s.workload.message_size_bytes.kind, Distribution::Kind::lognormal);
    EXPECT_EQ(s.workload.ttl, hours(14 * 24));
    EXPECT_EQ(s.crypto.mode, CryptoMode::real);
    EXPECT_EQ(s.outputs.dir, "out");
    EXPECT_TRUE(s.outputs.csv);
    EXPECT_FALSE(s.outputs.report);
    EXPECT_EQ(s.source_hash, scenario_hash(read(std::string(SCENARIOS_DIR) + "/quickstart.yaml")));
}

TEST(ShippedScenarios, MainnetLoads) {
    const ScenarioSpec s = load_scenario(std::string(SCENARIOS_DIR) + "/mainnet.yaml");
    EXPECT_EQ(s.service_nodes.count, 2000u);
    EXPECT_EQ(s.clients.count, 10000u);
    EXPECT_EQ(s.duration, hours(1));
    EXPECT_EQ(s.crypto.mode, CryptoMode::sampled);
    EXPECT_DOUBLE_EQ(s.crypto.fraction, 0.05);
    EXPECT_EQ(s.labels, std::vector<std::string>{"slow"});  // out of the determinism tests
    EXPECT_FALSE(s.clients.sessions.always_online);
    EXPECT_EQ(s.clients.sessions.offline.kind, Distribution::Kind::exponential);
    EXPECT_DOUBLE_EQ(s.clients.sessions.offline.a, 40 * 60 * 1000.0);
    // Clients come up over the first half hour, not in one instant.
    ASSERT_TRUE(s.clients.arrival.has_value());
    EXPECT_EQ(s.clients.arrival->kind, Distribution::Kind::uniform);
    EXPECT_DOUBLE_EQ(s.clients.arrival->b, 30 * 60 * 1000.0);
}

TEST(ScenarioLoader, ArrivalIsADurationDistributionNamedInItsErrors) {
    const ScenarioSpec none = load_scenario_text(MINIMAL, "t.yaml");
    EXPECT_FALSE(none.clients.arrival.has_value());  // the first 10 s, as before
    const auto with = [](const std::string& arrival) {
        return std::string("name: x\nduration: 1min\nservice_nodes: {count: 5}\nclients: {count: 2, arrival: ") +
               arrival + "}\n";
    };
    const ScenarioSpec ramp = load_scenario_text(with("{dist: exponential, mean: 5min}"), "t.yaml");
    ASSERT_TRUE(ramp.clients.arrival.has_value());
    EXPECT_EQ(ramp.clients.arrival->kind, Distribution::Kind::exponential);
    EXPECT_DOUBLE_EQ(ramp.clients.arrival->a, 5 * 60 * 1000.0);
    try {
        load_scenario_text(with("{dist: uniform, min: 10min, max: 1min}"), "t.yaml");
        FAIL() << "a uniform with min > max was accepted";
    } catch (const ScenarioErrors& e) {
        ASSERT_EQ(e.problems().size(), 1u);
        const std::string text = e.problems()[0].format();
        EXPECT_NE(text.find("t.yaml:4:"), std::string::npos) << text;
        EXPECT_NE(text.find("clients.arrival"), std::string::npos) << text;
    }
}

TEST(ShippedScenarios, ReadmeShowsTheQuickstartInFull) {
    const std::string readme = read(std::string(SCENARIOS_DIR) + "/README.md");
    const std::string quickstart = read(std::string(SCENARIOS_DIR) + "/quickstart.yaml");
    ASSERT_FALSE(quickstart.empty());
    EXPECT_NE(readme.find("```yaml\n" + quickstart + "```"), std::string::npos)
        << "scenarios/README.md must end with quickstart.yaml verbatim";
}

TEST(ShippedScenarios, MinimalFileGetsDefaults) {
    const ScenarioSpec s = load_scenario_text(MINIMAL, "t.yaml");
    EXPECT_EQ(s.seed, 1u);
    EXPECT_TRUE(s.service_nodes.regions.all);
    EXPECT_EQ(s.service_nodes.link.up_bps, 100e6);
    EXPECT_EQ(s.clients.link.up_bps, 20e6);
    EXPECT_EQ(s.crypto.mode, CryptoMode::real);
    EXPECT_EQ(s.workload.contacts.kind, Distribution::Kind::lognormal);
}

TEST(ShippedScenarios, MissingFileIsAProblem) {
    try {
        load_scenario("/nonexistent/x.yaml");
        FAIL();
    } catch (const ScenarioErrors& e) {
        ASSERT_EQ(e.problems().size(), 1u);
        EXPECT_EQ(e.problems()[0].format(),
                  "/nonexistent/x.yaml: expected a readable scenario file, got an error opening it");
    }
}

// ----- broken files: exact messages and positions -----

TEST(BadScenarios, SyntaxError) {
    EXPECT_EQ(problems_of_bad("syntax_error.yaml"),
              Lines{"bad/syntax_error.yaml:5:12: expected valid YAML, got a syntax error: illegal map value"});
}

TEST(BadScenarios, WrongType) {
    EXPECT_EQ(problems_of_bad("wrong_type.yaml"),
              (Lines{"bad/wrong_type.yaml:4:10: service_nodes.count: expected a whole number >= 1, got a list",
                     "bad/wrong_type.yaml:7:9: clients.link: expected a mapping, got 'fast'"}));
}

TEST(BadScenarios, UnknownKeyWithSuggestion) {
    EXPECT_EQ(problems_of_bad("unknown_key.yaml"),
              Lines{"bad/unknown_key.yaml:6:3: workload.rate_per_user_per_hr: unknown key (did you mean "
                    "'rate_per_user_per_hour'?)"});
}

TEST(BadScenarios, NegativeRate) {
    EXPECT_EQ(problems_of_bad("negative_rate.yaml"),
              Lines{"bad/negative_rate.yaml:6:27: workload.rate_per_user_per_hour: expected a number >= 0, got '-2'"});
}

TEST(BadScenarios, UnknownRegion) {
    EXPECT_EQ(problems_of_bad("unknown_region.yaml"),
              Lines{"bad/unknown_region.yaml:7:5: service_nodes.regions.eu-north: expected a region of the topology (" +
                    WORLD_REGIONS + "), got 'eu-north'"});
}

TEST(BadScenarios, MissingTopologyFile) {
    EXPECT_EQ(problems_of_bad("missing_topology.yaml"),
              Lines{"bad/missing_topology.yaml:3:11: topology: expected 'world' or the path of a GraphML file "
                    "(relative to the scenario), got 'topologies/nowhere.graphml' (no such file)"});
}

TEST(BadScenarios, BadUnits) {
    EXPECT_EQ(problems_of_bad("bad_unit.yaml"),
              (Lines{"bad/bad_unit.yaml:2:11: duration: expected a duration like 250ms, 10min or 1.5h (units ns us "
                     "ms s min h d), got '10 minutes'",
                     "bad/bad_unit.yaml:5:14: service_nodes.link.up: expected a bandwidth like 100Mbps, 512kbps or "
                     "10MB/s (units bps kbps Mbps Gbps B/s kB/s MB/s GB/s) or 'unlimited', got '100Mbit'"}));
}

TEST(BadScenarios, SeveralProblemsReportedTogether) {
    EXPECT_EQ(problems_of_bad("several_problems.yaml"),
              (Lines{
                  "bad/several_problems.yaml:2:1: nmae: unknown key (did you mean 'name'?)",
                  "bad/several_problems.yaml:2:1: name: missing required key; expected text",
                  "bad/several_problems.yaml:3:11: duration: expected a duration > 0, got '0s'",
                  "bad/several_problems.yaml:5:10: service_nodes.count: expected a whole number >= 1, got '0'",
                  "bad/several_problems.yaml:8:10: clients.paths: expected a whole number from 2 to 3, got '4'",
                  "bad/several_problems.yaml:9:12: clients.profile: expected a client profile (desktop-2024-12, "
                  "desktop-2026-04, android-2026-04, desktop, android), got 'iphone'",
                  "bad/several_problems.yaml:10:35: crypto.fraction: expected a number in [0, 1], got '1.5'",
                  "bad/several_problems.yaml:12:5: adversaries[0].type: missing required key; expected an adversary "
                  "type (churn, spam, compromised_nodes, link_observer)",
              }));
}

const std::string NO_CLIENTS = "name: t\nduration: 1min\nservice_nodes: {count: 10}\n";

TEST(ScenarioLoader, ClientProfilesByNameAndAsAMix) {
    const ScenarioSpec one = load_scenario_text(NO_CLIENTS + "clients: {count: 10, profile: android-2026-04}\n", "p.yaml");
    EXPECT_EQ(one.clients.profiles, (std::vector<ProfileShare>{{"android-2026-04", 1.0}}));
    const ScenarioSpec mix = load_scenario_text(
        NO_CLIENTS + "clients: {count: 10, profiles: {desktop-2026-04: 0.6, android: 0.4}, poll_interval: 7s, paths: 3}\n",
        "p.yaml");
    EXPECT_EQ(mix.clients.profiles, (std::vector<ProfileShare>{{"desktop-2026-04", 0.6}, {"android-2026-04", 0.4}}));
    EXPECT_EQ(mix.clients.poll_interval, seconds(7));
    EXPECT_EQ(mix.clients.paths, 3);
}

TEST(BadScenarios, ClientProfiles) {
    auto problems = [](const std::string& clients) {
        std::string all;
        for (const auto& p : problems_of_text(NO_CLIENTS + "clients: " + clients + "\n", {}, "p.yaml")) all += p + "\n";
        return all;
    };
    EXPECT_NE(problems("{count: 1, profile: desktop-2026-4}").find("(did you mean 'desktop-2026-04'?)"), std::string::npos);
    EXPECT_NE(problems("{count: 1, profile: desktop, profiles: {android: 1}}").find("either 'profile' or 'profiles'"),
              std::string::npos);
    EXPECT_NE(problems("{count: 1, profiles: {android: 1, android-2026-04: 1}}").find("each profile once"),
              std::string::npos);
    EXPECT_NE(problems("{count: 1, profiles: {android: 0}}").find("at least one profile with a share > 0"),
              std::string::npos);
    EXPECT_NE(problems("{count: 1, profiles: [android]}").find("a mapping of client profile name to share"),
              std::string::npos);
}

TEST(BadScenarios, Distributions) {
    const std::string text = MINIMAL +
                             "workload:\n"
                             "  contacts: {dist: zipf, s: -1}\n"
                             "  activity: {dist: pareto, min: 1}\n"
                             "  message_size_bytes: {dist: normall, mean: 3}\n"
                             "service_nodes2: 1\n";
    EXPECT_EQ(problems_of_text(text),
              (Lines{"t.yaml:6:13: workload.contacts: invalid distribution: zipf needs an exponent s >= 0 and a whole "
                     "n >= 0",
                     "t.yaml:7:13: workload.activity.shape: missing required key; expected a number",
                     "t.yaml:8:30: workload.message_size_bytes.dist: expected one of constant, uniform, exponential, "
                     "normal, lognormal, weibull, pareto, zipf, got 'normall' (did you mean 'normal'?)",
                     "t.yaml:9:1: service_nodes2: unknown key (did you mean 'service_nodes'?)"}));
}

TEST(BadScenarios, DistributionsAndSessions) {
    const std::string text =
        "name: t\nduration: 1min\nservice_nodes:\n  count: 10\n"
        "  link: {jitter: {dist: uniform, min: 5ms, max: 2ms}, loss: 1.5}\n"
        "clients:\n  count: 5\n  sessions: {online: 0s}\n";
    EXPECT_EQ(problems_of_text(text),
              (Lines{"t.yaml:5:18: service_nodes.link.jitter: invalid distribution: uniform delay needs 0 <= min <= max",
                     "t.yaml:5:61: service_nodes.link.loss: expected a number in [0, 1], got '1.5'",
                     "t.yaml:8:13: clients.sessions.offline: missing required key; expected a duration distribution",
                     "t.yaml:8:22: clients.sessions.online: expected a period distribution with a mean > 0, got '0s'"}));
}

TEST(BadScenarios, DuplicateKeyAndEmptyFile) {
    EXPECT_EQ(problems_of_text(MINIMAL + "seed: 1\nseed: 2\n"), Lines{"t.yaml:6:1: seed: duplicate key"});
    EXPECT_EQ(problems_of_text(""),
              (Lines{"t.yaml: name: missing required key; expected text",
                     "t.yaml: duration: missing required key; expected a duration like 250ms, 10min or 1.5h (units ns "
                     "us ms s min h d)",
                     "t.yaml: service_nodes: missing required key; expected a mapping with at least 'count'",
                     "t.yaml: clients: missing required key; expected a mapping with at least 'count'"}));
    EXPECT_EQ(problems_of_text("- a\n- b\n"),
              Lines{"t.yaml:1:1: expected a mapping of scenario keys (name, duration, service_nodes, ...), got a list"});
}

TEST(BadScenarios, CryptoFractionNeedsSampledMode) {
    EXPECT_EQ(problems_of_text(MINIMAL + "crypto: {fraction: 0.5}\n"),
              Lines{"t.yaml:5:20: crypto.fraction: expected no fraction with mode real (fraction applies to mode "
                    "sampled), got '0.5'"});
}

TEST(BadScenarios, LabelsAreAListOfWords) {
    EXPECT_EQ(load_scenario_text(MINIMAL + "labels: [slow, churn-2]\n", "t.yaml").labels,
              (std::vector<std::string>{"slow", "churn-2"}));
    EXPECT_EQ(problems_of_text(MINIMAL + "labels: slow\n"),
              Lines{"t.yaml:5:9: labels: expected a list of lower-case words like [slow], got 'slow'"});
    EXPECT_EQ(problems_of_text(MINIMAL + "labels: [Slow, {a: 1}]\n"),
              (Lines{"t.yaml:5:10: labels[0]: expected a lower-case word (a-z, 0-9, '-', '_'), got 'Slow'",
                     "t.yaml:5:16: labels[1]: expected a list of lower-case words like [slow], got a mapping"}));
}

// ----- overrides -----

TEST(Overrides, ApplyBeforeValidation) {
    const ScenarioSpec s = load_scenario_text(
        MINIMAL + "workload: {rate_per_user_per_hour: -1}\n", "t.yaml",
        {"workload.rate_per_user_per_hour=4", "crypto.mode=sampled", "crypto.fraction=0.25", "seed=99",
         "clients.regions.eu-west=2", "service_nodes.link={up: 1Gbps}", "duration=1.5h"});
    EXPECT_DOUBLE_EQ(s.workload.rate_per_user_per_hour, 4);
    EXPECT_EQ(s.crypto.mode, CryptoMode::sampled);
    EXPECT_DOUBLE_EQ(s.crypto.fraction, 0.25);
    EXPECT_EQ(s.seed, 99u);
    ASSERT_FALSE(s.clients.regions.all);
    EXPECT_EQ(s.clients.regions.weights, (std::vector<std::pair<std::string, double>>{{"eu-west", 2}}));
    EXPECT_EQ(s.service_nodes.link.up_bps, 1e9);
    EXPECT_EQ(s.duration, minutes(90));
    EXPECT_EQ(s.overrides.size(), 7u);
    EXPECT_NE(s.source_hash, scenario_hash(MINIMAL + "workload: {rate_per_user_per_hour: -1}\n"));
}

TEST(Overrides, ShippedScenarioWithOverride) {
    const ScenarioSpec s =
        load_scenario(std::string(SCENARIOS_DIR) + "/quickstart.yaml", {"workload.rate_per_user_per_hour=4"});
    EXPECT_DOUBLE_EQ(s.workload.rate_per_user_per_hour, 4);
}

TEST(Overrides, ProblemsNameTheOverride) {
    EXPECT_EQ(problems_of_text(MINIMAL, {"workload.rate_per_user_per_hour=-4", "workload.rat=3", "crypto.mod=x",
                                         "seed.x=1", "foo", "clients.regions.eu-wst=2", "clients.paths=4",
                                         "name=[a", "crypto={mode: sampled, fraction: 2}"}),
              (Lines{
                  "--set workload.rate_per_user_per_hour=-4: workload.rate_per_user_per_hour: expected a number >= 0, "
                  "got '-4'",
                  "--set workload.rat=3: workload.rat: unknown key 'rat' (did you mean 'rate_per_user_per_hour'?)",
                  "--set crypto.mod=x: crypto.mod: unknown key 'mod' (did you mean 'mode'?)",
                  "--set seed.x=1: seed.x: unknown key; 'seed' takes a value, not keys",
                  "--set foo: expected key.path=value, got 'foo'",
                  "--set clients.regions.eu-wst=2: clients.regions.eu-wst: expected a region of the topology (" +
                      WORLD_REGIONS + "), got 'eu-wst' (did you mean 'eu-west'?)",
                  "--set clients.paths=4: clients.paths: expected a whole number from 2 to 3, got '4'",
                  "--set name=[a: name: expected a YAML value after '=', got '[a' (end of sequence flow not found)",
                  "--set crypto={mode: sampled, fraction: 2}: crypto.fraction: expected a number in [0, 1], got '2'",
              }));
}

TEST(Overrides, FixAFileProblem) {
    // A bad file value replaced by an override is not reported.
    const std::string text = read(std::string(SCENARIO_TEST_DIR) + "/bad/negative_rate.yaml");
    const ScenarioSpec s = load_scenario_text(text, "bad/negative_rate.yaml", {"workload.rate_per_user_per_hour=2"});
    EXPECT_DOUBLE_EQ(s.workload.rate_per_user_per_hour, 2);
}

TEST(Adversaries, EmptyListAccepted) {
    EXPECT_TRUE(problems_of_text(MINIMAL + "adversaries: []\n").empty());
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: {churn: 1}\n"),
              Lines{"t.yaml:5:14: adversaries: expected a list of adversaries ({type: churn, ...}, {type: spam, ...}), "
                    "got a mapping"});
}

TEST(Adversaries, ChurnIsReadWithItsDefaults) {
    const auto s = load_scenario_text(
        MINIMAL + "adversaries:\n  - type: churn\n    session: {dist: weibull, shape: 0.5, scale: 6h}\n"
                  "    downtime: none\n    joins_per_hour: 2\n    credit: {initial: 3h}\n",
        "t.yaml");
    ASSERT_TRUE(first_adversary<adversary::ChurnConfig>(s) != nullptr);
    EXPECT_EQ(first_adversary<adversary::ChurnConfig>(s)->session.kind, Distribution::Kind::weibull);
    EXPECT_DOUBLE_EQ(first_adversary<adversary::ChurnConfig>(s)->session.a, 0.5);
    EXPECT_DOUBLE_EQ(first_adversary<adversary::ChurnConfig>(s)->session.b, 6 * 3600'000.0);
    EXPECT_EQ(first_adversary<adversary::ChurnConfig>(s)->downtime.kind, Distribution::Kind::none);
    EXPECT_EQ(first_adversary<adversary::ChurnConfig>(s)->detection, minutes(65));  // spec §1.5
    EXPECT_DOUBLE_EQ(first_adversary<adversary::ChurnConfig>(s)->joins_per_hour, 2);
    EXPECT_EQ(first_adversary<adversary::ChurnConfig>(s)->credit.initial, hours(3));
    EXPECT_EQ(first_adversary<adversary::ChurnConfig>(s)->credit.cap, hours(48));
    EXPECT_FALSE(first_adversary<adversary::ChurnConfig>(load_scenario_text(MINIMAL, "t.yaml")) != nullptr);
}

TEST(Adversaries, SpamIsReadWithItsDefencesAndProofOfWork) {
    const auto s = load_scenario_text(
        MINIMAL + "adversaries:\n  - type: spam\n    flooders: 4\n    rate_per_second: 50\n    target: {nodes: 2}\n"
                  "    proof_of_work: {difficulty: 10, hash_rate: 1e6}\n    defences: {token_bucket: false, "
                  "storage_cap_bytes: 1000000}\n",
        "t.yaml");
    ASSERT_TRUE(first_adversary<adversary::SpamConfig>(s) != nullptr);
    EXPECT_EQ(first_adversary<adversary::SpamConfig>(s)->flooders, 4u);
    EXPECT_DOUBLE_EQ(first_adversary<adversary::SpamConfig>(s)->rate_per_second, 50);
    EXPECT_EQ(first_adversary<adversary::SpamConfig>(s)->target, adversary::SpamConfig::TargetKind::nodes);
    EXPECT_EQ(first_adversary<adversary::SpamConfig>(s)->target_count, 2u);
    ASSERT_TRUE(first_adversary<adversary::SpamConfig>(s)->pow.has_value());
    EXPECT_DOUBLE_EQ(first_adversary<adversary::SpamConfig>(s)->pow->hash_rate, 1e6);
    EXPECT_FALSE(first_adversary<adversary::SpamConfig>(s)->token_bucket);
    EXPECT_EQ(first_adversary<adversary::SpamConfig>(s)->storage_cap_bytes, 1'000'000u);
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: spam, target: {users: 1, nodes: 2}}]\n"),
              Lines{"t.yaml:5:36: adversaries[0].target: expected a mapping with one of users, swarms, nodes and a "
                    "count, like {users: 1}, got a mapping"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: spam, rate_per_second: 0}]\n"),
              Lines{"t.yaml:5:45: adversaries[0].rate_per_second: expected a number in (0, 1e+07], got '0'"});
}

TEST(Adversaries, BadEntriesAreNamed) {
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: chrun}]\n"),
              Lines{"t.yaml:5:22: adversaries[0].type: expected an adversary type (churn, spam, compromised_nodes, "
                    "link_observer), got 'chrun' (did you mean 'churn'?)"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: link_observer}]\n"),
              Lines{"t.yaml:5:15: adversaries[0]: expected at least one tap: regions, links or client_access_share > 0"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: link_observer, regions: [mars]}]\n"),
              Lines{"t.yaml:5:47: adversaries[0].regions[0]: expected a region of the topology (na-east, na-west, "
                    "sa-east, eu-west, eu-central, eu-east, af-south, ap-south, ap-southeast, ap-northeast, oceania), "
                    "got 'mars'"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: compromised_nodes, fraction: 0.1, count: 3}]\n"),
              Lines{"t.yaml:5:15: adversaries[0]: expected exactly one of fraction, count, region, stake, got 2"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: compromised_nodes, fraction: 1.5}]\n"),
              Lines{"t.yaml:5:51: adversaries[0].fraction: expected a number in [0, 1], got '1.5'"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: churn, session: 5}]\n"),
              Lines{"t.yaml:5:38: adversaries[0].session: expected 'none', a duration (a constant) or a mapping with "
                    "'dist' (constant, uniform, exponential, normal, lognormal, pareto, weibull), got '5'"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: churn, joins: 2}]\n"),
              Lines{"t.yaml:5:29: adversaries[0].joins: unknown key (did you mean 'joins_per_hour'?)"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: churn}, {type: churn}]\n"),
              Lines{"t.yaml:5:37: adversaries[1].type: expected at most one churn adversary (it drives every service "
                    "node's up and down periods), got a second one"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: churn, session: {dist: weibull, shape: 0, scale: 1h}}]\n"),
              Lines{"t.yaml:5:38: adversaries[0].session: invalid distribution: weibull delay needs a shape > 0 and a "
                    "scale > 0 ms"});
}

TEST(ScenarioLoader, AdversariesOfOneKindAreNamedByKindAndOrderOrByTheirName) {
    const auto s = load_scenario_text(MINIMAL +
                                          "adversaries:\n"
                                          "  - {type: link_observer, regions: [eu-central]}\n"
                                          "  - {type: compromised_nodes, fraction: 0.1}\n"
                                          "  - {type: link_observer, regions: [na-east]}\n"
                                          "  - {type: link_observer, name: asia, regions: [ap-southeast]}\n",
                                      "t.yaml");
    ASSERT_EQ(s.adversaries.size(), 4u);
    EXPECT_EQ(s.adversaries[0].name, "link_observer");
    EXPECT_EQ(s.adversaries[1].name, "compromised");
    EXPECT_EQ(s.adversaries[2].name, "link_observer_2");
    EXPECT_EQ(s.adversaries[3].name, "asia");
    EXPECT_EQ(std::get<adversary::LinkObserverConfig>(s.adversaries[2].config).regions,
              std::vector<std::string>{"na-east"});
    EXPECT_EQ(first_adversary<adversary::LinkObserverConfig>(s)->regions, std::vector<std::string>{"eu-central"});
    EXPECT_EQ(first_adversary<adversary::SpamConfig>(s), nullptr);
}

TEST(ScenarioLoader, AdversaryNamesMustBeWordsDistinctAndNotWorldFigures) {
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: spam, name: Big Spam}]\n"),
              Lines{"t.yaml:5:34: adversaries[0].name: expected a lower-case name (a letter, then letters, digits or "
                    "_), got 'Big Spam'"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: spam, name: crypto}]\n"),
              Lines{"t.yaml:5:34: adversaries[0].name: expected a name that is not a key of the world's summary, got "
                    "'crypto'"});
    EXPECT_EQ(problems_of_text(MINIMAL + "adversaries: [{type: spam}, {type: spam, name: spam}]\n"),
              Lines{"t.yaml:5:48: adversaries[1].name: expected a name no other adversary has, got 'spam' twice (give "
                    "each a distinct name:)"});
}

}  // namespace
}  // namespace sessionsim::scenario
