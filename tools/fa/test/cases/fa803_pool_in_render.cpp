// FA803: pool memory in a path whose rules forbid it.
import framealloc;

void upload(framealloc::smart_alloc& alloc) {
    auto texture = alloc.pool_alloc<int>(1);  // expect: FA803
    void* staging = alloc.pool_resource().allocate(256, 16);  // expect: FA803
    alloc.pool_resource().deallocate(staging, 256, 16);
}
