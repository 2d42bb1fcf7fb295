// Uses an installed framealloc through `import framealloc;`: frame memory, a pmr container, the
// standard allocator, the statistics and the frame lifecycle errors. Exit status 0 when every check holds.
#include <cstddef>
#include <cstdio>
#include <memory_resource>
#include <numeric>
#include <vector>

import framealloc;

namespace {
int failures = 0;

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "FAILED: %s\n", what);
        ++failures;
    }
}
}  // namespace

int main() {
    using namespace framealloc::literals;
    framealloc::alloc_config config;
    config.frame_chunk_size = 64_KiB;
    framealloc::smart_alloc alloc{config};

    alloc.begin_frame();
    check(alloc.in_frame() && alloc.frame_number() == 1, "begin_frame() opens frame 1");
    {
        std::pmr::vector<int> ints = alloc.frame_vector<int>();
        for (int i = 0; i < 1000; ++i) ints.push_back(i);
        check(std::accumulate(ints.begin(), ints.end(), 0) == 499500, "frame_vector<int> holds 0..999");
        check(ints.get_allocator().resource() == &alloc.frame_resource(), "frame_vector uses the frame resource");

        framealloc::frame_allocator<double> doubles_alloc{alloc.frame_resource()};
        std::vector<double, framealloc::frame_allocator<double>> doubles(100, 1.5, doubles_alloc);
        check(std::accumulate(doubles.begin(), doubles.end(), 0.0) == 150.0, "frame_allocator vector holds 100 x 1.5");
        check(doubles.get_allocator() == doubles_alloc, "frame_allocator copies compare equal");

        int* answer = alloc.frame_alloc<int>(42);
        check(answer != nullptr && *answer == 42, "frame_alloc<int>(42)");

        const framealloc::frame_resource_stats during = alloc.frame_resource().stats();
        check(during.threads == 1, "one thread holds frame memory");
        check(during.bytes_used >= 1000 * sizeof(int) + 100 * sizeof(double) + sizeof(int),
              "stats() counts the bytes handed out");
    }  // frame containers end before end_frame()
    const framealloc::frame_resource_stats ended = alloc.end_frame();
    check(!alloc.in_frame(), "end_frame() closes the frame");
    check(ended.bytes_used > 0 && ended.bytes_reserved >= ended.bytes_used, "end_frame() reports the frame");
    check(ended.upstream_allocations >= 1, "the first frame took memory from upstream");
    check(alloc.frame_resource().stats().bytes_used == 0, "end_frame() releases the frame memory");

    // The same work again: the retained chunks serve it, no new upstream allocation.
    alloc.begin_frame();
    {
        std::pmr::vector<int> ints = alloc.frame_vector<int>();
        for (int i = 0; i < 1000; ++i) ints.push_back(i);
    }
    const framealloc::frame_resource_stats second = alloc.end_frame();
    check(second.upstream_allocations == ended.upstream_allocations, "a second frame reuses the chunks");

    bool threw = false;
    try {
        (void)alloc.frame_alloc<int>(1);
    } catch (const framealloc::frame_error& e) {
        threw = e.code() == framealloc::codes::allocation_outside_frame;
    }
    check(threw, "allocating outside a frame throws frame_error FA001");

    if (failures != 0) {
        std::fprintf(stderr, "framealloc consumer: %d check(s) failed\n", failures);
        return 1;
    }
    std::printf("framealloc consumer: all checks passed\n");
    return 0;
}
