#pragma once
// An adversary is a World plug-in (sim/world/world_plugin.hpp) with a name and a part of the
// summary: it adjusts the World while it is built, subscribes to its events, and reports what it
// did and learned under its name in summary.json. One folder per kind (sim/adversary/<kind>/);
// a scenario may hold any number of each (sim/scenario/adversary_kinds.cpp builds them).
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "sim/world/world.hpp"
#include "sim/world/world_plugin.hpp"

namespace sessionsim::adversary {

class Adversary : public world::WorldPlugin {
  public:
    explicit Adversary(std::string name) : name_(std::move(name)) {}
    /// Its key in summary.json, and the prefix of its random streams.
    const std::string& name() const noexcept { return name_; }
    /// What it did and learned, scored against the World's ground truth where it links anything.
    virtual nlohmann::json summary(const world::World& world) const = 0;

  private:
    std::string name_;
};

}  // namespace sessionsim::adversary
