// Near miss for FA210: a look-alike allocator in a task, and a suppressed boundary.
#include <oneapi/tbb/task_group.h>

import framealloc;

namespace net {
struct smart_alloc {
    void end_frame() {}
};
}  // namespace net

void tasks(net::smart_alloc& packets, framealloc::smart_alloc& alloc) {
    tbb::task_group group;
    group.run([&] { packets.end_frame(); });
    group.run([&] {
        alloc.end_frame();  // fa: allow FA210 -- the frame loop runs in this task by design (single-threaded tool)
    });
    group.wait();
}
