// Near miss for FA212: a look-alike allocator on a thread, and a suppressed one-shot thread.
#include <thread>

import framealloc;

namespace audio {
struct smart_alloc {
    float slot = 0.0f;
    template <class T>
    T* frame_alloc() { return &slot; }
};
}  // namespace audio

void start(audio::smart_alloc& mixer, framealloc::smart_alloc& alloc) {
    std::thread a([&] { (void)mixer.frame_alloc<float>(); });
    std::thread b([&] {
        (void)alloc.frame_alloc<int>(0);  // fa: allow FA212 -- one allocation at start-up, measured by hand
    });
    a.join();
    b.join();
}
