#include "sim/core/engine.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace sessionsim {
namespace {

using namespace std::chrono_literals;

TEST(Engine, RunsEventsInTimeOrder) {
    Engine engine;
    std::vector<int> order;
    engine.schedule_at(SIM_EPOCH + 30ms, [&] { order.push_back(3); });
    engine.schedule_at(SIM_EPOCH + 10ms, [&] { order.push_back(1); });
    engine.schedule_at(SIM_EPOCH + 20ms, [&] { order.push_back(2); });
    const RunStats stats = engine.run();
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(stats.events_processed, 3u);
    EXPECT_TRUE(stats.queue_empty);
    EXPECT_EQ(engine.now(), SIM_EPOCH + 30ms);
}

TEST(Engine, SameTimeEventsRunInSchedulingOrder) {
    Engine engine;
    std::vector<int> order;
    // Interleave two times so that heap order alone would not give FIFO.
    for (int i = 0; i < 200; ++i) {
        const SimTime at = SIM_EPOCH + (i % 2 == 0 ? 5ms : 7ms);
        engine.schedule_at(at, [&order, i] { order.push_back(i); });
    }
    engine.run();
    ASSERT_EQ(order.size(), 200u);
    for (std::size_t k = 0; k < 100; ++k) EXPECT_EQ(order[k], static_cast<int>(2 * k)) << k;
    for (std::size_t k = 0; k < 100; ++k) EXPECT_EQ(order[100 + k], static_cast<int>(2 * k + 1)) << k;
}

TEST(Engine, EventsScheduledForNowRunAfterThoseAlreadyQueuedForNow) {
    Engine engine;
    std::vector<std::string> order;
    engine.schedule_at(SIM_EPOCH + 1s, [&] {
        order.push_back("a");
        engine.schedule_after(0s, [&] { order.push_back("c"); });
    });
    engine.schedule_at(SIM_EPOCH + 1s, [&] { order.push_back("b"); });
    engine.run();
    EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Engine, CancelPreventsTheEventAndStaleHandlesAreHarmless) {
    Engine engine;
    int ran = 0;
    const EventHandle a = engine.schedule_at(SIM_EPOCH + 1s, [&] { ran += 1; });
    const EventHandle b = engine.schedule_at(SIM_EPOCH + 2s, [&] { ran += 10; });
    EXPECT_EQ(engine.pending(), 2u);
    EXPECT_TRUE(engine.cancel(a));
    EXPECT_FALSE(engine.cancel(a));  // twice: harmless
    EXPECT_EQ(engine.pending(), 1u);
    // The cancelled slot is reused by a new event; the old handle must not cancel it.
    const EventHandle c = engine.schedule_at(SIM_EPOCH + 3s, [&] { ran += 100; });
    EXPECT_FALSE(engine.cancel(a));
    engine.run();
    EXPECT_EQ(ran, 110);
    EXPECT_FALSE(engine.cancel(b));  // already ran
    EXPECT_FALSE(engine.cancel(c));
    EXPECT_FALSE(engine.cancel(EventHandle{}));  // never scheduled
    EXPECT_EQ(engine.events_processed(), 2u);
}

TEST(Engine, AnEventCannotCancelItselfWhileRunningButCanCancelOthers) {
    Engine engine;
    EventHandle self, other;
    bool other_ran = false;
    bool self_cancel_result = true;
    self = engine.schedule_at(SIM_EPOCH + 1s, [&] {
        self_cancel_result = engine.cancel(self);
        EXPECT_TRUE(engine.cancel(other));
    });
    other = engine.schedule_at(SIM_EPOCH + 1s, [&] { other_ran = true; });
    engine.run();
    EXPECT_FALSE(self_cancel_result);
    EXPECT_FALSE(other_ran);
}

TEST(Engine, ManyCancellationsKeepTheQueueSmall) {
    Engine engine;
    int ran = 0;
    // A timer re-armed 100,000 times (as retransmission timers are): the stale entries are compacted.
    EventHandle timer;
    for (int i = 0; i < 100'000; ++i) {
        engine.cancel(timer);
        timer = engine.schedule_at(SIM_EPOCH + std::chrono::milliseconds(i + 1), [&] { ++ran; });
    }
    EXPECT_EQ(engine.pending(), 1u);
    EXPECT_LT(engine.memory_bytes(), std::size_t{2} << 20);
    engine.run();
    EXPECT_EQ(ran, 1);
    EXPECT_EQ(engine.now(), SIM_EPOCH + 100000ms);
}

TEST(Engine, RunUntilIncludesTheDeadlineAndAdvancesTimeToIt) {
    Engine engine;
    std::vector<int> ran;
    engine.schedule_at(SIM_EPOCH + 1s, [&] { ran.push_back(1); });
    engine.schedule_at(SIM_EPOCH + 2s, [&] { ran.push_back(2); });
    engine.schedule_at(SIM_EPOCH + 3s, [&] { ran.push_back(3); });
    RunStats stats = engine.run_until(SIM_EPOCH + 2s);
    EXPECT_EQ(ran, (std::vector<int>{1, 2}));
    EXPECT_EQ(stats.events_processed, 2u);
    EXPECT_FALSE(stats.queue_empty);
    EXPECT_EQ(engine.now(), SIM_EPOCH + 2s);
    // Nothing due in (2 s, 2.5 s]: time still moves to the deadline.
    stats = engine.run_until(SIM_EPOCH + 2500ms);
    EXPECT_EQ(stats.events_processed, 0u);
    EXPECT_EQ(engine.now(), SIM_EPOCH + 2500ms);
    stats = engine.run_until(SIM_EPOCH + 10s);
    EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));
    EXPECT_TRUE(stats.queue_empty);
    EXPECT_EQ(engine.now(), SIM_EPOCH + 10s);
}

TEST(Engine, StepRunsExactlyOneLiveEvent) {
    Engine engine;
    int ran = 0;
    const EventHandle first = engine.schedule_at(SIM_EPOCH + 1s, [&] { ran += 1; });
    engine.schedule_at(SIM_EPOCH + 2s, [&] { ran += 2; });
    engine.cancel(first);
    EXPECT_TRUE(engine.step());
    EXPECT_EQ(ran, 2);
    EXPECT_EQ(engine.now(), SIM_EPOCH + 2s);
    EXPECT_FALSE(engine.step());
}

TEST(Engine, RequestStopEndsTheRunAfterTheCurrentEvent) {
    Engine engine;
    int ran = 0;
    for (int i = 1; i <= 10; ++i) {
        engine.schedule_at(SIM_EPOCH + std::chrono::seconds(i), [&, i] {
            ++ran;
            if (i == 4) engine.request_stop();
        });
    }
    RunStats stats = engine.run_until(SIM_EPOCH + 100s);
    EXPECT_TRUE(stats.stop_requested);
    EXPECT_EQ(ran, 4);
    EXPECT_EQ(engine.now(), SIM_EPOCH + 4s);  // not moved to the deadline
    stats = engine.run_until(SIM_EPOCH + 100s);
    EXPECT_FALSE(stats.stop_requested);
    EXPECT_EQ(ran, 10);
}

TEST(Engine, AnExceptionEscapingAnEventIsRethrownWithTimeAndEventNumber) {
    Engine engine;
    engine.schedule_at(SIM_EPOCH + 1s, [] {});
    engine.schedule_at(SIM_EPOCH + 1500ms, [] { throw std::logic_error("model broke"); });
    try {
        engine.run();
        FAIL() << "no exception";
    } catch (const EventError& e) {
        EXPECT_EQ(e.at(), SIM_EPOCH + 1500ms);
        EXPECT_EQ(e.event_number(), 2u);
        const std::string what = e.what();
        EXPECT_NE(what.find("event #2"), std::string::npos) << what;
        EXPECT_NE(what.find("t=1.500000000"), std::string::npos) << what;
        EXPECT_NE(what.find("model broke"), std::string::npos) << what;
        EXPECT_THROW(std::rethrow_if_nested(e), std::logic_error);
    }
    // The engine is still usable afterwards.
    bool later = false;
    engine.schedule_after(1s, [&] { later = true; });
    engine.run();
    EXPECT_TRUE(later);
}

TEST(Engine, PendingActionsAreDestroyedWithTheEngine) {
    auto resource = std::make_shared<int>(7);
    {
        Engine engine;
        engine.schedule_at(SIM_EPOCH + 1s, [resource] { (void)resource; });
        const EventHandle h = engine.schedule_at(SIM_EPOCH + 2s, [resource] { (void)resource; });
        engine.cancel(h);
        EXPECT_EQ(resource.use_count(), 2);  // the cancelled copy is already gone
    }
    EXPECT_EQ(resource.use_count(), 1);
}

TEST(Engine, LargeActionsFallBackToTheHeapAndAreCounted) {
    Engine engine;
    std::array<std::uint64_t, 32> big{};  // 256 bytes: does not fit a slot
    big[31] = 5;
    std::uint64_t seen = 0;
    engine.schedule_at(SIM_EPOCH + 1s, [big, &seen] { seen = big[31]; });
    engine.schedule_at(SIM_EPOCH + 1s, [&seen] { seen += 1; });
    EXPECT_EQ(engine.heap_allocated_actions(), 1u);
    engine.run();
    EXPECT_EQ(seen, 6u);
}

TEST(Engine, ThousandEnginesLiveInOneProcessIndependently) {
    std::vector<std::unique_ptr<Engine>> engines;
    std::vector<int> counts(1000, 0);
    for (int i = 0; i < 1000; ++i) {
        engines.push_back(std::make_unique<Engine>(static_cast<std::uint64_t>(i)));
        for (int k = 0; k <= i % 7; ++k) {
            engines.back()->schedule_at(SIM_EPOCH + std::chrono::milliseconds(k + i), [&counts, i] { ++counts[i]; });
        }
    }
    // Interleave the runs: no engine sees another's events or time.
    for (int i = 999; i >= 0; --i) engines[i]->run_until(SIM_EPOCH + 500ms);
    for (int i = 0; i < 1000; ++i) {
        int expected = 0;
        for (int k = 0; k <= i % 7; ++k) expected += (i + k <= 500) ? 1 : 0;
        ASSERT_EQ(counts[i], expected) << i;
        EXPECT_EQ(engines[i]->now(), SIM_EPOCH + 500ms);
        EXPECT_EQ(engines[i]->seed(), static_cast<std::uint64_t>(i));
    }
}

TEST(Engine, CurrentNamesTheRunningEngineOnlyWhileRunning) {
    Engine outer, inner;
    const Engine* seen_outer = nullptr;
    const Engine* seen_inner = nullptr;
    const Engine* after_inner = nullptr;
    inner.schedule_at(SIM_EPOCH + 1s, [&] { seen_inner = Engine::current(); });
    outer.schedule_at(SIM_EPOCH + 1s, [&] {
        seen_outer = Engine::current();
        inner.run();
        after_inner = Engine::current();
    });
    EXPECT_EQ(Engine::current(), nullptr);
    outer.run();
    EXPECT_EQ(seen_outer, &outer);
    EXPECT_EQ(seen_inner, &inner);
    EXPECT_EQ(after_inner, &outer);
    EXPECT_EQ(Engine::current(), nullptr);
}

TEST(Engine, FingerprintDependsOnTimesOrderAndTags) {
    auto run = [](std::uint64_t tag_of_second, SimDuration second_at) {
        Engine engine;
        engine.schedule_at(SIM_EPOCH + 1s, 1, [] {});
        engine.schedule_at(SIM_EPOCH + second_at, tag_of_second, [] {});
        engine.run();
        return engine.fingerprint().value();
    };
    const auto base = run(2, 2s);
    EXPECT_EQ(base, run(2, 2s));
    EXPECT_NE(base, run(3, 2s));
    EXPECT_NE(base, run(2, 3s));
    // Order: the same two same-time events scheduled the other way round.
    auto in_order = [](std::uint32_t first, std::uint32_t second) {
        Engine engine;
        engine.schedule_at(SIM_EPOCH + 1s, first, [] {});
        engine.schedule_at(SIM_EPOCH + 1s, second, [] {});
        engine.run();
        return engine.fingerprint().value();
    };
    EXPECT_NE(in_order(1, 2), in_order(2, 1));
}

using EngineDeathTest = ::testing::Test;

TEST(EngineDeathTest, SchedulingInThePastAbortsWithTimeAndEventNumber) {
    EXPECT_DEATH(
        {
            Engine engine;
            engine.schedule_at(SIM_EPOCH + 2s, [&] { engine.schedule_at(SIM_EPOCH + 1s, [] {}); });
            engine.run();
        },
        "SIM_ASSERT failed: when >= now_.*simulated time 2.000000000 s, event #1");
}

TEST(EngineDeathTest, SimAssertOutsideAnEngineSaysSo) {
    EXPECT_DEATH(SIM_ASSERT(1 + 1 == 3, "arithmetic"), "SIM_ASSERT failed: 1 \\+ 1 == 3 \\(arithmetic\\).*outside any event");
}

}  // namespace
}  // namespace sessionsim
