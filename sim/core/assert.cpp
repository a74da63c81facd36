#include "sim/core/assert.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/core/engine.hpp"

namespace sessionsim {

void assert_failed(const char* condition, std::string_view message, const char* file, int line) noexcept {
    const Engine* engine = Engine::current();
    if (engine != nullptr) {
        std::fprintf(stderr, "SIM_ASSERT failed: %s (%.*s) at %s:%d; simulated time %s s, event #%llu\n",
                     condition, static_cast<int>(message.size()), message.data(), file, line,
                     format_time(engine->now()).c_str(),
                     static_cast<unsigned long long>(engine->events_processed()));
    } else {
        std::fprintf(stderr, "SIM_ASSERT failed: %s (%.*s) at %s:%d; outside any event\n", condition,
                     static_cast<int>(message.size()), message.data(), file, line);
    }
    std::fflush(stderr);
    std::abort();
}

}  // namespace sessionsim
