#pragma once
// How something outside the World takes part in it (an adversary, a defence, an output): a
// plug-in is called at fixed points while the World is built, and subscribes to the World's
// events (world_events.hpp) for the rest. Plug-ins are called in the order they were given.
#include "models/session/node/client.hpp"
#include "models/session/node/service_node.hpp"

namespace sessionsim::world {

class World;

class WorldPlugin {
  public:
    virtual ~WorldPlugin() = default;
    /// Before any host exists: the configuration every service node (also those joining later)
    /// and every client is built with.
    virtual void configure(sessionproto::ServiceNodeConfig&) const {}
    virtual void configure(sessionproto::ClientConfig&) const {}
    /// The service nodes exist and are registered; the first block is not applied yet.
    virtual void on_nodes_built(World&) {}
    /// Clients and workload are scheduled; nothing has run yet.
    virtual void on_started(World&) {}
};

}  // namespace sessionsim::world
