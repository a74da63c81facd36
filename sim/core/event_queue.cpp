#include "sim/core/event_queue.hpp"

#include <cstring>
#include <new>

namespace sessionsim {
namespace {
constexpr std::size_t ARITY = 4;
constexpr std::size_t LEAD = 3;  // entries before data_[0] in the buffer
constexpr std::align_val_t LINE{64};
}  // namespace

EventQueue::~EventQueue() {
    if (buffer_ != nullptr) ::operator delete(buffer_, LINE);
}

std::size_t EventQueue::memory_bytes() const noexcept {
    return buffer_ == nullptr ? 0 : (capacity_ + LEAD) * sizeof(QueueEntry);
}

void EventQueue::grow(std::size_t min_capacity) {
    std::size_t capacity = capacity_ == 0 ? 256 : capacity_ * 2;
    while (capacity < min_capacity) capacity *= 2;
    void* buffer = ::operator new((capacity + LEAD) * sizeof(QueueEntry), LINE);
    auto* data = static_cast<QueueEntry*>(buffer) + LEAD;
    if (size_ != 0) std::memcpy(data, data_, size_ * sizeof(QueueEntry));
    if (buffer_ != nullptr) ::operator delete(buffer_, LINE);
    buffer_ = buffer;
    data_ = data;
    capacity_ = capacity;
}

void EventQueue::reserve(std::size_t n) {
    if (n > capacity_) grow(n);
}

void EventQueue::sift_up(std::size_t i, QueueEntry entry) noexcept {
    while (i > 0) {
        const std::size_t parent = (i - 1) / ARITY;
        if (!before(entry, data_[parent])) break;
        data_[i] = data_[parent];
        i = parent;
    }
    data_[i] = entry;
}

void EventQueue::push(QueueEntry entry) {
    if (size_ == capacity_) grow(size_ + 1);
    sift_up(size_++, entry);
}

QueueEntry EventQueue::pop() noexcept {
    // Floyd's variant: move the hole at the root down to a leaf along the smallest children,
    // without comparing against the displaced last entry on the way, then sift that entry up
    // from there; it usually belongs near the bottom, so the climb is short.
    QueueEntry* h = data_;
    const QueueEntry top = h[0];
    const std::size_t n = --size_;
    if (n == 0) return top;
    const QueueEntry last = h[n];
    std::size_t i = 0;
    for (;;) {
        const std::size_t first = i * ARITY + 1;
        if (first + ARITY <= n) {
            const std::size_t a = before(h[first + 1], h[first]) ? first + 1 : first;
            const std::size_t b = before(h[first + 3], h[first + 2]) ? first + 3 : first + 2;
            const std::size_t best = before(h[b], h[a]) ? b : a;
            h[i] = h[best];
            i = best;
            continue;
        }
        if (first < n) {
            std::size_t best = first;
            for (std::size_t c = first + 1; c < n; ++c) best = before(h[c], h[best]) ? c : best;
            h[i] = h[best];
            i = best;
        }
        break;
    }
    sift_up(i, last);
    return top;
}

void EventQueue::rebuild() noexcept {
    // Bottom-up heapify would do; re-inserting in array order is simpler and keeps it O(n log n).
    const std::size_t n = size_;
    size_ = 0;
    for (std::size_t i = 0; i < n; ++i) sift_up(size_++, data_[i]);
}

}  // namespace sessionsim
