#pragma once
// The ground truth of the workload's messages: who sent which one to whom, when, how large, and
// when its store was confirmed and it was delivered. The World keeps it; no adversary ever has it,
// but scoring one against it is how the simulator measures what an adversary learned. Messages are
// found by their storage hash (what the sender's client returns and every event names them by),
// never by their content.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/session/common/memory_estimate.hpp"
#include "models/session/storage/message_hash.hpp"
#include "sim/core/time.hpp"

namespace sessionsim::world {

/// A message not delivered by the end of the run counts as lost when it was sent at least this
/// long before the end, and as pending otherwise (a poll period, retries and onion timeouts).
inline constexpr SimDuration LATE_MESSAGE_WINDOW = seconds(60);

/// One message of the workload, as the World follows it.
struct MessageRecord {
    SimTime sent_at;
    std::uint32_t sender;
    std::uint32_t recipient;
    std::uint32_t size;
    bool stored = false;
    bool delivered = false;
    SimTime stored_at{};     ///< when the sender's store was first confirmed (if stored)
    SimTime delivered_at{};  ///< when its recipient first decrypted it (if delivered)
};

class MessageLedger {
  public:
    /// A new message; returns its id (its index, in send order).
    std::uint32_t add(SimTime sent_at, std::uint32_t sender, std::uint32_t recipient, std::uint32_t size) {
        records_.push_back(MessageRecord{sent_at, sender, recipient, size});
        return static_cast<std::uint32_t>(records_.size() - 1);
    }
    /// Names message `id` by its storage hash; false (and no change) when another message has it.
    bool bind(std::string hash, std::uint32_t id) { return by_hash_.try_emplace(std::move(hash), id).second; }
    /// The id of the message with this storage hash.
    std::optional<std::uint32_t> find(const std::string& hash) const {
        const auto it = by_hash_.find(hash);
        if (it == by_hash_.end()) return std::nullopt;
        return it->second;
    }
    MessageRecord& at(std::uint32_t id) { return records_.at(id); }
    /// Marks a message stored; false when it already was.
    bool mark_stored(MessageRecord& m, SimTime at) noexcept {
        if (m.stored) return false;
        m.stored = true;
        m.stored_at = at;
        return true;
    }
    /// Marks a message delivered; false when it already was.
    bool mark_delivered(MessageRecord& m, SimTime at) noexcept {
        if (m.delivered) return false;
        m.delivered = true;
        m.delivered_at = at;
        ++delivered_;
        return true;
    }
    const std::vector<MessageRecord>& records() const noexcept { return records_; }
    std::size_t size() const noexcept { return records_.size(); }
    std::uint64_t delivered() const noexcept { return delivered_; }
    /// Estimated heap bytes: the records and the hash index (its keys are storage hashes).
    std::size_t heap_bytes() const noexcept {
        return sessionproto::memory::heap_bytes(records_) + sessionproto::memory::heap_bytes(by_hash_) +
               by_hash_.size() * (sessionproto::MESSAGE_HASH_LENGTH + 1);
    }

  private:
    std::vector<MessageRecord> records_;  // index = message id
    std::unordered_map<std::string, std::uint32_t> by_hash_;  // looked up, never iterated
    std::uint64_t delivered_ = 0;
};

}  // namespace sessionsim::world
