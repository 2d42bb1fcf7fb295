// Near miss for FA603: a look-alike allocator's end_frame(), a copy taken before the end, and a
// suppressed read of a value the test knows is poisoned.
import framealloc;

namespace sim {
struct smart_alloc {
    int storage = 0;
    template <class T>
    T* frame_alloc() { return &storage; }
    void end_frame() {}
};
}  // namespace sim

int lookalike(sim::smart_alloc& alloc) {
    int* p = alloc.frame_alloc<int>();
    alloc.end_frame();
    return *p;
}

int copied(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    int* p = alloc.frame_alloc<int>(4);
    const int kept = *p;
    alloc.end_frame();
    return kept;
}

unsigned char poisoned(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    auto* bytes = static_cast<unsigned char*>(alloc.frame_alloc_bytes(8));
    alloc.end_frame();
    return bytes[0];  // fa: allow FA603 -- reads the poison fill on purpose
}
