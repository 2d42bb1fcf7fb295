// FA606: frame memory allocated while the function's own frame_scope is alive, returned: the scope
// rewinds the arena as the function returns.
#include <span>

import framealloc;

int* scratch_value(framealloc::smart_alloc& alloc, int v) {
    auto scope = alloc.frame_scope();
    int* p = alloc.frame_alloc<int>(v);
    return p;  // expect: FA606
}

std::span<float> scratch_tail(framealloc::smart_alloc& alloc) {
    auto scope = alloc.frame_scope();
    std::span<float> all = alloc.frame_array<float>(8);
    auto tail = all.subspan(4);
    return tail;  // expect: FA606
}
