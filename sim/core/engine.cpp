#include "sim/core/engine.hpp"

#include <exception>

namespace sessionsim {
namespace {

thread_local const Engine* current_engine = nullptr;

/// Marks this thread as processing `engine`'s events, restoring the previous one on exit
/// (an engine may be run from inside another engine's event, e.g. in a test).
class CurrentEngineScope {
  public:
    explicit CurrentEngineScope(const Engine* engine) noexcept : previous_(current_engine) {
        current_engine = engine;
    }
    ~CurrentEngineScope() { current_engine = previous_; }
    CurrentEngineScope(const CurrentEngineScope&) = delete;
    CurrentEngineScope& operator=(const CurrentEngineScope&) = delete;

  private:
    const Engine* previous_;
};

constexpr std::size_t ARITY = 4;

}  // namespace

EventError::EventError(SimTime at, std::uint64_t event_number, std::uint64_t sequence, const std::string& what)
    : std::runtime_error("event #" + std::to_string(event_number) + " (sequence " + std::to_string(sequence) +
                         ") at t=" + format_time(at) + " s threw: " + what),
      at_(at),
      event_number_(event_number),
      sequence_(sequence) {}

Engine::Engine(std::uint64_t seed) : random_(seed), log_(nullptr, &now_) {}

Engine::~Engine() {
    // Destroy the actions still pending (their captures may own resources).
    for (const Entry& e : heap_) {
        Slot& s = slot(e.slot);
        if (s.seq == e.seq) {
            if (s.destroy != nullptr) s.destroy(s.storage);
            s.seq = 0;
        }
    }
}

const Engine* Engine::current() noexcept { return current_engine; }

std::size_t Engine::memory_bytes() const noexcept {
    return heap_.capacity() * sizeof(Entry) + chunks_.size() * CHUNK_SIZE * sizeof(Slot) +
           chunks_.capacity() * sizeof(chunks_[0]) + free_slots_.capacity() * sizeof(std::uint32_t);
}

void Engine::reserve(std::size_t events) {
    heap_.reserve(events);
    free_slots_.reserve(events);
    while (static_cast<std::size_t>(chunks_.size()) * CHUNK_SIZE < events) {
        chunks_.push_back(std::make_unique<Slot[]>(CHUNK_SIZE));
    }
}

std::uint32_t Engine::acquire_slot() {
    if (!free_slots_.empty()) {
        const std::uint32_t index = free_slots_.back();
        free_slots_.pop_back();
        return index;
    }
    if (slots_used_ == chunks_.size() * CHUNK_SIZE) {
        SIM_ASSERT(chunks_.size() < (std::size_t{1} << (32 - CHUNK_BITS)), "more than 2^32 pending events");
        chunks_.push_back(std::make_unique<Slot[]>(CHUNK_SIZE));
    }
    return slots_used_++;
}

void Engine::release_slot(std::uint32_t index) noexcept {
    Slot& s = slot(index);
    if (s.destroy != nullptr) s.destroy(s.storage);
    s.seq = 0;
    free_slots_.push_back(index);  // capacity >= slots handed out once reserve()d; amortised otherwise
    --live_;
}

EventHandle Engine::enqueue(SimTime when, std::uint32_t slot_index) {
    const std::uint64_t seq = next_seq_++;
    slot(slot_index).seq = seq;
    ++live_;
    push_entry(Entry{to_nanoseconds(when), seq, slot_index});
    return EventHandle(slot_index, seq);
}

namespace {
inline bool before(std::int64_t t1, std::uint64_t s1, std::int64_t t2, std::uint64_t s2) noexcept {
    return t1 < t2 || (t1 == t2 && s1 < s2);
}
}  // namespace

void Engine::push_entry(const Entry& e) {
    heap_.push_back(e);
    std::size_t i = heap_.size() - 1;
    Entry* h = heap_.data();
    while (i > 0) {
        const std::size_t parent = (i - 1) / ARITY;
        if (!before(e.time, e.seq, h[parent].time, h[parent].seq)) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

Engine::Entry Engine::pop_entry() noexcept {
    Entry* h = heap_.data();
    const Entry top = h[0];
    const Entry last = h[heap_.size() - 1];
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return top;
    std::size_t i = 0;
    for (;;) {
        const std::size_t first = i * ARITY + 1;
        if (first >= n) break;
        std::size_t best = first;
        const std::size_t end = first + ARITY < n ? first + ARITY : n;
        for (std::size_t c = first + 1; c < end; ++c) {
            if (before(h[c].time, h[c].seq, h[best].time, h[best].seq)) best = c;
        }
        if (!before(h[best].time, h[best].seq, last.time, last.seq)) break;
        h[i] = h[best];
        i = best;
    }
    h[i] = last;
    return top;
}

void Engine::compact_queue() {
    // Drop entries of cancelled events and rebuild the heap; order is unchanged because the
    // comparison is a total order on (time, seq).
    std::vector<Entry> live;
    live.reserve(live_);
    for (const Entry& e : heap_) {
        if (slot(e.slot).seq == e.seq) live.push_back(e);
    }
    heap_.clear();
    for (const Entry& e : live) push_entry(e);
}

bool Engine::cancel(EventHandle handle) noexcept {
    if (!handle.valid()) return false;
    if (static_cast<std::size_t>(handle.slot_) >= slots_used_) return false;
    Slot& s = slot(handle.slot_);
    if (s.seq != handle.seq_) return false;
    release_slot(handle.slot_);
    // Lazy deletion leaves the entry in the queue; compact when stale entries dominate.
    if (heap_.size() > 1024 && heap_.size() > 4 * live_) compact_queue();
    return true;
}

void Engine::dispatch(const Entry& e) {
    Slot& s = slot(e.slot);
    now_ = SimTime{SimDuration{e.time}};
    ++events_processed_;
    fingerprint_.add_event(e.time, e.seq, s.tag);
    s.seq = 0;  // running: cancel() on its handle is now a no-op
    try {
        s.invoke(s.storage);
    } catch (const std::exception& ex) {
        release_slot(e.slot);
        std::throw_with_nested(EventError(now_, events_processed_, e.seq, ex.what()));
    }
    release_slot(e.slot);
}

RunStats Engine::run_until(SimTime deadline) {
    CurrentEngineScope scope(this);
    stop_requested_ = false;
    const std::uint64_t before_count = events_processed_;
    const std::int64_t limit = to_nanoseconds(deadline);
    while (!heap_.empty()) {
        if (heap_.front().time > limit) break;
        const Entry e = pop_entry();
        if (slot(e.slot).seq != e.seq) continue;  // cancelled
        dispatch(e);
        if (stop_requested_) break;
    }
    RunStats stats;
    stats.stop_requested = stop_requested_;
    stop_requested_ = false;
    if (!stats.stop_requested && deadline != SIM_TIME_MAX && now_ < deadline) now_ = deadline;
    stats.events_processed = events_processed_ - before_count;
    stats.stopped_at = now_;
    stats.queue_empty = live_ == 0;
    return stats;
}

bool Engine::step() {
    CurrentEngineScope scope(this);
    while (!heap_.empty()) {
        const Entry e = pop_entry();
        if (slot(e.slot).seq != e.seq) continue;
        dispatch(e);
        return true;
    }
    return false;
}

}  // namespace sessionsim
