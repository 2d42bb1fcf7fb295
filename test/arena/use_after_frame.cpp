// A deliberate bug: reads frame memory after end_frame(). Built only with FRAMEALLOC_DEBUG. Under ASan
// the read must be reported as use-after-poison (ctest checks the report); without ASan the read must
// see the poison byte 0xDD instead of the stale value (ctest checks the printed line).
#include <cstdio>

import framealloc;

int main() {
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    auto* value = alloc.frame_alloc<unsigned char>(static_cast<unsigned char>(0x42));
    std::printf("inside the frame: 0x%02x\n", *value);
    alloc.end_frame();
    const volatile unsigned char* stale = value;  // fa: allow FA603 -- the use after the frame this program shows
    const unsigned seen = *stale;  // use after frame: the bug this program exists to show
    std::printf("read after end_frame: 0x%02x\n", seen);
    return 0;
}
