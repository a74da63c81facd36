#pragma once
// A store's index from a message's hash text to its record, looked up on every store, retrieve and
// expire (an expire at every swarm member of every poll). An open-addressed table (linear probing,
// at most half full, backward-shift erase) of a 64-bit code of the text and a pointer to the
// record, which holds the text itself: a lookup reads one slot, then the record it points to;
// no key is stored twice. Never iterated, so its order never reaches an output.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>
#include <vector>

namespace sessionproto {

/// `Record` has a `hash` member (text) that does not change while the record is indexed.
template <class Record>
class MessageHashIndex {
public:
    /// A stored message's hash is the base64 of a BLAKE2b digest (message_hash.hpp): its first and
    /// last 8 characters are as good a code as a hash of all 43. Texts a request holds may be
    /// anything; short ones take the library's hash.
    static std::uint64_t code(std::string_view text) noexcept {
        if (text.size() < 16) return std::hash<std::string_view>{}(text);
        std::uint64_t head = 0, tail = 0;
        std::memcpy(&head, text.data(), 8);
        std::memcpy(&tail, text.data() + text.size() - 8, 8);
        return (head ^ (tail * 0x9E3779B97F4A7C15ull) ^ text.size()) * 0xBF58476D1CE4E5B9ull;
    }

    Record* find(std::string_view text) const noexcept {
        if (slots_.empty()) return nullptr;
        const std::uint64_t c = code(text);
        for (std::size_t i = home(c);; i = next(i)) {
            const Slot& s = slots_[i];
            if (s.record == nullptr) return nullptr;
            if (s.code == c && s.record->hash == text) return s.record;
        }
    }

    /// Indexes `record` under its hash; false (nothing changed) when that text is indexed already.
    bool insert(Record* record) {
        if (find(record->hash) != nullptr) return false;
        if (2 * (size_ + 1) > slots_.size()) grow();
        place(Slot{code(record->hash), record});
        ++size_;
        return true;
    }

    /// Removes the record indexed under `text`; false when there is none.
    bool erase(std::string_view text) noexcept {
        if (slots_.empty()) return false;
        const std::uint64_t c = code(text);
        std::size_t i = home(c);
        for (;; i = next(i)) {
            if (slots_[i].record == nullptr) return false;
            if (slots_[i].code == c && slots_[i].record->hash == text) break;
        }
        // Backward shift: move up each following entry that may sit in the freed slot (its home
        // is not cyclically within (i, j]), so that no probe sequence crosses an empty slot.
        for (std::size_t j = next(i);; j = next(j)) {
            if (slots_[j].record == nullptr) break;
            const std::size_t h = home(slots_[j].code);
            const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
            if (stays) continue;
            slots_[i] = slots_[j];
            i = j;
        }
        slots_[i] = Slot{};
        --size_;
        return true;
    }

    std::size_t size() const noexcept { return size_; }
    std::size_t heap_bytes() const noexcept { return slots_.capacity() * sizeof(Slot); }

private:
    struct Slot {
        std::uint64_t code = 0;
        Record* record = nullptr;  ///< nullptr: empty
    };
    std::size_t home(std::uint64_t c) const noexcept { return static_cast<std::size_t>(c >> 20) & (slots_.size() - 1); }
    std::size_t next(std::size_t i) const noexcept { return (i + 1) & (slots_.size() - 1); }
    void place(Slot slot) noexcept {
        std::size_t i = home(slot.code);
        while (slots_[i].record != nullptr) i = next(i);
        slots_[i] = slot;
    }
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 16 : 2 * old.size(), Slot{});
        for (const Slot& s : old) {
            if (s.record != nullptr) place(s);
        }
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace sessionproto
