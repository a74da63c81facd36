#pragma once
// The engine's pending-event queue: a 4-ary min-heap of 16-byte entries ordered by
// (time, order), where `order` is the event's sequence number in its high 40 bits and its slot
// in the engine's action pool in the low 24 bits. Sequence numbers grow with every schedule, so
// comparing `order` breaks time ties in scheduling order (FIFO).
//
// The four children of a node fill exactly one 64-byte cache line: a pop reads one line per
// level, about log4(n) lines in all.
#include <cstddef>
#include <cstdint>

namespace sessionsim {

struct QueueEntry {
    std::uint64_t key;    ///< the event's time in ns with the sign bit flipped (unsigned order = time order)
    std::uint64_t order;  ///< sequence << SLOT_BITS | slot

    static constexpr unsigned SLOT_BITS = 24;
    static constexpr std::uint64_t SLOT_MASK = (std::uint64_t{1} << SLOT_BITS) - 1;
    static constexpr std::uint64_t MAX_SEQUENCE = (std::uint64_t{1} << (64 - SLOT_BITS)) - 1;

    std::uint64_t sequence() const noexcept { return order >> SLOT_BITS; }
    std::uint32_t slot() const noexcept { return static_cast<std::uint32_t>(order & SLOT_MASK); }
};
static_assert(sizeof(QueueEntry) == 16);

class EventQueue {
  public:
    EventQueue() = default;
    ~EventQueue();
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;

    bool empty() const noexcept { return size_ == 0; }
    std::size_t size() const noexcept { return size_; }
    std::size_t capacity() const noexcept { return capacity_; }
    /// Bytes of the backing buffer.
    std::size_t memory_bytes() const noexcept;
    const QueueEntry& top() const noexcept { return data_[0]; }

    void push(QueueEntry entry);
    QueueEntry pop() noexcept;  ///< precondition: !empty()
    void reserve(std::size_t n);
    void clear() noexcept { size_ = 0; }

    const QueueEntry* begin() const noexcept { return data_; }
    const QueueEntry* end() const noexcept { return data_ + size_; }

    /// Keeps the entries for which keep(entry) is true and restores the heap order.
    template <class Keep>
    void retain(Keep keep) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < size_; ++i) {
            if (keep(data_[i])) data_[kept++] = data_[i];
        }
        size_ = kept;
        rebuild();
    }

  private:
    static bool before(const QueueEntry& a, const QueueEntry& b) noexcept {
        // Branch-free: the minimum of four children compiles to conditional moves.
        return (a.key < b.key) | ((a.key == b.key) & (a.order < b.order));
    }
    void grow(std::size_t min_capacity);
    void sift_up(std::size_t i, QueueEntry entry) noexcept;
    void rebuild() noexcept;

    void* buffer_ = nullptr;       // 64-byte aligned allocation
    QueueEntry* data_ = nullptr;   // buffer_ + 3 entries, so that data_[1] starts a cache line
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

}  // namespace sessionsim
