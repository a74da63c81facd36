// The churn trace's CSV parser (sim/adversary/churn/churn_trace.hpp): the grammar, and a clear problem,
// with its line, for every kind of bad row.
#include <gtest/gtest.h>

#include "sim/adversary/churn/churn_trace.hpp"

namespace sessionsim::adversary {
namespace {

using Kind = ChurnTraceEvent::Kind;

std::vector<std::string> problems(std::string_view text, std::uint64_t nodes = 10) {
    std::vector<std::string> out;
    for (const auto& p : parse_churn_trace(text, nodes).problems) out.push_back(std::to_string(p.line) + ": " + p.message);
    return out;
}

TEST(ChurnTrace, ReadsRowsWithUnitsCommentsAndJoins) {
    const auto t = parse_churn_trace(
        "# a trace\n\ntime,node,event\r\n0,3,down\n90s, 3 ,up\n1.5min,,join\n2min,10,down\n2min,10,up\n1h,,join\n"
        "1d,11,down\n250ms-typo-free-zone-ends-here,1,down\n",
        10);
    ASSERT_EQ(t.problems.size(), 1u);  // the last row
    EXPECT_EQ(t.problems[0].line, 11u);
    ASSERT_EQ(t.events.size(), 7u);
    EXPECT_EQ(t.events[0].kind, Kind::down);
    EXPECT_EQ(t.events[0].node, 3u);
    EXPECT_EQ(t.events[0].at, SimDuration::zero());
    EXPECT_EQ(t.events[0].line, 4u);
    EXPECT_EQ(t.events[1].at, seconds(90));
    EXPECT_EQ(t.events[1].kind, Kind::up);
    EXPECT_EQ(t.events[2].kind, Kind::join);
    EXPECT_EQ(t.events[2].node, 10u);  // joined nodes are numbered from the initial count
    EXPECT_EQ(t.events[2].at, seconds(90));
    EXPECT_EQ(t.events[3].node, 10u);
    EXPECT_EQ(t.events[5].node, 11u);
    EXPECT_EQ(t.events[5].at, hours(1));
    EXPECT_EQ(t.events[6].at, days(1));
    EXPECT_EQ(parse_churn_trace("time,node,event\n0.25ms,0,down\n", 1).events.at(0).at, microseconds(250));
}

TEST(ChurnTrace, EveryBadRowIsNamedWithItsLineAndWhatWasExpected) {
    EXPECT_EQ(problems(""), (std::vector<std::string>{"0: expected the header 'time,node,event', got an empty file"}));
    EXPECT_EQ(problems("t,n,e\n"), (std::vector<std::string>{"1: expected the header 'time,node,event', got 't,n,e'"}));
    EXPECT_EQ(problems("time,node,event\n5s,1\n5s,1,down,x\n"),
              (std::vector<std::string>{
                  "2: expected 3 comma-separated fields time,node,event, got '5s,1'",
                  "3: expected 3 comma-separated fields time,node,event, got '5s,1,down,x'"}));
    EXPECT_EQ(problems("time,node,event\n5s,1,dwn\n"),
              (std::vector<std::string>{"2: expected an event up, down or join, got 'dwn'"}));
    EXPECT_EQ(problems("time,node,event\n-5s,1,down\n5parsecs,1,down\n.5,1,down\n99999999d,1,down\n").size(), 4u);
    EXPECT_EQ(problems("time,node,event\nx,1,down\n"),
              (std::vector<std::string>{"2: expected a time >= 0 like 90s, 1.5min, 2h (units ms s min h d; s when "
                                        "none; at most 10 years), got 'x'"}));
    EXPECT_EQ(problems("time,node,event\n10min,1,down\n5min,2,down\n"),
              (std::vector<std::string>{
                  "3: expected a time >= 10min (line 2; rows are in time order), got '5min'"}));
    EXPECT_EQ(problems("time,node,event\n1s,10,down\n1s,-1,down\n1s,,down\n"),
              (std::vector<std::string>{
                  "2: expected a service node index 0..9 (the initial nodes, then those joined so far), got '10'",
                  "3: expected a service node index 0..9 (the initial nodes, then those joined so far), got '-1'",
                  "4: expected a service node index 0..9 (the initial nodes, then those joined so far), got ''"}));
    EXPECT_EQ(problems("time,node,event\n1s,4,up\n2s,4,down\n3s,4,down\n"),
              (std::vector<std::string>{"2: expected down for node 4, which is up from the start, got 'up'",
                                        "4: expected up for node 4, which is down since line 3, got 'down'"}));
    EXPECT_EQ(problems("time,node,event\n1s,12,join\n"),
              (std::vector<std::string>{"2: expected the joining node's index 10 (joined nodes are numbered from 10 "
                                        "in join order) or nothing, got '12'"}));
    // Control bytes are shown as '?', long fields cut.
    EXPECT_EQ(problems(std::string("time,node,event\n1s,1,\x01\xff") + std::string(60, 'x') + "\n"),
              (std::vector<std::string>{"2: expected an event up, down or join, got '??" + std::string(38, 'x') + "...'"}));
}

TEST(ChurnTrace, ProblemsBeyondTheLimitAreCounted) {
    std::string text = "time,node,event\n";
    for (int i = 0; i < 30; ++i) text += "1s,99,down\n";
    const auto t = parse_churn_trace(text, 10, 20);
    EXPECT_EQ(t.problems.size(), 20u);
    EXPECT_EQ(t.problems_left_out, 10u);
}

}  // namespace
}  // namespace sessionsim::adversary
