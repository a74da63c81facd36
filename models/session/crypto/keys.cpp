#include "models/session/crypto/keys.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <memory>

#include "models/session/common/sodium.hpp"

namespace sessionproto {

Ed25519Seed Ed25519Keypair::seed() const {
    Ed25519Seed s;
    std::copy(sec.data.begin(), sec.data.begin() + 32, s.data.begin());
    return s;
}

Ed25519Keypair ed25519_from_seed(const Ed25519Seed& seed) {
    sodium_ready();
    Ed25519Keypair kp;
    crypto_sign_ed25519_seed_keypair(kp.pub.uc(), kp.sec.uc(), seed.uc());
    return kp;
}

Ed25519Keypair ed25519_generate(Entropy& entropy) {
    Ed25519Seed seed;
    entropy.fill(seed.span());
    return ed25519_from_seed(seed);
}

X25519Pubkey x25519_public(const X25519SecretKey& sec) {
    sodium_ready();
    X25519Pubkey pub;
    crypto_scalarmult_curve25519_base(pub.uc(), sec.uc());
    return pub;
}

X25519Keypair x25519_generate(Entropy& entropy) {
    X25519Keypair kp;
    entropy.fill(kp.sec.span());
    kp.pub = x25519_public(kp.sec);
    return kp;
}

namespace {

// crypto_sign_ed25519_pk_to_curve25519 decompresses the point (a field square root): as costly as
// a signature check, and every authenticated request converts its pubkey_ed25519 again, at each
// swarm member it reaches. The conversion is a pure function of the key, so a small direct-mapped
// memo per thread answers repeats; a slot is taken by the whole 32-byte key, so a hit is exact.
struct PubkeyConversionMemo {
    static constexpr std::size_t SLOTS = 4096;
    struct Slot {
        Ed25519Pubkey key;
        X25519Pubkey converted;
        bool filled = false;
        bool valid = false;
    };
    std::array<Slot, SLOTS> slots{};

    Slot& slot_for(const Ed25519Pubkey& pub) {
        std::uint64_t h = 0;
        for (std::size_t i = 0; i < 8; ++i) h = (h << 8) | std::to_integer<std::uint64_t>(pub.data[i]);  // keys are uniform bytes
        return slots[h % SLOTS];
    }
};

}  // namespace

Result<X25519Pubkey> x25519_from_ed25519(const Ed25519Pubkey& pub) {
    thread_local auto memo = std::make_unique<PubkeyConversionMemo>();
    auto& slot = memo->slot_for(pub);
    if (!slot.filled || slot.key.data != pub.data) {
        sodium_ready();
        slot.key = pub;
        slot.filled = true;
        slot.valid = crypto_sign_ed25519_pk_to_curve25519(slot.converted.uc(), pub.uc()) == 0;
    }
    if (!slot.valid) return Error{ErrorCode::bad_encoding, "not a valid Ed25519 public key"};
    return slot.converted;
}

X25519SecretKey x25519_from_ed25519(const Ed25519SecretKey& sec) {
    sodium_ready();
    X25519SecretKey out;
    crypto_sign_ed25519_sk_to_curve25519(out.uc(), sec.uc());
    return out;
}

X25519Keypair x25519_from_ed25519(const Ed25519Keypair& identity) {
    X25519Keypair kp;
    kp.sec = x25519_from_ed25519(identity.sec);
    kp.pub = x25519_public(kp.sec);
    return kp;
}

Signature ed25519_sign(const Ed25519SecretKey& sec, ByteView message) {
    sodium_ready();
    Signature sig;
    crypto_sign_ed25519_detached(sig.uc(), nullptr, uc(message), message.size(), sec.uc());
    return sig;
}

bool ed25519_verify(const Ed25519Pubkey& pub, const Signature& sig, ByteView message) {
    sodium_ready();
    return crypto_sign_ed25519_verify_detached(sig.uc(), uc(message), message.size(), pub.uc()) == 0;
}

Result<SymmetricKey> x25519_shared(const X25519SecretKey& a, const X25519Pubkey& b) {
    sodium_ready();
    SymmetricKey out;
    if (crypto_scalarmult_curve25519(out.uc(), a.uc(), b.uc()) != 0) {
        return Error{ErrorCode::decrypt_failed, "X25519 with a low-order public key"};
    }
    return out;
}

}  // namespace sessionproto
