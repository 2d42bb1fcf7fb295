// FA601: frame memory passed to a function of this file that stores its parameter in a global, directly
// or by passing it on.
import framealloc;

const int* g_last_hit = nullptr;

void remember(const int* hit) { g_last_hit = hit; }
void record(int, const int* hit) { remember(hit); }

void collide(framealloc::smart_alloc& alloc) {
    int* hit = alloc.frame_alloc<int>(3);
    remember(hit);  // expect: FA601
    record(1, alloc.frame_alloc<int>(4));  // expect: FA601
}
