// libFuzzer target: a relayed onion request between nodes (bencoded dict).
#include "models/session/onion/bencode.hpp"
#include "models/session/onion/hop_processing.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(reinterpret_cast<const std::byte*>(data), size);
    auto dict = bdecode_dict(input);
    if (dict) {
        // What decodes must re-encode to the same bytes (the encoding is canonical).
        if (bencode_dict(*dict) != Bytes(input.begin(), input.end())) __builtin_trap();
    }
    (void)parse_relay(input);
    return 0;
}
