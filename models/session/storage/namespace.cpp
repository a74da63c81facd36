#include "models/session/storage/namespace.hpp"

namespace sessionproto {

Result<Namespace> namespace_from_int(std::int64_t value) {
    if (value < NAMESPACE_MIN || value > NAMESPACE_MAX) {
        return Error{ErrorCode::bad_encoding, "namespace out of range: " + std::to_string(value)};
    }
    return static_cast<Namespace>(static_cast<std::int16_t>(value));
}

std::string namespace_text(Namespace ns) {
    if (ns == Namespace::default_ns) return {};
    return std::to_string(to_int(ns));
}

std::string namespace_text(const NamespaceSelector& selector) {
    if (std::holds_alternative<AllNamespaces>(selector)) return "all";
    return namespace_text(std::get<Namespace>(selector));
}

}  // namespace sessionproto
