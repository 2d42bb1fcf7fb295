// Near miss for FA211: another library's barrier, and a suppressed wait.
import framealloc;

namespace barriers {
struct frame_barrier {
    void wait_all() {}
};
}  // namespace barriers

void observe(barriers::frame_barrier& other, framealloc::frame_barrier& barrier) {
    other.wait_all();
    barrier.wait_all();  // fa: allow FA211 -- exercises the runtime's FA201 report
}
