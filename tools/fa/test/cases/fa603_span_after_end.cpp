// FA603: a span and a vector on frame memory, used after the frame that held them ended.
#include <span>

import framealloc;

float sum_after(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    std::span<float> samples = alloc.frame_array<float>(4);
    samples[0] = 1.0f;
    alloc.end_frame();
    float total = 0.0f;
    for (float s : samples) total += s;  // expect: FA603
    return total;
}

void grow_after(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    auto ids = alloc.frame_vector<int>();
    ids.push_back(1);
    alloc.end_frame();
    ids.push_back(2);  // expect: FA603
}
