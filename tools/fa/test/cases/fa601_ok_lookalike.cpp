// Near miss for FA601: another library's smart_alloc::frame_alloc is not framealloc's; and a suppressed
// store (the reason is reported).
import framealloc;

namespace other {
struct smart_alloc {
    template <class T>
    T* frame_alloc() { static T value{}; return &value; }
};
}  // namespace other

int* g_slot = nullptr;
int* g_debug_slot = nullptr;

void use_other(other::smart_alloc& alloc) { g_slot = alloc.frame_alloc<int>(); }

void debug_only(framealloc::smart_alloc& alloc) {
    g_debug_slot = alloc.frame_alloc<int>(0);  // fa: allow FA601 -- cleared by the frame hook before end_frame
}
