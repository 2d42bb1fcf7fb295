// Near miss for FA607: another library's frame_alloc in a data-dependent loop, and a reviewed one.
import framealloc;

namespace engine {
struct smart_alloc {
    template <class T>
    T* frame_alloc(T v) { static T slot = v; return &slot; }
};
}  // namespace engine

bool has_work();
void use(const int* value);

void other(engine::smart_alloc& alloc) {
    while (has_work()) (void)alloc.frame_alloc<int>(1);
}

void reviewed(framealloc::smart_alloc& alloc) {
    while (has_work()) {
        use(alloc.frame_alloc<int>(1));  // fa: allow FA607 -- has_work() yields at most eight jobs a frame
    }
}
