#include "models/session/common/sodium.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>

namespace sessionproto {

void sodium_ready() noexcept {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) {
            std::fputs("sessionproto: libsodium failed to initialise\n", stderr);
            std::abort();
        }
    });
}

bool aes256gcm_available() noexcept {
    sodium_ready();
    return crypto_aead_aes256gcm_is_available() == 1;
}

void os_random_bytes(void* out, std::size_t size) noexcept {
    // /dev/urandom directly: independent of whatever randombytes implementation is installed.
    static std::mutex lock;
    std::lock_guard guard(lock);
    static std::FILE* urandom = std::fopen("/dev/urandom", "rb");
    if (urandom == nullptr || std::fread(out, 1, size, urandom) != size) {
        std::fputs("sessionproto: cannot read /dev/urandom\n", stderr);
        std::abort();
    }
}

}  // namespace sessionproto
