#include "models/session/storage/message_hash.hpp"

#include <sodium.h>

#include "models/session/common/sodium.hpp"

namespace sessionproto {

Result<Bytes> blake2b(std::size_t size, ByteView message, ByteView key) {
    if (size < BLAKE2B_MIN_SIZE || size > BLAKE2B_MAX_SIZE) {
        return Error{ErrorCode::invalid_argument, "blake2b size must be 16..64, got " + std::to_string(size)};
    }
    if (key.size() > BLAKE2B_MAX_KEY) {
        return Error{ErrorCode::invalid_argument, "blake2b key must be at most 64 bytes"};
    }
    sodium_ready();
    Bytes out(size);
    crypto_generichash_blake2b(uc(std::span<std::byte>(out)), out.size(), uc(message), message.size(),
                               key.empty() ? nullptr : uc(key), key.size());
    return out;
}

std::array<std::byte, 32> storage_message_hash_raw(const SessionId& owner, Namespace ns, ByteView data) {
    sodium_ready();
    crypto_generichash_blake2b_state state;
    crypto_generichash_blake2b_init(&state, nullptr, 0, 32);
    const auto netid = static_cast<unsigned char>(owner.prefix());
    crypto_generichash_blake2b_update(&state, &netid, 1);
    crypto_generichash_blake2b_update(&state, uc(owner.key_view()), owner.key_view().size());
    const std::string ns_text = namespace_text(ns);
    crypto_generichash_blake2b_update(&state, reinterpret_cast<const unsigned char*>(ns_text.data()),
                                      ns_text.size());
    crypto_generichash_blake2b_update(&state, uc(data), data.size());
    std::array<std::byte, 32> out{};
    crypto_generichash_blake2b_final(&state, reinterpret_cast<unsigned char*>(out.data()), out.size());
    return out;
}

std::string storage_message_hash(const SessionId& owner, Namespace ns, ByteView data) {
    const auto raw = storage_message_hash_raw(owner, ns, data);
    return to_base64(ByteView(raw), false);
}

bool is_valid_message_hash(std::string_view hash) noexcept {
    if (hash.size() != MESSAGE_HASH_LENGTH) return false;
    for (const char c : hash) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                        c == '/';
        if (!ok) return false;
    }
    return true;
}

}  // namespace sessionproto
