#pragma once
// The discrete-event engine: an ordinary object (no globals), so many engines live in one process.
//
// Events are ordered by (time, sequence): same-time events run in the order they were scheduled.
// An action is any callable `void()`. It is stored in place in a pooled slot when it fits in
// INLINE_ACTION_BYTES (so scheduling does not allocate), and on the heap otherwise (counted in
// heap_allocated_actions(), which tests and benchmarks watch).
//
// An exception escaping an action is rethrown as EventError (simulated time, event number and
// sequence attached), with the original nested (std::rethrow_if_nested).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/core/assert.hpp"
#include "sim/core/event_queue.hpp"
#include "sim/core/fingerprint.hpp"
#include "sim/core/log.hpp"
#include "sim/core/random.hpp"
#include "sim/core/time.hpp"

namespace sessionsim {

/// Names one scheduled event. Cheap to copy; a stale handle (event run or cancelled) is harmless.
class EventHandle {
  public:
    constexpr EventHandle() noexcept = default;
    /// True if this handle was ever returned by schedule_*; says nothing about whether it ran.
    constexpr bool valid() const noexcept { return seq_ != 0; }
    constexpr std::uint64_t sequence() const noexcept { return seq_; }

  private:
    friend class Engine;
    constexpr EventHandle(std::uint32_t slot, std::uint64_t seq) noexcept : seq_(seq), slot_(slot) {}
    std::uint64_t seq_ = 0;
    std::uint32_t slot_ = 0;
};

struct RunStats {
    std::uint64_t events_processed = 0;  ///< by this call
    SimTime stopped_at{};                ///< the engine's now() on return
    bool queue_empty = false;            ///< no live event left
    bool stop_requested = false;         ///< request_stop() ended the run
};

/// An exception that escaped an event action, with where and when it happened.
class EventError : public std::runtime_error {
  public:
    EventError(SimTime at, std::uint64_t event_number, std::uint64_t sequence, const std::string& what);
    SimTime at() const noexcept { return at_; }
    std::uint64_t event_number() const noexcept { return event_number_; }
    std::uint64_t sequence() const noexcept { return sequence_; }

  private:
    SimTime at_;
    std::uint64_t event_number_;
    std::uint64_t sequence_;
};

class Engine {
  public:
    /// Actions up to this size (and alignment 8) are stored without allocation.
    static constexpr std::size_t INLINE_ACTION_BYTES = 40;

    explicit Engine(std::uint64_t seed = 0);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    SimTime now() const noexcept { return now_; }
    /// Events run so far (cancelled events are not counted).
    std::uint64_t events_processed() const noexcept { return events_processed_; }
    /// Scheduled events not yet run nor cancelled.
    std::size_t pending() const noexcept { return live_; }
    /// Actions too large for a slot, stored on the heap instead: 0 on a well-behaved hot path.
    std::uint64_t heap_allocated_actions() const noexcept { return heap_actions_; }
    /// Bytes held by the event queue and the action slots (capacity, not only what is in use).
    std::size_t memory_bytes() const noexcept;
    /// Pre-sizes the queue and the slot pool for `events` simultaneously pending events.
    void reserve(std::size_t events);

    /// Schedules `action` at `when` (>= now()). `tag` (e.g. the node it concerns) is folded into
    /// the fingerprint when the event runs.
    template <class F>
    EventHandle schedule_at(SimTime when, std::uint32_t tag, F&& action);
    template <class F>
    EventHandle schedule_at(SimTime when, F&& action) {
        return schedule_at(when, 0, std::forward<F>(action));
    }
    template <class F>
    EventHandle schedule_after(SimDuration delay, std::uint32_t tag, F&& action) {
        return schedule_at(now_ + delay, tag, std::forward<F>(action));
    }
    template <class F>
    EventHandle schedule_after(SimDuration delay, F&& action) {
        return schedule_at(now_ + delay, 0, std::forward<F>(action));
    }

    /// Cancels a pending event. False (and no effect) if it already ran, was cancelled, is
    /// running now, or the handle is empty or belongs to another engine's numbering.
    bool cancel(EventHandle handle) noexcept;

    /// Runs events with time <= deadline, in order, until none is left, the next one is later
    /// than the deadline, or request_stop() is called. When it returns without a stop request,
    /// now() is the deadline (or stays put if the queue emptied with an unbounded deadline).
    RunStats run_until(SimTime deadline);
    RunStats run() { return run_until(SIM_TIME_MAX); }
    /// Runs exactly one event (skipping cancelled ones). False if none is pending.
    bool step();
    /// Ends the current run_until() after the event being processed.
    void request_stop() noexcept { stop_requested_ = true; }

    std::uint64_t seed() const noexcept { return random_.seed(); }
    RandomStreams& random() noexcept { return random_; }
    Fingerprint& fingerprint() noexcept { return fingerprint_; }
    const Fingerprint& fingerprint() const noexcept { return fingerprint_; }
    Logger& log() noexcept { return log_; }

    /// The engine whose events this thread is processing, or null (used by SIM_ASSERT).
    static const Engine* current() noexcept;

  private:
    /// What the engine needs to know of an action's type: how to run it and how to destroy it.
    struct ActionOps {
        void (*invoke)(void* storage);
        void (*destroy)(void* storage) noexcept;  // null when there is nothing to destroy
    };
    /// One pending action in one cache line: the sequence number of its event (0 while free or
    /// running), its tag, and the action itself (in place, or a pointer to it).
    struct alignas(64) Slot {
        std::uint64_t seq;
        const ActionOps* ops;
        std::uint32_t tag;
        alignas(8) unsigned char storage[INLINE_ACTION_BYTES];
    };
    static_assert(sizeof(Slot) == 64);
    static constexpr std::uint64_t key_of(SimTime t) noexcept {
        return static_cast<std::uint64_t>(to_nanoseconds(t)) ^ (std::uint64_t{1} << 63);
    }
    static constexpr SimTime time_of(std::uint64_t key) noexcept {
        return SimTime{SimDuration{static_cast<std::int64_t>(key ^ (std::uint64_t{1} << 63))}};
    }
    static constexpr std::uint32_t CHUNK_BITS = 12;
    static constexpr std::uint32_t CHUNK_SIZE = 1u << CHUNK_BITS;

    template <class F>
    static void invoke_inline(void* p) {
        (*static_cast<F*>(p))();
    }
    template <class F>
    static void destroy_inline(void* p) noexcept {
        static_cast<F*>(p)->~F();
    }
    template <class F>
    static void invoke_boxed(void* p) {
        (**static_cast<F**>(p))();
    }
    template <class F>
    static void destroy_boxed(void* p) noexcept {
        delete *static_cast<F**>(p);
    }
    template <class F>
    static constexpr ActionOps INLINE_OPS{&invoke_inline<F>,
                                          std::is_trivially_destructible_v<F> ? nullptr : &destroy_inline<F>};
    template <class F>
    static constexpr ActionOps BOXED_OPS{&invoke_boxed<F>, &destroy_boxed<F>};

    Slot& slot(std::uint32_t index) noexcept { return chunks_[index >> CHUNK_BITS][index & (CHUNK_SIZE - 1)]; }
    std::uint32_t acquire_slot();
    void release_slot(std::uint32_t index) noexcept;
    EventHandle enqueue(SimTime when, std::uint32_t tag, std::uint32_t slot_index);
    bool is_live(const QueueEntry& e) noexcept { return slot(e.slot()).seq == e.sequence(); }
    void compact_queue();
    /// Runs a popped, live event.
    void dispatch(const QueueEntry& e);

    SimTime now_{};
    std::uint64_t next_seq_ = 1;
    std::uint64_t events_processed_ = 0;
    std::uint64_t heap_actions_ = 0;
    std::size_t live_ = 0;
    bool stop_requested_ = false;
    EventQueue queue_;
    std::vector<std::unique_ptr<Slot[]>> chunks_;
    std::vector<std::uint32_t> free_slots_;
    std::uint32_t slots_used_ = 0;  // slots ever handed out (the rest of the last chunk is untouched)
    RandomStreams random_;
    Fingerprint fingerprint_;
    Logger log_;
};

template <class F>
EventHandle Engine::schedule_at(SimTime when, std::uint32_t tag, F&& action) {
    using Fn = std::decay_t<F>;
    static_assert(std::is_invocable_v<Fn&>, "an event action is a callable taking no arguments");
    SIM_ASSERT(when >= now_, "an event cannot be scheduled in the past");
    const std::uint32_t index = acquire_slot();
    Slot& s = slot(index);
    if constexpr (sizeof(Fn) <= INLINE_ACTION_BYTES && alignof(Fn) <= 8 &&
                  std::is_nothrow_move_constructible_v<Fn>) {
        ::new (static_cast<void*>(s.storage)) Fn(std::forward<F>(action));
        s.ops = &INLINE_OPS<Fn>;
    } else {
        Fn* boxed = new Fn(std::forward<F>(action));
        ::new (static_cast<void*>(s.storage)) Fn*(boxed);
        s.ops = &BOXED_OPS<Fn>;
        ++heap_actions_;
    }
    return enqueue(when, tag, index);
}

}  // namespace sessionsim
