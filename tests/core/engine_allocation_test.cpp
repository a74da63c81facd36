// The engine's hot path does not allocate: after warm-up, scheduling and running events whose
// actions fit a slot performs no heap allocation. Counted with a replaced global operator new.
#include <gtest/gtest.h>


#include "sim/core/engine.hpp"
#include "sim/core/phold.hpp"
#include "tests/support/allocation_counter.hpp"

namespace sessionsim {
namespace {

using namespace std::chrono_literals;

struct Ping {
    Engine* engine;
    std::uint64_t* count;
    std::uint64_t payload[3];  // 40 bytes in all: the largest action stored in place
    void operator()() const {
        ++*count;
        engine->schedule_after(1ms + std::chrono::nanoseconds(*count % 97), Ping{*this});
    }
};

TEST(EngineAllocation, SteadyStateSchedulingDoesNotAllocate) {
    Engine engine(1);
    std::uint64_t count = 0;
    for (int i = 0; i < 1000; ++i) engine.schedule_at(SIM_EPOCH + std::chrono::microseconds(i), Ping{&engine, &count, {}});
    engine.run_until(SIM_EPOCH + 100ms);  // warm-up: queue and slot pool reach their size
    const std::size_t before = testing::allocation_count();
    engine.run_until(SIM_EPOCH + 2s);
    const std::size_t after = testing::allocation_count();
    EXPECT_GT(count, 1'000'000u);
    EXPECT_EQ(after - before, 0u) << "allocations during " << count << " events";
    EXPECT_EQ(engine.heap_allocated_actions(), 0u);
}

TEST(EngineAllocation, PholdRunsWithoutAllocatingPerEvent) {
    Engine engine(3);
    PholdConfig config;
    config.lps = 100;
    config.events_per_lp = 10;
    Phold model(engine, config);
    model.start();
    engine.run_until(SIM_EPOCH + 1s);
    const std::size_t before = testing::allocation_count();
    const std::uint64_t events_before = engine.events_processed();
    engine.run_until(SIM_EPOCH + 200s);
    EXPECT_GT(engine.events_processed() - events_before, 100'000u);
    EXPECT_EQ(testing::allocation_count() - before, 0u);
}

}  // namespace
}  // namespace sessionsim
