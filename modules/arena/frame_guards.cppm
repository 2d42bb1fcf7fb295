// Frame guards (FRAMEALLOC_DEBUG builds with debug::settings::frame_guards on): what a frame_arena
// remembers of each guarded allocation, so that reset() (end_frame) and rewind() can check the guard
// bytes after every allocation they release and report an overrun (FA106) with its backtrace.
//
// Guarded arenas keep their fast-path limit at 0, so every request takes the slow path, which bumps
// bytes + guard_bytes and records the allocation here. The release fast path is untouched; with guards
// off (the default) a debug arena behaves exactly as before.
module;
#include <cstddef>
#include <cstdint>
#include <vector>
export module framealloc.arena:frame_guards;

import framealloc.core;

export namespace framealloc::detail {

struct frame_guard_record {
    std::byte* address;
    std::size_t bytes;     // as requested; the guard follows
    std::uint64_t serial;  // the arena's marker serial when allocated: rewind(m) releases serial >= m.serial
    alloc_trace trace;
};

struct frame_guard_state {
    bool active = false;  // this frame's allocations are guarded (settings read at construction and reset)
    bool inside = false;  // the slow path is serving a guarded request (do not guard it again)
    std::vector<frame_guard_record> records;  // allocation order, serials non-decreasing

    // Checks the guards of the records with serial >= from (every record for 0), newest first, reports
    // each damaged one (FA106; strict mode aborts), and forgets them. `when` names the caller.
    void check_and_forget(std::uint64_t from, const char* when) noexcept;
};

}  // namespace framealloc::detail
