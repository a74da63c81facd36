#include "models/session/common/bytes.hpp"

#include <array>
#include <cstdint>
#include <cstring>
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

std::size_t bytes_sample_hash(ByteView bytes) noexcept {
    constexpr std::size_t ALL_UP_TO = 1024, PIECES = 32, PIECE = 16;
    if (bytes.size() <= ALL_UP_TO) return bytes_hash(bytes);
    std::array<std::byte, PIECES * PIECE + sizeof(std::uint64_t)> sample{};
    for (std::size_t i = 0; i < PIECES; ++i) {
        const std::size_t at = (bytes.size() - PIECE) * i / (PIECES - 1);
        std::memcpy(sample.data() + i * PIECE, bytes.data() + at, PIECE);
    }
    const std::uint64_t size = bytes.size();
    std::memcpy(sample.data() + PIECES * PIECE, &size, sizeof size);
    return bytes_hash(sample);
}

bool same_bytes(ByteView a, ByteView b) noexcept {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
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

// Base64 by table, not through libsodium's constant-time codec (which is for secrets; here every
// onion reply and stored message passes through it, and it cost ~4% of a mainnet run). Same
// output as sodium_bin2base64 and the same accepted inputs as sodium_base642bin with the variants
// named below (Bytes.Base64AgreesWithLibsodium checks both on random and mutated text).
namespace {

constexpr char BASE64_ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t NOT_BASE64 = 0xFF;

constexpr std::array<std::uint8_t, 256> base64_values() {
    std::array<std::uint8_t, 256> values{};
    values.fill(NOT_BASE64);
    for (std::uint8_t i = 0; i < 64; ++i) values[static_cast<unsigned char>(BASE64_ALPHABET[i])] = i;
    return values;
}
constexpr std::array<std::uint8_t, 256> BASE64_VALUES = base64_values();

}  // namespace

std::string to_base64(ByteView bytes, bool padded) {
    // sodium_bin2base64, variant ORIGINAL (padded) or ORIGINAL_NO_PADDING.
    const auto* in = uc(bytes);
    const std::size_t n = bytes.size();
    std::string out;
    out.reserve((n + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        const std::uint32_t v = std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8 | in[i + 2];
        out.push_back(BASE64_ALPHABET[v >> 18]);
        out.push_back(BASE64_ALPHABET[(v >> 12) & 63]);
        out.push_back(BASE64_ALPHABET[(v >> 6) & 63]);
        out.push_back(BASE64_ALPHABET[v & 63]);
    }
    if (const std::size_t rest = n - i; rest > 0) {
        const std::uint32_t v = std::uint32_t{in[i]} << 16 | (rest == 2 ? std::uint32_t{in[i + 1]} << 8 : 0);
        out.push_back(BASE64_ALPHABET[v >> 18]);
        out.push_back(BASE64_ALPHABET[(v >> 12) & 63]);
        if (rest == 2) out.push_back(BASE64_ALPHABET[(v >> 6) & 63]);
        if (padded) out.append(rest == 2 ? 1 : 2, '=');
    }
    return out;
}

std::optional<Bytes> from_base64(std::string_view text) {
    // sodium_base642bin with no ignored characters, variant ORIGINAL when the text ends in '=',
    // else ORIGINAL_NO_PADDING, and all of the text consumed: every character before the padding
    // in the alphabet; the bits left after the last whole byte (0, 2 or 4) all zero; and, padded,
    // exactly one '=' per two of those bits.
    if (text.empty()) return Bytes{};
    std::size_t data = text.size();
    if (text.back() == '=') {
        while (data > 0 && text[data - 1] == '=') --data;
    }
    const std::size_t padding = text.size() - data;
    const std::size_t left_bits = data * 6 % 8;
    if (left_bits > 4 || (padding > 0 && padding != left_bits / 2)) return std::nullopt;
    Bytes out(data * 6 / 8);
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    std::uint32_t acc = 0;
    unsigned acc_bits = 0;
    for (std::size_t i = 0; i < data; ++i) {
        const std::uint8_t v = BASE64_VALUES[static_cast<unsigned char>(text[i])];
        if (v == NOT_BASE64) return std::nullopt;
        acc = (acc << 6 | v) & 0xFFFFFF;
        acc_bits += 6;
        if (acc_bits >= 8) {
            acc_bits -= 8;
            *o++ = static_cast<unsigned char>(acc >> acc_bits);
        }
    }
    if ((acc & ((1U << acc_bits) - 1U)) != 0) return std::nullopt;
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
