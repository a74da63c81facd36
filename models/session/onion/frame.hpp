#pragma once
// The storage server's onion framing (spec session-crypto §4.2):
//   frame(blob, json) = LE32(len(blob)) || blob || UTF-8 JSON (an object)
#include <nlohmann/json.hpp>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"

namespace sessionproto {

/// Frames `blob` with a JSON control object, written compact with sorted keys.
Bytes frame(ByteView blob, const nlohmann::json& control);

struct FrameView {
    ByteView blob;
    nlohmann::json control;  ///< always an object
};

/// Parses a frame. Errors: truncated (fewer than 4 bytes, or a length beyond the data),
/// bad_encoding (the rest is not a JSON object).
Result<FrameView> parse_frame(ByteView data);

}  // namespace sessionproto
