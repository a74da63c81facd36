#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "models/session/common/bytes.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/storage/limits.hpp"
#include "models/session/storage/message_hash.hpp"
#include "models/session/storage/message_store.hpp"

namespace sessionproto {
namespace {

constexpr std::int64_t T0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr std::int64_t HOUR = 3'600'000;

SessionId owner_a() { return *SessionId::parse("05" + std::string(64, 'a')); }
SessionId owner_b() { return *SessionId::parse("05" + std::string(64, 'b')); }

std::vector<std::string> hashes_of(const RetrieveResult& r) {
    std::vector<std::string> out;
    for (const auto& m : r.messages) out.push_back(m.hash);
    return out;
}

TEST(MessageStore, StoreComputesTheHashAndRetrieveReturnsInOrder) {
    MessageStore store;
    const auto r1 = store.store(owner_a(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("one"));
    const auto r2 = store.store(owner_a(), Namespace::default_ns, T0 + 1, T0 + HOUR, to_bytes("two"));
    const auto r3 = store.store(owner_a(), Namespace::default_ns, T0 + 2, T0 + HOUR, to_bytes("three"));
    EXPECT_EQ(r1.outcome, StoreOutcome::stored);
    EXPECT_EQ(r1.hash, storage_message_hash(owner_a(), Namespace::default_ns, to_bytes("one")));
    const auto all = store.retrieve(owner_a(), Namespace::default_ns, "", T0);
    EXPECT_EQ(hashes_of(all), (std::vector<std::string>{r1.hash, r2.hash, r3.hash}));
    EXPECT_FALSE(all.more);
    EXPECT_EQ(to_string(all.messages[1].data), "two");
    EXPECT_EQ(all.messages[1].timestamp_ms, T0 + 1);
    // After last_hash: only the later ones.
    EXPECT_EQ(hashes_of(store.retrieve(owner_a(), Namespace::default_ns, r1.hash, T0)),
              (std::vector<std::string>{r2.hash, r3.hash}));
    EXPECT_TRUE(store.retrieve(owner_a(), Namespace::default_ns, r3.hash, T0).messages.empty());
    // An unknown last_hash returns everything.
    EXPECT_EQ(store.retrieve(owner_a(), Namespace::default_ns, std::string(43, 'Z'), T0).messages.size(), 3u);
    // Another owner sees nothing.
    EXPECT_TRUE(store.retrieve(owner_b(), Namespace::default_ns, "", T0).messages.empty());
}

TEST(MessageStore, LastHashOfAnotherNamespaceOrOwnerCountsAsUnknown) {
    MessageStore store;
    const auto in0 = store.store(owner_a(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("x"));
    const auto in5 = store.store(owner_a(), Namespace::user_groups, T0, T0 + HOUR, to_bytes("x"));
    const auto other = store.store(owner_b(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("x"));
    EXPECT_NE(in0.hash, in5.hash);  // the namespace is part of the hash
    EXPECT_EQ(store.retrieve(owner_a(), Namespace::default_ns, in5.hash, T0).messages.size(), 1u);
    EXPECT_EQ(store.retrieve(owner_a(), Namespace::default_ns, other.hash, T0).messages.size(), 1u);
    EXPECT_EQ(store.count(owner_a(), Namespace::user_groups), 1u);
    EXPECT_EQ(store.namespace_counts().at(Namespace::default_ns), 2u);
    EXPECT_EQ(store.owner_count(), 2u);
}

TEST(MessageStore, DuplicateKeepsFirstCopyAndOnlyExtendsExpiry) {
    MessageStore store;
    const auto first = store.store(owner_a(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("same"));
    const auto later = store.store(owner_a(), Namespace::default_ns, T0 + 5, T0 + 2 * HOUR, to_bytes("same"));
    EXPECT_EQ(later.outcome, StoreOutcome::extended);
    EXPECT_EQ(later.hash, first.hash);
    EXPECT_EQ(later.expiry_ms, T0 + 2 * HOUR);
    const auto shorter = store.store(owner_a(), Namespace::default_ns, T0 + 9, T0 + HOUR, to_bytes("same"));
    EXPECT_EQ(shorter.outcome, StoreOutcome::exists);
    EXPECT_EQ(shorter.expiry_ms, T0 + 2 * HOUR);
    EXPECT_EQ(store.message_count(), 1u);
    const StoredMessage* m = store.find(first.hash);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->timestamp_ms, T0);  // the first copy's timestamp is kept
    EXPECT_EQ(m->expiry_ms, T0 + 2 * HOUR);
}

TEST(MessageStore, ExpiryHidesAtReadAndSweepRemovesAtTheBoundary) {
    MessageStore store;
    const auto a = store.store(owner_a(), Namespace::default_ns, T0, T0 + 10'000, to_bytes("short"));
    store.store(owner_a(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("long"));
    EXPECT_EQ(store.retrieve(owner_a(), Namespace::default_ns, "", T0 + 9'999).messages.size(), 2u);
    EXPECT_EQ(store.retrieve(owner_a(), Namespace::default_ns, "", T0 + 10'000).messages.size(), 1u);
    EXPECT_EQ(store.sweep(T0 + 9'999), 0u);
    EXPECT_NE(store.find(a.hash), nullptr);
    EXPECT_EQ(store.sweep(T0 + 10'000), 1u);  // expiry <= now is removed
    EXPECT_EQ(store.find(a.hash), nullptr);
    EXPECT_EQ(store.message_count(), 1u);
    EXPECT_EQ(store.sweep(T0 + HOUR), 1u);
    EXPECT_EQ(store.message_count(), 0u);
    EXPECT_EQ(store.total_bytes(), 0u);
    EXPECT_EQ(store.owner_count(), 0u);
}

TEST(MessageStore, BytesAndFullLimit) {
    MessageStore store(100);
    const auto r = store.store(owner_a(), Namespace::default_ns, T0, T0 + HOUR, Bytes(50));
    EXPECT_EQ(r.outcome, StoreOutcome::stored);
    EXPECT_EQ(store.total_bytes(), 50u + MESSAGE_HASH_LENGTH);
    const auto full = store.store(owner_a(), Namespace::default_ns, T0, T0 + HOUR, Bytes(10, std::byte{1}));
    EXPECT_EQ(full.outcome, StoreOutcome::full);
    EXPECT_EQ(store.message_count(), 1u);
}

TEST(MessageStore, RetrieveLimitsCountAndSize) {
    MessageStore store;
    for (int i = 0; i < 5; ++i) {
        store.store(owner_a(), Namespace::default_ns, T0 + i, T0 + HOUR, Bytes(30, std::byte(i)));
    }
    RetrieveLimits by_count;
    by_count.max_count = 2;
    auto r = store.retrieve(owner_a(), Namespace::default_ns, "", T0, by_count);
    EXPECT_EQ(r.messages.size(), 2u);
    EXPECT_TRUE(r.more);
    by_count.max_count = 5;
    r = store.retrieve(owner_a(), Namespace::default_ns, "", T0, by_count);
    EXPECT_EQ(r.messages.size(), 5u);
    EXPECT_FALSE(r.more);
    by_count.max_count = 0;  // < 1 means 1
    EXPECT_EQ(store.retrieve(owner_a(), Namespace::default_ns, "", T0, by_count).messages.size(), 1u);
    // Each message counts 100 + 43 + base64(30) = 183 bytes.
    RetrieveLimits by_size;
    by_size.max_size = 366;
    r = store.retrieve(owner_a(), Namespace::default_ns, "", T0, by_size);
    EXPECT_EQ(r.messages.size(), 2u);
    EXPECT_TRUE(r.more);
    by_size.max_size = 365;
    EXPECT_EQ(store.retrieve(owner_a(), Namespace::default_ns, "", T0, by_size).messages.size(), 1u);
    by_size.max_size = 1;  // at least one message is always returned
    r = store.retrieve(owner_a(), Namespace::default_ns, "", T0, by_size);
    EXPECT_EQ(r.messages.size(), 1u);
    EXPECT_TRUE(r.more);
}

TEST(MessageStore, PublicOutboxKeepsOneMessage) {
    MessageStore store;
    const auto outbox = static_cast<Namespace>(-21);
    const auto first = store.store(owner_a(), outbox, T0, T0 + HOUR, to_bytes("v1"));
    const auto again = store.store(owner_a(), outbox, T0, T0 + HOUR, to_bytes("v1"));
    EXPECT_TRUE(again.displaced.empty());
    const auto second = store.store(owner_a(), outbox, T0 + 1, T0 + HOUR, to_bytes("v2"));
    EXPECT_EQ(second.displaced, std::vector<std::string>{first.hash});
    EXPECT_EQ(store.count(owner_a(), outbox), 1u);
    EXPECT_EQ(store.find(first.hash), nullptr);
    // Ordinary namespaces keep everything.
    store.store(owner_a(), Namespace::user_profile, T0, T0 + HOUR, to_bytes("v1"));
    store.store(owner_a(), Namespace::user_profile, T0, T0 + HOUR, to_bytes("v2"));
    EXPECT_EQ(store.count(owner_a(), Namespace::user_profile), 2u);
}

TEST(MessageStore, DeleteByHashOnlyTouchesTheOwner) {
    MessageStore store;
    const auto a1 = store.store(owner_a(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("a1"));
    const auto a2 = store.store(owner_a(), Namespace::user_profile, T0, T0 + HOUR, to_bytes("a2"));
    const auto b1 = store.store(owner_b(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("b1"));
    const std::vector<std::string> req{a2.hash, b1.hash, a1.hash, std::string(43, 'Q')};
    auto deleted = store.delete_by_hash(owner_a(), req);
    std::vector<std::string> expected{a1.hash, a2.hash};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(deleted, expected);
    EXPECT_NE(store.find(b1.hash), nullptr);
    EXPECT_EQ(store.message_count(), 1u);
}

TEST(MessageStore, DeleteAllAndDeleteBeforeByNamespace) {
    MessageStore store;
    store.store(owner_a(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("0a"));
    store.store(owner_a(), Namespace::default_ns, T0 + 100, T0 + HOUR, to_bytes("0b"));
    store.store(owner_a(), Namespace::contacts, T0, T0 + HOUR, to_bytes("3a"));
    store.store(owner_b(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("b"));
    auto before = store.delete_before(owner_a(), Namespace::default_ns, T0 + 99);
    ASSERT_EQ(before.size(), 1u);
    EXPECT_EQ(before[0].second, storage_message_hash(owner_a(), Namespace::default_ns, to_bytes("0a")));
    EXPECT_EQ(store.delete_before(owner_a(), Namespace::default_ns, T0 + 100).size(), 1u);  // <= before
    auto all = store.delete_all(owner_a(), AllNamespaces{});
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].first, Namespace::contacts);
    EXPECT_EQ(store.message_count(), 1u);  // owner_b's message remains
}

TEST(MessageStore, UpdateExpiryModesAndShortenAll) {
    MessageStore store;
    const auto m1 = store.store(owner_a(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("1"));
    const auto m2 = store.store(owner_a(), Namespace::default_ns, T0, T0 + 3 * HOUR, to_bytes("2"));
    const std::vector<std::string> both{m1.hash, m2.hash};
    const std::vector<std::int64_t> two_hours{T0 + 2 * HOUR};
    auto ext = store.update_expiry(owner_a(), both, two_hours, ExpireMode::extend);
    ASSERT_EQ(ext.size(), 1u);
    EXPECT_EQ(ext[0].first, m1.hash);
    EXPECT_EQ(store.find(m2.hash)->expiry_ms, T0 + 3 * HOUR);
    auto sh = store.update_expiry(owner_a(), both, std::vector<std::int64_t>{T0 + 90 * 60'000}, ExpireMode::shorten);
    EXPECT_EQ(sh.size(), 2u);
    const std::vector<std::int64_t> per{T0 + 10 * HOUR, T0 + 11 * HOUR};
    auto set = store.update_expiry(owner_a(), both, per, ExpireMode::set);
    EXPECT_EQ(set.size(), 2u);
    EXPECT_EQ(store.find(m2.hash)->expiry_ms, T0 + 11 * HOUR);
    EXPECT_EQ(store.get_expiries(owner_a(), both).at(m1.hash), T0 + 10 * HOUR);
    EXPECT_TRUE(store.get_expiries(owner_b(), both).empty());
    auto all = store.shorten_all(owner_a(), Namespace::default_ns, T0 + 10 * HOUR);
    ASSERT_EQ(all.size(), 1u);  // only m2 had a later expiry
    EXPECT_EQ(all[0].second, m2.hash);
    // The changed expiry governs the sweep.
    EXPECT_EQ(store.sweep(T0 + 10 * HOUR), 2u);
}

// index_bytes(): each message adds at least its record, its hash (in the record; the hash index
// points to it), two slots of the hash index (at most half full) and its other index nodes;
// removing them takes all of that back (the hash index and the expiry heap keep their capacity).
TEST(MessageStore, IndexBytesFollowTheMessagesHeld) {
    MessageStore store;
    const std::size_t empty = store.index_bytes();
    for (int i = 0; i < 50; ++i) {
        std::string body = std::to_string(i);
        body += " message";
        store.store(i % 2 ? owner_a() : owner_b(), Namespace::default_ns, T0 + i, T0 + HOUR, to_bytes(body));
    }
    ASSERT_EQ(store.message_count(), 50u);
    const std::size_t per_message = (store.index_bytes() - empty) / 50;
    EXPECT_GE(per_message, sizeof(StoredMessage) + (MESSAGE_HASH_LENGTH + 1) + 2 * 16 + 3 * 32);
    EXPECT_LT(per_message, 1024u);  // an estimate of a few hundred bytes, not a count gone astray
    EXPECT_EQ(store.sweep(T0 + HOUR + 1), 50u);
    EXPECT_GE(store.index_bytes(), empty);
    // 128 slots of 16 bytes for 50 keys and the expiry heap's 64 entries of 16: nothing per message.
    EXPECT_LE(store.index_bytes(), empty + 128 * 16 + 64 * 16);
}

// The expiry index is lazy (message_store.hpp): raised expiries keep their entry, lowered ones add
// one, erased messages leave theirs. Sweeps must still remove exactly the messages due, once.
TEST(MessageStore, SweepsFollowRaisedAndLoweredExpiries) {
    MessageStore store;
    const auto raised = store.store(owner_a(), Namespace::default_ns, T0, T0 + HOUR, to_bytes("raised"));
    const auto lowered = store.store(owner_a(), Namespace::default_ns, T0, T0 + 3 * HOUR, to_bytes("lowered"));
    const auto kept = store.store(owner_a(), Namespace::default_ns, T0, T0 + 2 * HOUR, to_bytes("kept"));
    for (int i = 1; i <= 100; ++i) {  // a config bump at every poll: set, always later
        const std::vector<std::int64_t> at{T0 + HOUR + i * 10'000};
        ASSERT_EQ(store.update_expiry(owner_a(), std::vector<std::string>{raised.hash}, at, ExpireMode::set).size(), 1u);
    }
    EXPECT_EQ(store.expiry_index_entries(), 3u);  // raising added nothing
    ASSERT_EQ(store.update_expiry(owner_a(), std::vector<std::string>{lowered.hash},
                                  std::vector<std::int64_t>{T0 + HOUR / 2}, ExpireMode::shorten).size(), 1u);
    EXPECT_EQ(store.sweep(T0 + HOUR / 2), 1u);  // the lowered one, at its new expiry
    EXPECT_EQ(store.find(lowered.hash), nullptr);
    EXPECT_EQ(store.sweep(T0 + HOUR), 0u);  // the raised one's old expiry: still held
    ASSERT_NE(store.find(raised.hash), nullptr);
    EXPECT_EQ(store.sweep(T0 + HOUR + 1000 * 1000), 1u);  // its last expiry, T0 + 1h + 1000 s
    EXPECT_EQ(store.find(raised.hash), nullptr);
    EXPECT_EQ(store.sweep(T0 + 3 * HOUR), 1u);  // the lowered one's old entry finds nothing; kept goes
    EXPECT_EQ(store.find(kept.hash), nullptr);
    EXPECT_EQ(store.message_count(), 0u);
    EXPECT_EQ(store.expiry_index_entries(), 0u);
}

TEST(MessageStore, ErasedMessagesDoNotGrowTheExpiryIndex) {
    MessageStore store;
    std::vector<std::string> hashes;
    for (int i = 0; i < 5000; ++i) {
        hashes.push_back(store.store(owner_a(), Namespace::default_ns, T0 + i, T0 + HOUR, to_bytes(std::to_string(i))).hash);
        if (i % 2 == 1) {  // delete every other one as soon as the next is stored
            ASSERT_EQ(store.delete_by_hash(owner_a(), std::vector<std::string>{hashes[i - 1]}).size(), 1u);
        }
        ASSERT_LE(store.expiry_index_entries(), 2 * store.message_count() + 1024 + 1);
    }
    EXPECT_EQ(store.message_count(), 2500u);
    EXPECT_EQ(store.sweep(T0 + HOUR), 2500u);
}

}  // namespace
}  // namespace sessionproto
