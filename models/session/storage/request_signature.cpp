#include "models/session/storage/request_signature.hpp"

namespace sessionproto {
namespace {

std::string method_ns_number(std::string_view method, const std::string& ns_text, std::int64_t number) {
    std::string out;
    out.append(method);
    out.append(ns_text);
    out.append(std::to_string(number));
    return out;
}

}  // namespace

std::string store_signed_text(Namespace ns, std::int64_t sig_timestamp_ms) {
    return method_ns_number("store", namespace_text(ns), sig_timestamp_ms);
}

std::string retrieve_signed_text(Namespace ns, std::int64_t timestamp_ms) {
    return method_ns_number("retrieve", namespace_text(ns), timestamp_ms);
}

std::string delete_signed_text(std::span<const std::string> hashes) {
    std::string out = "delete";
    for (const auto& h : hashes) out.append(h);
    return out;
}

std::string delete_all_signed_text(const NamespaceSelector& ns, std::int64_t timestamp_ms) {
    return method_ns_number("delete_all", namespace_text(ns), timestamp_ms);
}

std::string delete_before_signed_text(const NamespaceSelector& ns, std::int64_t before_ms) {
    return method_ns_number("delete_before", namespace_text(ns), before_ms);
}

std::string expire_signed_text(ExpireMode mode, std::span<const std::int64_t> expiries_ms,
                               std::span<const std::string> hashes) {
    std::string out = "expire";
    if (mode == ExpireMode::shorten) out.append("shorten");
    if (mode == ExpireMode::extend) out.append("extend");
    for (const auto e : expiries_ms) out.append(std::to_string(e));
    for (const auto& h : hashes) out.append(h);
    return out;
}

std::string expire_all_signed_text(const NamespaceSelector& ns, std::int64_t expiry_ms) {
    return method_ns_number("expire_all", namespace_text(ns), expiry_ms);
}

Signature sign_request(const Ed25519SecretKey& secret, std::string_view signed_text) {
    return ed25519_sign(secret, as_bytes(signed_text));
}

Result<Ed25519Pubkey> request_verification_key(const SessionId& owner,
                                               const std::optional<Ed25519Pubkey>& pubkey_ed25519) {
    if (pubkey_ed25519) {
        if (owner.prefix() != IdPrefix::standard) {
            return Error{ErrorCode::bad_prefix, "pubkey_ed25519 is only permitted for 05 pubkeys"};
        }
        const auto x = x25519_from_ed25519(*pubkey_ed25519);
        if (!x.ok() || x->data != owner.key()) {
            return Error{ErrorCode::bad_signature, "pubkey_ed25519 does not convert to the 05 pubkey"};
        }
        return *pubkey_ed25519;
    }
    Ed25519Pubkey key;
    key.data = owner.key();
    return key;
}

Status verify_request_signature(const SessionId& owner, const std::optional<Ed25519Pubkey>& pubkey_ed25519,
                                const Signature& signature, std::string_view signed_text) {
    auto key = request_verification_key(owner, pubkey_ed25519);
    if (!key.ok()) return key.error();
    if (!ed25519_verify(*key, signature, as_bytes(signed_text))) {
        return Error{ErrorCode::bad_signature, "request signature verification failed"};
    }
    return Ok{};
}

}  // namespace sessionproto
