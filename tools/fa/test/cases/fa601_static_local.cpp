// FA601: function-local statics and static members live for the whole program.
#include <span>

import framealloc;

struct registry {
    static std::span<const float> current;
};
std::span<const float> registry::current;

std::span<float> cached_table(framealloc::smart_alloc& alloc) {
    static std::span<float> table = alloc.frame_array<float>(64);  // expect: FA601
    return table;
}

void publish(framealloc::smart_alloc& alloc) {
    std::span<float> values = alloc.frame_array<float>(8);
    registry::current = values;  // expect: FA601
}
