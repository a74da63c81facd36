#pragma once
// PoolReply: the get_service_nodes answer of one block, built once and shared by every node that
// gives it (spec session-network §4.1: clients bootstrap and refresh their pool with it). With
// 2,000 nodes the text is ~530 KB; thousands of clients fetch it after each block, so building,
// wrapping and (for modelled flows) sealing it once per block instead of once per request is what
// keeps a 100,000-client run affordable. The bytes are exactly those the per-request path would
// give (a test holds them equal): real-crypto replies still seal each request with its own key,
// from the shared {"body", "status"} text.
#include <array>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "models/session/common/bytes.hpp"
#include "models/session/onion/hop_processing.hpp"

namespace sessionproto {

class PoolReply {
  public:
    /// `states_json`: the list as service_node_states_json gives it.
    explicit PoolReply(std::string_view states_json);

    /// oxend's {"result": {"service_node_states": [...]}} (get_service_nodes_reply).
    const std::string& text() const noexcept { return text_; }
    /// snode_response_json of a 200 with this text, for `request`'s "json" flag; built once per flag.
    const std::string& response_json(const FinalDestination& request) const;
    /// The reply bytes of a modelled request (encode_snode_response of a 200 with this text), built
    /// once per (cipher, "base64", "json"). Precondition: request.modelled.
    const Bytes& modelled_reply(const FinalDestination& request) const;

  private:
    std::string text_;
    mutable std::array<std::optional<std::string>, 2> response_json_;  // by json_body
    mutable std::map<std::tuple<EncType, bool, bool>, Bytes> modelled_;
};

}  // namespace sessionproto
