// slab_pages: the pools' default upstream. Slabs (64 KiB, 64 KiB-aligned) mapped straight from the
// operating system and unmapped when a pool gives them back.
//
// Why not new/delete: glibc serves a 64 KiB request aligned to 64 KiB by mapping 128 KiB and writing
// two chunk headers in it, one page each, so every slab cost two resident pages of the C library's
// beside its own, and twice its size in address space; once a freed slab raises glibc's dynamic mmap
// threshold, later slabs come from the heap instead, between the program's own blocks. Here a slab is
// one mapping of exactly its size: its pages become resident only as the pool writes them (a slab is
// carved a batch at a time), and releasing it gives them all back.
//
// Any size and power-of-two alignment is served (whole pages, aligned by mapping the size plus the
// alignment and unmapping the excess on both sides). Thread-safe, no state: every call is a system
// call, which the pools make once per slab. Throws std::bad_alloc when the mapping fails.
module;
#include <memory_resource>
export module framealloc.pool:slab_pages;

export namespace framealloc::detail {

[[nodiscard]] std::pmr::memory_resource* slab_pages() noexcept;

}  // namespace framealloc::detail
