// Death tests of the FRAMEALLOC_DEBUG checks under the default policies (a subprocess each; ctest
// checks the report). Run as: debug_death MODE, MODE one of
//   pool_overrun   a pooled block written one byte past its end, then freed: FA106, abort
//   heap_overrun   the same on heap_resource: FA106, abort
//   frame_overrun  frame guards on (FRAMEALLOC_FRAME_GUARDS=1): an overrun reported at end_frame();
//                  the program goes on unless strict mode (FRAMEALLOC_STRICT=1) aborts it
//   leak           a pool destroyed with a live block: FA107; aborts only in strict mode
//   clean          a correct workload with every check on: must print nothing and exit 0
// Each report must name the function that allocated the block (debugdeath_*).
#include <array>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory_resource>

import framealloc;

namespace {
inline void keep(const void* p) { asm volatile("" : : "r"(p) : "memory"); }

// The overrun, written as uninstrumented code would write it (ASan would stop an instrumented one at
// the write, which is not what this program checks).
[[gnu::noinline]] __attribute__((no_sanitize("address"))) void scribble(void* p, std::size_t offset) {
    static_cast<volatile unsigned char*>(p)[offset] = 0x41;
}
}  // namespace

[[gnu::noinline]] void* debugdeath_allocate_particles(std::pmr::memory_resource& r, std::size_t bytes) {
    void* p = r.allocate(bytes, 8);
    keep(p);
    return p;
}

[[gnu::noinline]] void* debugdeath_frame_scratch(framealloc::smart_alloc& alloc, std::size_t bytes) {
    void* p = alloc.frame_alloc_bytes(bytes, 8);
    keep(p);
    return p;
}

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    const char* mode = argv[1];
    if (std::strcmp(mode, "pool_overrun") == 0) {
        framealloc::pool_resource pool;
        void* p = debugdeath_allocate_particles(pool, 100);
        scribble(p, 100);
        pool.deallocate(p, 100, 8);  // FA106, abort
    } else if (std::strcmp(mode, "heap_overrun") == 0) {
        framealloc::heap_resource heap;
        void* p = debugdeath_allocate_particles(heap, 100);
        scribble(p, 100);
        heap.deallocate(p, 100, 8);  // FA106, abort
    } else if (std::strcmp(mode, "frame_overrun") == 0) {
        framealloc::smart_alloc alloc;
        alloc.begin_frame();
        void* p = debugdeath_frame_scratch(alloc, 100);
        scribble(p, 100);
        alloc.end_frame();  // FA106; strict mode aborts here
        std::puts("went on after the report");
        return 0;
    } else if (std::strcmp(mode, "leak") == 0) {
        {
            framealloc::pool_resource pool;
            keep(debugdeath_allocate_particles(pool, 100));
        }  // FA107; strict mode aborts here
        std::puts("went on after the report");
        return 0;
    } else if (std::strcmp(mode, "clean") == 0) {
        framealloc::smart_alloc alloc;
        for (int frame = 0; frame < 10; ++frame) {
            alloc.begin_frame();
            void* scratch = debugdeath_frame_scratch(alloc, 100);
            std::memset(scratch, 1, 100);
            auto v = alloc.frame_vector<int>();
            for (int i = 0; i < 1000; ++i) v.push_back(i);
            auto e = alloc.pool_alloc<int>(frame);
            auto h = alloc.heap_alloc<std::array<char, 20000>>();
            void* p = debugdeath_allocate_particles(alloc.pool_resource(), 100);
            std::memset(p, 2, 100);
            alloc.pool_resource().deallocate(p, 100, 8);
            alloc.end_frame();
        }
        return 0;
    } else {
        return 2;
    }
    std::puts("not caught");
    return 0;
}
