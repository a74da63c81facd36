#include "models/session/common/bytes.hpp"

#include <functional>

#include <sodium.h>

namespace sessionproto {

Bytes to_bytes(std::string_view text) {
    const auto* p = reinterpret_cast<const std::byte*>(text.data());
    return Bytes(p, p + text.size());
}

std::string to_string(ByteView bytes) { return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()); }

ByteView as_bytes(std::string_view text) noexcept {
    return ByteView(reinterpret_cast<const std::byte*>(text.data()), text.size());
}

std::size_t bytes_hash(ByteView bytes) noexcept {
    return std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string to_hex(ByteView bytes) {
    if (bytes.empty()) return {};  // libsodium's codecs take non-null pointers only
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), uc(bytes), bytes.size());
    out.pop_back();
    return out;
}

std::optional<Bytes> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    if (hex.empty()) return Bytes{};
    Bytes out(hex.size() / 2);
    std::size_t written = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(uc(std::span<std::byte>(out)), out.size(), hex.data(), hex.size(), nullptr, &written, &end) != 0 ||
        written != out.size() || end != hex.data() + hex.size()) {
        return std::nullopt;
    }
    return out;
}

std::string to_base64(ByteView bytes, bool padded) {
    if (bytes.empty()) return {};
    const int variant = padded ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), uc(bytes), bytes.size(), variant);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::optional<Bytes> from_base64(std::string_view text) {
    if (text.empty()) return Bytes{};
    const bool padded = text.back() == '=';
    const int variant = padded ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    Bytes out(text.size() * 3 / 4 + 3);
    std::size_t written = 0;
    const char* end = nullptr;
    if (sodium_base642bin(uc(std::span<std::byte>(out)), out.size(), text.data(), text.size(), nullptr, &written, &end,
                          variant) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(written);
    return out;
}

void append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }
void append(Bytes& out, std::string_view more) { append(out, as_bytes(more)); }

void append_le32(Bytes& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFF));
}

std::uint32_t read_le32(ByteView b) noexcept {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | std::to_integer<std::uint32_t>(b[i]);
    return v;
}

void append_be64(Bytes& out, std::uint64_t v) {
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFF));
}

std::uint64_t read_be64(ByteView b) noexcept {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | std::to_integer<std::uint64_t>(b[i]);
    return v;
}

}  // namespace sessionproto
