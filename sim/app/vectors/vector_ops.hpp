#pragma once
// The test-vector runner's operations (tests/vectors/README.md): each op computes, from a
// vector's `input`, the object that must equal its `expected`, and, where the op has a reject
// path, says whether that path rejects an input (for `negative` cases).
//
// Ops live in one file per area (ops_identity.cpp, ops_onion.cpp, ...), each with a
// register_*_ops function called by all_ops().
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/common/result.hpp"

namespace sessionsim::vectors {

using json = nlohmann::json;

/// A vector that cannot be run as written (a missing or mistyped field): the vector fails with
/// this message.
class VectorError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Typed access to a vector's `input`; every accessor throws VectorError naming the field.
class Input {
  public:
    explicit Input(const json& input) : j_(input) {}
    const json& raw() const noexcept { return j_; }
    bool has(const std::string& name) const { return j_.contains(name); }
    const json& field(const std::string& name) const;

    sessionproto::Bytes hex(const std::string& name) const;
    /// Exactly `size` bytes of hex.
    sessionproto::Bytes hex(const std::string& name, std::size_t size) const;
    std::vector<sessionproto::Bytes> hex_list(const std::string& name) const;
    sessionproto::Bytes b64(const std::string& name) const;
    std::string text(const std::string& name) const;
    /// A string field that may be null.
    std::optional<std::string> text_or_null(const std::string& name) const;
    std::vector<std::string> text_list(const std::string& name) const;
    std::int64_t integer(const std::string& name) const;
    std::vector<std::int64_t> integer_list(const std::string& name) const;
    bool boolean(const std::string& name) const;

  private:
    const json& j_;
};

struct Op {
    /// Computes the `expected` object. Throws VectorError if the input cannot be used.
    std::function<json(const Input&)> compute;
    /// The op's reject path: true when it rejects `input` (a negative case's input); `expected`
    /// is the vector's expected object, for reject paths defined against it. Empty for ops
    /// without one.
    std::function<bool(const Input& input, const json& expected)> rejects;
};

using OpTable = std::map<std::string, Op, std::less<>>;

/// Every op the runner knows.
const OpTable& all_ops();

// One per area; each adds its ops to the table.
void register_identity_ops(OpTable& ops);
void register_session_encrypt_ops(OpTable& ops);
void register_storage_ops(OpTable& ops);
void register_onion_ops(OpTable& ops);
void register_blinding_ops(OpTable& ops);
void register_group_ops(OpTable& ops);
void register_misc_crypto_ops(OpTable& ops);

/// The value of a successful Result, or VectorError("<what>: <the error's message>").
template <class T>
T value_or_throw(sessionproto::Result<T> r, const std::string& what) {
    if (!r) {
        std::string message = what;
        message.append(": ");
        message.append(r.error().message);
        throw VectorError(message);
    }
    return std::move(r).value();
}

/// Hex of bytes, for building `expected` objects.
inline std::string hex(sessionproto::ByteView b) { return sessionproto::to_hex(b); }

}  // namespace sessionsim::vectors
