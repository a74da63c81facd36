// One line per kind of adversary: the plug-in each spec entry builds. A new kind adds its folder
// (sim/adversary/<kind>/), its configuration to AdversaryConfig (scenario_spec.hpp), its reader
// (read_<kind>.cpp, with its line in adversary_kinds(), read_adversaries.cpp) and its line here.
#include <variant>

#include "sim/adversary/churn/churn_adversary.hpp"
#include "sim/adversary/compromised/compromised_adversary.hpp"
#include "sim/adversary/link_observer/link_observer_adversary.hpp"
#include "sim/adversary/spam/spam_adversary.hpp"
#include "sim/scenario/simulation.hpp"

namespace sessionsim::scenario {
namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::unique_ptr<adversary::Adversary> make_adversary(const AdversarySpec& spec, const ScenarioSpec& scenario) {
    using Made = std::unique_ptr<adversary::Adversary>;
    return std::visit(
        Overloaded{
            [&](const adversary::ChurnConfig& c) -> Made { return std::make_unique<adversary::ChurnAdversary>(spec.name, c, scenario.seed); },
            [&](const adversary::SpamConfig& c) -> Made { return std::make_unique<adversary::SpamAdversary>(spec.name, c); },
            [&](const adversary::CompromisedNodesConfig& c) -> Made {
                return std::make_unique<adversary::CompromisedNodesAdversary>(spec.name, c);
            },
            [&](const adversary::LinkObserverConfig& c) -> Made {
                return std::make_unique<adversary::LinkObserverAdversary>(spec.name, c);
            },
        },
        spec.config);
}

}  // namespace sessionsim::scenario
