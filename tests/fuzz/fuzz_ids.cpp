// libFuzzer target: Account ID and prefixed-ID parsing from text and from bytes.
#include <string_view>

#include "models/session/crypto/account_id.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto id = AccountId::parse(text);
    if (id && id->hex() != text) {
        // Parsing accepts either case; the canonical form is lowercase and must round-trip.
        auto again = AccountId::parse(id->hex());
        if (!again || *again != *id) __builtin_trap();
    }
    (void)SessionId::parse(text);
    (void)SessionId::from_bytes(as_bytes(text));
    return 0;
}
