// Frame guards: the guarded slow path of frame_arena and the check at reset()/rewind().
module;
#include <framealloc/poison.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
module framealloc.arena;

import framealloc.core;

namespace framealloc {

namespace detail {

void frame_guard_state::check_and_forget(std::uint64_t from, const char* when) noexcept {
    while (!records.empty() && records.back().serial >= from) {
        const frame_guard_record r = records.back();
        records.pop_back();
        std::size_t first = 0;
        const std::size_t damaged = check_guard(r.address + r.bytes, guard_bytes, first);
        if (damaged == 0) continue;
        try {
            char head[256];
            std::snprintf(head, sizeof head,
                          "frame allocation %p (%zu bytes) was written past its end: %zu of the %zu guard bytes "
                          "after it are overwritten, the first at offset %zu (found by %s)\n",
                          static_cast<void*>(r.address), r.bytes, damaged, guard_bytes, r.bytes + first, when);
            block_record b;
            b.address = r.address;
            b.bytes = r.bytes;
            b.allocated = r.trace;
            report(codes::guard_overrun, head + describe_block(b), report_action::resume);
        } catch (...) {
            // Out of memory while formatting: the short form still goes out.
            std::fprintf(stderr, "framealloc %s: frame allocation %p (%zu bytes) was written past its end\n",
                         codes::guard_overrun.data(), static_cast<void*>(r.address), r.bytes);
        }
    }
}

}  // namespace detail

#if FRAMEALLOC_DEBUG_ENABLED
// Reads the frame_guards setting (construction, every reset). Never throws: without memory for the
// state the arena simply stays unguarded.
void frame_arena::sync_guards() noexcept {
    const bool on = debug::current_settings().frame_guards;
    if (on && guards_ == nullptr) {
        try {
            guards_ = std::make_unique<detail::frame_guard_state>();
        } catch (...) {
            return;
        }
    }
    if (guards_ != nullptr) guards_->active = on;
}

// bytes + guard from the ordinary slow path (with its checks, budget and accounting), then the guard is
// armed (filled and poisoned for ASan) and the allocation recorded with its backtrace.
void* frame_arena::allocate_guarded(std::size_t bytes, std::size_t alignment) {
    std::size_t total = 0;
    if (!checked_add(bytes, detail::guard_bytes, total)) throw_bad_alloc();
    guards_->records.reserve(guards_->records.size() + 1);  // the only throw after this is the slow path's
    guards_->inside = true;
    void* p = nullptr;
    try {
        p = allocate_region(total, alignment);  // counted once, by the allocate_slow that called us
    } catch (...) {
        guards_->inside = false;
        throw;
    }
    guards_->inside = false;
    auto* b = static_cast<std::byte*>(p);
    detail::arm_guard(b + bytes, detail::guard_bytes);
    detail::frame_guard_record& r = guards_->records.emplace_back();
    r.address = b;
    r.bytes = bytes;
    r.serial = serial_;
    detail::capture_trace(r.trace);
    return p;
}
#endif

}  // namespace framealloc
