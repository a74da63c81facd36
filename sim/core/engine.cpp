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
    for (const QueueEntry& e : queue_) {
        Slot& s = slot(e.slot());
        if (s.seq == e.sequence()) {
            if (s.ops->destroy != nullptr) s.ops->destroy(s.storage);
            s.seq = 0;
        }
    }
}

const Engine* Engine::current() noexcept { return current_engine; }

std::size_t Engine::memory_bytes() const noexcept {
    return queue_.memory_bytes() + chunks_.size() * CHUNK_SIZE * sizeof(Slot) +
           chunks_.capacity() * sizeof(chunks_[0]) + free_slots_.capacity() * sizeof(std::uint32_t);
}

void Engine::reserve(std::size_t events) {
    queue_.reserve(events);
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
        SIM_ASSERT(chunks_.size() < (std::size_t{1} << (QueueEntry::SLOT_BITS - CHUNK_BITS)),
                   "more than 2^24 events pending at once");
        chunks_.push_back(std::make_unique<Slot[]>(CHUNK_SIZE));
    }
    return slots_used_++;
}

void Engine::release_slot(std::uint32_t index) noexcept {
    Slot& s = slot(index);
    if (s.ops->destroy != nullptr) s.ops->destroy(s.storage);
    s.seq = 0;
    free_slots_.push_back(index);  // capacity >= slots handed out once reserve()d; amortised otherwise
    --live_;
}

EventHandle Engine::enqueue(SimTime when, std::uint32_t tag, std::uint32_t slot_index) {
    SIM_ASSERT(next_seq_ <= QueueEntry::MAX_SEQUENCE, "more than 2^40 events scheduled in one run");
    const std::uint64_t seq = next_seq_++;
    Slot& s = slot(slot_index);
    s.seq = seq;
    s.tag = tag;
    ++live_;
    queue_.push(QueueEntry{key_of(when), (seq << QueueEntry::SLOT_BITS) | slot_index});
    return EventHandle(slot_index, seq);
}

void Engine::compact_queue() {
    // Drop entries of cancelled events and rebuild the heap; order is unchanged because the
    // comparison is a total order on (time, seq).
    queue_.retain([this](const QueueEntry& e) { return is_live(e); });
}

bool Engine::cancel(EventHandle handle) noexcept {
    if (!handle.valid()) return false;
    if (static_cast<std::size_t>(handle.slot_) >= slots_used_) return false;
    Slot& s = slot(handle.slot_);
    if (s.seq != handle.seq_) return false;
    release_slot(handle.slot_);
    // Lazy deletion leaves the entry in the queue; compact when stale entries dominate.
    if (queue_.size() > 1024 && queue_.size() > 4 * live_) compact_queue();
    return true;
}

void Engine::dispatch(const QueueEntry& e) {
    Slot& s = slot(e.slot());
    now_ = time_of(e.key);
    ++events_processed_;
    fingerprint_.add_event(to_nanoseconds(now_), e.sequence(), s.tag);
    s.seq = 0;  // running: cancel() on its handle is now a no-op
    // The next event's slot is most likely cold: fetch it while this one runs.
    if (!queue_.empty()) __builtin_prefetch(&slot(queue_.top().slot()));
    try {
        s.ops->invoke(s.storage);
    } catch (const std::exception& ex) {
        release_slot(e.slot());
        std::throw_with_nested(EventError(now_, events_processed_, e.sequence(), ex.what()));
    }
    release_slot(e.slot());
}

RunStats Engine::run_until(SimTime deadline) {
    CurrentEngineScope scope(this);
    stop_requested_ = false;
    const std::uint64_t before_count = events_processed_;
    const std::uint64_t limit = key_of(deadline);
    while (!queue_.empty()) {
        if (queue_.top().key > limit) break;
        const QueueEntry e = queue_.pop();
        if (!is_live(e)) continue;  // cancelled
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
    SIM_LOG(log_, debug, engine, "engine") << "run_until(" << format_time(deadline) << "): " << stats.events_processed
                                           << " events, " << live_ << " pending"
                                           << (stats.stop_requested ? ", stop requested" : "");
    return stats;
}

bool Engine::step() {
    CurrentEngineScope scope(this);
    while (!queue_.empty()) {
        const QueueEntry e = queue_.pop();
        if (!is_live(e)) continue;
        dispatch(e);
        return true;
    }
    return false;
}

}  // namespace sessionsim
