// Near miss for FA701: a reviewed hand-off (suppressed with its reason) and a look-alike thread type.
#include <thread>

import framealloc;

namespace jobs {
struct thread {
    template <class F>
    explicit thread(F) {}
    void detach() {}
};
}  // namespace jobs

void frame(framealloc::smart_alloc& alloc) {
    int* flag = alloc.frame_alloc<int>(0);
    jobs::thread([&] { *flag = 1; }).detach();
    std::thread([&] { *flag = 2; }).detach();  // fa: allow FA701 -- the thread is stopped by a barrier before end_frame
}
