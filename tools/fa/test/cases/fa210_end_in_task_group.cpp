// FA210: a tbb::task_group task ends the frame that the frame loop owns.
#include <oneapi/tbb/task_group.h>

import framealloc;

void frame(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    tbb::task_group group;
    group.run([&] {
        (void)alloc.frame_alloc<int>(1);
        alloc.end_frame();  // expect: FA210
    });
    group.wait();
}
