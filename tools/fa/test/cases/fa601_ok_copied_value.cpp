// Near miss for FA601: values copied out of frame memory, and pool memory, may be kept.
#include <vector>

import framealloc;

int g_total = 0;
std::vector<int> g_history;
framealloc::pool_ptr<int> g_kept;

void sum(framealloc::smart_alloc& alloc) {
    int* scratch = alloc.frame_alloc<int>(41);
    g_total = *scratch + 1;            // a copy of the value
    g_history.push_back(*scratch);     // a copy too
    g_kept = alloc.pool_alloc<int>(7); // pool memory outlives frames by design
}
