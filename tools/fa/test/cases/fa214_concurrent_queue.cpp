// FA214: frame memory pushed into tbb concurrent containers: another thread pops it whenever.
#include <span>

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/concurrent_vector.h>

import framealloc;

void share(framealloc::smart_alloc& alloc, tbb::concurrent_queue<int*>& jobs, tbb::concurrent_vector<std::span<float>>& rows) {
    int* job = alloc.frame_alloc<int>(1);
    jobs.push(job);  // expect: FA214
    rows.push_back(alloc.frame_array<float>(4));  // expect: FA214
}
