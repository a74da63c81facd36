#include "models/session/onion/frame.hpp"

namespace sessionproto {

Bytes frame(ByteView blob, const nlohmann::json& control) {
    const std::string json = control.dump();
    Bytes out;
    out.reserve(4 + blob.size() + json.size());
    append_le32(out, static_cast<std::uint32_t>(blob.size()));
    append(out, blob);
    append(out, json);
    return out;
}

Result<FrameView> parse_frame(ByteView data) {
    if (data.size() < 4) return Error{ErrorCode::truncated, "frame shorter than its 4-byte length"};
    const std::uint32_t n = read_le32(data.first(4));
    if (n > data.size() - 4) {
        return Error{ErrorCode::truncated, "frame says " + std::to_string(n) + " bytes but has " +
                                               std::to_string(data.size() - 4)};
    }
    const ByteView rest = data.subspan(4 + n);
    const auto* begin = reinterpret_cast<const char*>(rest.data());
    nlohmann::json control = nlohmann::json::parse(begin, begin + rest.size(), nullptr, /*allow_exceptions=*/false);
    if (control.is_discarded() || !control.is_object()) {
        return Error{ErrorCode::bad_encoding, "frame's control part is not a JSON object"};
    }
    return FrameView{data.subspan(4, n), std::move(control)};
}

}  // namespace sessionproto
