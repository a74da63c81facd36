#pragma once
// Scenario problems: every one found while loading, each with where it is and what was expected.
// Printed as "file:line:col: key.path: expected ..., got ..." (line and column 1-based); a problem
// from a --set override names the override instead: "--set key=value: key.path: ...".
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sessionsim::scenario {

struct Problem {
    std::string file;     ///< the scenario file, or "--set key=value" for an override
    int line = 0;         ///< 1-based; 0 when there is no position (overrides, whole-file problems)
    int column = 0;       ///< 1-based; 0 when there is no position
    std::string key;      ///< dotted key path ("workload.rate_per_user_per_hour"); may be empty
    std::string message;  ///< "expected a number >= 0, got '-4'"

    std::string format() const {
        std::string out = file;
        if (line > 0) {
            out.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
        }
        out.append(": ");
        if (!key.empty()) out.append(key).append(": ");
        out.append(message);
        return out;
    }
};

/// One scenario problem (a std::runtime_error whose what() is the formatted problem).
class ScenarioError : public std::runtime_error {
  public:
    explicit ScenarioError(Problem problem) : std::runtime_error(problem.format()), problem_(std::move(problem)) {}
    const Problem& problem() const noexcept { return problem_; }

  private:
    Problem problem_;
};

/// Every problem of one load, in file order (overrides after the file). what(): one per line.
class ScenarioErrors : public std::runtime_error {
  public:
    explicit ScenarioErrors(std::vector<Problem> problems)
        : std::runtime_error(join(problems)), problems_(std::move(problems)) {}
    const std::vector<Problem>& problems() const noexcept { return problems_; }

  private:
    static std::string join(const std::vector<Problem>& problems) {
        std::string out;
        for (std::size_t i = 0; i < problems.size(); ++i) {
            if (i > 0) out.append("\n");
            out.append(problems[i].format());
        }
        return out;
    }
    std::vector<Problem> problems_;
};

}  // namespace sessionsim::scenario
