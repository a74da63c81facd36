#include "sim/scenario/simulation.hpp"

#include "sim/world/world_summary.hpp"

namespace sessionsim::scenario {

Simulation::Simulation(const ScenarioSpec& spec) {
    std::vector<world::WorldPlugin*> plugins;
    for (const auto& a : spec.adversaries) {
        adversaries_.push_back(make_adversary(a, spec));
        plugins.push_back(adversaries_.back().get());
    }
    world_ = std::make_unique<world::World>(spec, plugins);
}

nlohmann::json Simulation::summary() const {
    nlohmann::json s = world::world_summary(*world_);
    for (const auto& a : adversaries_) s[a->name()] = a->summary(*world_);
    return s;
}

}  // namespace sessionsim::scenario
