#pragma once
// Spam (spam_config.hpp) as a World plug-in: flooder hosts on their own IPs, aimed at users'
// inboxes, random swarms or single service nodes, from `start` on; the defences it switches on
// the nodes and clients; what reached the victims, against everyone else.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/adversary/adversary.hpp"
#include "sim/adversary/spam/flooder.hpp"
#include "sim/adversary/spam/spam_config.hpp"
#include "sim/host/node_host.hpp"

namespace sessionsim::adversary {

class SpamAdversary final : public Adversary {
  public:
    SpamAdversary(std::string name, SpamConfig config);

    void configure(sessionproto::ServiceNodeConfig& config) const override;
    void configure(sessionproto::ClientConfig& config) const override;
    void on_started(world::World& world) override;
    nlohmann::json summary(const world::World& world) const override;

    /// The clients whose inboxes it floods (users targets).
    const std::vector<std::uint32_t>& victims() const noexcept { return victims_; }

  private:
    std::vector<FlooderConfig::Target> pick_targets(world::World& world, RandomStream& rng);

    SpamConfig config_;
    std::vector<std::unique_ptr<host::NodeHost<Flooder>>> flooders_;
    std::set<sessionproto::AccountId> flooder_ids_;  ///< the Account IDs its messages come from
    std::vector<std::uint32_t> victims_;
    std::uint64_t shown_ = 0;             ///< its messages in a victim's inbox
    std::uint64_t held_as_requests_ = 0;  ///< ... held apart by message requests
};

}  // namespace sessionsim::adversary
