// FA301: allocation in loops bounded by a member and a global.
#include <vector>

import framealloc;

int g_spawn_count = 0;

class spawner {
public:
    void spawn(framealloc::smart_alloc& alloc) {
        for (const int id : ids_) kept_.push_back(alloc.pool_alloc<int>(id));  // expect: FA301
    }

private:
    std::vector<int> ids_;
    std::vector<framealloc::pool_ptr<int>> kept_;
};

void waves(framealloc::smart_alloc& alloc, std::vector<framealloc::pool_ptr<int>>& out) {
    int spawned = 0;
    while (spawned < g_spawn_count) {
        out.push_back(alloc.pool_alloc<int>(spawned));  // expect: FA301
        ++spawned;
    }
}
