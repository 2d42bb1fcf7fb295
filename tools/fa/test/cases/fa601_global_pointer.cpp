// FA601: a frame pointer stored in a namespace-scope variable outlives the frame.
import framealloc;

int* g_last_hit = nullptr;

namespace game {
float* g_weights = nullptr;
}

void record_hit(framealloc::smart_alloc& alloc, int value) {
    int* hit = alloc.frame_alloc<int>(value);
    g_last_hit = hit;  // expect: FA601
}

void load_weights(framealloc::smart_alloc& alloc) {
    auto weights = alloc.frame_array<float>(16);  // std::span, through auto
    float* first = weights.data();
    game::g_weights = first;  // expect: FA601
}
