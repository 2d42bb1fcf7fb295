// Near miss for FA301: a budget set before the loop, a constant bound, a frame_scope per iteration.
#include <vector>

import framealloc;

void use(const int* value);

std::vector<framealloc::pool_ptr<int>> spawn(framealloc::smart_alloc& alloc, int count) {
    alloc.set_thread_pool_budget(1u << 16);
    std::vector<framealloc::pool_ptr<int>> out;
    for (int i = 0; i < count; ++i) out.push_back(alloc.try_pool_alloc<int>(i));
    return out;
}

void fixed(framealloc::smart_alloc& alloc, std::vector<framealloc::pool_ptr<int>>& out) {
    for (int i = 0; i < 16; ++i) out.push_back(alloc.pool_alloc<int>(i));
}

void scoped(framealloc::smart_alloc& alloc, int rows) {
    for (int row = 0; row < rows; ++row) {
        auto scope = alloc.frame_scope();
        use(alloc.frame_alloc<int>(row));
    }
}

void globally(framealloc::smart_alloc& alloc, int count, std::vector<framealloc::pool_ptr<int>>& out) {
    framealloc::budget_limits limits;
    limits.hard_limit = 1u << 20;
    framealloc::set_global_budget(limits);
    for (int i = 0; i < count; ++i) out.push_back(alloc.pool_alloc<int>(i));
}
