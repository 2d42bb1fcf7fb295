// Near miss for FA607: an allocation discarded on purpose (a test filling the frame), and a loop
// written by a macro.
#include <cstddef>

import framealloc;

bool has_work();
void use(const int* value);

#define EACH_JOB(body) \
    while (has_work()) { body; }

void fill(framealloc::smart_alloc& alloc, std::size_t bytes) {
    for (std::size_t done = 0; done < bytes; done += 1024) (void)alloc.frame_alloc_bytes(1024, 16);  // expect: FA301
    EACH_JOB(use(alloc.frame_alloc<int>(1)));
}
