// Near miss for FA604: a reviewed exit (the allocator is destroyed right after), and a look-alike.
import framealloc;

namespace engine {
struct smart_alloc {
    void begin_frame() {}
    void end_frame() {}
};
}  // namespace engine

bool fatal();

void run(framealloc::smart_alloc& alloc, engine::smart_alloc& other) {
    while (true) {
        alloc.begin_frame();
        if (fatal()) return;  // fa: allow FA604 -- the allocator is destroyed by the caller right after
        alloc.end_frame();
    }
    while (true) {
        other.begin_frame();
        if (fatal()) break;
        other.end_frame();
    }
}
