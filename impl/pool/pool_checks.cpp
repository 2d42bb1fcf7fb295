// pool_resource's checks at free time: a pointer whose slab header does not match (release and debug:
// FA103 / FA104), and in FRAMEALLOC_DEBUG builds the per-block checks of pooled blocks and of the heap
// fallback (the shared free-time checks of framealloc.core:debug) with their bookkeeping.
module;
#include <framealloc/poison.hpp>

#include <framealloc/batch_stack.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>
module framealloc.pool;

import framealloc.core;
import framealloc.diagnostics;


namespace framealloc {

using detail::class_sizes;

void pool_resource::reject(void* p, std::size_t bytes, std::size_t alignment) {
    const detail::free_site at{"", p, bytes, alignment, "this pool", "block",
                               detail::report_action_for(registry_->options.on_error)};
#if FRAMEALLOC_DEBUG_ENABLED
    const std::string known = detail::known_as(p, registry_->blocks.get());
#else
    const std::string known;
#endif
    std::string_view code = codes::foreign_pointer;
    std::string why = "the pointer was not allocated by this pool";
    // The header is read only once the slab map says there is a slab: p may point anywhere.
    const detail::slab_header* slab = detail::in_some_slab(p) ? detail::slab_of(p) : nullptr;
    if (!is_power_of_two(alignment)) {
        code = codes::bad_alignment;
        why = "the alignment is not a power of two";
    } else if (slab == nullptr || slab->magic != magic_) {
        // foreign: the defaults
    } else if (!detail::is_block_start(p, slab->size_class)) {
        why = "the pointer is not the start of a block (it points into a " +
              std::to_string(class_sizes[slab->size_class]) + "-byte block or past the last one)";
    } else if (!detail::is_carved_block(slab, p, slab->size_class)) {
        why = "the pointer is the start of a " + std::to_string(class_sizes[slab->size_class]) +
              "-byte block that the pool has not handed out yet";
    } else {
        const std::size_t freed_as = pool_resource::block_size(bytes, alignment);
        code = codes::size_mismatch;
        why = "the block belongs to the " + std::to_string(class_sizes[slab->size_class]) + "-byte class but was freed with " +
              (freed_as == 0 ? std::string("a size/alignment the pool serves from the heap")
                             : "a size/alignment of the " + std::to_string(freed_as) + "-byte class");
    }
    detail::report(code, detail::describe_call(at) + ": " + why + known, at.action);
    std::abort();  // report() does not return for the pool's actions
}

#if FRAMEALLOC_DEBUG_ENABLED
void* pool_resource::debug_on_allocate(void* block, std::size_t c, std::size_t bytes, std::size_t alignment) noexcept {
    detail::slab_header* s = detail::slab_of(block);
    const std::size_t size = class_sizes[c];
    const std::size_t index = static_cast<std::size_t>(static_cast<std::byte*>(block) - detail::slab_base(s)) / size;
    s->live_bits[index / 64].fetch_or(std::uint64_t(1) << (index % 64), std::memory_order_relaxed);
    FRAMEALLOC_UNPOISON(block, size);
    // Everything after the user's bytes is guard: at least guard_bytes, plus the class slack.
    detail::arm_guard(static_cast<std::byte*>(block) + bytes, size - bytes);
    registry_->blocks->insert(block, bytes, alignment);
    return block;
}

void pool_resource::debug_on_deallocate(void* p, std::size_t c, std::size_t bytes, std::size_t alignment) {
    detail::slab_header* s = detail::slab_of(p);
    const std::size_t size = class_sizes[c];
    const std::size_t offset = static_cast<std::size_t>(static_cast<std::byte*>(p) - detail::slab_base(s));
    const detail::free_site at{"", p, bytes, alignment, "this pool", "block",
                               detail::report_action_for(registry_->options.on_error)};
    detail::block_table& blocks = *registry_->blocks;
    if (offset % size != 0 || offset >= s->carved_bytes.load(std::memory_order_relaxed))
        detail::fail_foreign(at, blocks, "the pointer is not the start of a block");
    const std::size_t index = offset / size;
    const std::uint64_t bit = std::uint64_t(1) << (index % 64);
    if ((s->live_bits[index / 64].load(std::memory_order_relaxed) & bit) == 0) detail::fail_double_free(at, blocks);
    detail::block_record r;
    if (blocks.find_live(p, r)) {
        detail::check_recorded_size(at, r);
    } else {  // the table could not record it (out of memory): check what the call says
        r.address = p;
        r.bytes = bytes;
        r.alignment = alignment;
    }
    detail::check_guards(at, r, static_cast<std::byte*>(p), r.bytes, size - r.bytes);
    const std::uint64_t before = s->live_bits[index / 64].fetch_and(~bit, std::memory_order_relaxed);
    if ((before & bit) == 0) detail::fail_double_free(at, blocks);  // another thread freed it meanwhile
    blocks.remove(p);
    FRAMEALLOC_POISON(static_cast<std::byte*>(p) + sizeof(void*), size - sizeof(void*));
}

// The heap fallback when the heap does not check its own blocks: a guard after each, recorded here.
void* pool_resource::debug_heap_allocate(std::size_t bytes, std::size_t alignment) {
    auto* p = static_cast<std::byte*>(registry_->options.heap->allocate(detail::guarded_size(bytes), alignment));
    registry_->heap_allocations.fetch_add(1, std::memory_order_relaxed);
    registry_->heap_bytes.fetch_add(bytes, std::memory_order_relaxed);
    detail::arm_guard(p + bytes, detail::guard_bytes);
    registry_->blocks->insert(p, bytes, alignment);
    return p;
}

void pool_resource::debug_heap_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
    const detail::free_site at{"", p, bytes, alignment, "this pool", "heap block",
                               detail::report_action_for(registry_->options.on_error)};
    const detail::block_record r = detail::check_table_free(at, *registry_->blocks);
    detail::check_guards(at, r, static_cast<std::byte*>(p), bytes, detail::guard_bytes);
    registry_->blocks->remove(p);
    registry_->options.heap->deallocate(p, detail::guarded_size(bytes), alignment);
    registry_->heap_deallocations.fetch_add(1, std::memory_order_relaxed);
    registry_->heap_bytes.fetch_sub(bytes, std::memory_order_relaxed);
}
#endif

}  // namespace framealloc
