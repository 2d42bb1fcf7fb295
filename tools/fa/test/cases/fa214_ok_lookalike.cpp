// Near miss for FA214: another library's concurrent_queue, and a reviewed hand-off.
#include <oneapi/tbb/concurrent_queue.h>

import framealloc;

namespace engine {
template <class T>
struct concurrent_queue {
    void push(T) {}
};
}  // namespace engine

void share(framealloc::smart_alloc& alloc, engine::concurrent_queue<int*>& local, tbb::concurrent_queue<int*>& jobs) {
    int* value = alloc.frame_alloc<int>(1);
    local.push(value);
    jobs.push(value);  // fa: allow FA214 -- the consumer drains the queue before this frame's end_frame()
}
