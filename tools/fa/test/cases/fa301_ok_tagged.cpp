// Near miss for FA301: allocation loops under a tag (the tag's budget, set at start-up, is in force),
// and a discarded fill that is not FA607 either.
#include <cstddef>
#include <vector>

import framealloc;

void spawn(framealloc::smart_alloc& alloc, int count, std::vector<framealloc::pool_ptr<int>>& out) {
    const framealloc::scoped_tag tag("ai");
    for (int i = 0; i < count; ++i) out.push_back(alloc.pool_alloc<int>(i));
}

void fill(framealloc::smart_alloc& alloc, std::size_t bytes) {
    alloc.with_tag("physics", [&] {
        for (std::size_t done = 0; done < bytes; done += 1024) (void)alloc.frame_alloc_bytes(1024, 16);
    });
}
