#pragma once
// JSON field readers shared by every codec of JSON bodies (storage RPC, member results, directory
// RPCs, sn.data pushes). Untrusted JSON never throws here: each reader checks the field's type
// before reading it. An absent field and a null one are the same ("omitted", as the storage
// server treats them).
//
// Two families:
// - strict readers (`opt_*`, `required_*`) return Result with the storage server's error texts
//   ("Invalid value given for 'x': expected ...", "Required field 'x' missing");
// - lenient readers (`*_or_none`) return nullopt for an absent field or one of the wrong type,
//   for codecs that skip a bad entry instead of rejecting the whole body.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/session/common/result.hpp"
#include "models/session/crypto/keys.hpp"

/// `auto var = expr;` and return its error when it failed (for functions returning a Result).
#define SP_TRY(var, expr)  \
    auto var = (expr);     \
    if (!var.ok()) return var.error()

namespace sessionproto::json_field {

using nlohmann::json;

/// The field `name` of object `obj`; nullptr when absent or null (or when `obj` is no object).
const json* find_field(const json& obj, const char* name);

/// `Invalid value given for '<name>': expected <expected>` (bad_encoding).
Error wrong_type(std::string_view name, std::string_view expected);
/// `Required field '<name>' missing` (missing_field).
Error missing(std::string_view name);

// ---- Strict readers ----------------------------------------------------------------------------

Result<std::optional<std::string>> opt_string(const json& obj, const char* name);
Result<std::optional<bool>> opt_bool(const json& obj, const char* name);
/// An integer that fits an `int`.
Result<std::optional<int>> opt_int(const json& obj, const char* name);
/// A required integer that fits an `int64_t`.
Result<std::int64_t> required_int64(const json& obj, const char* name);
/// `j` itself as a list of strings (`name` names it in the error).
Result<std::vector<std::string>> string_array(const json& j, std::string_view name);
/// 86 base64 characters, or 88 ending "==", decoding to a 64-byte Ed25519 signature.
Result<Signature> signature_from_base64(const std::string& text);
std::string signature_to_base64(const Signature& signature);

// ---- Lenient readers -----------------------------------------------------------------------------

std::optional<std::string> string_or_none(const json& obj, const char* name);
/// An integer field that fits an int64_t (unsigned values above INT64_MAX are none).
std::optional<std::int64_t> int64_or_none(const json& obj, const char* name);
/// A hex key field (`Ed25519Pubkey`, `X25519Pubkey`, ...) read with `Key::from_hex`.
template <class Key>
std::optional<Key> key_or_none(const json& obj, const char* name) {
    const json* f = find_field(obj, name);
    if (f == nullptr || !f->is_string()) return std::nullopt;
    auto key = Key::from_hex(f->template get_ref<const std::string&>());
    if (!key) return std::nullopt;
    return *key;
}

// ---- Text ----------------------------------------------------------------------------------------

/// Parses `text`; a discarded value (never an exception) when it is not JSON.
json parse_or_discard(std::string_view text);
/// Compact JSON text that never throws: invalid UTF-8 (from a peer's text) is replaced.
std::string safe_dump(const json& j);

}  // namespace sessionproto::json_field
