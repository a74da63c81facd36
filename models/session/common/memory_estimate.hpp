#pragma once
// Estimated heap bytes of the standard containers a part holds: element storage plus the
// allocator's per-node cost, without the malloc headers of the glibc allocator (an estimate
// to account a run's memory by structure, perf.json "memory.structures"; the process's RSS is
// the measured total). Nested heap (a string's text, a vector inside a map value) is added by the
// caller where it matters.
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace sessionproto::memory {

/// An rb-tree node's links and colour (libstdc++ _Rb_tree_node_base).
inline constexpr std::size_t TREE_NODE = 32;

/// A string's own allocation (none while it fits the small-string buffer).
inline std::size_t heap_bytes(const std::string& s) noexcept {
    return s.capacity() > 15 ? s.capacity() + 1 : 0;
}
template <class T, class A>
std::size_t heap_bytes(const std::vector<T, A>& v) noexcept {
    return v.capacity() * sizeof(T);
}
template <class K, class V, class C, class A>
std::size_t heap_bytes(const std::map<K, V, C, A>& m) noexcept {
    return m.size() * (sizeof(typename std::map<K, V, C, A>::value_type) + TREE_NODE);
}
/// A hashed node holds its pair, the next link and (for non-trivial hashes) the cached hash.
template <class K, class V, class H, class E, class A>
std::size_t heap_bytes(const std::unordered_map<K, V, H, E, A>& m) noexcept {
    return m.size() * (sizeof(typename std::unordered_map<K, V, H, E, A>::value_type) + 2 * sizeof(void*)) +
           m.bucket_count() * sizeof(void*);
}
template <class K, class C, class A>
std::size_t heap_bytes(const std::set<K, C, A>& s) noexcept {
    return s.size() * (sizeof(K) + TREE_NODE);
}

}  // namespace sessionproto::memory
