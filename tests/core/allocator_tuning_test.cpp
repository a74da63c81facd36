// sim/core/allocator_tuning.hpp: after tuning, a payload of megabytes comes from the heap, not
// from a mapping of its own, and freeing it keeps the heap mapped; after the restart with the
// thread-cache tunable, a burst of freed small blocks stays in the thread cache. Its own binary:
// it changes the process's allocator (and restarts the process).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sim/core/allocator_tuning.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sessionsim {
namespace {

TEST(AllocatorTuning, LargePayloadsComeFromTheHeapAndStayMapped) {
#if !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "glibc's allocator only (the sanitizers bring their own)";
#else
    constexpr std::size_t MB = std::size_t{1} << 20;
    // glibc's defaults first: a 1 MB block is mapped on its own.
    const std::size_t mapped_before = mallinfo2().hblks;
    void* first = std::malloc(MB);
    ASSERT_NE(first, nullptr);
    std::memset(first, 1, MB);
    EXPECT_EQ(mallinfo2().hblks, mapped_before + 1);
    std::free(first);

    ASSERT_TRUE(tune_allocator_for_simulation());
    // 8 MB: above what glibc's own adjustment would allow after that free (1 MB).
    void* payload = std::malloc(8 * MB);
    ASSERT_NE(payload, nullptr);
    std::memset(payload, 2, 8 * MB);
    EXPECT_EQ(mallinfo2().hblks, mapped_before);
    const std::size_t heap = mallinfo2().arena;
    EXPECT_GE(heap, 8 * MB);
    std::free(payload);
    EXPECT_EQ(mallinfo2().arena, heap);  // the top is kept (below HEAP_TOP_KEPT_BYTES)
#endif
}

TEST(AllocatorTuning, TheThreadCacheTunableIsAddedToTheUsersOwn) {
    const std::string ours = "glibc.malloc.tcache_count=" + std::to_string(THREAD_CACHE_BLOCKS);
    EXPECT_EQ(tunables_with_thread_cache(nullptr), ours);
    EXPECT_EQ(tunables_with_thread_cache(""), ours);
    EXPECT_EQ(tunables_with_thread_cache("glibc.malloc.check=3"), "glibc.malloc.check=3:" + ours);
    EXPECT_EQ(tunables_with_thread_cache("glibc.malloc.tcache_count=5"), std::nullopt);  // the user's choice
    EXPECT_EQ(tunables_with_thread_cache(ours.c_str()), std::nullopt);                  // already restarted
}

// This test restarts its own process with the tunable (as sessionsim's main does), then checks the
// effect in the restarted process: 200 freed blocks of one size all stay in the thread cache,
// where glibc's default depth (7) sends the rest to its fast bins.
TEST(AllocatorTuning, AfterTheRestartABurstOfFreedBlocksStaysInTheThreadCache) {
#if !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "glibc's allocator only (the sanitizers bring their own)";
#else
    if (tunables_with_thread_cache(std::getenv("GLIBC_TUNABLES"))) {
        std::vector<std::string> args = ::testing::internal::GetArgvs();
        args.push_back("--gtest_filter=AllocatorTuning.AfterTheRestartABurstOfFreedBlocksStaysInTheThreadCache");
        std::vector<char*> c_args;
        for (auto& a : args) c_args.push_back(a.data());
        c_args.push_back(nullptr);
        restart_with_allocator_tunables(c_args.data());
        FAIL() << "the restart did not happen";
    }
    constexpr int BLOCKS = 200;
    std::vector<void*> blocks(BLOCKS);
    const std::size_t fast_before = mallinfo2().fsmblks;
    for (auto& b : blocks) b = std::malloc(48);
    for (auto* b : blocks) std::free(b);
    EXPECT_EQ(mallinfo2().fsmblks, fast_before);  // none reached the fast bins
#endif
}

}  // namespace
}  // namespace sessionsim
