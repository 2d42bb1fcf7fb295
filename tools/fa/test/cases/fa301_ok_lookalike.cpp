// Near miss for FA301: another library's pool_alloc in a parameter-bound loop, and a reviewed loop.
#include <vector>

import framealloc;

namespace engine {
struct smart_alloc {
    template <class T>
    T* pool_alloc(T v) { return new T(v); }
};
}  // namespace engine

void other(engine::smart_alloc& alloc, int count, std::vector<int*>& out) {
    for (int i = 0; i < count; ++i) out.push_back(alloc.pool_alloc<int>(i));
}

void reviewed(framealloc::smart_alloc& alloc, int count, std::vector<framealloc::pool_ptr<int>>& out) {
    for (int i = 0; i < count; ++i)
        out.push_back(alloc.pool_alloc<int>(i));  // fa: allow FA301 -- count is clamped to 64 by the caller
}
