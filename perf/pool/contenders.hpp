// The contenders of framealloc_pool_bench: framealloc::pool_resource and the baselines it is held to,
// each owned by a resource_box and handed to the benchmarks as std::pmr::memory_resource*, so every one
// of them pays the same virtual call per request (a std::pmr container pays it too).
//
// How each baseline is wrapped (contenders.cpp): every baseline is called through the fastest entry
// point it documents for the request at hand.
//   glibc        malloc/free (glibc guarantees 16-byte alignment); aligned_alloc above 16.
//   mimalloc     mi_malloc (alignment <= 8) or mi_malloc_aligned, and mi_free. Loaded with
//                dlopen(RTLD_LOCAL): Debian's libmimalloc.so exports malloc/free/operator new, and linked
//                normally it would replace the allocator of the whole process (the glibc baseline, the
//                std and Boost pools' upstream and framealloc's slabs would all be mimalloc).
//   jemalloc     malloc (jemalloc's fast path) or mallocx(MALLOCX_LG_ALIGN) above 16, and sdallocx
//                (sized free). Debian's libjemalloc also exports unprefixed malloc/free/operator new and
//                its 2.6 KiB initial-exec TLS cannot be dlopen()ed, so perf/CMakeLists.txt links a copy
//                of libjemalloc_pic.a whose public names are prefixed fa_je_ (see there).
//   tbbmalloc    tbb::scalable_memory_resource() as oneTBB ships it (scalable_aligned_malloc/scalable_free).
//   std_unsync   std::pmr::unsynchronized_pool_resource, default pool_options.
//   std_sync     std::pmr::synchronized_pool_resource, default pool_options.
//   boost_unsync boost::container::pmr::unsynchronized_pool_resource, default pool_options: a Boost
//                memory_resource, so the box adapts it (one extra direct call into libboost_container).
//   boost_sync   boost::container::pmr::synchronized_pool_resource, likewise.
//   foonathan    foonathan::memory::memory_pool<node_pool> of ONE node size (the largest request of the
//                benchmark: 256 B, or 64 B for producer/consumer), 64 KiB first block; requests above the
//                node size throw. Not thread-safe: shared across threads it is guarded by a std::mutex.
//   framealloc   framealloc::pool_resource, default pool_options.
//   ideal        not a usable allocator: framealloc's size classes as plain per-class LIFO free lists in
//                the resource object, blocks bump-allocated from one 1 MiB buffer; one thread only, no
//                thread cache lookup, no checks, no statistics, no heap fallback. The cheapest a
//                size-class pool can be on this workload: glibc / ideal is the most that target 1a could
//                ever show here (information only).
//   ideal_checked  not a usable allocator either: ideal plus only what every pool_resource fast path
//                must do (the pool issue's bounded thread caches; the release pool's free-time check:
//                the slab map's bit, the slab header's magic and class, the block-start test; a thread-local
//                lookup of the caller's lists, the diagnostics' count and bytes per allocation and free), each
//                as cheap as it can be written, on framealloc's 64 KiB single-class slabs. glibc /
//                ideal_checked is the most target 1a can show on this workload with those duties
//                (information only).
//   floor        not an allocator: hands out 64 fixed 256-byte slots in turn and ignores frees (valid
//                only for workload.hpp's batches, one thread). Its time is the benchmark's own cost (the
//                two virtual calls, the writes and reads); what a contender takes above it is the
//                allocator's. Information only.
// The std and Boost pools get an upstream that counts the bytes they hold, foonathan a counting block
// allocator, framealloc reports pool_stats::peak_slab_bytes: peak_held_bytes() of the box.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>

namespace pool_perf {

enum class contender {
    framealloc,
    glibc,
    mimalloc,
    jemalloc,
    tbbmalloc,
    std_unsync,
    std_sync,
    boost_unsync,
    boost_sync,
    foonathan,
    floor,
    ideal,
    ideal_checked,
};
inline constexpr std::size_t contender_count = 13;

[[nodiscard]] std::string_view name_of(contender c) noexcept;

// One contender's resource, owned. get() stays valid for the box's lifetime.
class resource_box {
public:
    virtual ~resource_box() = default;
    [[nodiscard]] virtual std::pmr::memory_resource* get() noexcept = 0;
    // Peak bytes the resource held from its upstream (slabs, chunks, blocks) since it was made; negative
    // for a general-purpose malloc, which has no upstream to count (its footprint shows in the RSS).
    [[nodiscard]] virtual double peak_held_bytes() const { return -1.0; }
};

struct box_options {
    std::size_t largest_request = 256;  // foonathan's node size
    bool shared = false;                // used by several threads at once: foonathan takes a mutex
};

// A fresh resource of contender `c`, or null when the contender was not built in (its package was
// missing at configure time) or cannot be used with `options` (an unsynchronized pool shared by threads);
// `why` then says so.
[[nodiscard]] std::unique_ptr<resource_box> make_resource(contender c, const box_options& options, std::string& why);

// Loads the dlopen()ed baselines (mimalloc) and records the resident set the process starts with.
// Called once by main() before any benchmark runs.
void load_baselines();

// What main() records in the report context: whether the process's malloc and operator new are still
// glibc's and libstdc++'s (no baseline replaced them), and what each baseline resolved to.
[[nodiscard]] std::string process_allocator_check();
[[nodiscard]] std::string baseline_versions();

// Resident set of the process (/proc/self/status), in bytes: now (VmRSS) and its high-water mark (VmHWM).
// Negative when /proc is not readable.
[[nodiscard]] double rss_bytes();
[[nodiscard]] double rss_high_water_bytes();
// rss_bytes() when load_baselines() ran.
[[nodiscard]] double start_rss_bytes();

}  // namespace pool_perf
