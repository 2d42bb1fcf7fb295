// heap_resource: the checked heap of FRAMEALLOC_DEBUG builds (canary, guard, block table, leak report).
//
// Layout of a debug heap block: [canary: max(alignment, 16) bytes][user bytes][guard: guard_bytes], all
// from one upstream allocation aligned to max(alignment, 16), so the user's pointer keeps its alignment.
module;
#include <framealloc/poison.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>
#include <utility>
module framealloc.pool;

import framealloc.core;

namespace framealloc {

void heap_resource::reject_alignment(void* p, std::size_t bytes, std::size_t alignment) {
    const detail::free_site at{"heap_resource ", p, bytes, alignment, "this heap_resource", "block",
                               detail::report_action_for(on_error_)};
    detail::report(codes::bad_alignment, detail::describe_call(at) + ": the alignment is not a power of two", at.action);
    std::abort();  // report() does not return for these actions
}

#if FRAMEALLOC_DEBUG_ENABLED
namespace {
std::atomic<std::uint64_t> heap_serial{0};

std::size_t canary_size(std::size_t alignment) noexcept { return std::max<std::size_t>(alignment, 16); }
}  // namespace

heap_resource::heap_resource(std::pmr::memory_resource* upstream, pool_error_policy on_error)
    : upstream_(upstream != nullptr ? upstream : std::pmr::new_delete_resource()),
      on_error_(on_error),
      blocks_(std::make_unique<detail::block_table>("heap_resource #" +
                                                    std::to_string(heap_serial.fetch_add(1, std::memory_order_relaxed) + 1))) {}

heap_resource::~heap_resource() {
    try {
        blocks_->report_leaks();  // FA107; strict mode aborts
    } catch (...) {
        // Out of memory for the report: the leak goes unreported.
    }
}

void* heap_resource::debug_allocate(std::size_t bytes, std::size_t alignment) {
    const std::size_t front = canary_size(alignment);
    std::size_t total = 0;
    if (!checked_add(front, bytes, total) || !checked_add(total, detail::guard_bytes, total)) throw_bad_alloc();
    auto* raw = static_cast<std::byte*>(upstream_->allocate(total, front));
    std::byte* p = raw + front;
    detail::arm_guard(raw, front);
    detail::arm_guard(p + bytes, detail::guard_bytes);
    blocks_->insert(p, bytes, alignment);
    return p;
}

void heap_resource::debug_deallocate(void* user, std::size_t bytes, std::size_t alignment) {
    auto* p = static_cast<std::byte*>(user);
    const detail::free_site at{"heap_resource ", p, bytes, alignment, "this heap_resource", "block",
                               detail::report_action_for(on_error_)};
    const detail::block_record r = detail::check_table_free(at, *blocks_);
    const std::size_t front = canary_size(alignment);
    detail::check_guards(at, r, p, bytes, detail::guard_bytes, front);
    blocks_->remove(p);
    std::byte* raw = p - front;
    const std::size_t total = front + bytes + detail::guard_bytes;
    FRAMEALLOC_RELEASE(raw, total);
    upstream_->deallocate(raw, total, front);
}
#else
heap_resource::~heap_resource() = default;
#endif

}  // namespace framealloc
