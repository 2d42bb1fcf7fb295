// Near miss for FA702: pool memory across co_await, a look-alike allocator, and a suppressed use.
#include "coro_support.hpp"

import framealloc;

namespace script {
struct smart_alloc {
    int slot = 0;
    template <class T>
    T* frame_alloc() { return &slot; }
};
}  // namespace script

frame_task run(framealloc::smart_alloc& alloc, script::smart_alloc& vm) {
    auto kept = alloc.pool_alloc<int>(1);
    int* slot = vm.frame_alloc<int>();
    int* same_frame = alloc.frame_alloc<int>(0);
    co_await next_frame{};
    *kept = 2;
    *slot = 3;
    *same_frame = 4;  // fa: allow FA702 -- next_frame resumes within the same frame in this test
}
