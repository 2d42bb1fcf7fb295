// Per-thread, per-tag allocation counters: the part of diagnostics that sits on the allocation paths.
//
// Each thread has, for every tag it has used, a tag_counters block that only that thread writes
// (single-writer counters: relaxed load + store, no read-modify-write, no shared cache line). The
// thread-local t_diag.cur points at the block of the thread's current tag, so counting an allocation is
// a thread-local load, one flag test and two adds (one 16-byte store for a frame allocation:
// count_and_bytes). The flag (`check`) sends a request to the slow path
// when something must be looked at before it is granted: the thread is not bound yet, or a budget
// (global, per tag, per-thread pool) covers this kind of memory. Readers on other threads (stats
// collection at end_frame) load the counters relaxed: each value is exact once the writer has joined.
//
// With FRAMEALLOC_DIAGNOSTICS=0 every hook compiles to nothing.
module;
#include <atomic>
#include <cstddef>
#include <cstdint>

// count_and_bytes::add_in_one_store as one 16-byte load, add and store (x86-64 SSE2), except under
// ThreadSanitizer, which cannot see into asm: there the two counters are updated as two relaxed atomics.
#if defined(__x86_64__) && defined(__SSE2__)
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FRAMEALLOC_COUNTER_SSE 0
#endif
#endif
#ifndef FRAMEALLOC_COUNTER_SSE
#define FRAMEALLOC_COUNTER_SSE 1
#endif
#else
#define FRAMEALLOC_COUNTER_SSE 0
#endif
#if FRAMEALLOC_COUNTER_SSE
#include <emmintrin.h>
#endif

#ifndef FRAMEALLOC_DIAGNOSTICS
#define FRAMEALLOC_DIAGNOSTICS 1
#endif
export module framealloc.diagnostics:counters;

import framealloc.core;
import :tags;

export namespace framealloc {

inline constexpr bool diagnostics_enabled = FRAMEALLOC_DIAGNOSTICS != 0;

enum class memory_kind : std::uint8_t { frame = 0, pool = 1, heap = 2 };
inline constexpr std::size_t memory_kind_count = 3;

}  // namespace framealloc

export namespace framealloc::detail {

// A count and a byte total with one writer: add(bytes) counts one more request of `bytes`. Readers on
// other threads load each value with a relaxed atomic load and never see a torn value.
//
// add() is two relaxed load/store pairs (clang emits `inc` and `add` on memory, no lock prefix): the
// cheapest in latency and instructions, which is what the pool's alloc/free pair is bound by.
// add_in_one_store() does the same with one 16-byte SSE2 load, add and store (x86-64): one store
// instead of two, for the bump allocator, whose loops are bound by the store port (Zen's one store per
// cycle; docs/benchmarks.md has the figures). Why it is sound: only the owning thread writes the slot, so no update can be lost; a 16-byte-aligned SSE store
// writes each naturally aligned 8-byte half in one access (x86 makes aligned 8-byte accesses
// single-copy atomic, and an aligned vector store is never split below that), so a reader's 8-byte
// load sees the old or the new value of each half, exactly as with two relaxed stores; readers never
// needed the two values to agree with each other. The asm names the slot as a memory operand ("+m"),
// so the compiler neither caches it nor moves other accesses to it across the add. Elsewhere, and under
// ThreadSanitizer (which cannot see into asm), add_in_one_store() is add().
// (Members defined in a class of a named module are not implicitly inline: they say so.)
class alignas(16) count_and_bytes {
public:
    [[gnu::always_inline]] inline void add(std::uint64_t bytes) noexcept {
        v_[0].store(v_[0].load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        v_[1].store(v_[1].load(std::memory_order_relaxed) + bytes, std::memory_order_relaxed);
    }
    [[gnu::always_inline]] inline void add_in_one_store(std::uint64_t bytes) noexcept {
#if FRAMEALLOC_COUNTER_SSE
        const __m128i increment = _mm_set_epi64x(static_cast<long long>(bytes), 1);
        __m128i scratch;
        asm("movdqa %1, %0\n\tpaddq %2, %0\n\tmovdqa %0, %1" : "=&x"(scratch), "+m"(v_) : "x"(increment));
#else
        add(bytes);
#endif
    }
    [[nodiscard]] inline std::uint64_t count() const noexcept { return v_[0].load(std::memory_order_relaxed); }
    [[nodiscard]] inline std::uint64_t bytes() const noexcept { return v_[1].load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> v_[2]{};
};
static_assert(sizeof(count_and_bytes) == 16 && alignof(count_and_bytes) == 16);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

struct kind_counters {
    count_and_bytes allocated;  // allocations and bytes requested
    count_and_bytes freed;      // pool and heap only (frame memory is released by the frame)
};

// check bits: bit k (memory_kind k) sends allocations of that kind to the slow path; check_unbound
// marks the shared placeholder of a thread that has not counted anything yet.
inline constexpr std::uint8_t check_unbound = 0x80;
inline constexpr std::uint8_t check_all_kinds = 0x07;

inline constexpr std::uint8_t check_fresh = 0x40;
inline constexpr std::uint8_t check_hook = 0x08;  // per-allocation profiler hooks are installed  // bits computed against the budgets in force

struct tag_counters {
    constexpr tag_counters() = default;
    constexpr explicit tag_counters(std::uint8_t bits) : check(bits) {}
    std::atomic<std::uint8_t> check{0};
    kind_counters kinds[memory_kind_count];
};

struct thread_diag;

struct thread_diag_tls {
    tag_counters* cur;
    thread_diag* self;
    tag_id tag;
};

// Placeholder every thread starts on: all check bits set, never written.
extern tag_counters unbound_counters;
// Defined in impl/ (an interface-defined thread_local would be emitted by every importer).
extern constinit thread_local thread_diag_tls t_diag;

// Slow paths (impl/diagnostics/counters.cpp).
// Binds the calling thread if needed, then applies every budget that covers the request; throws
// budget_exceeded when a `fail` policy refuses it (nothing is counted then).
void count_slow(memory_kind kind, std::size_t bytes);
// As count_slow, but false instead of throwing budget_exceeded.
[[nodiscard]] bool try_count_slow(memory_kind kind, std::size_t bytes) noexcept;
// Gives back what count_slow charged for a request that then failed elsewhere (upstream out of
// memory, an arena limit): only called when the request's kind took the slow path.
void refund_slow(memory_kind kind, std::size_t bytes) noexcept;
// Binds the calling thread and returns its current counters.
tag_counters* bind_diag_thread() noexcept;
// Makes `id` the calling thread's current tag (binding the thread when needed).
void switch_tag(tag_id id);

// The fast paths' view. diag_fast(kind) loads the thread's current counters once; slow() is true when
// this request must take the slow path (thread not bound, a budget covers the kind, per-allocation
// hooks), where the allocator calls diag_before_allocate / diag_after_allocate. Otherwise the
// allocator bumps or pops and then count()s into the same block: no reload, no call, so fast paths
// keep their tail-call exits and spill no registers. slow() tests the masked check bits themselves
// (not a pointer selected from them), so the compiler branches on the flag load directly: two
// instructions fewer per call than a select and a null test. Compiled out, slow() is false and
// count() empty.
struct fast_counts {
    tag_counters* c;
    unsigned slow_bits;  // the check bits that send this request to the slow path (0: none)
    [[gnu::always_inline]] [[nodiscard]] inline bool slow() const noexcept {
        if constexpr (diagnostics_enabled) return slow_bits != 0;
        else return false;
    }
    [[gnu::always_inline]] inline void count(memory_kind kind, std::size_t bytes) const noexcept {
        if constexpr (diagnostics_enabled) {
            // Frame allocations are bump loops bound by stores; pools by latency (count_and_bytes).
            count_and_bytes& allocated = c->kinds[static_cast<unsigned>(kind)].allocated;
            if (kind == memory_kind::frame) allocated.add_in_one_store(bytes);
            else allocated.add(bytes);
        }
    }
    [[gnu::always_inline]] inline void count_free(memory_kind kind, std::size_t bytes) const noexcept {
        if constexpr (diagnostics_enabled) {
            c->kinds[static_cast<unsigned>(kind)].freed.add(bytes);
        }
    }
};
[[gnu::always_inline]] [[nodiscard]] inline fast_counts diag_fast(memory_kind kind) noexcept {
    if constexpr (diagnostics_enabled) {
        tag_counters* c = t_diag.cur;
        const unsigned slow_bits = (1u << static_cast<unsigned>(kind)) | check_hook;
        return fast_counts{c, static_cast<unsigned>(c->check.load(std::memory_order_relaxed) & slow_bits)};
    } else {
        return fast_counts{nullptr, 0};
    }
}
[[gnu::always_inline]] [[nodiscard]] inline fast_counts diag_fast_free() noexcept {
    if constexpr (diagnostics_enabled) {
        tag_counters* c = t_diag.cur;
        return fast_counts{c, static_cast<unsigned>(c->check.load(std::memory_order_relaxed) & (check_unbound | check_hook))};
    } else {
        return fast_counts{nullptr, 0};
    }
}

// Before an allocation of `bytes` of `kind` is granted. Throws budget_exceeded (fail policy).
[[gnu::always_inline]] inline void diag_before_allocate(memory_kind kind, std::size_t bytes) {
    if constexpr (diagnostics_enabled) {
        if (t_diag.cur->check.load(std::memory_order_relaxed) & (1u << static_cast<unsigned>(kind))) [[unlikely]]
            count_slow(kind, bytes);
    }
}
// As diag_before_allocate, but false when a budget refuses the request.
[[gnu::always_inline]] [[nodiscard]] inline bool diag_try_before_allocate(memory_kind kind, std::size_t bytes) noexcept {
    if constexpr (diagnostics_enabled) {
        if (t_diag.cur->check.load(std::memory_order_relaxed) & (1u << static_cast<unsigned>(kind))) [[unlikely]]
            return try_count_slow(kind, bytes);
    }
    return true;
}
void hook_allocated(const void* p, std::size_t bytes, memory_kind kind) noexcept;
void hook_freed(const void* p, std::size_t bytes, memory_kind kind) noexcept;

// After the allocation of `p` was granted (diag_before_allocate ran on this thread first, so it is
// bound).
[[gnu::always_inline]] inline void diag_after_allocate(memory_kind kind, std::size_t bytes, const void* p) noexcept {
    if constexpr (diagnostics_enabled) {
        tag_counters* c = t_diag.cur;
        c->kinds[static_cast<unsigned>(kind)].allocated.add(bytes);
        if (c->check.load(std::memory_order_relaxed) & check_hook) [[unlikely]] hook_allocated(p, bytes, kind);
    }
}
// A request that diag_before_allocate let through failed afterwards.
[[gnu::always_inline]] inline void diag_refund(memory_kind kind, std::size_t bytes) noexcept {
    if constexpr (diagnostics_enabled) {
        if (t_diag.cur->check.load(std::memory_order_relaxed) & (1u << static_cast<unsigned>(kind)))
            refund_slow(kind, bytes);
    }
}
// The whole accounting of an allocation that is not a fast path: the budget charge before, the
// refund when `allocate()` throws, the count after. Every resource that counts a request it hands on
// (the heap, the pool's slow paths and heap fallback, frame chunks, tagged_resource) goes through it.
template <class Allocate>
[[gnu::always_inline]] inline void* charged_allocate(memory_kind kind, std::size_t bytes, Allocate&& allocate) {
    diag_before_allocate(kind, bytes);
    void* p = nullptr;
    try {
        p = allocate();
    } catch (...) {
        diag_refund(kind, bytes);
        throw;
    }
    diag_after_allocate(kind, bytes, p);
    return p;
}
// A free of `bytes` at `p` of `kind`, attributed to the freeing thread's current tag.
[[gnu::always_inline]] inline void diag_on_free(memory_kind kind, std::size_t bytes, const void* p) noexcept {
    if constexpr (diagnostics_enabled) {
        tag_counters* c = t_diag.cur;
        const std::uint8_t bits = c->check.load(std::memory_order_relaxed);
        if (bits & (check_unbound | check_hook)) [[unlikely]] {
            if (bits & check_unbound) c = bind_diag_thread();
            if (c->check.load(std::memory_order_relaxed) & check_hook) hook_freed(p, bytes, kind);
        }
        c->kinds[static_cast<unsigned>(kind)].freed.add(bytes);
    }
}

}  // namespace framealloc::detail
