// Near miss for FA803: every kind in a path no rule names; placement new is no allocation.
#include <new>

import framealloc;

void anything(framealloc::smart_alloc& alloc) {
    auto a = alloc.heap_alloc<int>(1);
    auto b = alloc.pool_alloc<int>(2);
    int* c = alloc.frame_alloc<int>(3);
    alignas(int) unsigned char buffer[sizeof(int)];
    int* d = new (buffer) int(4);
    (void)c;
    (void)d;
}
