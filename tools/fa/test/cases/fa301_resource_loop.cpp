// FA301: allocate on a frame_resource in a loop bounded by a parameter's size: per-iteration scratch
// (FA607 too) with no budget.
#include <span>

import framealloc;

void hash(void* block);

void each(framealloc::frame_resource& resource, std::span<const int> items) {
    for (const int item : items) {
        void* block = resource.allocate(static_cast<std::size_t>(item), 8);  // expect: FA607 FA301
        hash(block);
    }
}
