#include "models/session/crypto/account_id.hpp"

namespace sessionproto {
namespace {

bool known_prefix(std::uint8_t p) noexcept {
    switch (p) {
        case 0x00: case 0x03: case 0x05: case 0x07: case 0x15: case 0x25: return true;
        default: return false;
    }
}

}  // namespace

Result<SessionId> SessionId::from_bytes(ByteView bytes) {
    if (bytes.size() != 33) {
        return Error{ErrorCode::bad_length, "an ID is 33 bytes, got " + std::to_string(bytes.size())};
    }
    const auto prefix = std::to_integer<std::uint8_t>(bytes[0]);
    if (!known_prefix(prefix)) {
        return Error{ErrorCode::bad_prefix, "unknown ID prefix " + to_hex(bytes.first(1))};
    }
    std::array<std::byte, 32> key{};
    std::copy(bytes.begin() + 1, bytes.end(), key.begin());
    return SessionId(static_cast<IdPrefix>(prefix), key);
}

Result<SessionId> SessionId::parse(std::string_view hex) {
    if (hex.size() != 66) {
        return Error{ErrorCode::bad_length, "an ID is 66 hex characters, got " + std::to_string(hex.size())};
    }
    const auto bytes = from_hex(hex);
    if (!bytes) return Error{ErrorCode::bad_encoding, "an ID must be hex digits only"};
    return from_bytes(*bytes);
}

Bytes SessionId::bytes() const {
    Bytes out;
    out.reserve(33);
    out.push_back(static_cast<std::byte>(prefix_));
    append(out, ByteView(key_));
    return out;
}

std::string SessionId::hex() const { return to_hex(bytes()); }

Result<AccountId> AccountId::from_bytes(ByteView bytes) {
    auto id = SessionId::from_bytes(bytes);
    if (!id) return id.error();
    if (id->prefix() != IdPrefix::standard) {
        return Error{ErrorCode::bad_prefix, "an Account ID starts with 05, got " + to_hex(bytes.first(1))};
    }
    return AccountId(*X25519Pubkey::from(id->key_view()));
}

Result<AccountId> AccountId::parse(std::string_view hex) {
    if (hex.size() != 66) {
        return Error{ErrorCode::bad_length, "an Account ID is 66 hex characters, got " + std::to_string(hex.size())};
    }
    const auto bytes = from_hex(hex);
    if (!bytes) return Error{ErrorCode::bad_encoding, "an Account ID must be hex digits only"};
    if ((*bytes)[0] != std::byte{0x05}) {
        return Error{ErrorCode::bad_prefix, "an Account ID starts with 05, got " + std::string(hex.substr(0, 2))};
    }
    return AccountId(*X25519Pubkey::from(ByteView(*bytes).subspan(1)));
}

Result<AccountId> AccountId::from_ed25519(const Ed25519Pubkey& pub) {
    auto x = x25519_from_ed25519(pub);
    if (!x) return x.error();
    return AccountId(*x);
}

Bytes AccountId::bytes() const { return as_session_id().bytes(); }
std::string AccountId::hex() const { return as_session_id().hex(); }

}  // namespace sessionproto
