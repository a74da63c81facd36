#pragma once
// Byte strings and their text encodings: hex over libsodium's codec, base64 by table (the same
// bytes and the same accepted inputs as libsodium's).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sessionproto {

using Bytes = std::vector<std::byte>;
using ByteView = std::span<const std::byte>;

/// The bytes of a string (no terminator).
Bytes to_bytes(std::string_view text);
/// The bytes as a string (for JSON text and plaintexts).
std::string to_string(ByteView bytes);
ByteView as_bytes(std::string_view text) noexcept;
/// The bytes viewed as text, without copying (for JSON text read in place).
inline std::string_view as_text(ByteView bytes) noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}
/// A fast hash of the bytes (not cryptographic): it picks candidates for an exact comparison of
/// the bytes, never decides equality alone (shared replies and parsed pool bodies).
std::size_t bytes_hash(ByteView bytes) noexcept;
/// bytes_hash of a sample of large bytes (their size and 32 pieces of 16 bytes, evenly spaced from
/// the first byte to the last), of all of them up to 1 KiB: for keys of hundreds of kilobytes (pool
/// replies) that an exact comparison then confirms.
std::size_t bytes_sample_hash(ByteView bytes) noexcept;
/// Whether two byte ranges hold the same bytes (memcmp: std::ranges::equal compares std::byte
/// one at a time, which on replies of hundreds of kilobytes shows in a profile).
bool same_bytes(ByteView a, ByteView b) noexcept;

/// libsodium takes `unsigned char*`; these views cast without copying.
inline const unsigned char* uc(ByteView b) noexcept { return reinterpret_cast<const unsigned char*>(b.data()); }
inline unsigned char* uc(std::span<std::byte> b) noexcept { return reinterpret_cast<unsigned char*>(b.data()); }
inline const unsigned char* uc(const Bytes& b) noexcept { return reinterpret_cast<const unsigned char*>(b.data()); }
inline unsigned char* uc(Bytes& b) noexcept { return reinterpret_cast<unsigned char*>(b.data()); }

/// Lowercase hex.
std::string to_hex(ByteView bytes);
/// Hex (either case) to bytes; nullopt on an odd length or a non-hex character.
std::optional<Bytes> from_hex(std::string_view hex);

/// Standard base64 with padding, or unpadded when `padded` is false.
std::string to_base64(ByteView bytes, bool padded = true);
/// Standard base64, padded or not; nullopt on anything else (URL-safe alphabet, junk, bad length).
std::optional<Bytes> from_base64(std::string_view text);

/// Appends bytes to a buffer.
void append(Bytes& out, ByteView more);
void append(Bytes& out, std::string_view more);

/// Little-endian 32-bit encode/decode.
void append_le32(Bytes& out, std::uint32_t value);
std::uint32_t read_le32(ByteView four) noexcept;
/// Big-endian 64-bit.
void append_be64(Bytes& out, std::uint64_t value);
std::uint64_t read_be64(ByteView eight) noexcept;

}  // namespace sessionproto
