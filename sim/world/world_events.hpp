#pragma once
// What the World publishes as it runs: one struct per kind of event, on a small typed bus. The
// adversary plug-ins (sim/adversary/<kind>/) and the run outputs subscribe; the World never
// knows who listens. Handlers run synchronously, in subscription order, at the simulated time of
// the event; a handler must not keep references past its call.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <tuple>
#include <vector>

#include "models/session/crypto/keys.hpp"
#include "models/session/node/io.hpp"
#include "sim/core/time.hpp"

namespace sessionsim::world {

/// A service node saw something (the neutral trace of models/session/node/io.hpp, Observation).
struct NodeObserved {
    SimTime at;
    std::size_t node;  ///< service node index
    const sessionproto::Observation& observation;
};

/// A workload message's store was confirmed, the first time (message = ledger index).
struct MessageStored {
    SimTime at;
    std::uint32_t message;
    std::optional<sessionproto::Ed25519Pubkey> guard;  ///< the first hop of the path that stored it
};

/// A workload message reached its recipient, the first time.
struct MessageDelivered {
    SimTime at;
    std::uint32_t message;
};

/// A client opened a message that is not the workload's (not in the ledger). The plug-in that
/// sent it claims it (sets `claimed`); what nobody claims counts as unrecognised.
struct ForeignMessage {
    SimTime at;
    std::uint32_t client;
    bool held_as_request;     ///< held apart by message requests (else shown)
    const sessionproto::AccountId& sender;  ///< as the recipient's client read it from the message
    std::string_view body;                  ///< the opened body, valid during the call
    mutable bool claimed = false;
};

/// The registry applied a block (published before its list reaches the nodes).
struct BlockApplied {
    SimTime at;
    std::uint64_t height;
    bool swarms_changed;
};

/// The World sampled its levels (once per metrics bucket): plug-ins add theirs.
struct LevelsSampled {
    SimTime at;
};

/// A bus over a fixed set of event types: subscribe<E>(handler), publish(e).
template <class... Events>
class EventBus {
  public:
    template <class E>
    void subscribe(std::function<void(const E&)> handler) {
        std::get<Handlers<E>>(handlers_).push_back(std::move(handler));
    }
    template <class E>
    void publish(const E& event) const {
        for (const auto& handler : std::get<Handlers<E>>(handlers_)) handler(event);
    }
    /// Whether anyone listens (lets a publisher skip building an event nobody reads).
    template <class E>
    bool has_subscribers() const noexcept {
        return !std::get<Handlers<E>>(handlers_).empty();
    }

  private:
    template <class E>
    using Handlers = std::vector<std::function<void(const E&)>>;
    std::tuple<Handlers<Events>...> handlers_;
};

using WorldBus = EventBus<NodeObserved, MessageStored, MessageDelivered, ForeignMessage, BlockApplied, LevelsSampled>;

}  // namespace sessionsim::world
