// alloc_config: how a smart_alloc sizes its memory. Every field is honoured; the constructor of
// smart_alloc rejects a configuration that cannot work with config_error (FA002).
module;
#include <cstddef>
#include <limits>
#include <memory_resource>
export module framealloc:alloc_config;

import framealloc.core;
import framealloc.arena;
import framealloc.pool;

export namespace framealloc {

struct alloc_config {
    // Frame memory, per thread: each thread that allocates frame memory gets an arena with these.
    std::size_t frame_chunk_size = kibibytes(256);      // first chunk, 64-byte header included
    std::size_t frame_chunk_growth = 2;                 // next chunk = previous * growth ...
    std::size_t frame_max_chunk_size = mebibytes(16);   // ... up to this; larger requests get own blocks
    std::size_t frame_retained_bytes = mebibytes(64);   // chunk bytes a thread keeps across end_frame()
    std::size_t frame_thread_limit = std::numeric_limits<std::size_t>::max();  // hard cap per thread:
                                                        // chunks + own blocks held at once (bad_alloc past it)
    std::pmr::memory_resource* upstream = nullptr;      // where chunks and slabs come from; null: new/delete for
                                                        // chunks, pages mapped from the system for slabs

    // Pools (pool_alloc, pool_resource()): shared by all threads, a cache per thread.
    std::size_t pool_slab_high_water = mebibytes(32);       // slab bytes kept before empty slabs go upstream
    std::size_t pool_depot_bytes_per_class = mebibytes(1);  // free bytes per size class held in batches
    pool_error_policy pool_on_error = pool_error_policy::abort_process;  // bad deallocate: abort or throw

    // Small footprint: 16 KiB chunks, 1 MiB ceiling, 256 KiB kept per thread.
    [[nodiscard]] static alloc_config minimal() noexcept {
        alloc_config c;
        c.frame_chunk_size = kibibytes(16);
        c.frame_max_chunk_size = mebibytes(1);
        c.frame_retained_bytes = kibibytes(256);
        c.pool_slab_high_water = mebibytes(1);
        c.pool_depot_bytes_per_class = kibibytes(64);
        return c;
    }

    // Fewer, larger chunks and everything kept: no upstream traffic once the largest frame was seen.
    [[nodiscard]] static alloc_config high_performance() noexcept {
        alloc_config c;
        c.frame_chunk_size = mebibytes(4);
        c.frame_chunk_growth = 2;
        c.frame_max_chunk_size = mebibytes(64);
        c.frame_retained_bytes = std::numeric_limits<std::size_t>::max();
        c.pool_slab_high_water = mebibytes(512);
        c.pool_depot_bytes_per_class = mebibytes(8);
        return c;
    }

    [[nodiscard]] frame_arena_options frame_options() const noexcept {
        frame_arena_options o;
        o.initial_chunk_size = frame_chunk_size;
        o.growth_factor = frame_chunk_growth;
        o.max_chunk_size = frame_max_chunk_size;
        o.max_retained_bytes = frame_retained_bytes;
        o.hard_limit = frame_thread_limit;
        return o;
    }

    [[nodiscard]] pool_options pool_settings() const noexcept {
        pool_options o;
        o.upstream = upstream;
        o.slab_high_water_bytes = pool_slab_high_water;
        o.depot_bytes_per_class = pool_depot_bytes_per_class;
        o.on_error = pool_on_error;
        return o;
    }
};

}  // namespace framealloc
