// FA701: std::async whose result is taken after end_frame(), and a task_arena::enqueue (never waited).
#include <future>
#include <oneapi/tbb/task_arena.h>

import framealloc;

int frame(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    auto ids = alloc.frame_vector<int>();
    ids.push_back(3);
    auto total = std::async(std::launch::async, [&ids] { return ids.front(); });  // expect: FA701
    alloc.end_frame();
    return total.get();
}

void enqueue(framealloc::smart_alloc& alloc, tbb::task_arena& arena) {
    float* value = alloc.frame_alloc<float>(1.0f);
    arena.enqueue([value] { *value += 1.0f; });  // expect: FA701
}
