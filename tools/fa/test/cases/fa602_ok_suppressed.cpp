// Near miss for FA602: a reviewed member store, suppressed with its reason; a look-alike allocator.
import framealloc;

namespace mock {
struct smart_alloc {
    template <class T>
    T* frame_alloc() { return nullptr; }
};
}  // namespace mock

class per_frame_view {
public:
    void bind(framealloc::smart_alloc& alloc) {
        data_ = alloc.frame_alloc<int>(1);  // fa: allow FA602 -- this view is rebuilt every frame and never read after it
    }
    void bind_mock(mock::smart_alloc& alloc) { data_ = alloc.frame_alloc<int>(); }

private:
    int* data_ = nullptr;
};
