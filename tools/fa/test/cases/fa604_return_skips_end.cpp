// FA604: an early return and a throw inside the frame loop skip end_frame().
#include <stdexcept>

import framealloc;

int load_level();

int run(framealloc::smart_alloc& alloc, int frames) {
    for (int frame = 0; frame < frames; ++frame) {
        alloc.begin_frame();
        const int level = load_level();
        if (level < 0) return level;  // expect: FA604
        if (level == 0) throw std::runtime_error("no level");  // expect: FA604
        alloc.end_frame();
    }
    return 0;
}
