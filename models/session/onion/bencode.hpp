#pragma once
// Bencoding of flat dictionaries, as service nodes exchange relayed onion requests (oxenmq's
// sn.onion_request): `d` then, in sorted key order, `<len>:<key>` and a value that is a byte
// string `<len>:<bytes>` or an integer `i<n>e`, then `e`. Lists and nested dictionaries are not
// part of these messages and are rejected. The decoder is strict (it reads untrusted bytes).
#include <cstdint>
#include <map>
#include <string>
#include <variant>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"

namespace sessionproto {

using BencodeValue = std::variant<std::string, std::int64_t>;
using BencodeDict = std::map<std::string, BencodeValue>;

Bytes bencode_dict(const BencodeDict& dict);

/// Decodes exactly one flat dictionary filling all of `data`. Errors: truncated, bad_encoding
/// (malformed, trailing bytes, unsorted or duplicate keys, leading zeros, a list or nested dict).
Result<BencodeDict> bdecode_dict(ByteView data);

}  // namespace sessionproto
