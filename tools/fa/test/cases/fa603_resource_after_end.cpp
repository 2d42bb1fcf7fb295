// FA603: raw frame_resource memory, and a frame_arena reset under a live pointer.
#include <cstring>

import framealloc;

void clear_late(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    framealloc::frame_resource& frames = alloc.frame_resource();
    void* block = frames.allocate(64, 16);
    alloc.end_frame();
    std::memset(block, 0, 64);  // expect: FA603
}

void arena_reset(framealloc::frame_arena& arena) {
    char* text = static_cast<char*>(arena.allocate(32, 1));
    arena.reset();
    text[0] = 'x';  // expect: FA603
}
