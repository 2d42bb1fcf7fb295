// frame_resource: frame memory for many threads. Every calling thread bumps in an arena of its own;
// end_frame() resets all of them at once.
//
// What:        a std::pmr::memory_resource whose allocate() finds the calling thread's frame_arena
//              through a small thread-local cache (one load and one compare when it hits) and bumps
//              there. deallocate() is a no-op; end_frame() releases the memory of every thread.
//              Several frame_resources coexist without sharing any state: each has a unique id that is
//              never reused, and a thread holds one arena per resource it has used.
// Complexity:  allocate O(1), no lock and no atomic read-modify-write once the thread is bound (its
//              first allocation takes the registry lock once). end_frame() O(threads + chunks).
// Threads:     allocate() from any thread. end_frame(), open() and close() must not run concurrently
//              with allocations from this resource: the frame owner calls them after the frame's work
//              has joined (that join is the happens-before edge the arenas rely on).
// Thread exit: the thread's arena is handed back at the next end_frame() (its memory stays valid until
//              then, since other threads may still read it); its chunks become a spare bundle that the
//              next thread to bind adopts whole, so thread churn causes no upstream traffic. A bundle
//              nobody adopts within a frame is released at the following end_frame().
// Upstream:    calls are serialised by an internal lock (they are rare: one per chunk), so any
//              upstream works, thread-safe or not. It must outlive the frame_resource.
module;
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <vector>
export module framealloc.arena:frame_resource;

import framealloc.core;
import framealloc.diagnostics;
import :frame_arena;

export namespace framealloc {

struct frame_resource_stats {
    std::size_t threads = 0;  // arenas bound to live threads
    std::size_t bytes_used = 0;
    std::size_t bytes_reserved = 0;  // held from upstream by the arenas
    std::size_t spare_bytes = 0;     // chunks of exited threads waiting for a new thread
    std::size_t chunk_count = 0;
    std::size_t large_block_count = 0;
    std::uint64_t upstream_allocations = 0;
    std::uint64_t upstream_deallocations = 0;
};

namespace detail {
struct frame_registry;
}  // namespace detail

class frame_resource final : public accounted_resource {
public:
    explicit frame_resource(frame_arena_options options = {},
                            std::pmr::memory_resource* upstream = std::pmr::new_delete_resource());
    frame_resource(const frame_resource&) = delete;
    frame_resource& operator=(const frame_resource&) = delete;
    ~frame_resource() override;

    // The calling thread's arena, created on first use.
    // The thread's recent frame resource is checked first (detail::t_recent); the slot table and
    // binding are the cold path.
    [[gnu::always_inline]] inline frame_arena& local_arena() {
        const detail::thread_slot& recent = detail::t_recent[recent_frame];
        if (recent.owner == id_) [[likely]] return *static_cast<frame_arena*>(recent.state);
        return bind_calling_thread();
    }
    // As local_arena(), but null where binding the thread fails.
    [[nodiscard]] inline frame_arena* try_local_arena() noexcept {
        const detail::thread_slot& recent = detail::t_recent[recent_frame];
        if (recent.owner == id_) [[likely]] return static_cast<frame_arena*>(recent.state);
        return try_bind_calling_thread();
    }

    // Precondition: alignment is a power of two no larger than max_fast_alignment.
    [[gnu::always_inline]] inline void* allocate_inline(std::size_t bytes, std::size_t alignment) {
        return local_arena().allocate_inline(bytes, alignment);
    }

    // Resets the arena of every thread (running registered destructors) and returns the figures of
    // the frame that just ended. Arenas of exited threads are reclaimed here.
    frame_resource_stats end_frame();

    // A closed resource refuses every allocation with frame_error FA001 (try_: null) until open().
    // A new resource is open; smart_alloc keeps it closed between end_frame() and begin_frame().
    void open();
    void close();
    [[nodiscard]] bool is_open() const;

    [[nodiscard]] frame_resource_stats stats() const;
    [[nodiscard]] std::vector<frame_arena_stats> thread_stats() const;
    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }

private:
    // Written so that every call out of the fast path is a tail call: no register saves per request.
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        const detail::thread_slot& recent = detail::t_recent[recent_frame];
        if (recent.owner == id_) [[likely]] return static_cast<frame_arena*>(recent.state)->allocate_checked(bytes, alignment);
        return allocate_unbound(bytes, alignment);
    }
    static constexpr std::size_t recent_frame = static_cast<std::size_t>(detail::recent_kind::frame);
    void do_deallocate(void*, std::size_t, std::size_t) override {}
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
    resource_duties duties() const noexcept override { return {.counts = true, .checks = false}; }

    [[gnu::noinline]] frame_arena& bind_calling_thread();
    [[gnu::noinline]] frame_arena* try_bind_calling_thread() noexcept;
    [[gnu::noinline]] void* allocate_unbound(std::size_t bytes, std::size_t alignment);

    std::uint64_t id_;
    std::shared_ptr<detail::frame_registry> registry_;
};

}  // namespace framealloc
