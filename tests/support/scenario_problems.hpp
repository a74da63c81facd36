#pragma once
// The formatted problems of loading a scenario text (empty when it loads): what the loader tests
// compare against expected "file:line:col: key: expected ..., got ..." lines.
#include <string>
#include <vector>

#include "sim/scenario/yaml_loader.hpp"

namespace sessionsim::scenario::test_support {

inline std::vector<std::string> problems_of_text(const std::string& text, const std::vector<std::string>& overrides = {},
                                                 const std::string& name = "t.yaml") {
    try {
        load_scenario_text(text, name, overrides);
    } catch (const ScenarioErrors& e) {
        std::vector<std::string> out;
        for (const auto& p : e.problems()) out.push_back(p.format());
        return out;
    }
    return {};
}

}  // namespace sessionsim::scenario::test_support
