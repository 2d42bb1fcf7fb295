// FA606: frame memory from an allocator that is a local object of the function: the allocator (and
// its memory) is destroyed as the function returns.
import framealloc;

void* local_resource_bytes() {
    framealloc::frame_resource resource;
    return resource.allocate(64, 8);  // expect: FA606
}

int* local_allocator_value() {
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    int* value = alloc.frame_alloc<int>(7);
    return value;  // expect: FA606
}
