#pragma once
// A small logger with categories and levels, set at run time with e.g. `--log=net:debug,engine:info`.
// Every line is prefixed with the simulated time and the node: `[  12.345678] sn-0042 net: ...`.
// No wall-clock time, so the logs of two runs with one seed diff cleanly.
//
//   SIM_LOG(engine.log(), info, net, "sn-0042") << "relayed " << size << " bytes";
//
// The stream expression is evaluated only when the category is enabled at that level.
// SIM_LOG_TRACE compiles to nothing unless SESSIONSIM_ENABLE_TRACE_LOG is defined.
#include <array>
#include <cstdint>
#include <iosfwd>
#include <sstream>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace sessionsim {

enum class LogLevel : std::uint8_t { trace, debug, info, warn, error, off };

enum class LogCategory : std::uint8_t { engine, net, host, workload, adversary, scenario, metrics, app, model };
inline constexpr std::size_t LOG_CATEGORY_COUNT = 9;

std::string_view to_string(LogLevel level) noexcept;
std::string_view to_string(LogCategory category) noexcept;

class Logger {
  public:
    /// Lines go to `out` (std::cerr when null); the time prefix reads `*clock` (0 when null).
    explicit Logger(std::ostream* out = nullptr, const SimTime* clock = nullptr) noexcept;

    /// "net:debug,engine:info" sets those categories; a bare level ("debug") or "all:debug" sets
    /// every category. Throws std::invalid_argument naming the bad part and the valid choices.
    void configure(std::string_view spec);
    void set_level(LogCategory category, LogLevel level) noexcept;
    void set_output(std::ostream* out) noexcept;
    void set_clock(const SimTime* clock) noexcept { clock_ = clock; }

    bool enabled(LogCategory category, LogLevel level) const noexcept {
        return level >= levels_[static_cast<std::size_t>(category)] && level != LogLevel::off;
    }
    void write(LogLevel level, LogCategory category, std::string_view node, std::string_view message);

  private:
    std::ostream* out_;
    const SimTime* clock_;
    std::array<LogLevel, LOG_CATEGORY_COUNT> levels_;
};

/// One line under construction; written when it goes out of scope.
class LogLine {
  public:
    LogLine(Logger& logger, LogLevel level, LogCategory category, std::string_view node)
        : logger_(logger), level_(level), category_(category), node_(node) {}
    LogLine(const LogLine&) = delete;
    LogLine& operator=(const LogLine&) = delete;
    ~LogLine() { logger_.write(level_, category_, node_, text_.str()); }
    std::ostringstream& stream() noexcept { return text_; }

  private:
    Logger& logger_;
    LogLevel level_;
    LogCategory category_;
    std::string_view node_;
    std::ostringstream text_;
};

}  // namespace sessionsim

#define SIM_LOG(logger, level, category, node)                                                   \
    if (!(logger).enabled(::sessionsim::LogCategory::category, ::sessionsim::LogLevel::level)) { \
    } else                                                                                        \
        ::sessionsim::LogLine((logger), ::sessionsim::LogLevel::level,                          \
                              ::sessionsim::LogCategory::category, (node))                        \
            .stream()

#ifdef SESSIONSIM_ENABLE_TRACE_LOG
#define SIM_LOG_TRACE(logger, category, node) SIM_LOG(logger, trace, category, node)
#else
#define SIM_LOG_TRACE(logger, category, node) \
    if (true) {                               \
    } else                                    \
        std::ostringstream()
#endif
