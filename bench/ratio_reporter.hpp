#pragma once
// A console reporter that, after the usual table, prints each benchmark's throughput as a ratio
// against a reference benchmark measured in the same run (the machines are shared and noisy, so
// absolute figures mean little; ratios measured together do).
//
// Pairs are given as (benchmark name, reference name) using the names Google Benchmark prints.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sessionsim::bench {

class RatioReporter : public benchmark::ConsoleReporter {
  public:
    explicit RatioReporter(std::vector<std::pair<std::string, std::string>> pairs) : pairs_(std::move(pairs)) {}

    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            if (run.run_type != Run::RT_Iteration && run.aggregate_name != "median") continue;
            const auto it = run.counters.find("items_per_second");
            if (it != run.counters.end()) rates_[run.run_name.str()] = it->second.value;
        }
    }

    void Finalize() override {
        ConsoleReporter::Finalize();
        std::printf("\nratios (items/s of benchmark / items/s of its reference, same run):\n");
        for (const auto& [name, reference] : pairs_) {
            const auto a = rates_.find(name);
            const auto b = rates_.find(reference);
            if (a == rates_.end() || b == rates_.end() || b->second <= 0) continue;
            std::printf("  %-40s / %-40s = %.3f\n", name.c_str(), reference.c_str(), a->second / b->second);
        }
        std::fflush(stdout);
    }

  private:
    std::vector<std::pair<std::string, std::string>> pairs_;
    std::map<std::string, double> rates_;
};

}  // namespace sessionsim::bench
