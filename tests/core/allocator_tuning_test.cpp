// sim/core/allocator_tuning.hpp: after tuning, a payload of megabytes comes from the heap, not
// from a mapping of its own, and freeing it keeps the heap mapped. Its own binary: it changes
// the process's allocator.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

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

}  // namespace
}  // namespace sessionsim
