#pragma once
// The subcommands of `sessionsim`, one function each; `args` excludes the command name.
#include <string>
#include <vector>

namespace sessionsim::app {

inline constexpr int EXIT_OK = 0;
inline constexpr int EXIT_CHECK_FAILED = 1;
inline constexpr int EXIT_BAD_INPUT = 2;
inline constexpr int EXIT_ENVIRONMENT = 3;
inline constexpr int EXIT_USAGE = 64;

int run_phold_command(const std::vector<std::string>& args);
int run_vectors_command(const std::vector<std::string>& args);
int run_validate_command(const std::vector<std::string>& args);
int run_run_command(const std::vector<std::string>& args);
int run_sweep_command(const std::vector<std::string>& args);
int run_calibrate_command(const std::vector<std::string>& args);

}  // namespace sessionsim::app
