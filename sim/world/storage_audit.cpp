#include "sim/world/storage_audit.hpp"

#include <map>
#include <set>
#include <string>

#include "sim/world/world.hpp"

namespace sessionsim::world {

double replication_coverage(const World& world) {
    // For every stored message (by hash): is it on every member of its owner's swarm?
    std::map<std::string, std::pair<sessionproto::SessionId, std::set<std::size_t>>> holders;
    for (std::size_t i = 0; i < world.service_node_count(); ++i) {
        world.service_node(i).store().for_each([&holders, i](const sessionproto::StoredMessage& m) {
            auto [it, fresh] = holders.try_emplace(m.hash, m.owner, std::set<std::size_t>{});
            it->second.second.insert(i);
        });
    }
    if (holders.empty()) return 1.0;
    std::size_t covered = 0;
    for (const auto& [hash, entry] : holders) {
        const auto members = world.registry().swarm_members_for(entry.first);
        bool all = !members.empty();
        for (const auto& rec : members) {
            const auto index = world.service_node_index(rec.ed25519);
            all = all && index && entry.second.count(*index) != 0;
        }
        covered += all ? 1 : 0;
    }
    return static_cast<double>(covered) / static_cast<double>(holders.size());
}

std::pair<std::uint64_t, std::uint64_t> dead_and_total_storage(const World& world) {
    const auto& registry = world.registry();
    std::uint64_t dead = 0, total = 0;
    for (std::size_t i = 0; i < world.service_node_count(); ++i) {
        const auto& node = world.service_node(i);
        const auto record = registry.find(node.ed25519());
        const std::uint64_t own = record ? record->swarm_id : sessionproto::INVALID_SWARM_ID.value;
        node.store().for_each([&](const sessionproto::StoredMessage& m) {
            total += m.data.size();
            const auto owner_swarm = registry.swarm_for(m.owner);
            if (!owner_swarm || owner_swarm->value != own) dead += m.data.size();
        });
    }
    return {dead, total};
}

}  // namespace sessionsim::world
