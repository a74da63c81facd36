#pragma once
// A scenario built: its adversaries (from the spec's list, in file order) plugged into the World
// (sim/world/world.hpp), ready to run. summary() is what summary.json holds: the world's figures
// and each adversary's part under its name.
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/adversary/adversary.hpp"
#include "sim/scenario/scenario_spec.hpp"
#include "sim/world/world.hpp"

namespace sessionsim::scenario {

using world::RunProgress;

/// The adversary a spec entry asks for (one line per kind: adversary_kinds.cpp).
std::unique_ptr<adversary::Adversary> make_adversary(const AdversarySpec& spec, const ScenarioSpec& scenario);

class Simulation {
  public:
    /// Builds the adversaries, then the World with them. Throws as World does.
    explicit Simulation(const ScenarioSpec& spec);

    void run(const std::function<void(const RunProgress&)>& progress = {}) { world_->run(progress); }
    world::World& world() noexcept { return *world_; }
    const world::World& world() const noexcept { return *world_; }
    const std::vector<std::unique_ptr<adversary::Adversary>>& adversaries() const noexcept { return adversaries_; }

    /// The k-th adversary of type A (e.g. adversary::ChurnAdversary); throws std::out_of_range.
    template <class A>
    const A& adversary(std::size_t k = 0) const {
        for (const auto& a : adversaries_) {
            if (const auto* found = dynamic_cast<const A*>(a.get()); found != nullptr && k-- == 0) return *found;
        }
        throw std::out_of_range("the scenario has no such adversary");
    }

    /// summary.json: the world's figures (world_summary.hpp) and each adversary's under its name.
    nlohmann::json summary() const;

  private:
    std::vector<std::unique_ptr<adversary::Adversary>> adversaries_;
    std::unique_ptr<world::World> world_;
};

}  // namespace sessionsim::scenario
