// FA602: a member initialised with frame memory in a constructor.
#include <span>

import framealloc;

class particles {
public:
    explicit particles(framealloc::smart_alloc& alloc)
        : positions_(alloc.frame_array<float>(128)) {}  // expect: FA602

private:
    std::span<float> positions_;
};
