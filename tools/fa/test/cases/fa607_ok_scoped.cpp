// Near miss for FA607: a frame_scope per iteration, a constant trip count, memory kept past the
// iteration, a frame loop (each iteration is a frame), a frame budget that bounds the growth.
#include <array>
#include <vector>

import framealloc;

bool has_work();
void use(const int* value);
std::vector<int> visible_ids();

void scoped(framealloc::smart_alloc& alloc) {
    while (has_work()) {
        auto scope = alloc.frame_scope();
        use(alloc.frame_alloc<int>(0));
    }
}

void constant(framealloc::smart_alloc& alloc) {
    constexpr int lanes = 4;
    for (int i = 0; i < lanes; ++i) use(alloc.frame_alloc<int>(i));
    const std::array<int, 3> steps{1, 2, 3};
    for (const int s : steps) use(alloc.frame_alloc<int>(s));
}

void kept(framealloc::smart_alloc& alloc) {
    const std::vector<int> ids = visible_ids();
    std::vector<int*> out;
    int* last = nullptr;
    for (const int id : ids) {
        out.push_back(alloc.frame_alloc<int>(id));
        int* copy = alloc.frame_alloc<int>(id);
        last = copy;
    }
    use(last);
}

void frame_loop(framealloc::smart_alloc& alloc) {
    while (has_work()) {
        alloc.begin_frame();
        use(alloc.frame_alloc<int>(1));
        alloc.end_frame();
    }
}

void budgeted(framealloc::smart_alloc& alloc) {
    alloc.set_thread_frame_budget(64u << 10);
    while (has_work()) use(alloc.try_frame_alloc<int>(1));
}
