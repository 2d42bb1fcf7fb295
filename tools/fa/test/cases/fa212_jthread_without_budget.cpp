// FA212: a jthread body that makes a frame vector without a budget.
#include <thread>

import framealloc;

void decode(framealloc::smart_alloc& alloc) {
    std::jthread worker([&] {
        auto samples = alloc.frame_vector<float>();  // expect: FA212
        samples.push_back(1.0f);
    });
}
