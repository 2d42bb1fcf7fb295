// Near miss for FA606: helpers that allocate from the caller's allocator inside the caller's frame, a
// lambda's own return, pool memory and copied values returned, and a scope closed before the
// allocation that is returned.
#include <span>

import framealloc;

int* make_counter(framealloc::smart_alloc& alloc) { return alloc.frame_alloc<int>(0); }

std::span<float> make_row(framealloc::smart_alloc& alloc, framealloc::frame_resource& resource) {
    (void)resource.allocate(16, 8);
    return alloc.frame_array<float>(4);
}

framealloc::pool_ptr<int> kept(framealloc::smart_alloc& alloc) {
    auto scope = alloc.frame_scope();
    return alloc.pool_alloc<int>(1);
}

int copied(framealloc::smart_alloc& alloc) {
    auto scope = alloc.frame_scope();
    int* p = alloc.frame_alloc<int>(2);
    return *p;
}

int* after_scope(framealloc::smart_alloc& alloc) {
    {
        auto scope = alloc.frame_scope();
        (void)alloc.frame_alloc<int>(3);
    }
    auto make = [&alloc] { return alloc.frame_alloc<int>(4); };
    return make();
}
