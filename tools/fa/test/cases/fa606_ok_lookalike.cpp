// Near miss for FA606: another library's allocator and scope, and a reviewed return.
import framealloc;

namespace engine {
struct scope {};
struct smart_alloc {
    void begin_frame() {}
    scope frame_scope() { return {}; }
    template <class T>
    T* frame_alloc(T v) { static T slot = v; return &slot; }
};
}  // namespace engine

int* other_library(engine::smart_alloc& alloc) {
    alloc.begin_frame();
    auto s = alloc.frame_scope();
    int* p = alloc.frame_alloc<int>(1);
    return p;
}

int* reviewed(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    int* p = alloc.frame_alloc<int>(1);
    return p;  // fa: allow FA606 -- the caller ends this frame and uses the value before it does
}
