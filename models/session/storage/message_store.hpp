#pragma once
// MessageStore: a service node's message database, in memory, with the semantics of the storage
// server's SQLite database (oxen-io/oxen-storage-server oxenss/storage/database.cpp), time passed in.
//
// - A message is identified by its hash (unique across the store). Storing an existing hash keeps
//   the first copy (its timestamp, data and position) and only raises its expiry if the new one is
//   later (Extended), else nothing changes (Exists).
// - Every message gets an increasing sequence number, the model of SQLite's rowid: retrieve returns
//   an owner's messages of one namespace after `last_hash` in that order. An unknown (or empty)
//   last_hash returns everything, so last_hash is node-local.
// - Storing into a public outbox namespace removes the owner's other messages there.
// - Expired messages (expiry ≤ now) are removed by sweep(now), which a node calls every
//   CLEANUP_PERIOD_MS. retrieve(now) also hides expired messages not yet swept (the server would
//   still return them until its next cleanup, at most 10 s later).
// Iteration is over ordered containers only, so every output is deterministic.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/storage/limits.hpp"
#include "models/session/storage/message_hash_index.hpp"
#include "models/session/storage/namespace.hpp"
#include "models/session/storage/request_signature.hpp"

namespace sessionproto {

struct StoredMessage {
    SessionId owner;
    Namespace ns = Namespace::default_ns;
    std::string hash;
    std::int64_t timestamp_ms = 0;
    std::int64_t expiry_ms = 0;
    Bytes data;
    std::uint64_t seq = 0;  ///< insertion order (the server's rowid)
};

/// database.hpp StoreResult.
enum class StoreOutcome : std::uint8_t {
    stored,    ///< new message inserted
    extended,  ///< hash existed; its expiry was raised to the new one
    exists,    ///< hash existed with an expiry ≥ the new one; nothing changed
    full,      ///< the store's byte limit would be exceeded; nothing stored
};

struct StoreResult {
    StoreOutcome outcome = StoreOutcome::stored;
    std::string hash;
    std::int64_t expiry_ms = 0;  ///< the message's expiry after the call
    std::vector<std::string> displaced;  ///< public-outbox messages removed by this store
};

/// Retrieval limits as the database applies them (already resolved from the request; see
/// rpc.hpp `effective_retrieve_limits`).
struct RetrieveLimits {
    std::optional<std::size_t> max_count;  ///< at most this many (a value < 1 means 1)
    std::optional<std::size_t> max_size;   ///< aggregate size, counted per message as overhead + hash + data
    bool size_base64 = true;               ///< count data as its base64 length (JSON replies)
    std::size_t per_message_overhead = RETRIEVE_MESSAGE_OVERHEAD;
};

struct RetrieveResult {
    std::vector<StoredMessage> messages;  ///< in sequence order
    bool more = false;                    ///< truncated by a limit
};

class MessageStore {
  public:
    /// Estimated heap bytes of everything but the messages' data (the indexes, hashes and
    /// per-message records; perf.json "memory.structures"). total_bytes() is the data.
    std::size_t index_bytes() const;
    /// `byte_limit`: the total of data + hash bytes above which stores fail with `full`.
    explicit MessageStore(std::uint64_t byte_limit = static_cast<std::uint64_t>(DATABASE_SIZE_LIMIT));
    // The hash index points into the records: a copy would point into the original; a move keeps
    // every record where it is.
    MessageStore(const MessageStore&) = delete;
    MessageStore& operator=(const MessageStore&) = delete;
    MessageStore(MessageStore&&) noexcept = default;
    MessageStore& operator=(MessageStore&&) noexcept = default;

    /// Stores a message (the hash is computed here). Inputs are assumed validated (rpc.hpp).
    /// Outputs: the outcome, the hash, the resulting expiry, and any displaced outbox messages.
    StoreResult store(const SessionId& owner, Namespace ns, std::int64_t timestamp_ms, std::int64_t expiry_ms,
                      Bytes data);

    /// Messages of (owner, ns) after `last_hash` (unknown or empty: from the start), skipping
    /// messages with expiry ≤ now, within `limits` (at least one message is returned when any exist).
    RetrieveResult retrieve(const SessionId& owner, Namespace ns, std::string_view last_hash, std::int64_t now_ms,
                            const RetrieveLimits& limits = {}) const;

    /// Removes every message with expiry ≤ now. Outputs: how many were removed.
    std::size_t sweep(std::int64_t now_ms);

    /// delete: removes the owner's messages among `hashes`. Outputs: the hashes removed, sorted.
    std::vector<std::string> delete_by_hash(const SessionId& owner, std::span<const std::string> hashes);
    /// delete_all of one namespace or all. Outputs: (namespace, hash) pairs removed, sorted by hash.
    std::vector<std::pair<Namespace, std::string>> delete_all(const SessionId& owner, const NamespaceSelector& ns);
    /// delete_before: removes messages with timestamp ≤ before. Outputs as delete_all.
    std::vector<std::pair<Namespace, std::string>> delete_before(const SessionId& owner, const NamespaceSelector& ns,
                                                                 std::int64_t before_ms);
    /// expire: sets the expiry of the owner's messages among `hashes` (one expiry for all, or one
    /// per hash; any other count changes nothing), subject to `mode`: shorten only lowers, extend
    /// only raises. Outputs: (hash, new expiry) of the messages changed, sorted by hash.
    std::vector<std::pair<std::string, std::int64_t>> update_expiry(const SessionId& owner,
                                                                    std::span<const std::string> hashes,
                                                                    std::span<const std::int64_t> expiries_ms,
                                                                    ExpireMode mode);
    /// expire_all: lowers to `expiry` every expiry later than it. Outputs as delete_all.
    std::vector<std::pair<Namespace, std::string>> shorten_all(const SessionId& owner, const NamespaceSelector& ns,
                                                               std::int64_t expiry_ms);
    /// get_expiries: hash → expiry for the owner's messages among `hashes`.
    std::map<std::string, std::int64_t> get_expiries(const SessionId& owner, std::span<const std::string> hashes) const;

    /// A message by hash (any owner), or nullptr.
    const StoredMessage* find(std::string_view hash) const;

    // Metrics.
    std::size_t message_count() const noexcept { return by_seq_.size(); }
    std::uint64_t total_bytes() const noexcept { return bytes_; }
    std::size_t owner_count() const;
    std::size_t count(const SessionId& owner, Namespace ns) const;
    std::map<Namespace, std::size_t> namespace_counts() const;
    /// Entries of the expiry index, stale ones included: at most twice the messages, plus 1024.
    std::size_t expiry_index_entries() const noexcept { return expiry_heap_.size(); }
    /// Every message, in sequence order (a copy; see for_each to read them in place).
    std::vector<StoredMessage> all_messages() const;
    /// Calls `visit(const StoredMessage&)` for every message, in sequence order, without copying.
    /// The store must not change during the visit.
    template <class Visit>
    void for_each(Visit&& visit) const {
        for (const auto& [seq, m] : by_seq_) visit(m);
    }

  private:
    using Box = std::pair<SessionId, Namespace>;
    void erase_seq(std::uint64_t seq);
    void set_expiry(StoredMessage& m, std::int64_t expiry_ms);
    template <class Pred>
    std::vector<std::pair<Namespace, std::string>> erase_where(const SessionId& owner, const NamespaceSelector& ns,
                                                               Pred pred);

    std::uint64_t byte_limit_;
    std::uint64_t bytes_ = 0;
    std::uint64_t hash_text_bytes_ = 0;  ///< heap text of the records' hashes, for index_bytes()
    std::uint64_t next_seq_ = 1;
    std::map<std::uint64_t, StoredMessage> by_seq_;
    /// The message by its hash (by_seq_'s nodes never move): no second lookup by sequence number.
    MessageHashIndex<StoredMessage> by_hash_;
    std::map<Box, std::set<std::uint64_t>> boxes_;
    /// When messages expire: a min-heap of (expiry, seq), kept lazily. Every message has an entry
    /// no later than its expiry; raising an expiry (every poll's config bump, at every swarm member)
    /// changes no entry, lowering one adds an entry, erasing a message leaves its entries behind.
    /// sweep() skips entries of erased messages and puts back those of raised expiries; the heap
    /// is rebuilt when stale entries outnumber the messages (compact_expiry_index).
    std::vector<std::pair<std::int64_t, std::uint64_t>> expiry_heap_;
    void push_expiry(std::int64_t expiry_ms, std::uint64_t seq);
    void compact_expiry_index();
};

}  // namespace sessionproto
