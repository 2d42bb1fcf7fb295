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

#if FRAMEALLOC_DEBUG_ENABLED
namespace {
std::atomic<std::uint64_t> heap_serial{0};

[[noreturn]] void fail(pool_error_policy policy, std::string_view code, std::string message) {
    detail::report(code, std::move(message),
                   policy == pool_error_policy::throw_exception ? detail::report_action::throw_exception
                                                                : detail::report_action::abort_process);
    std::abort();
}

std::string call_text(const void* p, std::size_t bytes, std::size_t alignment) {
    char text[160];
    std::snprintf(text, sizeof text, "heap_resource deallocate(%p, %zu, %zu)", p, bytes, alignment);
    return text;
}

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
    detail::block_record r;
    if (!blocks_->find_live(p, r)) {
        if (blocks_->find_freed(p, r))
            fail(on_error_, codes::double_free,
                 call_text(p, bytes, alignment) + ": the block is already free\n" + detail::describe_block(r) +
                     "\n  and freed at:\n" + detail::format_trace(r.freed));
        std::string known = detail::describe_anywhere(p, blocks_.get());
        fail(on_error_, codes::foreign_pointer,
             call_text(p, bytes, alignment) + ": the pointer was not allocated by this heap_resource" +
                 (known.empty() ? "" : "\n" + known));
    }
    if (r.bytes != bytes || r.alignment != alignment)
        fail(on_error_, codes::mismatch(r.bytes, bytes),
             call_text(p, bytes, alignment) + ": the block was allocated with size " + std::to_string(r.bytes) +
                 " and alignment " + std::to_string(r.alignment) + "\n" + detail::describe_block(r));
    const std::size_t front = canary_size(alignment);
    std::byte* raw = p - front;
    std::size_t first_before = 0;
    std::size_t first_after = 0;
    const std::size_t before = detail::check_guard(raw, front, first_before);
    const std::size_t after = detail::check_guard(p + bytes, detail::guard_bytes, first_after);
    if (before != 0 || after != 0) {
        std::string what;
        if (after != 0)
            what = "written past its end: " + std::to_string(after) + " of the " + std::to_string(detail::guard_bytes) +
                   " guard bytes after it are overwritten, the first at offset " + std::to_string(bytes + first_after);
        if (before != 0)
            what += std::string(what.empty() ? "" : "; and ") + "written before its start: " + std::to_string(before) +
                    " of the " + std::to_string(front) + " canary bytes before it are overwritten";
        fail(on_error_, codes::guard_overrun,
             call_text(p, bytes, alignment) + ": the block was " + what + "\n" + detail::describe_block(r));
    }
    blocks_->remove(p);
    const std::size_t total = front + bytes + detail::guard_bytes;
    FRAMEALLOC_RELEASE(raw, total);
    upstream_->deallocate(raw, total, front);
}
#else
heap_resource::~heap_resource() = default;
#endif

}  // namespace framealloc
