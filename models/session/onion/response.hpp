#pragma once
// Replies to onion requests (spec session-crypto §4.4; oxen-storage-server wrap_proxy_response).
// The final service node encrypts {"body": <rpc response>, "status": <code>} with the
// destination layer's key; it travels back along the path unchanged, base64-encoded unless the
// request said "base64": false. The client decrypts with the key it kept.
#include <string>
#include <string_view>

#include "models/session/common/bytes.hpp"
#include "models/session/common/entropy.hpp"
#include "models/session/common/result.hpp"
#include "models/session/onion/builder.hpp"
#include "models/session/onion/hop_processing.hpp"

namespace sessionproto {

struct OnionResponse {
    int status = 0;
    std::string body;
};

/// The plaintext JSON {"body": ..., "status": ...} (compact, sorted keys); with json_body the
/// body is embedded as JSON when it parses as JSON.
std::string snode_response_json(const FinalDestination& request, const OnionResponse& response);

/// The bytes the final node sends back: encrypted, then base64 text unless base64 is false.
Result<Bytes> encode_snode_response(const FinalDestination& request, const OnionResponse& response, Entropy& entropy);
/// The same from the plaintext snode_response_json already built (a reply shared by many
/// requests builds it once: models/session/node/pool_reply.hpp).
Result<Bytes> seal_snode_response(const FinalDestination& request, std::string_view response_json, Entropy& entropy);
/// A modelled request's reply (request.modelled): the stand-in seal, which draws no randomness.
Bytes seal_snode_response_modelled(const FinalDestination& request, std::string_view response_json);
/// The same with an explicit nonce (known-answer tests).
Result<Bytes> encode_snode_response(const FinalDestination& request, const OnionResponse& response, ByteView nonce);

/// The client's side: base64-decodes if the reply is base64 text, decrypts with the request's
/// destination key, parses {"body", "status"} (or Session desktop's {"result": b64} wrapper
/// is not produced by nodes and is rejected). Errors: bad_encoding, decrypt_failed, missing_field.
Result<OnionResponse> decode_snode_response(const OnionRequest& request, ByteView reply);
/// The plaintext part of decode_snode_response: {"body", "status"} read into a response (a string
/// body as its characters, any other JSON body as its compact text). A canonical text
/// (common/canonical_json.hpp) is read straight from its bytes, anything else through the parsed
/// tree: the same result either way. Errors: bad_encoding, missing_field.
Result<OnionResponse> read_snode_response_json(std::string_view text);

}  // namespace sessionproto
