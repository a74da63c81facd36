#pragma once
// The one way the statistics and the adversary library report a bad argument:
// std::invalid_argument saying "<function>: <requirement>, got <value>" (the value to 10
// significant digits).
#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sessionsim::stats::detail {

inline std::string describe(double value) {
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.10g", value);
    return text.data();
}

[[noreturn]] inline void reject(std::string_view function, std::string_view requirement) {
    std::string message(function);
    message.append(": ").append(requirement);
    throw std::invalid_argument(message);
}

[[noreturn]] inline void reject(std::string_view function, std::string_view requirement, double got) {
    std::string message(requirement);
    message.append(", got ").append(describe(got));
    reject(function, message);
}

}  // namespace sessionsim::stats::detail
