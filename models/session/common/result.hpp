#pragma once
// Result<T>: a value or an error (code + message), for everything that handles untrusted input.
// Nothing in models/ throws across the sans-IO boundary on hostile bytes; it returns one of these.
#include <string>
#include <utility>
#include <variant>

#include "models/session/common/error.hpp"

namespace sessionproto {

struct Error {
    ErrorCode code = ErrorCode::invalid_argument;
    std::string message;
};

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}                 // NOLINT: implicit by design
    Result(Error error) : v_(std::move(error)) {}             // NOLINT
    Result(ErrorCode code, std::string message) : v_(Error{code, std::move(message)}) {}

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const& { return std::get<1>(v_); }

  private:
    std::variant<T, Error> v_;
};

/// For operations that return nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace sessionproto
