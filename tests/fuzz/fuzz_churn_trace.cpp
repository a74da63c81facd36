// libFuzzer target: the churn trace's CSV parser (sim/adversary/churn/churn_trace.hpp), which reads a
// user's file named by a scenario. It must never crash or throw; every event it accepts must be
// consistent with the grammar (times in order, nodes in range, downs and ups alternating).
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/adversary/churn/churn_trace.hpp"

using namespace sessionsim;
using namespace sessionsim::adversary;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte picks the network's size (0..255 initial nodes).
    const std::uint64_t nodes = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const ChurnTrace trace = parse_churn_trace(text, nodes, 5);
    if (trace.problems.size() > 5) __builtin_trap();
    std::vector<bool> up(nodes, true);
    SimDuration previous{};
    for (const auto& e : trace.events) {
        if (e.at < previous || e.at < SimDuration::zero() || e.line == 0) __builtin_trap();
        previous = e.at;
        if (e.kind == ChurnTraceEvent::Kind::join) {
            if (e.node != up.size()) __builtin_trap();
            up.push_back(true);
            continue;
        }
        if (e.node >= up.size()) __builtin_trap();
        const bool down = e.kind == ChurnTraceEvent::Kind::down;
        if (up[e.node] != down) __builtin_trap();
        up[e.node] = !down;
    }
    (void)format_trace_time(previous);
    return 0;
}
