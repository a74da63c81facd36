#include "models/session/crypto/multi_encrypt.hpp"

#include <sodium.h>

#include <algorithm>
#include <optional>

#include "models/session/common/sodium.hpp"

namespace sessionproto {
namespace {

constexpr std::size_t TAG = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(TAG == MULTI_ENCRYPT_OVERHEAD);

const unsigned char* nonce_uc(const XChaChaNonce& nonce) { return reinterpret_cast<const unsigned char*>(nonce.data()); }

Bytes seal(ByteView message, const SymmetricKey& key, const XChaChaNonce& nonce) {
    Bytes out(message.size() + TAG);
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()), nullptr, uc(message),
                                               message.size(), nullptr, 0, nullptr, nonce_uc(nonce), key.uc());
    return out;
}

std::optional<Bytes> open(ByteView ciphertext, const SymmetricKey& key, const XChaChaNonce& nonce) {
    if (ciphertext.size() < TAG) return std::nullopt;
    Bytes out(ciphertext.size() - TAG);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), nullptr, nullptr,
                                                   uc(ciphertext), ciphertext.size(), nullptr, 0, nonce_uc(nonce),
                                                   key.uc()) != 0) {
        return std::nullopt;
    }
    return out;
}

void append_bt_string(Bytes& out, ByteView s) {
    append(out, std::to_string(s.size()));
    out.push_back(std::byte{':'});
    append(out, s);
}

/// A minimal reader of the bencoded envelope: strings, lists, integers and dicts, with a depth
/// limit; it never reads past the end.
class BtReader {
  public:
    explicit BtReader(ByteView data) : data_(data) {}
    bool at_end() const { return pos_ >= data_.size(); }
    std::optional<char> peek() const {
        if (at_end()) return std::nullopt;
        return static_cast<char>(data_[pos_]);
    }
    bool consume(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    std::optional<ByteView> string() {
        std::size_t len = 0;
        std::size_t digits = 0;
        while (!at_end() && *peek() >= '0' && *peek() <= '9') {
            if (digits == 0 && *peek() == '0' && pos_ + 1 < data_.size() && data_[pos_ + 1] != std::byte{':'}) {
                return std::nullopt;  // leading zero
            }
            if (++digits > 9) return std::nullopt;
            len = len * 10 + static_cast<std::size_t>(*peek() - '0');
            ++pos_;
        }
        if (digits == 0 || !consume(':')) return std::nullopt;
        if (len > data_.size() - pos_) return std::nullopt;
        const auto out = data_.subspan(pos_, len);
        pos_ += len;
        return out;
    }
    /// Skips one value of any type.
    bool skip(int depth = 0) {
        if (depth > 32) return false;
        const auto c = peek();
        if (!c) return false;
        if (*c == 'i') {
            ++pos_;
            (void)consume('-');
            std::size_t digits = 0;
            while (!at_end() && *peek() >= '0' && *peek() <= '9') {
                ++pos_;
                ++digits;
            }
            return digits > 0 && consume('e');
        }
        if (*c == 'l' || *c == 'd') {
            const bool dict = *c == 'd';
            ++pos_;
            while (!consume('e')) {
                if (at_end()) return false;
                if (dict && !string()) return false;
                if (!skip(depth + 1)) return false;
            }
            return true;
        }
        return string().has_value();
    }

  private:
    ByteView data_;
    std::size_t pos_ = 0;
};

}  // namespace

Result<SymmetricKey> multi_encrypt_key(const X25519Keypair& own, const X25519Pubkey& other, bool encrypting,
                                       std::string_view domain) {
    sodium_ready();
    std::array<unsigned char, 32> shared{};
    if (crypto_scalarmult_curve25519(shared.data(), own.sec.uc(), other.uc()) != 0) {
        return Error{ErrorCode::invalid_argument, "X25519 with a low-order public key"};
    }
    // The domain is the BLAKE2b key; libsodium takes at most 64 bytes of key (as LS does).
    const auto key_len = std::min<std::size_t>(domain.size(), crypto_generichash_blake2b_KEYBYTES_MAX);
    crypto_generichash_blake2b_state st;
    crypto_generichash_blake2b_init(&st, key_len == 0 ? nullptr : reinterpret_cast<const unsigned char*>(domain.data()),
                                    key_len, 32);
    crypto_generichash_blake2b_update(&st, shared.data(), shared.size());
    const auto& sender_pub = encrypting ? own.pub : other;
    const auto& recipient_pub = encrypting ? other : own.pub;
    crypto_generichash_blake2b_update(&st, sender_pub.uc(), 32);
    crypto_generichash_blake2b_update(&st, recipient_pub.uc(), 32);
    SymmetricKey key;
    crypto_generichash_blake2b_final(&st, key.uc(), 32);
    sodium_memzero(shared.data(), shared.size());
    return key;
}

Result<std::vector<Bytes>> encrypt_for_multiple(std::span<const Bytes> messages,
                                                std::span<const X25519Pubkey> recipients, const XChaChaNonce& nonce,
                                                const X25519Keypair& sender, std::string_view domain) {
    if (messages.size() != 1 && messages.size() != recipients.size()) {
        return Error{ErrorCode::invalid_argument, "encrypt_for_multiple needs 1 message or one per recipient, got " +
                                                      std::to_string(messages.size()) + " for " +
                                                      std::to_string(recipients.size()) + " recipients"};
    }
    std::vector<Bytes> out;
    out.reserve(recipients.size());
    for (std::size_t i = 0; i < recipients.size(); ++i) {
        const auto key = multi_encrypt_key(sender, recipients[i], true, domain);
        if (!key) return key.error();
        out.push_back(seal(messages.size() == 1 ? messages[0] : messages[i], *key, nonce));
    }
    return out;
}

Result<Bytes> decrypt_for_multiple(std::span<const Bytes> ciphertexts, const XChaChaNonce& nonce,
                                   const X25519Keypair& recipient, const X25519Pubkey& sender,
                                   std::string_view domain) {
    const auto key = multi_encrypt_key(recipient, sender, false, domain);
    if (!key) return key.error();
    for (const auto& ct : ciphertexts) {
        if (auto plain = open(ct, *key, nonce)) return std::move(*plain);
    }
    return Error{ErrorCode::decrypt_failed, "no entry of the multi-recipient message decrypts with this key"};
}

namespace {

/// `d1:#24:<nonce>1:el<entry>...ee`, keys in sorted order ("#" is 0x23, before "e").
Bytes encode_simple(const std::vector<Bytes>& entries, const XChaChaNonce& nonce) {
    Bytes out;
    out.push_back(std::byte{'d'});
    append_bt_string(out, as_bytes("#"));
    append_bt_string(out, ByteView(nonce));
    append_bt_string(out, as_bytes("e"));
    out.push_back(std::byte{'l'});
    for (const auto& entry : entries) append_bt_string(out, entry);
    out.push_back(std::byte{'e'});
    out.push_back(std::byte{'e'});
    return out;
}

}  // namespace

Result<Bytes> encrypt_for_multiple_simple(std::span<const Bytes> messages, std::span<const X25519Pubkey> recipients,
                                          const XChaChaNonce& nonce, const X25519Keypair& sender,
                                          std::string_view domain, int pad, Entropy& junk) {
    auto entries = encrypt_for_multiple(messages, recipients, nonce, sender, domain);
    if (!entries) return entries.error();
    if (pad > 1 && !messages.empty()) {
        // Junk entries as long as an entry for the first message (LS does the same).
        const std::size_t junk_size = messages.front().size() + TAG;
        while (entries->size() % static_cast<std::size_t>(pad) != 0) {
            Bytes filler(junk_size);
            junk.fill(filler);
            entries->push_back(std::move(filler));
        }
    }
    return encode_simple(*entries, nonce);
}

Result<Bytes> encrypt_for_multiple_simple(std::span<const Bytes> messages, std::span<const X25519Pubkey> recipients,
                                          const XChaChaNonce& nonce, const X25519Keypair& sender,
                                          std::string_view domain) {
    auto entries = encrypt_for_multiple(messages, recipients, nonce, sender, domain);
    if (!entries) return entries.error();
    return encode_simple(*entries, nonce);
}

Result<Bytes> encrypt_for_multiple_simple(std::span<const Bytes> messages, std::span<const X25519Pubkey> recipients,
                                          const X25519Keypair& sender, std::string_view domain, int pad,
                                          Entropy& entropy) {
    const auto nonce = entropy.bytes<24>();
    return encrypt_for_multiple_simple(messages, recipients, nonce, sender, domain, pad, entropy);
}

Result<Bytes> decrypt_for_multiple_simple(ByteView encoded, const X25519Keypair& recipient,
                                          const X25519Pubkey& sender, std::string_view domain) {
    BtReader in(encoded);
    std::optional<XChaChaNonce> nonce;
    std::vector<Bytes> entries;
    bool have_entries = false;
    const Error malformed{ErrorCode::bad_encoding, "not a bencoded multi-recipient message"};
    if (!in.consume('d')) return malformed;
    while (!in.consume('e')) {
        const auto key = in.string();
        if (!key) return malformed;
        const std::string name = to_string(*key);
        if (name == "#") {
            const auto value = in.string();
            if (!value || value->size() != 24) return Error{ErrorCode::bad_encoding, "the nonce \"#\" must be 24 bytes"};
            nonce.emplace();
            std::copy(value->begin(), value->end(), nonce->begin());
        } else if (name == "e") {
            if (!in.consume('l')) return malformed;
            while (!in.consume('e')) {
                const auto entry = in.string();
                if (!entry) return malformed;
                entries.emplace_back(entry->begin(), entry->end());
            }
            have_entries = true;
        } else if (!in.skip()) {
            return malformed;
        }
    }
    if (!in.at_end()) return Error{ErrorCode::bad_encoding, "trailing bytes after the bencoded message"};
    if (!nonce || !have_entries) return Error{ErrorCode::bad_encoding, "the message lacks \"#\" or \"e\""};
    return decrypt_for_multiple(entries, *nonce, recipient, sender, domain);
}

}  // namespace sessionproto
