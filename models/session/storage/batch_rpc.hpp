#pragma once
// The storage RPC `batch`: several requests in one body, answered together (spec session-network
// §3.3; oxen-io/oxen-storage-server oxenss/rpc/client_rpc_endpoints.h `batch`, at most 20
// sub-requests; desktop snode_api/batchRequest.ts, session-android SnodeAPI.kt batch). Clients
// poll with it: one retrieve per namespace (and an expiry bump) in one onion request.
//
//   request: {"method":"batch","params":{"requests":[{"method":"retrieve","params":{...}}, ...]}}
//   reply:   {"results":[{"body":{...},"code":200}, ...]}   (one per sub-request, in order; keys
//            sorted, as oxenss's nlohmann::json objects write them)
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "models/session/common/result.hpp"
#include "models/session/storage/rpc.hpp"

namespace sessionproto {

/// oxenss: a batch (or sequence) carries at most 20 sub-requests.
inline constexpr std::size_t BATCH_MAX_SUBREQUESTS = 20;

/// `batch` starts every sub-request at once; `sequence` runs them in order and stops at the
/// first that fails (its results end there).
enum class BatchKind : std::uint8_t { batch, sequence };
/// The body of a batch over `requests` (compact JSON), as a client sends it.
std::string batch_body(const std::vector<RpcRequest>& requests, BatchKind kind = BatchKind::batch);

/// One sub-request as the node reads it: its method name and params object, still unparsed.
struct BatchSubrequest {
    std::string method;
    nlohmann::json params;
};
/// The `params` of a batch: 1 to BATCH_MAX_SUBREQUESTS sub-requests, each an object with a string
/// `method` and an object `params`. Errors (bad_encoding / missing_field) name what is wrong.
Result<std::vector<BatchSubrequest>> parse_batch_params(const nlohmann::json& params);

/// One sub-request's answer: its HTTP status and body (JSON when it parses, else the text).
struct BatchResult {
    int code = 0;
    nlohmann::json body;
    friend bool operator==(const BatchResult&, const BatchResult&) = default;
};
/// One sub-request's answer as the node writes it: the body already serialized, as JSON text
/// (`json` true) or as plain text (an error message, written out as a JSON string).
struct BatchAnswer {
    int code = 0;
    std::string body;
    bool json = false;
};
/// `{"results":[{"body":...,"code":...}, ...]}`, compact, keys in nlohmann::json's sorted order (so a
/// reply of canonical bodies is itself canonical: common/canonical_json.hpp); JSON bodies are
/// spliced in as they are.
std::string batch_reply_body(const std::vector<BatchAnswer>& answers);
/// A batch reply; `expected` sub-results (a reply with another count is an error). `body` is
/// taken by value so that a caller done with it can move it in: the sub-bodies are moved out.
Result<std::vector<BatchResult>> parse_batch_reply(nlohmann::json body, std::size_t expected);
/// parse_batch_reply of a reply's text, where only the first `bodies_read` sub-bodies are read
/// (the others are left null: a client that sets an answer aside never looks at it). A canonical
/// text (common/canonical_json.hpp) is split without its tree, each body read parsed on its own;
/// any other text, or one parse_batch_reply would refuse, takes the tree's path and its errors
/// ("not JSON" when it does not parse).
Result<std::vector<BatchResult>> parse_batch_reply_text(std::string_view text, std::size_t expected,
                                                        std::size_t bodies_read);

}  // namespace sessionproto
