// frame_arena: a single-owner bump allocator over chained chunks, as a std::pmr::memory_resource.
//
// What:        allocate() bumps a cursor inside the current chunk; when the chunk is full the next
//              retained chunk is taken, or a new one is obtained from upstream (sizes grow
//              geometrically up to max_chunk_size). A request larger than a chunk gets a block of its own.
//              deallocate() is a no-op: memory comes back all at once at reset(), or at rewind(marker).
// Complexity:  allocate O(1) (the fast path is one add, one mask, two compares); reset() O(chunks +
//              own blocks + registered destructors); no upstream traffic in steady state.
// Threads:     one owner. frame_resource gives every thread its own arena.
// Errors:      std::bad_alloc when the hard limit would be exceeded, a size overflows, or upstream
//              fails; invalid_alignment (FA101) for an alignment that is not a power of two;
//              frame_error FA001 while sealed, FA004 for an invalid marker. try_allocate: null instead.
// Debug:       with FRAMEALLOC_DEBUG, released memory is filled with 0xDD and poisoned for ASan and
//              Valgrind, so a read after reset() is reported. With debug::settings::frame_guards on as
//              well, every allocation gets guard bytes after it (slow path only), checked at reset()
//              and rewind(): an overrun is reported as FA106 with the allocation's backtrace.
module;
#include <framealloc/poison.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <limits>
#include <memory>
#include <memory_resource>
export module framealloc.arena:frame_arena;

import framealloc.core;
import framealloc.diagnostics;
import :chunk_list;
import :destructor_list;
import :frame_guards;

export namespace framealloc {

// Alignments up to this take the inline fast path; larger powers of two are served by the slow path.
inline constexpr std::size_t max_fast_alignment = 4096;

struct frame_arena_options {
    std::size_t initial_chunk_size = kibibytes(64);  // bytes of the first chunk, its 64-byte header included
    std::size_t growth_factor = 2;                    // each new chunk is this many times the previous one
    std::size_t max_chunk_size = mebibytes(16);       // growth stops here
    std::size_t max_retained_bytes = std::numeric_limits<std::size_t>::max();  // chunk bytes kept by reset()
    std::size_t hard_limit = std::numeric_limits<std::size_t>::max();  // most bytes held from upstream at once
};

struct frame_arena_stats {
    std::size_t bytes_used = 0;         // handed out since the last reset, alignment padding included
    std::size_t peak_bytes_used = 0;    // the largest bytes_used seen at a reset
    std::size_t bytes_reserved = 0;     // held from upstream now: chunks plus own blocks
    std::size_t chunk_count = 0;
    std::size_t large_block_count = 0;  // requests too big for a chunk, live until the next reset
    std::uint64_t upstream_allocations = 0;    // lifetime calls to upstream->allocate
    std::uint64_t upstream_deallocations = 0;  // lifetime calls to upstream->deallocate
    std::size_t last_frame_bytes_used = 0;     // bytes_used at the last reset (the frame that ended)
    // Filled by frame_resource::thread_stats(): the owner thread's index in statistics
    // (thread_stats::index; 0 when diagnostics are compiled out) and its frame budget, if any.
    std::uint32_t thread_index = 0;
    std::optional<thread_budget_figures> budget;
};

class frame_arena;

// A position in a frame_arena. rewind(marker) releases everything allocated after mark(), running the
// destructors registered since. Markers follow stack discipline: rewinding to an outer marker
// invalidates the inner ones; a marker from another arena or an earlier frame is rejected (FA004).
struct frame_marker {
    const frame_arena* owner = nullptr;
    std::uint64_t epoch = 0;
    std::uint64_t serial = 0;
    detail::chunk* chunk = nullptr;
    std::uintptr_t cursor = 0;
    std::size_t used_before = 0;
    std::size_t destructors = 0;
    std::size_t large_blocks = 0;
};

// A per-arena budget: the arena calls exceeded() on its slow path when a request would take
// bytes_used() past the current watch; the fast path never checks anything (its limit is lowered to
// the watch). exceeded() applies a policy: it throws (the request fails, nothing is allocated) or
// returns the next watch (no_watch: none for the rest of the frame). frame_start() gives the watch at
// each reset. framealloc.threading implements per-thread budgets with it.
inline constexpr std::size_t no_watch = std::numeric_limits<std::size_t>::max();

class budget_watch {
public:
    virtual ~budget_watch() = default;
    virtual std::size_t frame_start() noexcept = 0;
    virtual std::size_t exceeded(std::size_t used_after, std::size_t requested) = 0;
    // Its limits and crossings, for statistics and snapshots (nullopt: it has none to show).
    [[nodiscard]] virtual std::optional<thread_budget_figures> figures() const noexcept { return std::nullopt; }
};

namespace detail {
struct large_block {
    large_block* next;
    std::size_t size;       // bytes obtained from upstream
    std::size_t alignment;  // alignment asked of upstream
    std::size_t offset;     // payload offset from the block start
};
}  // namespace detail

class frame_arena final : public accounted_resource {
public:
    explicit frame_arena(frame_arena_options options = {},
                         std::pmr::memory_resource* upstream = std::pmr::new_delete_resource());
    frame_arena(const frame_arena&) = delete;
    frame_arena& operator=(const frame_arena&) = delete;
    ~frame_arena() override;

    // Fast path. Preconditions: `alignment` is a power of two no larger than max_fast_alignment (the
    // public entry points check it). Never returns null; throws like allocate().
    // Diagnostics (framealloc.diagnostics:counters) count the request on the calling thread's current
    // tag: a flag test before, one 16-byte single-writer add after (count_and_bytes::add_in_one_store);
    // nothing with FRAMEALLOC_DIAGNOSTICS=0.
    [[gnu::always_inline]] inline void* allocate_inline(std::size_t bytes, std::size_t alignment) {
        const detail::fast_counts counts = detail::diag_fast(memory_kind::frame);
        const std::uintptr_t p = align_up(cur_, alignment);
        if (!counts.slow() && p <= end_ && bytes <= end_ - p) [[likely]] {
            cur_ = p + bytes;
            FRAMEALLOC_UNPOISON(reinterpret_cast<void*>(p), bytes);
            counts.count(memory_kind::frame, bytes);
            return reinterpret_cast<void*>(p);
        }
        return allocate_slow(bytes, alignment);
    }

    // As allocate_inline, but null instead of any exception.
    [[gnu::always_inline]] inline void* try_allocate_inline(std::size_t bytes, std::size_t alignment) noexcept {
        const detail::fast_counts counts = detail::diag_fast(memory_kind::frame);
        const std::uintptr_t p = align_up(cur_, alignment);
        if (!counts.slow() && p <= end_ && bytes <= end_ - p) [[likely]] {
            cur_ = p + bytes;
            FRAMEALLOC_UNPOISON(reinterpret_cast<void*>(p), bytes);
            counts.count(memory_kind::frame, bytes);
            return reinterpret_cast<void*>(p);
        }
        return try_allocate_slow(bytes, alignment);
    }

    // Checked entry points for run-time alignments (any power of two).
    // A zero-byte request takes one byte, so that distinct requests never share an address.
    [[nodiscard]] inline void* allocate_checked(std::size_t bytes, std::size_t alignment) {
        bytes += (bytes == 0);
        if (!fast_alignment(alignment)) [[unlikely]] return allocate_slow(bytes, alignment);
        return allocate_inline(bytes, alignment);
    }
    [[nodiscard]] inline void* try_allocate_checked(std::size_t bytes, std::size_t alignment) noexcept {
        bytes += (bytes == 0);
        if (!fast_alignment(alignment)) [[unlikely]] return try_allocate_slow(bytes, alignment);
        return try_allocate_inline(bytes, alignment);
    }

    // A power of two no larger than max_fast_alignment. Written as one mask test: the textbook
    // `a != 0 && (a & (a - 1)) == 0` is rewritten by clang into popcount(a) == 1, which without
    // -mpopcnt becomes a 20-instruction bit count on every request.
    [[nodiscard]] static constexpr bool fast_alignment(std::size_t alignment) noexcept {
        const std::size_t below = alignment - 1;  // wraps to all ones for 0
        return ((below & alignment) | (below & ~(max_fast_alignment - 1))) == 0;
    }

    // Links a destructor to run at reset() or rewind(); `node` lives in this arena.
    inline void register_destructor(detail::destructor_node* node) noexcept { destructors_.push(node); }

    // Runs registered destructors (newest first), frees own blocks, trims retained chunks to
    // max_retained_bytes and rewinds to the first chunk. Every marker becomes invalid.
    void reset() noexcept;

    [[nodiscard]] frame_marker mark() noexcept;
    // Throws frame_error (FA004) for a marker that is not valid here.
    void rewind(const frame_marker& marker);
    // As rewind, but returns false (and changes nothing) for an invalid marker.
    bool try_rewind(const frame_marker& marker) noexcept;

    // While sealed every allocation fails with frame_error FA001 (try_: null); used by smart_alloc
    // to make allocation outside begin_frame()/end_frame() loud. The fast path pays nothing for it:
    // sealing zeroes the limit, so every request lands on the slow path.
    void seal() noexcept;
    void unseal() noexcept;
    [[nodiscard]] bool sealed() const noexcept { return sealed_; }

    // Installs (or, with null, removes) the budget of this arena; takes effect at once.
    void set_budget_watch(std::unique_ptr<budget_watch> watch) noexcept;
    [[nodiscard]] budget_watch* budget() const noexcept { return budget_.get(); }

    // Hands every retained chunk to `out` (the arena must be reset first); used when a thread exits.
    void release_chunks(detail::chunk_list& out) noexcept;
    // Takes chunks from `in`, keeping at most max_retained_bytes; the rest stay in `in`.
    void adopt_chunks(detail::chunk_list& in) noexcept;

    // Counts resets; a marker is only valid within the epoch it was taken in.
    [[nodiscard]] std::uint64_t epoch() const noexcept { return epoch_; }

    [[nodiscard]] frame_arena_stats stats() const noexcept;
    [[nodiscard]] std::size_t bytes_used() const noexcept;
    [[nodiscard]] const frame_arena_options& options() const noexcept { return options_; }
    [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return upstream_; }

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override { return allocate_checked(bytes, alignment); }
    void do_deallocate(void*, std::size_t, std::size_t) override {}
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
    resource_duties duties() const noexcept override { return {.counts = true, .checks = false}; }

    // Slow path: applies diagnostics (binding, budgets: diag_before_allocate), allocates, counts the
    // request when it succeeds (and calls per-allocation hooks), refunds budget charges when it fails.
    [[gnu::noinline]] void* allocate_slow(std::size_t bytes, std::size_t alignment);
    void* allocate_region(std::size_t bytes, std::size_t alignment);
    [[gnu::noinline]] void* try_allocate_slow(std::size_t bytes, std::size_t alignment) noexcept;
    void* allocate_large(std::size_t bytes, std::size_t alignment);
    bool advance_to_chunk(std::size_t needed) noexcept;
    void add_chunk(std::size_t needed);
    void enter_chunk(detail::chunk* c) noexcept;
    void refresh_limit() noexcept;
    void clear_cursor() noexcept;
    void free_large_blocks(std::size_t keep) noexcept;
    void poison_from(detail::chunk* c, std::uintptr_t from) noexcept;
    void release_chunk(detail::chunk* c) noexcept;
    bool marker_valid(const frame_marker& m) const noexcept;
    void note_rewind(std::uint64_t target_serial) noexcept;
#if FRAMEALLOC_DEBUG_ENABLED
    void sync_guards() noexcept;
    void* allocate_guarded(std::size_t bytes, std::size_t alignment);
#endif

    // Hot fields first: the fast path touches only cur_ and end_.
    std::uintptr_t cur_ = 1;  // 1 > 0 = end_: the first request goes to the slow path, never returns null
    std::uintptr_t end_ = 0;
    detail::chunk* current_ = nullptr;
    detail::chunk_list chunks_;
    std::size_t used_in_previous_chunks_ = 0;
    detail::destructor_list destructors_;
    detail::large_block* large_ = nullptr;
    std::size_t large_count_ = 0;
    std::size_t large_bytes_ = 0;
    std::size_t next_chunk_size_;
    std::size_t peak_bytes_used_ = 0;
    std::size_t last_bytes_used_ = 0;
    std::uint64_t upstream_allocations_ = 0;
    std::uint64_t upstream_deallocations_ = 0;
    std::pmr::memory_resource* upstream_;
    frame_arena_options options_;
    bool sealed_ = false;
    std::size_t watch_ = no_watch;  // bytes_used() the fast path may reach before the budget is asked
    std::unique_ptr<budget_watch> budget_;

    // Marker validity. A marker m is valid iff every rewind made after m was taken went to a marker
    // taken no later than m. Rewinds are logged as (time = serial counter when it happened, target
    // serial) on a stack whose targets increase upwards: a new rewind pops every entry with a target
    // at least its own, since it invalidates all they did. For a marker with serial s, the smallest
    // target among entries with time >= s is the smallest target of all rewinds since s was taken.
    // On overflow the two oldest entries merge into (later time, smaller target), which invalidates a
    // superset: a marker may then be refused, never wrongly accepted.
    struct rewind_entry {
        std::uint64_t time;
        std::uint64_t target;
    };
    static constexpr std::size_t rewind_log_capacity = 32;
    std::uint64_t epoch_ = 1;
    std::uint64_t serial_ = 0;
    std::array<rewind_entry, rewind_log_capacity> rewind_log_{};
    std::size_t rewind_log_size_ = 0;
#if FRAMEALLOC_DEBUG_ENABLED
    std::unique_ptr<detail::frame_guard_state> guards_;  // null until frame guards are switched on
#endif
};

}  // namespace framealloc
