#pragma once
// Swarm space (spec session-network §2.2-2.3): a user's pubkey maps to a 64-bit position, and the
// user's swarm is the swarm whose id is nearest to that position on the 2^64 ring.
//
// Sources: oxen-io/oxen-storage-server oxenss/snode/swarm.cpp (pubkey_to_swarm_space,
// get_swarm_by_pk) and oxenss/snode/swarm.h (INVALID_SWARM_ID); oxen-io/oxen-core
// src/cryptonote_core/service_node_rules.h (UNASSIGNED_SWARM_ID) and service_node_swarm.h (MAX_ID).
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"
#include "models/session/crypto/account_id.hpp"

namespace sessionproto {

/// A swarm's id: a point on the 2^64 ring of swarm space.
struct SwarmId {
    std::uint64_t value = 0;

    constexpr SwarmId() noexcept = default;
    constexpr explicit SwarmId(std::uint64_t v) noexcept : value(v) {}
    friend constexpr auto operator<=>(const SwarmId&, const SwarmId&) = default;
    /// Lowercase hex without leading zeros, as oxenss logs it.
    std::string hex() const;
};

/// "No swarm": oxen-core's UNASSIGNED_SWARM_ID (service_node_rules.h) and oxenss's
/// INVALID_SWARM_ID (snode/swarm.h), both UINT64_MAX. Never the id of a real swarm.
inline constexpr SwarmId INVALID_SWARM_ID{UINT64_MAX};
/// The largest id a swarm can get: oxen-core service_node_swarm.h MAX_ID = UNASSIGNED_SWARM_ID - 1.
inline constexpr SwarmId MAX_SWARM_ID{UINT64_MAX - 1};

/// The position of a 32-byte user key in swarm space.
/// Inputs: the key without any type prefix (an X25519 key for an Account ID, the Ed25519 key
///         of a 03 group, ...).
/// Outputs: the XOR of the key's four 8-byte words, each read big-endian; any uint64,
///          UINT64_MAX included.
/// Errors: none.
std::uint64_t pubkey_to_swarm_space(const std::array<std::byte, 32>& key) noexcept;

/// The position of a prefixed 33-byte ID (05 Account ID, 03 group, ...): the prefix is dropped.
/// Inputs: any SessionId. Outputs: the position of its 32-byte key. Errors: none.
std::uint64_t pubkey_to_swarm_space(const SessionId& id) noexcept;

/// The position of an Account ID (05 || X25519 key): the position of its X25519 key.
std::uint64_t pubkey_to_swarm_space(const AccountId& id) noexcept;

/// The position of untrusted key bytes, as a storage server receives them.
/// Inputs: 32 bytes (a bare key, as testnet may send) or 33 bytes (prefix || key; the prefix is
///         dropped whatever its value).
/// Outputs: the position, as the overloads above.
/// Errors: bad_length for any other size.
Result<std::uint64_t> pubkey_to_swarm_space(ByteView key);

/// The swarm responsible for a position (oxenss get_swarm_by_pk).
/// Inputs: `position` from pubkey_to_swarm_space; `sorted_ids` the ids of all swarms.
///   Precondition: `sorted_ids` is strictly ascending (see is_valid_swarm_list) and, as oxend's
///   list always is, free of INVALID_SWARM_ID; the result for other input is unspecified (but
///   still one of the given ids, and never undefined behaviour).
/// Outputs: nullopt when there is no swarm; the only swarm when there is one; otherwise, with
///   right = the first id >= position (wrapping to the first id when there is none) and left = the
///   id just before right (wrapping to the last, i.e. highest, id when right is the first),
///   right if (right - position) < (position - left) in mod-2^64 arithmetic, else left. So a tie
///   goes to the left (counter-clockwise) neighbour, which across the wrap-around is the highest id.
/// Errors: none.
std::optional<SwarmId> closest_swarm(std::uint64_t position, std::span<const SwarmId> sorted_ids) noexcept;

/// True when `ids` is strictly ascending and holds no INVALID_SWARM_ID: closest_swarm's precondition.
bool is_valid_swarm_list(std::span<const SwarmId> ids) noexcept;

}  // namespace sessionproto
