#include "models/session/storage/message_store.hpp"

#include <algorithm>
#include <functional>

#include "models/session/common/memory_estimate.hpp"
#include "models/session/storage/message_hash.hpp"

namespace sessionproto {
namespace {

bool selects(const NamespaceSelector& selector, Namespace ns) {
    if (std::holds_alternative<AllNamespaces>(selector)) return true;
    return std::get<Namespace>(selector) == ns;
}

std::uint64_t message_bytes(const StoredMessage& m) { return m.data.size() + m.hash.size(); }

std::size_t base64_length(std::size_t raw) { return (raw + 2) / 3 * 4; }

}  // namespace

MessageStore::MessageStore(std::uint64_t byte_limit) : byte_limit_(byte_limit) {}

StoreResult MessageStore::store(const SessionId& owner, Namespace ns, std::int64_t timestamp_ms,
                                std::int64_t expiry_ms, Bytes data) {
    StoreResult result;
    result.hash = storage_message_hash(owner, ns, data);

    // A public outbox holds one message: storing removes the others, except a duplicate
    // (database.cpp Database::store).
    if (is_public_outbox(ns)) {
        if (auto box = boxes_.find(Box{owner, ns}); box != boxes_.end()) {
            std::vector<std::uint64_t> doomed;
            for (const auto seq : box->second) {
                if (by_seq_.at(seq).hash != result.hash) doomed.push_back(seq);
            }
            for (const auto seq : doomed) {
                result.displaced.push_back(by_seq_.at(seq).hash);
                erase_seq(seq);
            }
        }
    }

    if (StoredMessage* found = by_hash_.find(result.hash)) {
        StoredMessage& existing = *found;
        if (existing.expiry_ms < expiry_ms) {
            set_expiry(existing, expiry_ms);
            result.outcome = StoreOutcome::extended;
        } else {
            result.outcome = StoreOutcome::exists;
        }
        result.expiry_ms = existing.expiry_ms;
        return result;
    }

    const std::uint64_t size = data.size() + result.hash.size();
    if (bytes_ + size > byte_limit_) {
        result.outcome = StoreOutcome::full;
        result.expiry_ms = expiry_ms;
        return result;
    }

    const std::uint64_t seq = next_seq_++;
    StoredMessage& m =
        by_seq_.emplace(seq, StoredMessage{owner, ns, result.hash, timestamp_ms, expiry_ms, std::move(data), seq})
            .first->second;
    by_hash_.insert(&m);
    boxes_[Box{owner, ns}].insert(seq);
    push_expiry(expiry_ms, seq);
    bytes_ += size;
    hash_text_bytes_ += memory::heap_bytes(m.hash);  // the record's (the index points to it)
    result.outcome = StoreOutcome::stored;
    result.expiry_ms = expiry_ms;
    return result;
}

RetrieveResult MessageStore::retrieve(const SessionId& owner, Namespace ns, std::string_view last_hash,
                                      std::int64_t now_ms, const RetrieveLimits& limits) const {
    RetrieveResult out;
    const auto box = boxes_.find(Box{owner, ns});
    if (box == boxes_.end()) return out;

    // last_hash counts only if it names a message of this owner and namespace on this node.
    auto start = box->second.begin();
    if (!last_hash.empty()) {
        if (const StoredMessage* h = by_hash_.find(last_hash); h != nullptr && box->second.count(h->seq) != 0) {
            start = box->second.upper_bound(h->seq);
        }
    }

    std::optional<std::size_t> max_count = limits.max_count;
    if (max_count && *max_count < 1) max_count = 1;
    std::size_t aggregate = 0;
    for (auto it = start; it != box->second.end(); ++it) {
        const StoredMessage& m = by_seq_.at(*it);
        if (m.expiry_ms <= now_ms) continue;
        if (max_count && out.messages.size() >= *max_count) {
            out.more = true;
            break;
        }
        if (limits.max_size) {
            aggregate += limits.per_message_overhead + m.hash.size() +
                         (limits.size_base64 ? base64_length(m.data.size()) : m.data.size());
            if (!out.messages.empty() && aggregate > *limits.max_size) {
                out.more = true;
                break;
            }
        }
        out.messages.push_back(m);
    }
    return out;
}

std::size_t MessageStore::sweep(std::int64_t now_ms) {
    // Every message whose expiry is ≤ now has an entry ≤ now (the index's invariant), so popping
    // the entries ≤ now finds all of them; the others found are stale or raised since.
    const auto later = std::greater<>{};
    std::size_t removed = 0;
    while (!expiry_heap_.empty() && expiry_heap_.front().first <= now_ms) {
        std::pop_heap(expiry_heap_.begin(), expiry_heap_.end(), later);
        const std::uint64_t seq = expiry_heap_.back().second;
        expiry_heap_.pop_back();
        const auto it = by_seq_.find(seq);
        if (it == by_seq_.end()) continue;  // erased since, or a second entry of one removed now
        if (it->second.expiry_ms > now_ms) {
            push_expiry(it->second.expiry_ms, seq);  // raised since this entry was made
            continue;
        }
        erase_seq(seq);
        ++removed;
    }
    return removed;
}

void MessageStore::push_expiry(std::int64_t expiry_ms, std::uint64_t seq) {
    expiry_heap_.emplace_back(expiry_ms, seq);
    std::push_heap(expiry_heap_.begin(), expiry_heap_.end(), std::greater<>{});
}

void MessageStore::compact_expiry_index() {
    if (expiry_heap_.size() <= 2 * by_seq_.size() + 1024) return;
    expiry_heap_.clear();
    for (const auto& [seq, m] : by_seq_) expiry_heap_.emplace_back(m.expiry_ms, seq);
    std::make_heap(expiry_heap_.begin(), expiry_heap_.end(), std::greater<>{});
}

std::vector<std::string> MessageStore::delete_by_hash(const SessionId& owner, std::span<const std::string> hashes) {
    std::vector<std::string> deleted;
    for (const auto& h : hashes) {
        const StoredMessage* m = by_hash_.find(h);
        if (m == nullptr || m->owner != owner) continue;
        deleted.push_back(h);
        erase_seq(m->seq);
    }
    std::sort(deleted.begin(), deleted.end());
    return deleted;
}

template <class Pred>
std::vector<std::pair<Namespace, std::string>> MessageStore::erase_where(const SessionId& owner,
                                                                         const NamespaceSelector& ns, Pred pred) {
    std::vector<std::pair<Namespace, std::string>> out;
    std::vector<std::uint64_t> doomed;
    for (auto box = boxes_.lower_bound(Box{owner, static_cast<Namespace>(NAMESPACE_MIN)});
         box != boxes_.end() && box->first.first == owner; ++box) {
        if (!selects(ns, box->first.second)) continue;
        for (const auto seq : box->second) {
            const StoredMessage& m = by_seq_.at(seq);
            if (pred(m)) {
                out.emplace_back(m.ns, m.hash);
                doomed.push_back(seq);
            }
        }
    }
    for (const auto seq : doomed) erase_seq(seq);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    return out;
}

std::vector<std::pair<Namespace, std::string>> MessageStore::delete_all(const SessionId& owner,
                                                                        const NamespaceSelector& ns) {
    return erase_where(owner, ns, [](const StoredMessage&) { return true; });
}

std::vector<std::pair<Namespace, std::string>> MessageStore::delete_before(const SessionId& owner,
                                                                           const NamespaceSelector& ns,
                                                                           std::int64_t before_ms) {
    return erase_where(owner, ns, [before_ms](const StoredMessage& m) { return m.timestamp_ms <= before_ms; });
}

std::vector<std::pair<std::string, std::int64_t>> MessageStore::update_expiry(const SessionId& owner,
                                                                              std::span<const std::string> hashes,
                                                                              std::span<const std::int64_t> expiries_ms,
                                                                              ExpireMode mode) {
    std::vector<std::pair<std::string, std::int64_t>> updated;
    if (expiries_ms.size() != 1 && expiries_ms.size() != hashes.size()) return updated;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        const std::int64_t expiry = expiries_ms.size() == 1 ? expiries_ms[0] : expiries_ms[i];
        StoredMessage* found = by_hash_.find(hashes[i]);
        if (found == nullptr) continue;
        StoredMessage& m = *found;
        if (m.owner != owner) continue;
        if (mode == ExpireMode::extend && !(m.expiry_ms < expiry)) continue;
        if (mode == ExpireMode::shorten && !(m.expiry_ms > expiry)) continue;
        set_expiry(m, expiry);
        updated.emplace_back(m.hash, expiry);
    }
    std::sort(updated.begin(), updated.end());
    updated.erase(std::unique(updated.begin(), updated.end(),
                              [](const auto& a, const auto& b) { return a.first == b.first; }),
                  updated.end());
    return updated;
}

std::vector<std::pair<Namespace, std::string>> MessageStore::shorten_all(const SessionId& owner,
                                                                         const NamespaceSelector& ns,
                                                                         std::int64_t expiry_ms) {
    std::vector<std::pair<Namespace, std::string>> out;
    std::vector<std::uint64_t> changed;
    for (auto box = boxes_.lower_bound(Box{owner, static_cast<Namespace>(NAMESPACE_MIN)});
         box != boxes_.end() && box->first.first == owner; ++box) {
        if (!selects(ns, box->first.second)) continue;
        for (const auto seq : box->second) {
            if (by_seq_.at(seq).expiry_ms > expiry_ms) changed.push_back(seq);
        }
    }
    for (const auto seq : changed) {
        StoredMessage& m = by_seq_.at(seq);
        set_expiry(m, expiry_ms);
        out.emplace_back(m.ns, m.hash);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    return out;
}

std::map<std::string, std::int64_t> MessageStore::get_expiries(const SessionId& owner,
                                                               std::span<const std::string> hashes) const {
    std::map<std::string, std::int64_t> out;
    for (const auto& h : hashes) {
        const StoredMessage* found = by_hash_.find(h);
        if (found == nullptr) continue;
        const StoredMessage& m = *found;
        if (m.owner == owner) out[m.hash] = m.expiry_ms;
    }
    return out;
}

const StoredMessage* MessageStore::find(std::string_view hash) const {
    return by_hash_.find(hash);
}

std::size_t MessageStore::owner_count() const {
    std::size_t n = 0;
    const SessionId* last = nullptr;
    for (const auto& [box, seqs] : boxes_) {
        if (last == nullptr || *last != box.first) {
            ++n;
            last = &box.first;
        }
    }
    return n;
}

std::size_t MessageStore::count(const SessionId& owner, Namespace ns) const {
    auto it = boxes_.find(Box{owner, ns});
    return it == boxes_.end() ? 0 : it->second.size();
}

std::map<Namespace, std::size_t> MessageStore::namespace_counts() const {
    std::map<Namespace, std::size_t> out;
    for (const auto& [box, seqs] : boxes_) out[box.second] += seqs.size();
    return out;
}

std::vector<StoredMessage> MessageStore::all_messages() const {
    std::vector<StoredMessage> out;
    out.reserve(by_seq_.size());
    for (const auto& [seq, m] : by_seq_) out.push_back(m);
    return out;
}

void MessageStore::erase_seq(std::uint64_t seq) {
    auto it = by_seq_.find(seq);
    if (it == by_seq_.end()) return;
    const StoredMessage& m = it->second;
    by_hash_.erase(m.hash);
    if (auto box = boxes_.find(Box{m.owner, m.ns}); box != boxes_.end()) {
        box->second.erase(seq);
        if (box->second.empty()) boxes_.erase(box);
    }
    bytes_ -= message_bytes(m);
    hash_text_bytes_ -= memory::heap_bytes(m.hash);
    by_seq_.erase(it);
    compact_expiry_index();  // its entries stay behind until swept or compacted
}

void MessageStore::set_expiry(StoredMessage& m, std::int64_t expiry_ms) {
    // A raised expiry keeps its entry (earlier than it: sweep puts it back when it comes up).
    if (expiry_ms < m.expiry_ms) push_expiry(expiry_ms, m.seq);
    m.expiry_ms = expiry_ms;
}

std::size_t MessageStore::index_bytes() const {
    // Every message is in exactly one box: the boxes' sets hold message_count() nodes in all.
    // The hashes' text is kept as messages come and go, so this is O(boxes), not O(messages).
    return memory::heap_bytes(by_seq_) + by_hash_.heap_bytes() + memory::heap_bytes(boxes_) +
           memory::heap_bytes(expiry_heap_) + by_seq_.size() * (sizeof(std::uint64_t) + memory::TREE_NODE) +
           hash_text_bytes_;
}

}  // namespace sessionproto
