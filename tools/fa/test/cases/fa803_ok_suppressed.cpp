// Near miss for FA803: frame memory is allowed in this render path; a look-alike heap; a suppressed
// start-up pool allocation.
import framealloc;

namespace gpu {
struct smart_alloc {
    int slot = 0;
    template <class T>
    int* heap_alloc() { return &slot; }
};
}  // namespace gpu

void init(framealloc::smart_alloc& alloc, gpu::smart_alloc& device) {
    (void)alloc.frame_alloc<int>(1);
    (void)device.heap_alloc<int>();
    auto kept = alloc.pool_alloc<int>(7);  // fa: allow FA803 -- created once at start-up, lives for the program
}
