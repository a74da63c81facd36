// The store's hash index (models/session/storage/message_hash_index.hpp) against a std::map over
// a random sequence of inserts, erases and lookups, with texts whose codes collide (same first and
// last 8 characters and length: the code reads only those) and short texts, through growths and
// backward-shift erases.
#include "models/session/storage/message_hash_index.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>

#include "models/session/common/entropy.hpp"

namespace sessionproto {
namespace {

struct Record {
    std::string hash;
};

TEST(MessageHashIndex, AgreesWithAMapThroughInsertsErasesAndCollisions) {
    DeterministicEntropy entropy(21, "message hash index");
    auto below = [&](std::size_t n) { return static_cast<std::size_t>(entropy.uniform(n)); };
    const auto text = [&](std::size_t i) {
        switch (i % 3) {
            case 0: return "HEADHEAD" + std::to_string(i) + std::string(27 - std::min<std::size_t>(27, std::to_string(i).size()), 'm') + "TAILTAIL";
            case 1: return std::to_string(i);  // short: the library's hash
            default: return std::string(20, static_cast<char>('A' + i % 26)) + std::to_string(i * 7919) + "==";
        }
    };
    std::deque<Record> records;  // stable addresses
    std::map<std::string, Record*> reference;
    MessageHashIndex<Record> index;
    std::size_t collisions = 0, erased = 0;
    for (std::size_t step = 0; step < 60'000; ++step) {
        const std::size_t i = below(5'000);
        const std::string t = text(i);
        switch (below(3)) {
            case 0: {  // insert
                records.push_back(Record{t});
                const bool fresh = !reference.contains(t);
                ASSERT_EQ(index.insert(&records.back()), fresh) << t;
                if (fresh) reference.emplace(t, &records.back());
                break;
            }
            case 1: {  // erase
                const bool present = reference.erase(t) == 1;
                ASSERT_EQ(index.erase(t), present) << t;
                erased += present ? 1 : 0;
                break;
            }
            default: {  // find
                const auto it = reference.find(t);
                ASSERT_EQ(index.find(t), it == reference.end() ? nullptr : it->second) << t;
            }
        }
        ASSERT_EQ(index.size(), reference.size());
    }
    for (const auto& [t, r] : reference) {
        ASSERT_EQ(index.find(t), r) << t;
        collisions += t.starts_with("HEADHEAD") ? 1 : 0;
    }
    EXPECT_GT(collisions, 200u);  // texts of one code, told apart by their text
    EXPECT_GT(erased, 5'000u);
    EXPECT_EQ(index.find("absent"), nullptr);
    EXPECT_GE(index.heap_bytes(), 2 * index.size() * 16);  // at most half full
}

}  // namespace
}  // namespace sessionproto
