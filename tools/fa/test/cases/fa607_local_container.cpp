// FA607: scratch frame memory per element of a container the function builds, and per iteration of a
// loop nested in a frame loop.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

import framealloc;

std::vector<int> visible_ids();
void draw(std::span<float> vertices);

void draw_all(framealloc::smart_alloc& alloc) {
    const std::vector<int> ids = visible_ids();
    for (const int id : ids) {
        auto vertices = alloc.frame_array<float>(static_cast<std::size_t>(id));  // expect: FA607
        draw(vertices);
    }
}

void frames(framealloc::smart_alloc& alloc) {
    for (int frame = 0; frame < 3; ++frame) {
        alloc.begin_frame();
        const std::vector<int> ids = visible_ids();
        for (std::size_t i = 0; i < ids.size(); ++i) {
            auto text = alloc.frame_string("entity");  // expect: FA607
            text += std::to_string(ids[i]);
        }
        alloc.end_frame();
    }
}
