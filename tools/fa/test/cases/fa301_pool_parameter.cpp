// FA301: pool allocation in a loop bounded by a parameter, with no budget set.
#include <vector>

import framealloc;

std::vector<framealloc::pool_ptr<int>> spawn(framealloc::smart_alloc& alloc, int count) {
    std::vector<framealloc::pool_ptr<int>> out;
    for (int i = 0; i < count; ++i) out.push_back(alloc.pool_alloc<int>(i));  // expect: FA301
    return out;
}

void load(framealloc::smart_alloc& alloc, const std::vector<int>& sizes, std::vector<void*>& blocks) {
    const auto n = sizes.size();
    for (std::size_t i = 0; i < n; ++i) blocks.push_back(alloc.frame_alloc_bytes(static_cast<std::size_t>(sizes[i]), 8));  // expect: FA301
}
