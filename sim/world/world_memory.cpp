#include "sim/world/world_memory.hpp"

#include <chrono>

#include "sim/world/world.hpp"

namespace sessionsim::world {

std::uint64_t MemoryBreakdown::total() const noexcept {
    return engine + network + queues + messages + stores + node_pending + node_other + pools + paths + swarms +
           requests + polls + client_other + ledger;
}

std::uint64_t MemoryBreakdown::per_service_node() const noexcept {
    return service_nodes == 0 ? 0 : (stores + node_pending + node_other) / service_nodes;
}

std::uint64_t MemoryBreakdown::per_client() const noexcept {
    return clients == 0 ? 0 : (pools + paths + swarms + requests + polls + client_other) / clients;
}

nlohmann::json MemoryBreakdown::to_json() const {
    nlohmann::json j;
    j["at_s"] = at_s;
    j["total_bytes"] = total();
    j["per_service_node_bytes"] = per_service_node();
    j["per_client_bytes"] = per_client();
    j["bytes"] = {{"engine", engine},           {"network", network},       {"queues", queues},
                  {"messages", messages},       {"stores", stores},         {"node_pending", node_pending},
                  {"node_other", node_other},   {"pools", pools},           {"paths", paths},
                  {"swarms", swarms},           {"requests", requests},     {"polls", polls},
                  {"client_other", client_other}, {"ledger", ledger}};
    return j;
}

MemoryBreakdown measure_memory(const World& world) {
    MemoryBreakdown m;
    m.engine = world.engine().memory_bytes();
    m.network = world.network().table_bytes();
    m.queues = world.network().memory().in_flight_bytes;
    m.service_nodes = world.service_node_count();
    sessionproto::ServiceNodeMemory nodes;
    for (std::size_t i = 0; i < world.service_node_count(); ++i) {
        nodes += world.service_node(i).memory();
        m.queues += world.service_node_host(i).cpu_queue_bytes();
    }
    m.messages = nodes.message_data;
    m.stores = nodes.store_index;
    m.node_pending = nodes.pending;
    m.node_other = nodes.other;
    m.clients = world.client_count();
    sessionproto::ClientMemory clients;
    for (std::size_t i = 0; i < world.client_count(); ++i) clients += world.client(i).memory();
    m.pools = world.pools().heap_bytes() + clients.pool;
    m.paths = clients.paths;
    m.swarms = clients.swarms;
    m.requests = clients.requests;
    m.polls = clients.polls;
    m.client_other = clients.other;
    m.ledger = world.ledger().heap_bytes();
    m.at_s = std::chrono::duration_cast<std::chrono::seconds>(world.engine().now() - SIM_EPOCH).count();
    return m;
}

}  // namespace sessionsim::world
