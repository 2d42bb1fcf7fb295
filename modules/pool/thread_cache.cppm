// A thread's cache of free blocks for one pool_resource: one intrusive LIFO list per size class (the
// link is the first word of each free block). Only its thread touches it — no lock, no atomic.
// Bounded: a list that grows past `limit` hands a batch back to the pool's depot.
module;
#include <array>
#include <cstdint>
export module framealloc.pool:thread_cache;

import :size_classes;

export namespace framealloc::detail {

struct free_list {
    void* head = nullptr;
    std::uint32_t count = 0;
    std::uint32_t limit = 0;  // flush threshold: two batches
};

[[nodiscard]] inline void*& next_of(void* block) noexcept { return *static_cast<void**>(block); }

struct pool_thread_cache {
    pool_thread_cache() {
        for (std::size_t c = 0; c < class_count; ++c) lists[c].limit = 2 * batch_blocks(c);
    }
    std::array<free_list, class_count> lists;
};

}  // namespace framealloc::detail
