#pragma once
// Storage namespaces (spec session-network §3.1; oxen-io/oxen-storage-server
// oxenss/common/namespace.h): a signed 16-bit number that splits one owner's storage into
// independent boxes, with rules for who may store and retrieve that the server derives from the
// number alone.
#include <cstdint>
#include <string>
#include <variant>

#include "models/session/common/result.hpp"

namespace sessionproto {

/// A storage namespace. Any int16 value is valid; the named ones are those Session uses.
enum class Namespace : std::int16_t {
    default_ns = 0,            ///< 1-to-1 messages (public inbox)
    user_profile = 2,          ///< config: user profile
    contacts = 3,              ///< config: contacts
    convo_info_volatile = 4,   ///< config: conversation info
    user_groups = 5,           ///< config: user groups
    group_messages = 11,       ///< closed groups v2: messages
    group_keys = 12,           ///< closed groups v2: keys
    group_info = 13,           ///< closed groups v2: info
    group_members = 14,        ///< closed groups v2: members
    legacy_closed_group = -10, ///< legacy closed groups: no auth to store or retrieve
};

inline constexpr std::int16_t NAMESPACE_MIN = -32768;
inline constexpr std::int16_t NAMESPACE_MAX = 32767;

constexpr std::int16_t to_int(Namespace ns) noexcept { return static_cast<std::int16_t>(ns); }

/// A namespace from a JSON integer.
/// Inputs: any integer. Outputs: the namespace. Errors: bad_encoding when outside int16
/// (the server answers "value out of range": oxenss/rpc/client_rpc_endpoints.cpp).
Result<Namespace> namespace_from_int(std::int64_t value);

/// The namespace as it enters message hashes and request signatures: "" for namespace 0,
/// otherwise the signed decimal ("-10", "3").
std::string namespace_text(Namespace ns);

/// Anyone may store without a signature: every namespace divisible by 10 (0, 10, -30, ...).
constexpr bool is_public_inbox(Namespace ns) noexcept { return to_int(ns) % 10 == 0; }

/// Public outbox: negative namespaces of the form -(20n+1) (-1, -21, ...). They hold one message
/// (storing deletes the others), anyone may retrieve, only the owner may store.
constexpr bool is_public_outbox(Namespace ns) noexcept {
    const int n = to_int(ns);
    return n < 0 && (-n) % 20 == 1;
}

/// Retrieval needs no signature: the legacy closed-group namespace and the public outboxes.
constexpr bool is_noauth_retrieve(Namespace ns) noexcept {
    return ns == Namespace::legacy_closed_group || is_public_outbox(ns);
}

/// Negative namespaces ending in 11 (-11, -211, ...): a revoked subaccount may still retrieve.
constexpr bool is_unrevocable(Namespace ns) noexcept {
    const int n = to_int(ns);
    return n < 0 && (-n) % 100 == 11;
}

/// The largest TTL the server accepts for a new message in this namespace is 14 days in a public
/// inbox and 30 days elsewhere (see limits.hpp).
constexpr bool uses_private_ttl(Namespace ns) noexcept { return !is_public_inbox(ns); }

/// The `namespace` of delete_all / delete_before / expire_all: one namespace or "all".
struct AllNamespaces {
    friend constexpr bool operator==(AllNamespaces, AllNamespaces) noexcept { return true; }
};
using NamespaceSelector = std::variant<Namespace, AllNamespaces>;

/// The selector as it enters request signatures: "" for namespace 0, "all" for all namespaces,
/// the signed decimal otherwise (oxenss/rpc/client_rpc_endpoints.h `signature_value`).
std::string namespace_text(const NamespaceSelector& selector);

}  // namespace sessionproto
