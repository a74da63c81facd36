#include "sim/host/randombytes_guard.hpp"

#include <sodium.h>

#include <atomic>
#include <cstring>

namespace sessionsim::host {
namespace {

std::atomic<std::uint64_t> calls{0};
std::uint64_t baseline = 0;  // libsodium's own draw at initialisation (its memory canary)
std::atomic<std::uint64_t> counter{0};

// A fixed stream (splitmix64 of a counter): deterministic, and never used by correct code.
std::uint64_t next_word() noexcept {
    std::uint64_t z = (counter.fetch_add(1) + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

const char* guard_name() { return "sessionsim-guard"; }
std::uint32_t guard_random() {
    calls.fetch_add(1);
    return static_cast<std::uint32_t>(next_word());
}
void guard_stir() {}
void guard_buf(void* buf, std::size_t size) {
    calls.fetch_add(1);
    auto* out = static_cast<unsigned char*>(buf);
    for (std::size_t i = 0; i < size; i += 8) {
        const std::uint64_t w = next_word();
        std::memcpy(out + i, &w, size - i < 8 ? size - i : 8);
    }
}
int guard_close() { return 0; }

randombytes_implementation guard_impl = {guard_name, guard_random, guard_stir, nullptr, guard_buf, guard_close};

}  // namespace

void install_randombytes_guard() noexcept {
    static const bool installed = [] {
        randombytes_set_implementation(&guard_impl);
        // sodium_init draws once for the canary of its guarded allocations: not a key or nonce.
        if (sodium_init() < 0) return false;
        baseline = calls.load();
        return true;
    }();
    (void)installed;
}

std::uint64_t randombytes_guard_calls() noexcept { return calls.load() - baseline; }

}  // namespace sessionsim::host
