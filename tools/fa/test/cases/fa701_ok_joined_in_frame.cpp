// Near miss for FA701: threads joined before end_frame(), a frame_task_group of the frame, and a
// capture of a copied value.
#include <thread>

import framealloc;

void frame(framealloc::smart_alloc& alloc, framealloc::frame_task_group& tasks) {
    alloc.begin_frame();
    int* counter = alloc.frame_alloc<int>(0);
    std::thread worker([&] { *counter += 1; });
    worker.join();
    {
        std::jthread scoped([counter] { *counter += 1; });
    }  // joined here, before the frame ends
    tasks.run([counter] { *counter += 1; });
    const int value = *counter;
    std::thread copy([value] { (void)value; });
    alloc.end_frame();
    copy.join();
}
