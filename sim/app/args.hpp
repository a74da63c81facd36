#pragma once
// A small command-line reader shared by the subcommands: `--name value` and `--name=value`
// options, flags, and clear usage errors (exit code 64).
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sessionsim::app {

/// A command-line mistake: main prints it with the subcommand's usage and exits 64.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Args {
  public:
    /// `value_options` take a value; `flags` do not. Anything else starting with `--` is an error.
    Args(const std::vector<std::string>& argv, const std::vector<std::string>& value_options,
         const std::vector<std::string>& flags);

    bool flag(std::string_view name) const;
    std::optional<std::string> value(std::string_view name) const;
    std::uint64_t u64(std::string_view name, std::uint64_t fallback, std::uint64_t min_value = 0) const;
    double real(std::string_view name, double fallback) const;
    const std::vector<std::string>& positional() const noexcept { return positional_; }

  private:
    std::map<std::string, std::string, std::less<>> values_;
    std::map<std::string, bool, std::less<>> flags_;
    std::vector<std::string> positional_;
};

}  // namespace sessionsim::app
